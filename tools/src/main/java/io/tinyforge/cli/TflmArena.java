package io.tinyforge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TFLite Micro's {@code arena_used_bytes} for a model, measured by TFLM itself (tools/oracle/tflm_arena.py on the
 * pip package tflite-micro): the figure our plan is compared with. Missing Python or package is not an error of
 * the plan, so the result says why it has no figure instead of throwing.
 */
public record TflmArena(long bytes, String whyMissing) {
  static final String SCRIPT = "tools/oracle/tflm_arena.py";
  private static final long TIMEOUT_SECONDS = 120;

  /** True when TFLM gave a figure; otherwise {@link #whyMissing()} says why not. */
  public boolean measured() {
    return bytes >= 0;
  }

  /** Runs TFLM (host build) on {@code model}; never throws for a missing Python or package. */
  public static TflmArena measure(Path root, Path model) {
    Path script = root.resolve(SCRIPT);
    if (!Files.isRegularFile(script)) {
      return missing(script + " is absent");
    }
    try {
      Path log = Files.createTempFile("tflm-arena", ".txt");
      try {
        Process p = new ProcessBuilder(List.of("python3", script.toString(), model.toAbsolutePath().toString()))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return missing("TFLM took longer than " + TIMEOUT_SECONDS + " s");
        }
        String text = Files.readString(log, StandardCharsets.UTF_8).strip();
        if (p.exitValue() == 3) {
          return missing("tflite-micro is not installed (run tools/setup)");
        }
        if (p.exitValue() != 0) {
          return missing("TFLM could not run the model: " + lastLine(text));
        }
        return new TflmArena(Long.parseLong(lastLine(text).split(" ", 2)[0]), "");
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return missing("python3 could not be started (" + e.getMessage() + ")");
    } catch (NumberFormatException e) {
      return missing("tflm_arena.py printed no figure");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return missing("interrupted");
    }
  }

  private static TflmArena missing(String why) {
    return new TflmArena(-1, why);
  }

  private static String lastLine(String text) {
    String[] lines = text.split("\n");
    return lines[lines.length - 1].strip();
  }
}
