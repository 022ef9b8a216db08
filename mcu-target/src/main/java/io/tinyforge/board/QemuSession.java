package io.tinyforge.board;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A running QEMU started by {@link QemuLauncher}. The exit status is the firmware's
 * {@code platform_exit} status (semihosting). {@link #close()} kills QEMU with bounded waits.
 */
public final class QemuSession implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream output;
    private final List<String> command;
    private String ptyPath;

    QemuSession(Process process, ByteArrayOutputStream output, List<String> command) {
        this.process = process;
        this.output = output;
        this.command = List.copyOf(command);
    }

    void setPtyPath(String path) {
        this.ptyPath = path;
    }

    /** The pty QEMU connected the board's UART0 to, e.g. /dev/pts/3. */
    public String ptyPath() {
        return ptyPath;
    }

    /** Opens the UART (host side). */
    public PtyPort openSerial() {
        return PtyPort.open(ptyPath);
    }

    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What QEMU printed on stdout/stderr so far. */
    public String output() {
        return QemuLauncher.decode(output);
    }

    /** The exit status, or empty if QEMU is still running after {@code timeout}. */
    public OptionalInt waitForExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return OptionalInt.of(process.exitValue());
            }
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** Stops QEMU if it still runs: SIGTERM, then SIGKILL; never waits more than a few seconds. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
