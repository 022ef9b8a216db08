package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.TinyforgeException;
import io.tinyforge.model.TensorType;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The interpreter-style API on real models; expected figures are upstream's (REFERENCE-FIGURES / MANIFEST). */
class SimulatorApiTest {
  private static Simulator person() {
    assumeTrue(SharedModels.present(), "shared models absent: " + SharedModels.dir());
    return Simulator.load(SharedModels.model("tflm_person_detect_int8.tflite"));
  }

  @Test
  void detailsDescribeTheModelIo() {
    Simulator sim = person();
    assertEquals(1, sim.inputCount());
    assertEquals(1, sim.outputCount());
    TensorDetails in = sim.inputDetails(0);
    assertEquals("input", in.name());
    assertArrayEquals(new int[] {1, 96, 96, 1}, in.shape());
    assertEquals(TensorType.INT8, in.type());
    assertEquals(0.007843138f, in.scale());
    assertEquals(-1, in.zeroPoint());
    assertEquals(9216, in.byteSize());
    TensorDetails out = sim.outputDetails(0);
    assertEquals("MobilenetV1/Predictions/Reshape_1", out.name());
    assertEquals(0.00390625f, out.scale());
    assertEquals(-128, out.zeroPoint());
  }

  @Test
  void singleIoRunGivesTheUpstreamFigures() throws Exception {
    Simulator sim = person();
    byte[] out = new byte[2];
    sim.run(new byte[9216], out);
    assertArrayEquals(new byte[] {72, -72}, out);
    sim.run(Files.readAllBytes(SharedModels.model("tflm_person_detect_input_person_int8.bin")), out);
    assertArrayEquals(new byte[] {-113, 113}, out);
    // A second run on the same instance must not see state from the first.
    sim.run(Files.readAllBytes(SharedModels.model("tflm_person_detect_input_no_person_int8.bin")), out);
    assertArrayEquals(new byte[] {57, -57}, out);
    sim.run(new byte[9216], out);
    assertArrayEquals(new byte[] {72, -72}, out);
  }

  @Test
  void wrongInputSizeIsOneClearError() {
    Simulator sim = person();
    TinyforgeException e = assertThrows(TinyforgeException.class, () -> sim.run(new byte[][] {new byte[100]}));
    assertTrue(e.getMessage().contains("needs 9216 bytes") && e.getMessage().contains("got 100 bytes"),
        e.getMessage());
    assertEquals(TinyforgeException.EXIT_BAD_INPUT, e.exitCode());
    TinyforgeException count = assertThrows(TinyforgeException.class, () -> sim.run(new byte[0][]));
    assertTrue(count.getMessage().contains("1 inputs, 0 given"), count.getMessage());
  }

  @Test
  void traceHoldsEveryOpOutputAndTheFinalOutput() {
    Simulator sim = person();
    Trace t = sim.runTraced(new byte[][] {new byte[9216]});
    assertEquals(sim.model().operators().size(), t.steps().size());
    for (Trace.Step s : t.steps()) {
      for (int idx : sim.model().operators().get(s.opIndex()).outputs()) {
        assertNotNull(t.tensor(idx), "tensor " + idx + " of op " + s.opIndex());
        assertEquals(sim.model().tensor(idx).byteSize(), t.tensor(idx).length);
      }
    }
    assertArrayEquals(new byte[] {72, -72}, t.outputs()[0]);
    int last = sim.model().outputs().get(0);
    assertArrayEquals(t.outputs()[0], t.tensor(last));
    assertArrayEquals(new byte[9216], t.tensor(sim.model().inputs().get(0)));
  }

  @Test
  void unsupportedModelsAreRefusedNamingTheOp() {
    assumeTrue(SharedModels.present(), "shared models absent");
    TinyforgeException e = assertThrows(TinyforgeException.class,
        () -> Simulator.load(SharedModels.model("tflm_person_detect_vela.tflite")));
    assertTrue(e.getMessage().contains("op 0 (CUSTOM(ethos-u))"), e.getMessage());
  }

  @Test
  void quantizeRoundsHalfAwayFromZeroAndSaturates() {
    // real = scale * (q - zp): 0.5 / 0.25 = 2 exactly; 0.375 / 0.25 = 1.5 -> 2; -0.375 -> -2; far values clamp.
    assertArrayEquals(new byte[] {3, 3, -1, 127, -128},
        QuantUtil.quantize(new float[] {0.5f, 0.375f, -0.375f, 1000f, -1000f}, 0.25f, 1));
    assertArrayEquals(new float[] {0.5f, -0.25f}, QuantUtil.dequantize(new byte[] {3, 0}, 0.25f, 1));
    assertArrayEquals(new float[] {1.5f, -2f}, QuantUtil.floats(QuantUtil.floatBytes(new float[] {1.5f, -2f})));
  }
}
