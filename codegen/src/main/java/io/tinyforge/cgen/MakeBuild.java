package io.tinyforge.cgen;

import io.tinyforge.TinyforgeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code make} in a generated project (the same build a user runs). */
public final class MakeBuild {
  private MakeBuild() {}

  /** Output of a finished build. */
  public record Result(int exitCode, String output) {
    /** The first line that looks like a compiler error, else the last line. */
    public String firstError() {
      String last = "";
      for (String line : output.split("\n")) {
        if (line.contains("error")) {
          return line.strip();
        }
        if (!line.isBlank()) {
          last = line.strip();
        }
      }
      return last;
    }
  }

  public static Result run(Path dir, long timeoutSeconds, String... extraArgs) {
    List<String> cmd = new ArrayList<>(List.of("make", "-C", dir.toString()));
    cmd.addAll(List.of(extraArgs));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot run make (" + e.getMessage()
          + "); install it (Debian: apt-get install make)");
    }
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (InputStream in = p.getInputStream()) {
        out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the process died; its exit code tells
      }
    }, "make-output");
    reader.start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "make in " + dir + " took more than "
            + timeoutSeconds + " s");
      }
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "interrupted while building " + dir);
    }
    synchronized (out) {
      return new Result(p.exitValue(), out.toString());
    }
  }
}
