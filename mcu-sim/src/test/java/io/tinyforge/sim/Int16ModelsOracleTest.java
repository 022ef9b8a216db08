package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import io.tinyforge.sim.oracle.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The 16x8 CNN TensorFlow's converter made (examples/cnn16x8_digits.tflite, tools/models/make_cnn16x8_model.py)
 * against TFLM: its 8 held-out samples, 20 full-range random int16 inputs and 20 quiet ones; every op's output must
 * be equal. Also checks that the model really exercises the int16 kernels (int16 activations, int64 biases).
 */
class Int16ModelsOracleTest {
  static final Path MODEL = Oracle.repoRoot().resolve("examples/cnn16x8_digits.tflite");
  static final Path SAMPLES = Oracle.repoRoot().resolve("examples/cnn16x8_samples");

  @Test
  void cnn16x8MatchesTflmOpByOp() throws IOException {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    Simulator sim = Simulator.load(MODEL);
    Set<String> int16Ops = new TreeSet<>();
    sim.model().operators().forEach(op -> {
      if (sim.model().tensor(op.output(0)).type() == TensorType.INT16) {
        int16Ops.add(op.opName());
      }
    });
    assertEquals(Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "MAX_POOL_2D", "RESHAPE"), int16Ops);
    assertEquals(4, sim.model().tensors().stream().filter(t -> t.type() == TensorType.INT64).count(),
        "int64 biases");

    List<String> names = new ArrayList<>();
    List<byte[][]> inputs = new ArrayList<>();
    try (var files = Files.list(SAMPLES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".bin")).sorted().toList()) {
        names.add(f.getFileName().toString());
        inputs.add(new byte[][] {Files.readAllBytes(f)});
      }
    }
    assertEquals(8, names.size(), "sample inputs");
    Random rnd = new Random(1608);
    for (int r = 0; r < 40; r++) {
      byte[][] in = RandomInputs.forModel(sim, rnd);
      if (r >= 20) {
        // quiet inputs (|x| < 2048) keep the ReLUs and the pooling away from saturation
        for (int i = 1; i < in[0].length; i += 2) {
          in[0][i] = (byte) (in[0][i] >> 4);
        }
      }
      names.add((r < 20 ? "random#" : "quiet#") + r);
      inputs.add(in);
    }
    Oracle.JobResult jr = Oracle.run(List.of(new Oracle.Job(MODEL, true,
        RealModelsOracleTest.activationTensors(sim.model()), false, inputs))).get(0);
    assertNull(jr.error(), "TFLM refused the model");
    int compared = 0;
    for (int r = 0; r < inputs.size(); r++) {
      Oracle.RunResult o = jr.runs().get(r);
      assertNull(o.error(), names.get(r) + ": TFLM failed");
      Trace t = sim.runTraced(inputs.get(r));
      for (Trace.Step step : t.steps()) {
        for (Map.Entry<Integer, byte[]> e : step.outputs().entrySet()) {
          byte[] want = o.tensors().get(e.getKey());
          compared++;
          if (!Arrays.equals(want, e.getValue())) {
            Tensor tensor = sim.model().tensor(e.getKey());
            fail(names.get(r) + ": first difference at op " + step.opIndex() + " (" + step.opName() + ") tensor "
                + e.getKey() + " " + tensor.label() + ": " + Diff.describe(e.getValue(), want));
          }
        }
      }
      assertArrayEquals(o.outputs()[0], t.outputs()[0], names.get(r) + " output");
    }
    System.out.println("[int16-models] cnn16x8_digits.tflite: " + inputs.size() + " runs, " + compared
        + " op outputs equal to TFLM's");
  }

  static final Path ACT_MODEL = Oracle.repoRoot().resolve("examples/act16x8_digits.tflite");
  static final Path ACT_SAMPLES = Oracle.repoRoot().resolve("examples/act16x8_samples");

  /**
   * The 16x8 MLP with LOGISTIC, TANH and SOFTMAX (examples/act16x8_digits.tflite,
   * tools/models/make_act16x8_model.py): its 8 samples and 30 full-range random inputs, every op output equal to
   * TFLM's; the three activations really run on int16.
   */
  @Test
  void act16x8MatchesTflmOpByOp() throws IOException {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    Simulator sim = Simulator.load(ACT_MODEL);
    Set<String> int16Ops = new TreeSet<>();
    sim.model().operators().forEach(op -> {
      if (sim.model().tensor(op.input(0)).type() == TensorType.INT16) {
        int16Ops.add(op.opName());
      }
    });
    assertEquals(Set.of("FULLY_CONNECTED", "LOGISTIC", "RESHAPE", "SOFTMAX", "TANH"), int16Ops);
    List<String> names = new ArrayList<>();
    List<byte[][]> inputs = new ArrayList<>();
    try (var files = Files.list(ACT_SAMPLES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".bin")).sorted().toList()) {
        names.add(f.getFileName().toString());
        inputs.add(new byte[][] {Files.readAllBytes(f)});
      }
    }
    assertEquals(8, names.size(), "sample inputs");
    Random rnd = new Random(1614);
    for (int r = 0; r < 30; r++) {
      names.add("random#" + r);
      inputs.add(RandomInputs.forModel(sim, rnd));
    }
    Oracle.JobResult jr = Oracle.run(List.of(new Oracle.Job(ACT_MODEL, true,
        RealModelsOracleTest.activationTensors(sim.model()), false, inputs))).get(0);
    assertNull(jr.error(), "TFLM refused the model");
    int compared = 0;
    for (int r = 0; r < inputs.size(); r++) {
      Oracle.RunResult o = jr.runs().get(r);
      assertNull(o.error(), names.get(r) + ": TFLM failed");
      Trace t = sim.runTraced(inputs.get(r));
      for (Trace.Step step : t.steps()) {
        for (Map.Entry<Integer, byte[]> e : step.outputs().entrySet()) {
          byte[] want = o.tensors().get(e.getKey());
          compared++;
          if (!Arrays.equals(want, e.getValue())) {
            fail(names.get(r) + ": first difference at op " + step.opIndex() + " (" + step.opName() + "): "
                + Diff.describe(e.getValue(), want));
          }
        }
      }
      assertArrayEquals(o.outputs()[0], t.outputs()[0], names.get(r) + " output");
    }
    assertEquals(inputs.size() * 7, compared);
  }
}
