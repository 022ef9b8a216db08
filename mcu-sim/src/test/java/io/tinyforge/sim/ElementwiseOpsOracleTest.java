package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import io.tinyforge.sim.gen.Coverage;
import io.tinyforge.sim.gen.ModelFiles;
import io.tinyforge.sim.gen.RandomElementwiseModels;
import io.tinyforge.sim.oracle.Oracle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 part B proof: seeded models for every elementwise, activation and data-movement op and option (see
 * {@link RandomElementwiseModels}), each run on several inputs (uniform int8 / int16, saturating extremes, float32
 * with NaN, infinities and out-of-range values for QUANTIZE) through the simulator and, in ONE batched oracle
 * process, through TFLM. Every output and every intermediate tensor must match byte for byte.
 */
class ElementwiseOpsOracleTest {
  static final long SEED = 20240603L;
  static final int PER_OP = 10;
  static final int RUNS = 3;

  @TempDir
  Path dir;

  @Test
  void generatedModelsMatchTflmBitForBit() throws IOException {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    assumeTrue(ModelFiles.writerAvailable(), ModelFiles.unavailableReason());
    List<RandomElementwiseModels.Case> cases = new RandomElementwiseModels(SEED).generate(PER_OP);
    assertTrue(cases.size() >= 150, "only " + cases.size() + " generated models");

    Coverage coverage = new Coverage();
    List<Simulator> sims = new ArrayList<>();
    List<List<byte[][]>> inputs = new ArrayList<>();
    List<Oracle.Job> jobs = new ArrayList<>();
    Random rnd = new Random(SEED);
    for (RandomElementwiseModels.Case c : cases) {
      c.options().forEach(o -> coverage.add(c.op(), o));
      Model model = c.model();
      Simulator sim = Simulator.of(model);
      Path file = dir.resolve(model.source() + ".tflite");
      Files.write(file, ModelFiles.serialize(model));
      List<byte[][]> runs = new ArrayList<>();
      for (int r = 0; r < RUNS; r++) {
        runs.add(inputsFor(model, rnd, r));
      }
      sims.add(sim);
      inputs.add(runs);
      jobs.add(new Oracle.Job(file, true, activationTensors(model), false, runs));
    }
    List<Oracle.JobResult> results = Oracle.run(jobs);

    List<String> problems = new ArrayList<>();
    long comparedBytes = 0;
    for (int m = 0; m < cases.size(); m++) {
      String name = cases.get(m).model().source();
      Oracle.JobResult jr = results.get(m);
      if (jr.error() != null) {
        problems.add(name + ": TFLM refused: " + jr.error());
        continue;
      }
      for (int r = 0; r < RUNS; r++) {
        Oracle.RunResult want = jr.runs().get(r);
        if (want.error() != null) {
          problems.add(name + " run " + r + ": TFLM failed: " + want.error());
          continue;
        }
        Trace t = sims.get(m).runTraced(inputs.get(m).get(r));
        for (Map.Entry<Integer, byte[]> e : t.tensors().entrySet()) {
          byte[] oracle = want.tensors().get(e.getKey());
          if (oracle == null) {
            continue;
          }
          comparedBytes += oracle.length;
          if (Diff.count(e.getValue(), oracle) != 0) {
            problems.add(name + " run " + r + " tensor " + e.getKey() + ": " + Diff.describe(e.getValue(), oracle));
          }
        }
        for (int o = 0; o < t.outputs().length; o++) {
          byte[] oracle = want.outputs()[o];
          comparedBytes += oracle.length;
          if (Diff.count(t.outputs()[o], oracle) != 0) {
            problems.add(name + " run " + r + " output " + o + ": " + Diff.describe(t.outputs()[o], oracle));
          }
        }
      }
    }
    System.out.println("[part-b] " + cases.size() + " generated models x " + RUNS + " runs, " + comparedBytes
        + " bytes compared, " + problems.size() + " problems\n[part-b] coverage (op: option=models)\n"
        + coverage.table());
    problems.stream().limit(40).forEach(p -> System.out.println("[part-b] " + p));
    assertEquals(List.of(), problems.subList(0, Math.min(20, problems.size())));
  }

  /** Run 0 uniform, run 1 saturating extremes (-128 / 127, int16 ends, huge floats), run 2 mixed. */
  static byte[][] inputsFor(Model m, Random rnd, int run) {
    byte[][] in = new byte[m.inputs().size()][];
    for (int i = 0; i < in.length; i++) {
      Tensor t = m.input(i);
      int n = t.shape().elementCount();
      ByteBuffer b = ByteBuffer.allocate(n * t.type().bytes()).order(ByteOrder.LITTLE_ENDIAN);
      for (int k = 0; k < n; k++) {
        boolean extreme = run == 1 || (run == 2 && rnd.nextInt(4) == 0);
        if (t.type() == TensorType.INT8) {
          b.put((byte) (extreme ? (rnd.nextBoolean() ? 127 : -128) : rnd.nextInt(256) - 128));
        } else if (t.type() == TensorType.INT16) {
          b.putShort((short) (extreme ? (rnd.nextBoolean() ? 32767 : -32768) : rnd.nextInt(65536) - 32768));
        } else if (t.type() == TensorType.FLOAT32) {
          b.putFloat(extreme ? specialFloat(rnd) : (float) ((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(5))));
        } else {
          throw new IllegalArgumentException("no inputs for " + t.type());
        }
      }
      in[i] = b.array();
    }
    return in;
  }

  private static float specialFloat(Random rnd) {
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3e9f, -3e9f, 1e20f, -1e20f,
        0.5f, -0.5f, 2.5f, -2.5f, 0f, -0f};
    return specials[rnd.nextInt(specials.length)];
  }

  /** Every non-constant tensor that is not a graph input (the oracle dumps them with preserve_all_tensors). */
  static int[] activationTensors(Model m) {
    return m.tensors().stream()
        .filter(t -> !t.isConstant() && !m.inputs().contains(t.index()))
        .mapToInt(Tensor::index).toArray();
  }
}
