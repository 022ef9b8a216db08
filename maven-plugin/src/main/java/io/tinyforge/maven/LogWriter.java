package io.tinyforge.maven;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Writer that hands every complete line to a Maven log method as it is written (so a long verify run shows
 * progress), and keeps the lines for the caller to pick the error message from.
 */
final class LogWriter extends Writer {
    private final Consumer<String> sink;
    private final StringBuilder pending = new StringBuilder();
    private final List<String> lines = new ArrayList<>();

    LogWriter(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                emit();
            } else if (c != '\r') {
                pending.append(c);
            }
        }
    }

    private void emit() {
        String line = pending.toString();
        pending.setLength(0);
        lines.add(line);
        sink.accept(line);
    }

    @Override
    public synchronized void flush() {
        // lines go out as they complete; a partial line waits for its end or for close()
    }

    @Override
    public synchronized void close() {
        if (pending.length() > 0) {
            emit();
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
