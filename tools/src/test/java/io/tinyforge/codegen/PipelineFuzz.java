package io.tinyforge.codegen;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.cgen.ProjectGenerator;
import io.tinyforge.cgen.ProjectWriter;
import io.tinyforge.check.ModelValidator;
import io.tinyforge.cli.GenFirmware;
import io.tinyforge.lower.Fusion;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.memory.MemoryPlanner;
import io.tinyforge.memory.PatchPlanner;
import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
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
import java.util.List;
import java.util.Random;

/**
 * Mutants of valid models through every stage after the reader. Two ways:
 * <ul>
 *   <li>{@link #inProcess}: read, {@link ModelValidator}, then for what it accepts lower, plan, generate the C
 *   project (in memory) and simulate; an accepted mutant that any stage refuses or crashes on is a failure, and so
 *   is any exception other than a {@link TinyforgeException} with a one-line message.</li>
 *   <li>{@link #throughCli}: the in-process CLI ({@link GenFirmware#run}) runs inspect, simulate, plan and
 *   generation on the saved file; every exit must be 0 or 2 with one clean line on stderr (no "internal error",
 *   no stack trace), and inspect's verdict must equal generation's.</li>
 * </ul>
 * Either way, a sample of accepted mutants is generated for the host, compiled with -Werror and ASan/UBSan, run,
 * and compared byte for byte with the simulator ({@link HostEquivalenceTest#checkOne}).
 */
final class PipelineFuzz {
  /** A model to mutate. */
  record Fixture(String name, byte[] bytes, Model model) {}

  /** Counts of one run; {@code failures} lists the first problems found. */
  static final class Tally {
    int mutants;
    int unwritable;
    int readRefused;
    int validatorRefused;
    int accepted;
    int built;
    long simulatedBytes;
    int failureCount;
    final List<String> failures = new ArrayList<>();

    void fail(String what) {
      failureCount++;
      if (failures.size() < 20) {
        failures.add(what);
      }
    }

    String summary() {
      return String.format("%d mutants: %d refused by the reader, %d refused by the validation, %d accepted and "
              + "run through every stage (%d simulated output bytes); %d built and run under ASan/UBSan; %d "
              + "graph mutants the writer could not serialise (not counted); %d failures", mutants, readRefused,
          validatorRefused, accepted, simulatedBytes, built, unwritable, failureCount);
    }
  }

  private final Path root;
  private final Board host;
  private final List<Fixture> fixtures;
  private final long seed;

  PipelineFuzz(Path root, long seed) {
    this.root = root;
    this.seed = seed;
    this.host = BoardRegistry.load(root).get("host");
    this.fixtures = fixtures(root, seed);
  }

  List<Fixture> fixtures() {
    return fixtures;
  }

  /** Valid models: the bundled one, the small shared ones present, and seeded generated models of every op. */
  static List<Fixture> fixtures(Path root, long seed) {
    List<Fixture> out = new ArrayList<>();
    add(out, root.resolve("examples/digits_int8.tflite"));
    add(out, root.resolve("examples/cnn16x8_digits.tflite"));
    Path shared = root.resolve("../shared/models").normalize();
    if (Files.isDirectory(shared)) {
      for (String n : List.of("tflm_hello_world_int8.tflite", "tflm_micro_speech_int8.tflite",
          "tflm_simple_add_int8.tflite", "mlperf_tiny_kws_ref_int8.tflite", "mlperf_tiny_ad01_int8.tflite",
          "tflm_keyword_scrambled_int16io.tflite", "tflm_keyword_scrambled_8bit_int16io.tflite")) {
        if (Files.isRegularFile(shared.resolve(n))) {
          add(out, shared.resolve(n));
        }
      }
    } else {
      System.out.println("[pipeline-fuzz] " + shared + " absent: mutating the bundled and generated models only");
    }
    Random r = new Random(seed);
    Coverage c = new Coverage();
    List<Model> generated = new ArrayList<>();
    List<List<RandomModels.Generated>> groups = List.of(RandomModels.conv(r, 4, c), RandomModels.depthwise(r, 3, c),
        RandomModels.fullyConnected(r, 3, c), RandomModels.transposeConv(r, 2, c), RandomModels.pool(r, 2, c, true),
        RandomModels.pool(r, 2, c, false), RandomModels.mean(r, 2, c), RandomModels.reshapes(r, 2, c),
        RandomModels.chains(r, 4, c));
    groups.forEach(g -> g.forEach(m -> generated.add(m.model())));
    new RandomElementwiseModels(seed).generate(1).forEach(e -> generated.add(e.model()));
    for (int i = 0; i < generated.size(); i++) {
      if (ModelValidator.verdict(generated.get(i)) == null) {
        byte[] bytes = ModelFiles.serialize(generated.get(i));
        out.add(new Fixture("generated-" + i, bytes, TfliteReader.read(bytes, "generated-" + i)));
      }
    }
    return out;
  }

  private static void add(List<Fixture> out, Path p) {
    try {
      byte[] bytes = Files.readAllBytes(p);
      out.add(new Fixture(p.getFileName().toString(), bytes, TfliteReader.read(bytes, p.toString())));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read fixture " + p + ": " + e.getMessage(), e);
    }
  }

  ModelMutator.Mutant mutant(int index) {
    Fixture f = fixtures.get(index % fixtures.size());
    // mixed, not seed + index: java.util.Random's first draws from neighbouring seeds are correlated, which made the
    // share of graph and byte mutants drift along the index
    Random r = new Random(mix(seed * 0x9E3779B97F4A7C15L + index));
    ModelMutator.Mutant m = ModelMutator.mutate(f.bytes(), f.model(), r);
    return new ModelMutator.Mutant(m.bytes(), f.name() + ": " + m.how());
  }

  /** The SplitMix64 finaliser: every input bit changes about half the output bits. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Index {@code index} through the in-process stages; returns the lowered model when it was accepted. */
  LoweredModel inProcess(int index, Tally tally) {
    ModelMutator.Mutant mu;
    try {
      mu = mutant(index);
    } catch (RuntimeException e) {
      tally.unwritable++;
      return null;
    }
    tally.mutants++;
    String where = "seed " + seed + " mutant " + index + " (" + mu.how() + ")";
    Model m;
    try {
      m = TfliteReader.read(mu.bytes(), "mutant.tflite");
    } catch (TinyforgeException e) {
      tally.readRefused++;
      oneLine(e, where, tally);
      return null;
    } catch (Throwable t) {
      tally.fail(where + ": the reader threw " + t);
      return null;
    }
    LoweredModel lowered;
    try {
      lowered = ModelValidator.validate(m);
    } catch (TinyforgeException e) {
      tally.validatorRefused++;
      oneLine(e, where, tally);
      if (e.getMessage().contains(ModelValidator.UNEXPLAINED_LOWERING_FAILURE)) {
        // a clean line for the user, but lowering should have named the problem itself
        tally.fail(where + ": lowering failed without its own message: " + e.getMessage());
      }
      return null;
    } catch (Throwable t) {
      tally.fail(where + ": the validation threw " + t);
      return null;
    }
    String stage = "plan";
    try {
      // as plan and generation do: fused, then planned (patch-based stages when they lower the arena)
      PatchPlanner.plan(Fusion.fuse(lowered).scheduled(), 16, 0, "mutant.tflite");
      MemoryPlanner.plan(lowered, 16);
      stage = "generate";
      ProjectGenerator.generate(root, host, lowered, mu.bytes(), "mutant.tflite");
      stage = "simulate";
      Simulator sim = Simulator.of(lowered);
      byte[][] out = sim.run(ModelInputs.random(m, new Random(index)));
      for (byte[] o : out) {
        tally.simulatedBytes += o.length;
      }
      tally.accepted++;
      return lowered;
    } catch (Throwable t) {
      tally.fail(where + ": accepted by the validation, but " + stage + " threw " + t);
      return null;
    }
  }

  /** Index {@code index} through the in-process CLI's verbs; returns the model file when generation accepted it. */
  Path throughCli(int index, Path work, Tally tally) throws IOException {
    ModelMutator.Mutant mu;
    try {
      mu = mutant(index);
    } catch (RuntimeException e) {
      tally.unwritable++;
      return null;
    }
    tally.mutants++;
    String where = "seed " + seed + " mutant " + index + " (" + mu.how() + ")";
    Path file = work.resolve("mutant.tflite");
    Files.write(file, mu.bytes());
    Path input = work.resolve("input.bin");
    Files.write(input, zeroInput(mu.bytes()));
    Path out = work.resolve("out");
    if (Files.exists(out)) {
      ProjectWriter.deleteTree(out);
    }
    int inspect = cli(where, "inspect", tally, "inspect", file.toString());
    int generate = cli(where, "generate", tally, "--board", "host", file.toString(), "-o", out.toString());
    int plan = cli(where, "plan", tally, "plan", "--no-tflm", file.toString());
    int simulate = cli(where, "simulate", tally, "simulate", file.toString(), "--input", input.toString(),
        "--output-dir", work.resolve("sim").toString());
    if ((inspect == 0) != (generate == 0) || (plan == 0) != (generate == 0)) {
      tally.fail(where + ": verbs disagree: inspect exit " + inspect + ", generate " + generate + ", plan " + plan);
    }
    if (generate == 0 && simulate != 0 && simulate != 2) {
      tally.fail(where + ": simulate exit " + simulate + " on a model generation accepts");
    }
    if (generate != 0) {
      if (readable(mu.bytes())) {
        tally.validatorRefused++;
      } else {
        tally.readRefused++;
      }
      return null;
    }
    tally.accepted++;
    return file;
  }

  private int cli(String where, String verb, Tally tally, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = GenFirmware.run(args, new PrintWriter(out), new PrintWriter(err));
    String e = err.toString().strip();
    if (rc != 0 && rc != 2) {
      tally.fail(where + ": " + verb + " exit " + rc + ": " + e);
    } else if (e.contains("internal error") || e.contains("\tat ") || e.contains("Exception")
        && !e.startsWith("error: ")) {
      tally.fail(where + ": " + verb + " printed an internal error: " + e);
    } else if (rc == 2 && (e.isEmpty() || e.contains("\n"))) {
      tally.fail(where + ": " + verb + " must print one error line, got: " + e);
    }
    return rc;
  }

  private static boolean readable(byte[] bytes) {
    try {
      TfliteReader.read(bytes, "mutant.tflite");
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** One zero input of the first model input's size (any size when the model cannot be read or validated). */
  private static byte[] zeroInput(byte[] bytes) {
    try {
      Model m = TfliteReader.read(bytes, "mutant.tflite");
      ModelValidator.validate(m);
      Tensor in = m.input(0);
      return new byte[in.byteSize()];
    } catch (RuntimeException e) {
      return new byte[1];
    }
  }

  private static void oneLine(TinyforgeException e, String where, Tally tally) {
    String msg = e.getMessage();
    if (msg == null || msg.isBlank() || msg.contains("\n")) {
      tally.fail(where + ": the error message must be one non-empty line, got: " + msg);
    }
  }
}
