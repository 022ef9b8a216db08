package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.TinyforgeException;
import io.tinyforge.check.ModelChecker;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.TensorType;
import io.tinyforge.sim.oracle.Oracle;
import io.tinyforge.tflite.ModelBuilder;
import io.tinyforge.tflite.TfliteReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * int16 (16x8) LOGISTIC, TANH and SOFTMAX against TFLM's reference kernels: input scales on the sigmoid table's
 * grid (2^-12, and 2^-13 which TANH also takes as a power of two), off it, tiny and near the largest TFLM handles;
 * softmax betas from 0.01 to 2.7; shapes from one element to 256 x 256 (every int16 value once). Random inputs
 * plus flat and one-hot rows; every op output compared byte for byte.
 */
class Int16ActivationsOracleTest {
  @TempDir
  Path dir;

  private static final float OUT_SCALE = 1f / 32768;

  record Config(String name, float inputScale, float beta, int[] shape) {}

  static final List<Config> CONFIGS = List.of(
      new Config("grid_q3_12", 1f / 4096, 1f, new int[] {256, 256}),
      new Config("pot_q2_13", 1f / 8192, 0.5f, new int[] {256, 256}),
      new Config("pot_q2_13_small", 1f / 8192, 0.5f, new int[] {3, 7}),
      new Config("pot_q5_10", 1f / 1024, 1f, new int[] {2, 3, 5}),
      new Config("pot_q0_15", 1f / 32768, 2.7f, new int[] {1, 10}),
      new Config("off_grid", 0.000713f, 1f, new int[] {256, 256}),
      new Config("off_grid_beta", 0.0123f, 0.01f, new int[] {4, 33}),
      new Config("tiny", 1e-7f, 1f, new int[] {1, 1}),
      new Config("large", 2.5f, 2.7f, new int[] {5, 9}),
      new Config("wide_row", 0.0003f, 1f, new int[] {1, 1000}));

  static byte[] model(Config c) {
    ModelBuilder b = new ModelBuilder("act16_" + c.name() + ".tflite");
    TensorType i16 = TensorType.INT16;
    Shape shape = new Shape(c.shape());
    int x = b.activation("x", i16, shape, Quantization.perTensor(c.inputScale(), 0));
    int sig = b.activation("sigmoid", i16, shape, Quantization.perTensor(OUT_SCALE, 0));
    b.op(BuiltinOp.LOGISTIC, null, new int[] {x}, new int[] {sig});
    int th = b.activation("tanh", i16, shape, Quantization.perTensor(OUT_SCALE, 0));
    b.op(BuiltinOp.TANH, null, new int[] {x}, new int[] {th});
    int sm = b.activation("softmax", i16, shape, Quantization.perTensor(OUT_SCALE, 0));
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(c.beta()), new int[] {x}, new int[] {sm});
    return b.inputs(x).outputs(sig, th, sm).toBytes();
  }

  /** Inputs: random, every int16 value in order (when the tensor has 65536), flat rows and one-hot rows. */
  static List<byte[][]> inputs(Config c, Random rnd) {
    int n = Arrays.stream(c.shape()).reduce(1, (a, b) -> a * b);
    int depth = c.shape()[c.shape().length - 1];
    List<byte[][]> runs = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      byte[] v = new byte[2 * n];
      rnd.nextBytes(v);
      runs.add(new byte[][] {v});
    }
    short[] every = new short[n];
    short[] flat = new short[n];
    short[] oneHot = new short[n];
    for (int i = 0; i < n; i++) {
      every[i] = (short) (i - 32768);
      flat[i] = (short) (1000 * (i / depth) - 9000);
      oneHot[i] = (short) (i % depth == (i / depth) % depth ? 32767 : -32768 + (i % 7));
    }
    runs.add(new byte[][] {bytes(every)});
    runs.add(new byte[][] {bytes(flat)});
    runs.add(new byte[][] {bytes(oneHot)});
    return runs;
  }

  static byte[] bytes(short[] v) {
    byte[] b = new byte[2 * v.length];
    for (int i = 0; i < v.length; i++) {
      b[2 * i] = (byte) v[i];
      b[2 * i + 1] = (byte) (v[i] >> 8);
    }
    return b;
  }

  @Test
  void int16ActivationsMatchTflm() throws Exception {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    Random rnd = new Random(1608);
    List<Oracle.Job> jobs = new ArrayList<>();
    List<Simulator> sims = new ArrayList<>();
    for (Config c : CONFIGS) {
      Path file = dir.resolve("act16_" + c.name() + ".tflite");
      Files.write(file, model(c));
      Model m = TfliteReader.read(file);
      ModelChecker.check(m);
      sims.add(Simulator.of(m));
      jobs.add(new Oracle.Job(file, true, RealModelsOracleTest.activationTensors(m), false, inputs(c, rnd)));
    }
    List<Oracle.JobResult> results = Oracle.run(jobs);
    int compared = 0;
    for (int j = 0; j < jobs.size(); j++) {
      String name = CONFIGS.get(j).name();
      Oracle.JobResult jr = results.get(j);
      assertNull(jr.error(), name + ": TFLM refused the model");
      for (int r = 0; r < jobs.get(j).runs().size(); r++) {
        Oracle.RunResult o = jr.runs().get(r);
        assertNull(o.error(), name + " run " + r + ": TFLM failed");
        Trace t = sims.get(j).runTraced(jobs.get(j).runs().get(r));
        for (Trace.Step step : t.steps()) {
          for (Map.Entry<Integer, byte[]> e : step.outputs().entrySet()) {
            byte[] want = o.tensors().get(e.getKey());
            if (!Arrays.equals(want, e.getValue())) {
              fail(name + " run " + r + ": op " + step.opIndex() + " (" + step.opName() + "): "
                  + Diff.describe(e.getValue(), want));
            }
            compared++;
          }
        }
      }
    }
    assertEquals(CONFIGS.size() * 6 * 3, compared);
  }

  @Test
  void nonZeroZeroPointRefusedNamingOpTensorAndType() throws Exception {
    ModelBuilder b = new ModelBuilder("act16_zp.tflite");
    int x = b.activation("x", TensorType.INT16, new Shape(1, 8), Quantization.perTensor(1f / 4096, 5));
    int y = b.activation("y", TensorType.INT16, new Shape(1, 8), Quantization.perTensor(OUT_SCALE, 0));
    b.op(BuiltinOp.LOGISTIC, null, new int[] {x}, new int[] {y});
    Path file = dir.resolve("act16_zp.tflite");
    Files.write(file, b.inputs(x).outputs(y).toBytes());
    Model m = TfliteReader.read(file);
    TinyforgeException e = assertThrows(TinyforgeException.class, () -> ModelChecker.check(m));
    assertTrue(e.getMessage().contains("LOGISTIC") && e.getMessage().contains("'x'")
        && e.getMessage().contains("INT16") && e.getMessage().contains("zero point 5"), e.getMessage());
  }

  @Test
  void softmaxWithInt16InputAndInt8OutputRefused() throws Exception {
    ModelBuilder b = new ModelBuilder("act16_mixed.tflite");
    int x = b.activation("x", TensorType.INT16, new Shape(1, 8), Quantization.perTensor(1f / 4096, 0));
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), Quantization.perTensor(1f / 256, -128));
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {x}, new int[] {y});
    Path file = dir.resolve("act16_mixed.tflite");
    Files.write(file, b.inputs(x).outputs(y).toBytes());
    Model m = TfliteReader.read(file);
    TinyforgeException e = assertThrows(TinyforgeException.class, () -> ModelChecker.check(m));
    assertTrue(e.getMessage().contains("SOFTMAX") && e.getMessage().contains("INT16"), e.getMessage());
  }
}
