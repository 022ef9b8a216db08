package io.tinyforge.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.board.Board.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FlashMethod with fake pyocd / teensy_loader_cli scripts first on PATH: they record their argv
 * (one argument per line) and a copy of the image they were given.
 */
class FlashMethodTest {

    private static Map<String, String> fakeTool(Path binDir, String tool, int exitCode) throws IOException {
        Files.createDirectories(binDir);
        Path script = binDir.resolve(tool);
        Files.writeString(script, String.join("\n",
                "#!/bin/sh",
                "printf '%s\\n' \"$0\" \"$@\" > \"$FAKE_FLASH_LOG\"",
                "for last; do :; done",
                "cp \"$last\" \"$FAKE_FLASH_LOG.image\"",
                "echo \"" + tool + ": pretending to flash $last\"",
                "exit " + exitCode,
                ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", binDir + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("FAKE_FLASH_LOG", binDir.resolve("argv.txt").toString());
        return env;
    }

    /** Every record of an Intel hex file is well formed and its checksum is right. */
    private static void assertIntelHex(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertTrue(line.matches(":([0-9A-F]{2})+"), "hex record: " + line);
            int sum = 0;
            for (int i = 1; i < line.length(); i += 2) {
                sum += Integer.parseInt(line.substring(i, i + 2), 16);
            }
            assertEquals(0, sum & 0xFF, "checksum of " + line);
        }
        assertEquals(":00000001FF", lines.get(lines.size() - 1));
    }

    private void flashesWithExactCommand(String boardName, String tool, List<String> argsBeforeImage, Path tmp)
            throws IOException {
        Board board = BoardTestSupport.board(boardName);
        Path elf = BoardTestSupport.echoApp(board);
        Map<String, String> env = fakeTool(tmp.resolve("bin"), tool, 0);
        FlashMethod method = new FlashMethod(board, env);
        assertEquals(ImageFormat.HEX, method.imageFormat());
        Path image = method.prepareImage(elf);
        assertTrue(image.getFileName().toString().endsWith(".hex"), image.toString());

        FlashMethod.Result result = method.flash(image, Duration.ofSeconds(30));
        assertEquals(0, result.exitCode());
        assertTrue(result.output().contains("pretending to flash"), result.output());

        List<String> argv = Files.readAllLines(tmp.resolve("bin/argv.txt"));
        List<String> expected = new java.util.ArrayList<>();
        expected.add(tmp.resolve("bin").resolve(tool).toString());
        expected.addAll(argsBeforeImage);
        expected.add(image.toAbsolutePath().toString());
        assertEquals(expected, argv, "exact command the flasher received");
        assertEquals(expected, result.command());
        assertTrue(Files.isRegularFile(Path.of(argv.get(argv.size() - 1))), "image exists");
        assertIntelHex(tmp.resolve("bin/argv.txt.image"));
    }

    @Test
    void pyocdGetsTargetAndHexImage(@TempDir Path tmp) throws IOException {
        flashesWithExactCommand("imxrt1060-evk", "pyocd", List.of("flash", "--target", "mimxrt1060"), tmp);
    }

    @Test
    void teensyLoaderGetsMcuAndHexImage(@TempDir Path tmp) throws IOException {
        flashesWithExactCommand("teensy41", "teensy_loader_cli", List.of("--mcu=TEENSY41", "-w", "-v"), tmp);
    }

    @Test
    void missingToolSaysHowToInstallIt(@TempDir Path tmp) throws IOException {
        Map<String, String> env = Map.of("PATH", tmp.toString());
        Path image = tmp.resolve("app.hex");
        Files.writeString(image, ":00000001FF\n");
        BoardException pyocd = assertThrows(BoardException.class,
                () -> new FlashMethod(BoardTestSupport.board("imxrt1060-evk"), env).flash(image, Duration.ofSeconds(5)));
        assertEquals("pyocd not found on PATH; install it with: pip install pyocd", pyocd.getMessage());
        BoardException teensy = assertThrows(BoardException.class,
                () -> new FlashMethod(BoardTestSupport.board("teensy41"), env).flash(image, Duration.ofSeconds(5)));
        assertEquals("teensy_loader_cli not found on PATH; install it with: apt-get install teensy-loader-cli",
                teensy.getMessage());
    }

    @Test
    void failingToolAndWrongFormatAreReported(@TempDir Path tmp) throws IOException {
        Board evk = BoardTestSupport.board("imxrt1060-evk");
        Map<String, String> env = fakeTool(tmp.resolve("bin"), "pyocd", 3);
        Path hex = tmp.resolve("app.hex");
        Files.writeString(hex, ":00000001FF\n");
        BoardException failed = assertThrows(BoardException.class,
                () -> new FlashMethod(evk, env).flash(hex, Duration.ofSeconds(30)));
        assertTrue(failed.getMessage().startsWith("pyocd failed (exit 3)"), failed.getMessage());

        Path bin = tmp.resolve("app.bin");
        Files.write(bin, new byte[16]);
        BoardException format = assertThrows(BoardException.class,
                () -> new FlashMethod(evk, env).flash(bin, Duration.ofSeconds(30)));
        assertTrue(format.getMessage().contains("needs a .hex image"), format.getMessage());

        BoardException qemu = assertThrows(BoardException.class,
                () -> new FlashMethod(BoardTestSupport.board("qemu-mps2-an500"), env));
        assertTrue(qemu.getMessage().contains("has no flash method"), qemu.getMessage());
    }
}
