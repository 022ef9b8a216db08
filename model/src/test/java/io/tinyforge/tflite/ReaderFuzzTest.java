package io.tinyforge.tflite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tinyforge.TinyforgeException;
import io.tinyforge.check.ModelChecker;
import io.tinyforge.check.ModelStats;
import io.tinyforge.model.Model;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the reader, the checker and the stats: seeded variants of small real models (bit flips,
 * random byte runs, 4-byte offsets and lengths bumped by small and large deltas, cuts at random points, and
 * combinations) must each either read or fail with a {@link TinyforgeException} carrying a one-line message; never
 * another exception, never a hang, never an absurd allocation. A failing variant is reported with the seed and its
 * index (re-run one with -Dtinyforge.fuzz.seed=S -Dtinyforge.fuzz.only=I) and saved under target/fuzz-failures/.
 */
class ReaderFuzzTest {
  private static final long SEED = Long.getLong("tinyforge.fuzz.seed", 0x5eed_f022L);
  private static final int VARIANTS = Integer.getInteger("tinyforge.fuzz.variants", 100_000);
  private static final int ONLY = Integer.getInteger("tinyforge.fuzz.only", -1);
  private static final int BATCH = 1_000;
  private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);
  /** A sane read of a <= 64 KB model allocates well under this; a length or offset taken on trust would not. */
  private static final long MAX_BYTES_PER_VARIANT = 64L << 20;
  private static final long MAX_HEAP_GROWTH = 256L << 20;

  private record Fixture(String name, byte[] bytes, int[] offsetLike) {}

  private static final class Tally {
    int readOk;
    int readRefused;
    int checkRefused;
    int accepted;
    int uncounted;
    long maxAllocated;
  }

  @Test
  void mutatedModelsFailOnlyWithTinyforgeException() {
    List<Fixture> fixtures = fixtures();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long heapBefore = usedHeapAfterGc();
    long start = System.nanoTime();
    Tally tally = new Tally();
    int first = ONLY >= 0 ? ONLY : 0;
    int end = ONLY >= 0 ? ONLY + 1 : VARIANTS;
    for (int batch = first; batch < end; batch += BATCH) {
      final int from = batch;
      final int to = Math.min(end, batch + BATCH);
      assertTimeoutPreemptively(BATCH_TIMEOUT, () -> {
        for (int i = from; i < to; i++) {
          runVariant(fixtures, i, tally, threads);
        }
      }, () -> "fuzz batch of variants " + from + ".." + (to - 1) + " (seed " + SEED + ") did not finish in "
          + BATCH_TIMEOUT.toSeconds() + " s: a variant hangs; bisect with -Dtinyforge.fuzz.only=I");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long growth = usedHeapAfterGc() - heapBefore;
    System.out.printf("fuzz: %d variants of %d fixtures (seed %d) in %.1f s: reader refused %d, read %d "
            + "(checker refused %d, accepted %d, MACs uncountable in %d); max allocation per variant %d KB; heap growth %d KB%n",
        end - first, fixtures.size(), SEED, seconds, tally.readRefused, tally.readOk, tally.checkRefused,
        tally.accepted, tally.uncounted, tally.maxAllocated >> 10, growth >> 10);
    assertTrue(growth < MAX_HEAP_GROWTH, "heap grew by " + (growth >> 20) + " MB over the fuzz run");
    if (ONLY < 0) {
      assertTrue(tally.readRefused > 0 && tally.readOk > 0, "the mutations should both break and keep models");
    }
  }

  private static void runVariant(List<Fixture> fixtures, int index, Tally tally,
      com.sun.management.ThreadMXBean threads) {
    Fixture f = fixtures.get(index % fixtures.size());
    Random r = new Random(SEED * 0x9E3779B97F4A7C15L + index);
    StringBuilder how = new StringBuilder();
    byte[] bytes = mutate(f, r, how);
    String where = "seed " + SEED + " variant " + index + " (" + f.name() + ": " + how.toString().trim() + ")";
    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
    try {
      Model m = TfliteReader.read(bytes, "fuzz.tflite");
      tally.readOk++;
      boolean accepted;
      try {
        ModelChecker.check(m);
        tally.accepted++;
        accepted = true;
      } catch (TinyforgeException e) {
        tally.checkRefused++;
        assertOneLine(e, where, bytes);
        accepted = false;
      }
      // stats must work on every model the reader accepts (inspect prints them before the verdict), and count
      // every op of a model the checker accepts
      ModelStats stats = ModelStats.of(m);
      tally.uncounted += stats.uncountedOps() > 0 ? 1 : 0;
      if (accepted && stats.uncountedOps() > 0) {
        Path saved = save(bytes, index);
        fail(where + ": the checker accepts a model whose MACs ModelStats cannot count; saved as " + saved);
      }
    } catch (TinyforgeException e) {
      tally.readRefused++;
      assertOneLine(e, where, bytes);
    } catch (org.opentest4j.AssertionFailedError e) {
      throw e; // a failed invariant above, already saved and described
    } catch (Throwable t) {
      Path saved = save(bytes, index);
      fail(where + ": threw " + t + " instead of a TinyforgeException; variant saved as " + saved, t);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
    tally.maxAllocated = Math.max(tally.maxAllocated, allocated);
    if (allocated > MAX_BYTES_PER_VARIANT) {
      Path saved = save(bytes, index);
      fail(where + ": allocated " + (allocated >> 20) + " MB for a " + bytes.length + "-byte file; saved as "
          + saved);
    }
  }

  private static void assertOneLine(TinyforgeException e, String where, byte[] bytes) {
    String msg = e.getMessage();
    if (msg == null || msg.isBlank() || msg.contains("\n")) {
      fail(where + ": the error message must be one non-empty line, got: " + msg);
    }
  }

  // ---- mutations ----

  private static byte[] mutate(Fixture f, Random r, StringBuilder how) {
    byte[] b = f.bytes().clone();
    int steps = r.nextInt(4) == 0 ? 2 + r.nextInt(2) : 1;
    for (int s = 0; s < steps; s++) {
      b = mutateOnce(b, f, r, how);
    }
    return b;
  }

  private static byte[] mutateOnce(byte[] b, Fixture f, Random r, StringBuilder how) {
    if (b.length == 0) {
      how.append("empty ");
      return b;
    }
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    switch (r.nextInt(5)) {
      case 0 -> {
        int n = 1 + r.nextInt(8);
        how.append("flip").append(n).append("bits ");
        for (int i = 0; i < n; i++) {
          int pos = r.nextInt(b.length);
          b[pos] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> {
        int pos = r.nextInt(b.length);
        int len = Math.min(b.length - pos, 1 + r.nextInt(32));
        int fill = r.nextInt(3);
        how.append("run@").append(pos).append('+').append(len).append(' ');
        for (int i = pos; i < pos + len; i++) {
          b[i] = fill == 0 ? 0 : fill == 1 ? (byte) 0xff : (byte) r.nextInt();
        }
      }
      case 2, 3 -> {
        // a 4-byte word that looks like an offset or a length (most of them are), bumped or replaced
        int pos = f.offsetLike().length > 0 && b.length == f.bytes().length
            ? f.offsetLike()[r.nextInt(f.offsetLike().length)] : (r.nextInt(Math.max(1, b.length / 4)) * 4);
        if (pos + 4 > b.length) {
          return b;
        }
        int old = le.getInt(pos);
        int value = switch (r.nextInt(6)) {
          case 0 -> old + (1 + r.nextInt(64)) * (r.nextBoolean() ? 1 : -1);
          case 1 -> old + (1 << (20 + r.nextInt(11))) * (r.nextBoolean() ? 1 : -1);
          case 2 -> old + 4 * (1 + r.nextInt(16));
          case 3 -> new int[] {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, b.length, b.length - 4}[r.nextInt(7)];
          case 4 -> old * (2 + r.nextInt(1000));
          default -> r.nextInt();
        };
        how.append("word@").append(pos).append(' ').append(old).append("->").append(value).append(' ');
        le.putInt(pos, value);
      }
      default -> {
        int cut = r.nextInt(b.length);
        how.append("cut@").append(cut).append(' ');
        return Arrays.copyOf(b, cut);
      }
    }
    return b;
  }

  // ---- fixtures ----

  private static List<Fixture> fixtures() {
    List<Fixture> out = new ArrayList<>();
    Path digits = Fixtures.digits();
    out.add(fixture("digits_int8.tflite", Fixtures.bytes(digits)));
    // a writer-made model with one of every options table, so every OptionsParser branch meets corrupt bytes
    out.add(fixture("random-options", TfliteWriter.write(RandomModels.generate(7))));
    if (Fixtures.sharedModelsPresent()) {
      for (String name : List.of("tflm_hello_world_int8.tflite", "tflm_micro_speech_int8.tflite",
          "tflm_simple_add_int8.tflite", "mlperf_tiny_kws_ref_int8.tflite")) {
        Path p = Fixtures.sharedModelsDir().resolve(name);
        if (Files.isRegularFile(p)) {
          out.add(fixture(name, Fixtures.bytes(p)));
        }
      }
    } else {
      System.out.println("fuzz: " + Fixtures.sharedModelsDir() + " absent; fuzzing the committed model only");
    }
    return out;
  }

  /** Positions of aligned words whose value is a plausible offset or length (1 .. file size). */
  private static Fixture fixture(String name, byte[] bytes) {
    ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<Integer> positions = new ArrayList<>();
    for (int p = 0; p + 4 <= bytes.length; p += 4) {
      int v = le.getInt(p);
      if (v > 0 && v < bytes.length) {
        positions.add(p);
      }
    }
    return new Fixture(name, bytes, positions.stream().mapToInt(Integer::intValue).toArray());
  }

  private static Path save(byte[] bytes, int index) {
    try {
      Path dir = Path.of("target", "fuzz-failures");
      Files.createDirectories(dir);
      Path p = dir.resolve("seed" + SEED + "-variant" + index + ".tflite");
      Files.write(p, bytes);
      return p.toAbsolutePath();
    } catch (IOException e) {
      return Path.of("(not saved: " + e.getMessage() + ")");
    }
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  @Test
  void unmutatedFixturesRead() {
    for (Fixture f : fixtures()) {
      Model m = TfliteReader.read(f.bytes(), f.name());
      assertFalse(m.operators().isEmpty(), f.name());
    }
  }
}
