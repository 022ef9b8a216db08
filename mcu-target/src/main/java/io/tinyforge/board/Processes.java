package io.tinyforge.board;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs external tools with a timeout and captured output (stdout and stderr merged). */
final class Processes {
    private Processes() {
    }

    record Result(List<String> command, int exitCode, String output) {
        String lastLine() {
            String trimmed = output.strip();
            int nl = trimmed.lastIndexOf('\n');
            return nl < 0 ? trimmed : trimmed.substring(nl + 1);
        }

        /** First line that looks like a compiler/linker error, else the last line. */
        String firstErrorLine() {
            for (String line : output.split("\n")) {
                if (line.contains("error") || line.contains("Error") || line.contains("undefined reference")) {
                    return line.strip();
                }
            }
            return lastLine();
        }
    }

    /**
     * Runs {@code command}; kills it (and waits a bounded time) when {@code timeout} passes.
     * @param environment replaces the child's environment when non-null (PATH lookups use it too)
     */
    static Result run(List<String> command, Path workDir, Map<String, String> environment, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        if (environment != null) {
            pb.environment().clear();
            pb.environment().putAll(environment);
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new BoardException("cannot run " + command.get(0) + " (" + e.getMessage() + ")");
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child may already have exited
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread pump = drain(process.getInputStream(), output, command.get(0));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new BoardException(command.get(0) + " did not finish within " + timeout.toSeconds()
                        + " s and was stopped");
            }
            pump.join(5000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BoardException("interrupted while running " + command.get(0));
        }
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        return new Result(List.copyOf(command), process.exitValue(), text);
    }

    static Thread drain(InputStream in, ByteArrayOutputStream sink, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "output of " + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Finds an executable on the PATH of {@code environment} (or of this JVM when null). */
    static Optional<Path> which(String program, Map<String, String> environment) {
        if (program.contains(File.separator)) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = environment != null ? environment.get("PATH") : System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
