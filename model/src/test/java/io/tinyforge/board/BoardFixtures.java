package io.tinyforge.board;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's boards for the descriptor tests (the build and QEMU helpers live in mcu-target's tests). */
final class BoardFixtures {
    static final List<String> ARM_BOARDS =
            List.of("qemu-mps2-an500", "qemu-mps2-an386", "qemu-mps3-an547", "imxrt1060-evk", "teensy41");

    private BoardFixtures() {
    }

    static Path repoRoot() {
        Path root = Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("boards"))) {
            throw new IllegalStateException("no boards/ folder in " + root + "; run the tests through Maven");
        }
        return root;
    }

    static BoardRegistry registry() {
        return BoardRegistry.load(repoRoot());
    }

    static Board board(String name) {
        return registry().get(name);
    }

    static Stream<String> armBoards() {
        return ARM_BOARDS.stream();
    }
}
