package io.tinyforge.maven;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.maven.plugin.MojoExecutionException;

/** Runs a tool (make) to completion with a time limit, stdout and stderr merged and captured. */
final class ExternalCommand {
    private ExternalCommand() {
    }

    record Result(int exitCode, String output) {
        List<String> lines() {
            return output.lines().toList();
        }

        List<String> lastLines(int n) {
            List<String> all = lines();
            return all.subList(Math.max(0, all.size() - n), all.size());
        }

        /**
         * The first compiler or linker diagnostic ({@code error:}, {@code undefined reference}), else make's own
         * {@code ***} line, else the last line. Echoed command lines (full of -Werror) are not diagnostics.
         */
        String firstErrorLine() {
            List<String> all = lines();
            for (String line : all) {
                if (line.contains("error:") || line.contains("undefined reference")) {
                    return line.strip();
                }
            }
            for (String line : all) {
                if (line.contains("*** ")) {
                    return line.strip();
                }
            }
            return all.isEmpty() ? "(no output)" : all.get(all.size() - 1).strip();
        }
    }

    static Result run(List<String> command, Path workDir, Map<String, String> environment, Duration timeout)
            throws MojoExecutionException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new MojoExecutionException("cannot run " + command.get(0) + " (" + e.getMessage()
                    + "); install it or put it on PATH");
        }
        // a thread of its own drains the pipe, so a chatty make never blocks on a full pipe
        FutureTask<String> output = new FutureTask<>(() -> readAll(process.getInputStream()));
        Thread reader = new Thread(output, "output of " + command.get(0));
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new MojoExecutionException(command.get(0) + " did not finish within " + timeout.toSeconds()
                        + " s and was stopped");
            }
            return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted while running " + command.get(0));
        } catch (ExecutionException | TimeoutException e) {
            return new Result(process.exitValue(), "");
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
