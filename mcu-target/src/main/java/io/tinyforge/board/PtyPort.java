package io.tinyforge.board;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The host end of QEMU's {@code -serial pty}, opened with plain Java file streams. QEMU puts the
 * pty in raw mode (all 256 byte values pass unchanged); {@link #open} also runs
 * {@code stty raw -echo} on it when stty exists. A daemon thread pumps received bytes into a
 * buffer so that every read has a timeout. QEMU discards what the target sends while no reader
 * is attached: talk first (e.g. send a ping until the target answers).
 * Close the QEMU session before (or after) this port; a blocked pump thread ends when QEMU does.
 */
public final class PtyPort implements AutoCloseable {
    private static final int CAPACITY = 1 << 20;

    private final String path;
    private final RandomAccessFile file;
    private final PumpedInput input;

    private PtyPort(String path, RandomAccessFile file) {
        this.path = path;
        this.file = file;
        this.input = new PumpedInput(file::read, CAPACITY, "pty reader " + path);
    }

    public static PtyPort open(String path) {
        try {
            Processes.which("stty", null).ifPresent(stty ->
                    Processes.run(List.of(stty.toString(), "-F", path, "raw", "-echo"), null, null, Duration.ofSeconds(5)));
        } catch (BoardException ignored) {
            // QEMU configures the pty raw already; stty is a second line of defence only
        }
        try {
            return new PtyPort(path, new RandomAccessFile(path, "rw"));
        } catch (IOException e) {
            throw new BoardException("cannot open serial port " + path + " (" + e.getMessage() + ")");
        }
    }

    public String path() {
        return path;
    }

    public void write(byte[] bytes) {
        try {
            file.write(bytes);
        } catch (IOException e) {
            throw new BoardException("cannot write to serial port " + path + " (" + e.getMessage() + ")");
        }
    }

    public void write(String ascii) {
        write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Waits up to {@code timeout} for at least one byte, then returns what is buffered (up to len).
     * Returns 0 on timeout, -1 if the other side has gone and nothing is left.
     */
    public int read(byte[] dst, int off, int len, Duration timeout) {
        return input.read(dst, off, len, timeout.toNanos());
    }

    /** Exactly n bytes, or a BoardException naming how many arrived before the timeout. */
    public byte[] readExactly(int n, Duration timeout) {
        byte[] out = new byte[n];
        int got = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got < n) {
            long left = deadline - System.nanoTime();
            int r = left <= 0 ? 0 : read(out, got, n - got, Duration.ofNanos(left));
            if (r <= 0) {
                throw new BoardException("serial port " + path + ": expected " + n + " bytes, got " + got
                        + (r < 0 ? " before the target closed it" : " within " + timeout.toMillis() + " ms"));
            }
            got += r;
        }
        return out;
    }

    /** One line without its '\n' (bytes as ISO-8859-1), or empty on timeout / end of stream. */
    public Optional<String> readLine(Duration timeout) {
        StringBuilder line = new StringBuilder();
        byte[] one = new byte[1];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            int r = left <= 0 ? 0 : read(one, 0, 1, Duration.ofNanos(left));
            if (r <= 0) {
                unread(line);
                return Optional.empty();
            }
            if (one[0] == '\n') {
                return Optional.of(line.toString());
            }
            line.append((char) (one[0] & 0xFF));
        }
    }

    /** Like {@link #readLine} but a timeout or the end of the stream is an error. */
    public String expectLine(Duration timeout) {
        return readLine(timeout).orElseThrow(() -> new BoardException("serial port " + path + ": "
                + (isEnded() ? "the target closed the port before a complete line arrived"
                        : "no complete line within " + timeout.toMillis() + " ms")));
    }

    /** True once the other side has gone (QEMU exited) and every received byte has been read. */
    public boolean isEnded() {
        return input.isEnded();
    }

    /** Puts back a partial line so that a later read sees it again. */
    private void unread(CharSequence partial) {
        input.unread(partial.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Bytes received and not yet read. */
    public int available() {
        return input.available();
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }
}
