package io.tinyforge.maven;

import io.tinyforge.board.Board;
import io.tinyforge.board.BoardException;
import io.tinyforge.board.ElfFile;
import io.tinyforge.board.ImageCheck;
import io.tinyforge.board.QemuLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * "Flashing" a QEMU board: boots the ELF with {@link QemuLauncher}'s command line, except that the UART is QEMU's
 * standard input and output instead of a pty. A pty drops what the firmware prints before a reader attaches; here
 * every byte from reset on goes to a file, and the host's side of the handshake the generated demo app waits for
 * (one byte to start, one to acknowledge the end) is already waiting on standard input, so the app runs at once and
 * exits as soon as it is done. QEMU's exit status is the firmware's {@code platform_exit} status (semihosting).
 */
final class QemuBoot {
    /** The generated demo app waits for a byte from the host before it starts and for another before it exits. */
    private static final byte[] HOST_HANDSHAKE = {'\n', '\n'};

    private QemuBoot() {
    }

    /**
     * @param exitStatus the firmware's exit status, empty if it was still running after the time limit (stopped)
     * @param uart what the firmware sent to its console UART
     * @param qemuOutput QEMU's own stdout/stderr (semihosting output, QEMU errors)
     */
    record Outcome(List<String> command, OptionalInt exitStatus, String uart, String qemuOutput) {
    }

    static List<String> command(Board board, Path elf) {
        List<String> cmd = new ArrayList<>(QemuLauncher.command(board, elf));
        int serial = cmd.indexOf("-serial");
        if (serial < 0 || serial + 1 >= cmd.size()) {
            throw new BoardException("unexpected QEMU command line (no -serial): " + String.join(" ", cmd));
        }
        cmd.set(serial + 1, "stdio");
        return cmd;
    }

    /** Boots {@code elf}, waits up to {@code runTime} for the firmware to exit, stops it otherwise. */
    static Outcome boot(Board board, Path elf, Path uartFile, Duration runTime) {
        if (!Files.isRegularFile(elf)) {
            throw new BoardException("firmware image " + elf + " does not exist; build it first");
        }
        List<String> problems = ImageCheck.check(ElfFile.read(elf), board);
        if (!problems.isEmpty()) {
            throw new BoardException(elf.getFileName() + " does not suit board " + board.name() + ": " + problems.get(0));
        }
        if (!QemuLauncher.available()) {
            throw new BoardException(QemuLauncher.QEMU + " not found on PATH; install it (Debian: apt-get install qemu-system-arm)");
        }
        List<String> cmd = command(board, elf);
        Path qemuLog = uartFile.resolveSibling(uartFile.getFileName() + ".qemu");
        try {
            Files.createDirectories(uartFile.toAbsolutePath().getParent());
            Files.deleteIfExists(uartFile);
        } catch (IOException e) {
            throw new BoardException("cannot prepare " + uartFile + " (" + e.getMessage() + ")");
        }
        Process process;
        try {
            process = new ProcessBuilder(cmd).redirectOutput(uartFile.toFile()).redirectError(qemuLog.toFile())
                    .start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(HOST_HANDSHAKE);
            } catch (IOException e) {
                // QEMU exited at once (bad machine, bad image): its log says why
            }
        } catch (IOException e) {
            throw new BoardException("cannot start " + QemuLauncher.QEMU + " (" + e.getMessage() + ")");
        }
        OptionalInt status = OptionalInt.empty();
        try {
            if (process.waitFor(runTime.toMillis(), TimeUnit.MILLISECONDS)) {
                status = OptionalInt.of(process.exitValue());
            } else {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(3, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BoardException("interrupted while running " + QemuLauncher.QEMU);
        }
        return new Outcome(cmd, status, read(uartFile), read(qemuLog));
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
