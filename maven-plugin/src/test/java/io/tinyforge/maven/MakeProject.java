package io.tinyforge.maven;

import io.tinyforge.board.Board;
import io.tinyforge.board.FirmwareBuild;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A stand-in for a generated project, for testing the build goal apart from the code generator: a Makefile whose
 * one rule runs FirmwareBuild's compiler line for report_app.c, with the installation path written as
 * $(TINYFORGE_HOME) so the build only works if the goal passes that variable to make.
 */
final class MakeProject {
    private MakeProject() {
    }

    static void write(Path dir, String boardName, Path source) {
        Board board = TestFirmware.board(boardName);
        TestFirmware.assumeToolchain(board);
        Path root = ReactorRepository.repoRoot();
        List<String> command = FirmwareBuild.forBoard(board, root).addSource(source).command(dir, "report_app");
        String recipe = command.stream()
                .map(arg -> "'" + arg.replace("'", "'\\''") + "'")
                .map(arg -> arg.replace(root.toString(), "'\"$(TINYFORGE_HOME)\"'"))
                .collect(Collectors.joining(" "));
        ReactorRepository.write(dir.resolve("Makefile"), String.join("\n",
                "# written by MakeProject (test): builds report_app.elf for " + boardName,
                "report_app.elf:",
                "\t@test -n \"$(TINYFORGE_HOME)\" || { echo 'TINYFORGE_HOME is not set'; exit 1; }",
                "\t" + recipe,
                ""));
    }
}
