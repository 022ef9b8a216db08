package io.tinyforge.maven;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.QemuLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Prebuilt firmware for the flash tests: src/test/resources/firmware/report_app.c built with FirmwareBuild. */
final class TestFirmware {
    private TestFirmware() {
    }

    static Board board(String name) {
        return BoardRegistry.load(ReactorRepository.repoRoot()).get(name);
    }

    static void assumeToolchain(Board board) {
        assumeTrue(FirmwareBuild.toolchainAvailable(board), "skipped: " + board.toolchain().tool("gcc")
                + " (and objcopy) not on PATH; install gcc-arm-none-eabi + libnewlib-arm-none-eabi (tools/setup)");
    }

    static void assumeQemu() {
        assumeTrue(QemuLauncher.available(), "skipped: " + QemuLauncher.QEMU
                + " not on PATH; install qemu-system-arm (tools/setup)");
    }

    /** report_app.elf for {@code boardName}, exiting with {@code status} (QEMU boards). */
    static Path reportApp(String boardName, int status) {
        Board board = board(boardName);
        assumeToolchain(board);
        Path out = ReactorRepository.moduleDir().resolve("target/it-firmware").resolve(boardName + "-status-" + status);
        return FirmwareBuild.forBoard(board, ReactorRepository.repoRoot())
                .addSource(ReactorRepository.moduleDir().resolve("src/test/resources/firmware/report_app.c"))
                .define("REPORT_STATUS", Integer.toString(status))
                .build(out, "report_app")
                .image();
    }

    /** The ELF as Intel hex, made here with objcopy (independently of the plugin), as bytes. */
    static byte[] intelHex(Path elf, Path hex) {
        try {
            Process p = new ProcessBuilder("arm-none-eabi-objcopy", "-O", "ihex", elf.toString(), hex.toString())
                    .redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("arm-none-eabi-objcopy failed on " + elf);
            }
            return Files.readAllBytes(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
