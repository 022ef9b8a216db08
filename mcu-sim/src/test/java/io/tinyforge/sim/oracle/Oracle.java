package io.tinyforge.sim.oracle;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Test helper driving TFLM's Python interpreter through {@code tools/oracle/tflm_oracle.py}: all jobs of a call go
 * through ONE python process. Use {@link #available()} as a JUnit assumption; {@link #unavailableReason()} says why.
 */
public final class Oracle {
  private Oracle() {}

  /** One model and the runs to do on it. {@code tensors} (may be null = all) is dumped when preserveAll. */
  public record Job(Path model, boolean preserveAll, int[] tensors, boolean measureArena, List<byte[][]> runs) {
    public static Job outputsOnly(Path model, List<byte[][]> runs) {
      return new Job(model, false, null, false, runs);
    }
  }

  /** One run's results: outputs in model order, dumped tensors by index, or the error TFLM reported. */
  public record RunResult(byte[][] outputs, Map<Integer, byte[]> tensors, String error) {}

  /** One job's results; {@code error} is set when TFLM refused the model (then runs is empty). */
  public record JobResult(String error, long arenaUsedBytes, List<RunResult> runs) {}

  private static volatile String reason;
  private static volatile Boolean available;

  /** Whether python3 with tflite_micro works here (checked once). */
  public static boolean available() {
    if (available == null) {
      synchronized (Oracle.class) {
        if (available == null) {
          available = probe();
        }
      }
    }
    return available;
  }

  public static String unavailableReason() {
    available();
    return reason == null ? "TFLM oracle available" : reason;
  }

  private static boolean probe() {
    Path script = script();
    if (!Files.isRegularFile(script)) {
      reason = "TFLM oracle skipped: " + script + " not found";
      return false;
    }
    try {
      Process p = new ProcessBuilder("python3", "-c", "import tflite_micro.python.tflite_micro.runtime")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        reason = "TFLM oracle skipped: python3 cannot import tflite_micro (pip install tflite-micro): "
            + out.strip();
        return false;
      }
      return true;
    } catch (IOException e) {
      reason = "TFLM oracle skipped: python3 not runnable (" + e.getMessage() + ")";
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "TFLM oracle skipped: interrupted";
      return false;
    }
  }

  /** The repository root: the surefire property, else the nearest parent holding tools/oracle. */
  public static Path repoRoot() {
    String prop = System.getProperty("tinyforge.root");
    if (prop != null && Files.isDirectory(Paths.get(prop, "tools"))) {
      return Paths.get(prop).toAbsolutePath().normalize();
    }
    Path p = Paths.get("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("tools/oracle/tflm_oracle.py"))) {
      p = p.getParent();
    }
    return p == null ? Paths.get("").toAbsolutePath() : p;
  }

  static Path script() {
    return repoRoot().resolve("tools/oracle/tflm_oracle.py");
  }

  /** Runs all jobs in one python process. */
  public static List<JobResult> run(List<Job> jobs) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("tflm-oracle");
      JsonArray jarr = new JsonArray();
      for (int j = 0; j < jobs.size(); j++) {
        Job job = jobs.get(j);
        JsonObject jo = new JsonObject();
        jo.addProperty("model", job.model().toAbsolutePath().toString());
        jo.addProperty("preserve_all_tensors", job.preserveAll());
        jo.addProperty("arena", job.measureArena());
        if (job.tensors() != null) {
          JsonArray ts = new JsonArray();
          for (int t : job.tensors()) {
            ts.add(t);
          }
          jo.add("tensors", ts);
        }
        JsonArray runs = new JsonArray();
        for (int r = 0; r < job.runs().size(); r++) {
          Path runDir = dir.resolve("j" + j + "/r" + r);
          Files.createDirectories(runDir);
          JsonArray ins = new JsonArray();
          byte[][] inputs = job.runs().get(r);
          for (int i = 0; i < inputs.length; i++) {
            Path in = runDir.resolve("in" + i + ".bin");
            Files.write(in, inputs[i]);
            ins.add(in.toString());
          }
          JsonObject ro = new JsonObject();
          ro.add("inputs", ins);
          ro.addProperty("output_dir", runDir.resolve("out").toString());
          runs.add(ro);
        }
        jo.add("runs", runs);
        jarr.add(jo);
      }
      JsonObject root = new JsonObject();
      root.add("jobs", jarr);
      Path jobFile = dir.resolve("job.json");
      Path resultFile = dir.resolve("result.json");
      Files.writeString(jobFile, root.toString());
      Process p = new ProcessBuilder("python3", script().toString(), jobFile.toString(), resultFile.toString())
          .redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(resultFile)) {
        throw new IllegalStateException("TFLM oracle failed: " + log);
      }
      return parse(Files.readString(resultFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      deleteTree(dir);
    }
  }

  private static List<JobResult> parse(String json) throws IOException {
    JsonObject root = new Gson().fromJson(json, JsonObject.class);
    List<JobResult> out = new ArrayList<>();
    for (JsonElement je : root.getAsJsonArray("jobs")) {
      JsonObject jo = je.getAsJsonObject();
      String error = str(jo.get("error"));
      long arena = jo.get("arena_used_bytes") == null || jo.get("arena_used_bytes").isJsonNull()
          ? -1 : jo.get("arena_used_bytes").getAsLong();
      List<RunResult> runs = new ArrayList<>();
      for (JsonElement re : jo.getAsJsonArray("runs")) {
        JsonObject ro = re.getAsJsonObject();
        String rerr = str(ro.get("error"));
        List<byte[]> outs = new ArrayList<>();
        for (JsonElement o : ro.getAsJsonArray("outputs")) {
          outs.add(Files.readAllBytes(Paths.get(o.getAsString())));
        }
        Map<Integer, byte[]> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : ro.getAsJsonObject("tensors").entrySet()) {
          tensors.put(Integer.parseInt(e.getKey()), Files.readAllBytes(Paths.get(e.getValue().getAsString())));
        }
        runs.add(new RunResult(outs.toArray(new byte[0][]), tensors, rerr));
      }
      out.add(new JobResult(error, arena, runs));
    }
    return out;
  }

  private static String str(JsonElement e) {
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files only
    }
  }
}
