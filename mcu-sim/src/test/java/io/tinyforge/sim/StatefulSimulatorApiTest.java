package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.ModelBuilder;
import io.tinyforge.tflite.TfliteReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sequence semantics of the simulator API on a stateful model: state starts at its reset value (the zero point
 * of int8 state), carries over from run to run, runSequence equals the runs one by one, and reset() starts afresh.
 * (Bit-exactness with TFLM over a sequence is KeywordModelsOracleTest's.)
 */
class StatefulSimulatorApiTest {
  /** x(int8 1x8) -> SVDF(rank 2, 6 filters, memory 4, int8 state with zero point -50) -> y(int8 1x3). */
  static Simulator svdf() {
    Random r = new Random(5);
    byte[] wf = new byte[6 * 8];
    byte[] wt = new byte[6 * 4];
    r.nextBytes(wf);
    r.nextBytes(wt);
    ModelBuilder b = new ModelBuilder("svdf.tflite");
    Quantization act = Quantization.perTensor(0.05f, -3);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), act);
    int f = b.constInt8("wf", new Shape(6, 8), wf, Quantization.perTensor(0.01f, 0));
    int t = b.constInt8("wt", new Shape(6, 4), wt, Quantization.perTensor(0.02f, 0));
    int bias = b.constInt32("b", new Shape(3), new int[] {100, -200, 300}, Quantization.perTensor(0.02f * 0.02f, 0));
    int state = b.variable("state", TensorType.INT8, new Shape(1, 24), Quantization.perTensor(0.02f, -50));
    int y = b.activation("y", TensorType.INT8, new Shape(1, 3), Quantization.perTensor(0.01f, 0));
    b.op(BuiltinOp.SVDF, new OpOptions.Svdf(2, Activation.NONE), new int[] {x, f, t, bias, state}, new int[] {y});
    return Simulator.of(TfliteReader.read(b.inputs(x).outputs(y).toBytes(), "svdf.tflite"));
  }

  @Test
  void stateCarriesOverAndResetStartsAfresh() {
    Simulator sim = svdf();
    assertTrue(sim.isStateful());
    byte[] start = new byte[24];
    Arrays.fill(start, (byte) -50);
    assertArrayEquals(start, sim.state().get(4), "int8 state starts at its zero point");
    Random r = new Random(9);
    List<byte[][]> inputs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      byte[] x = new byte[8];
      r.nextBytes(x);
      inputs.add(new byte[][] {x});
    }
    List<byte[][]> sequence = sim.runSequence(inputs);
    byte[] stateAfter = sim.state().get(4);
    assertFalse(Arrays.equals(start, stateAfter), "the state moved");
    sim.reset();
    assertArrayEquals(start, sim.state().get(4), "reset puts the start value back");
    for (int i = 0; i < inputs.size(); i++) {
      assertArrayEquals(sequence.get(i)[0], sim.run(inputs.get(i))[0], "run " + i + " one by one");
    }
    // the same input again, without a reset, meets another state: over a sequence some output must differ
    List<byte[][]> again = sim.runSequence(inputs);
    int differing = 0;
    for (int i = 0; i < inputs.size(); i++) {
      differing += Arrays.equals(sequence.get(i)[0], again.get(i)[0]) ? 0 : 1;
    }
    assertTrue(differing > 0, "outputs depend on the state");
    assertEquals(1, sim.state().size());
  }
}
