package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.model.Tensor;
import io.tinyforge.sim.oracle.Oracle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * TFLM's stateful keyword models (SVDF with int16 or int8 state, int16 input, int32 output) against TFLM over a
 * sequence of invokes on ONE interpreter, so the state carries over on both sides: every op output and every state
 * tensor after every invoke must be equal. Then the simulator is reset and a repeat of the first invoke must give
 * the first invoke's outputs again.
 */
class KeywordModelsOracleTest {
  static final int INVOKES = 12;
  static final List<String> MODELS = List.of("tflm_keyword_scrambled_int16io.tflite",
      "tflm_keyword_scrambled_8bit_int16io.tflite");

  @TestFactory
  Stream<DynamicTest> keywordModelsMatchTflmOverASequence() {
    assumeTrue(SharedModels.present(), "shared models absent: " + SharedModels.dir());
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    List<Oracle.Job> jobs = new ArrayList<>();
    List<Simulator> sims = new ArrayList<>();
    List<List<byte[][]>> sequences = new ArrayList<>();
    for (String file : MODELS) {
      Path path = SharedModels.model(file);
      Simulator sim = Simulator.load(path);
      List<byte[][]> inputs = new ArrayList<>();
      Random rnd = new Random(file.hashCode());
      for (int r = 0; r < INVOKES; r++) {
        byte[][] in = RandomInputs.forModel(sim, rnd);
        // Quieter inputs too: the full int16 range saturates the first QUANTIZE into int8.
        if (r % 2 == 1) {
          for (int i = 0; i < in[0].length; i += 2) {
            in[0][i + 1] = (byte) (in[0][i + 1] >> 3);
          }
        }
        inputs.add(in);
      }
      sims.add(sim);
      sequences.add(inputs);
      jobs.add(new Oracle.Job(path, true, tensorsToCompare(sim), false, inputs));
    }
    List<Oracle.JobResult> results = Oracle.run(jobs);
    List<DynamicTest> tests = new ArrayList<>();
    for (int m = 0; m < MODELS.size(); m++) {
      String file = MODELS.get(m);
      Simulator sim = sims.get(m);
      List<byte[][]> inputs = sequences.get(m);
      Oracle.JobResult jr = results.get(m);
      tests.add(DynamicTest.dynamicTest(file, () -> check(file, sim, inputs, jr)));
    }
    return tests.stream();
  }

  private static void check(String file, Simulator sim, List<byte[][]> inputs, Oracle.JobResult jr) {
    assertNull(jr.error(), file + ": TFLM refused the model");
    assertEquals(inputs.size(), jr.runs().size(), "oracle run count");
    assertTrue(sim.isStateful(), file + " has state tensors");
    sim.reset();
    int comparedTensors = 0;
    int stateChanges = 0;
    byte[][] firstOutputs = null;
    byte[] previousState = null;
    for (int r = 0; r < inputs.size(); r++) {
      Oracle.RunResult o = jr.runs().get(r);
      assertNull(o.error(), file + " invoke " + r + ": TFLM failed");
      Trace t = sim.runTraced(inputs.get(r));
      for (Trace.Step step : t.steps()) {
        for (Map.Entry<Integer, byte[]> e : step.outputs().entrySet()) {
          byte[] want = o.tensors().get(e.getKey());
          if (want == null) {
            continue;
          }
          comparedTensors++;
          if (!Arrays.equals(want, e.getValue())) {
            Tensor tensor = sim.model().tensor(e.getKey());
            fail(file + " invoke " + r + ": first difference at op " + step.opIndex() + " (" + step.opName()
                + ") tensor " + e.getKey() + " " + tensor.label() + (tensor.isVariable() ? " (state)" : "") + ": "
                + Diff.describe(e.getValue(), want));
          }
        }
      }
      for (int i = 0; i < t.outputs().length; i++) {
        assertArrayEquals(o.outputs()[i], t.outputs()[i], file + " invoke " + r + " output " + i);
      }
      byte[] state = t.tensors().get(firstStateTensor(sim));
      if (previousState != null && !Arrays.equals(previousState, state)) {
        stateChanges++;
      }
      previousState = state;
      if (r == 0) {
        firstOutputs = t.outputs();
      }
    }
    // The state must really carry over, or a sequence would prove nothing beyond single invokes.
    assertEquals(inputs.size() - 1, stateChanges, file + ": the first state tensor changed on every invoke");
    sim.reset();
    byte[][] again = sim.run(inputs.get(0));
    for (int i = 0; i < again.length; i++) {
      assertArrayEquals(firstOutputs[i], again[i], file + ": after reset the first invoke repeats");
    }
    System.out.println("[keyword-models] " + file + ": " + inputs.size() + " invokes with state, " + comparedTensors
        + " tensors compared (outputs and state), 0 differing bytes");
  }

  /** Every op output and every state tensor. */
  private static int[] tensorsToCompare(Simulator sim) {
    int[] outputs = RealModelsOracleTest.activationTensors(sim.model());
    int[] states = sim.model().tensors().stream().filter(Tensor::isVariable).mapToInt(Tensor::index).toArray();
    return java.util.stream.IntStream.concat(Arrays.stream(outputs), Arrays.stream(states)).distinct().toArray();
  }

  private static int firstStateTensor(Simulator sim) {
    return sim.model().tensors().stream().filter(Tensor::isVariable).findFirst().orElseThrow().index();
  }
}
