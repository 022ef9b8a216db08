package io.tinyforge.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.check.ModelChecker;
import io.tinyforge.cli.GenFirmware;
import io.tinyforge.model.Model;
import io.tinyforge.sim.Simulator;
import io.tinyforge.sim.gen.Coverage;
import io.tinyforge.sim.gen.ModelFiles;
import io.tinyforge.sim.gen.RandomElementwiseModels;
import io.tinyforge.sim.gen.RandomModels;
import io.tinyforge.tflite.TfliteReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated C computes exactly what mcu-sim computes: every shared model the checker accepts, the bundled
 * digits model and the seeded generated models of every op are generated for {@code --board host}, compiled with
 * {@code -Wall -Wextra -Werror} and ASan + UBSan (any sanitizer report aborts the run), run on seeded random
 * inputs, and every output byte is compared with the simulator's.
 */
class HostEquivalenceTest {
  static final long SEED = 20261122L;

  @TempDir
  static Path dir;
  static HostToolchain gcc;
  static Path root;

  @BeforeAll
  static void buildKernels() throws IOException {
    assumeTrue(HostToolchain.available(), "gcc not found: skipping the host equivalence test");
    root = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
    gcc = HostToolchain.build(root, dir);
  }

  /** One model to check, and how many random input sets to run it on. */
  record Case(String name, Path file, int runs) {}

  @Test
  void sharedAndBundledModelsMatchTheSimulator() throws Exception {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("digits_int8", root.resolve("examples/digits_int8.tflite"), 5));
    cases.add(new Case("cnn16x8_digits", root.resolve("examples/cnn16x8_digits.tflite"), 5));
    cases.add(new Case("act16x8_digits", root.resolve("examples/act16x8_digits.tflite"), 5));
    Path shared = root.resolve("../shared/models").normalize();
    if (!Files.isDirectory(shared)) {
      System.out.println("[host-equivalence] " + shared + " is absent: shared models skipped");
    } else {
      try (Stream<Path> s = Files.list(shared)) {
        for (Path p : s.filter(f -> f.toString().endsWith(".tflite")).sorted().toList()) {
          String verdict = ModelChecker.verdict(TfliteReader.read(p));
          if (verdict != null) {
            System.out.println("[host-equivalence] skipped (the checker refuses it): " + verdict);
            continue;
          }
          cases.add(new Case(p.getFileName().toString(), p, 3));
        }
      }
    }
    assertTrue(cases.size() >= 1);
    check(cases);
  }

  @Test
  void generatedModelsOfEveryOpMatchTheSimulator() throws Exception {
    Path models = Files.createDirectories(dir.resolve("generated-models"));
    List<Case> cases = new ArrayList<>();
    List<Model> all = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Coverage coverage = new Coverage();
    Random r = new Random(SEED);
    addAll(all, names, RandomModels.conv(r, 12, coverage));
    addAll(all, names, RandomModels.depthwise(r, 10, coverage));
    addAll(all, names, RandomModels.fullyConnected(r, 10, coverage));
    addAll(all, names, RandomModels.transposeConv(r, 6, coverage));
    addAll(all, names, RandomModels.pool(r, 5, coverage, true));
    addAll(all, names, RandomModels.pool(r, 5, coverage, false));
    addAll(all, names, RandomModels.mean(r, 8, coverage));
    addAll(all, names, RandomModels.reshapes(r, 4, coverage));
    addAll(all, names, RandomModels.chains(r, 6, coverage));
    for (RandomElementwiseModels.Case c : new RandomElementwiseModels(SEED).generate(3)) {
      all.add(c.model());
      names.add(c.op() + " " + String.join(",", c.options()));
    }
    int refused = 0;
    for (int i = 0; i < all.size(); i++) {
      if (ModelChecker.verdict(all.get(i)) != null) {
        refused++; // the simulator runs a few models the checker refuses (e.g. asymmetric weights)
        continue;
      }
      Path f = models.resolve("m" + i + ".tflite");
      Files.write(f, ModelFiles.serialize(all.get(i)));
      cases.add(new Case("#" + i + " " + names.get(i), f, 3));
    }
    Path depthSpace = models.resolve("depth_space.tflite");
    Files.write(depthSpace, io.tinyforge.sim.DepthSpaceOracleTest.model());
    cases.add(new Case("DEPTH_TO_SPACE / SPACE_TO_DEPTH chain", depthSpace, 3));
    System.out.println("[host-equivalence] " + refused + " generated models skipped: the checker refuses them");
    assertTrue(cases.size() >= 100, "only " + cases.size() + " generated models");
    check(cases);
  }

  private static void addAll(List<Model> all, List<String> names, List<RandomModels.Generated> gs) {
    for (RandomModels.Generated g : gs) {
      all.add(g.model());
      names.add(g.name());
    }
  }

  /** Generates, compiles and runs every case, two at a time; fails listing every model that differs. */
  static void check(List<Case> cases) throws Exception {
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    AtomicLong bytes = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        Path work = dir.resolve("case-" + c.file().getFileName().toString().replace(".tflite", "") + "-" + i);
        futures.add(pool.submit(() -> {
          try {
            bytes.addAndGet(checkOne(c, work));
          } catch (Throwable t) {
            problems.add(c.name() + ": " + t.getMessage());
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println("[host-equivalence] " + cases.size() + " models, " + bytes.get() + " output bytes compared, "
        + problems.size() + " with problems");
    assertTrue(problems.isEmpty(), problems.size() + " of " + cases.size() + " models differ from mcu-sim or fail:\n"
        + String.join("\n", problems));
  }

  /** Returns the number of output bytes compared. */
  static long checkOne(Case c, Path work) throws IOException {
    return checkOne(gcc, c, work);
  }

  /** {@link #checkOne(Case, Path)} with the kernels of another test's toolchain. */
  static long checkOne(HostToolchain gcc, Case c, Path work, String... options) throws IOException {
    Path project = work.resolve("out");
    StringWriter log = new StringWriter();
    List<String> args = new ArrayList<>(List.of("--board", "host", c.file().toString(), "-o", project.toString()));
    args.addAll(List.of(options));
    int rc = GenFirmware.run(args.toArray(new String[0]), new PrintWriter(log), new PrintWriter(log));
    assertEquals(0, rc, "gen-firmware failed: " + log);
    Path exe = gcc.compile(project);
    Simulator sim = Simulator.load(c.file());
    Random rnd = new Random(SEED ^ c.name().hashCode());
    long compared = 0;
    for (int run = 0; run < c.runs(); run++) {
      byte[][] inputs = ModelInputs.random(sim.model(), rnd);
      sim.reset(); // each model_runner process starts a stateful model from its reset state
      byte[][] expected = sim.run(inputs);
      Path in = work.resolve("in" + run + ".bin");
      Path out = work.resolve("out" + run + ".bin");
      Files.write(in, concat(inputs));
      HostToolchain.Run r = HostToolchain.run(List.of(exe.toString(), in.toString(), out.toString()), work, 300);
      if (r.exitCode() != 0) {
        throw new AssertionError("model_runner exited with " + r.exitCode() + " on run " + run + ": "
            + firstLines(r.output(), 6));
      }
      if (!r.output().isBlank()) {
        throw new AssertionError("model_runner printed (sanitizer?) on run " + run + ": " + firstLines(r.output(), 6));
      }
      byte[] actual = Files.readAllBytes(out);
      byte[] want = concat(expected);
      if (actual.length != want.length) {
        throw new AssertionError("run " + run + ": " + actual.length + " output bytes, mcu-sim has " + want.length);
      }
      int diffs = 0;
      int first = -1;
      for (int i = 0; i < want.length; i++) {
        if (actual[i] != want[i]) {
          diffs++;
          if (first < 0) {
            first = i;
          }
        }
      }
      if (diffs > 0) {
        throw new AssertionError("run " + run + ": " + diffs + " of " + want.length + " output bytes differ, first at "
            + first + " (C " + actual[first] + ", mcu-sim " + want[first] + ")");
      }
      compared += want.length;
    }
    return compared;
  }

  static byte[] concat(byte[][] parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  static String firstLines(String s, int n) {
    String[] lines = s.split("\n");
    return String.join(" | ", java.util.Arrays.copyOf(lines, Math.min(n, lines.length)));
  }
}
