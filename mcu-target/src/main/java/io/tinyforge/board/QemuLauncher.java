package io.tinyforge.board;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a QEMU board on an ELF:
 * {@code qemu-system-arm -M <machine> -nographic -kernel app.elf -icount shift=0,sleep=off
 * -semihosting-config enable=on,target=native -serial pty -monitor none <extra_args>}
 * and waits (bounded) for the {@code /dev/pts/N} name QEMU prints on stdout.
 * -icount shift=0,sleep=off makes timers exact functions of executed instructions, so counts repeat.
 */
public final class QemuLauncher {
    public static final String QEMU = "qemu-system-arm";
    private static final Pattern PTY = Pattern.compile("char device redirected to (/dev/pts/\\d+)");

    private QemuLauncher() {
    }

    public static boolean available() {
        return Processes.which(QEMU, null).isPresent();
    }

    public static List<String> command(Board board, Path elf) {
        Board.Qemu qemu = board.qemu().orElseThrow(() -> new BoardException(
                "board " + board.name() + " is not a QEMU board; QEMU boards: those with a \"qemu\" field in board.json"));
        List<String> cmd = new ArrayList<>(List.of(QEMU, "-M", qemu.machine(), "-nographic", "-kernel",
                elf.toAbsolutePath().toString(), "-icount", "shift=0,sleep=off",
                "-semihosting-config", "enable=on,target=native", "-serial", "pty", "-monitor", "none"));
        cmd.addAll(qemu.extraArgs());
        return cmd;
    }

    public static QemuSession start(Board board, Path elf) {
        return start(board, elf, Duration.ofSeconds(10));
    }

    /**
     * Checks the image ({@link ImageCheck}: QEMU itself would just lock up on a bad one), starts
     * QEMU, and fails (killing it) if no pty name appears within {@code ptyTimeout}.
     */
    public static QemuSession start(Board board, Path elf, Duration ptyTimeout) {
        if (!Files.isRegularFile(elf)) {
            throw new BoardException("firmware image " + elf + " does not exist; build it first");
        }
        List<String> cmd = command(board, elf);
        List<String> problems = ImageCheck.check(ElfFile.read(elf), board);
        if (!problems.isEmpty()) {
            throw new BoardException(elf.getFileName() + " does not suit board " + board.name() + ": " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
        if (!available()) {
            throw new BoardException(QEMU + " not found on PATH; install it (Debian: apt-get install qemu-system-arm)");
        }
        Process process;
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BoardException("cannot start " + QEMU + " (" + e.getMessage() + ")");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Processes.drain(process.getInputStream(), output, QEMU);
        QemuSession session = new QemuSession(process, output, cmd);
        long deadline = System.nanoTime() + ptyTimeout.toNanos();
        try {
            while (true) {
                Matcher m = PTY.matcher(session.output());
                if (m.find()) {
                    session.setPtyPath(m.group(1));
                    return session;
                }
                if (!process.isAlive()) {
                    throw new BoardException(QEMU + " -M " + board.qemu().get().machine() + " exited with "
                            + process.exitValue() + " before opening its serial port: " + lastLine(session.output()));
                }
                if (System.nanoTime() > deadline) {
                    throw new BoardException(QEMU + " printed no pty name within " + ptyTimeout.toMillis() + " ms: "
                            + lastLine(session.output()));
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            session.close();
            Thread.currentThread().interrupt();
            throw new BoardException("interrupted while starting " + QEMU);
        } catch (BoardException e) {
            session.close();
            throw e;
        }
    }

    private static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        return t.isEmpty() ? "(no output)" : nl < 0 ? t : t.substring(nl + 1);
    }

    static String decode(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
