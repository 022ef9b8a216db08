package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.check.ModelChecker;
import io.tinyforge.check.ModelValidator;
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
 * DEPTH_TO_SPACE and SPACE_TO_DEPTH against TFLM: a chain with batch 2, block sizes 2 and 3 and odd depths, every
 * op output compared; and the shapes TFLM refuses are refused with the op named.
 */
public class DepthSpaceOracleTest {
  @TempDir
  Path dir;

  /** [2,3,3,8] -DEPTH_TO_SPACE 2-> [2,6,6,2] -SPACE_TO_DEPTH 3-> [2,2,2,18] -DEPTH_TO_SPACE 3-> [2,6,6,2]. */
  public static byte[] model() {
    ModelBuilder b = new ModelBuilder("depth_space.tflite");
    Quantization q = Quantization.perTensor(0.05f, -3);
    TensorType i8 = TensorType.INT8;
    int x = b.activation("x", i8, new Shape(2, 3, 3, 8), q);
    int wide = b.activation("wide", i8, new Shape(2, 6, 6, 2), q);
    b.op(BuiltinOp.DEPTH_TO_SPACE, new OpOptions.BlockSize(2), new int[] {x}, new int[] {wide});
    int deep = b.activation("deep", i8, new Shape(2, 2, 2, 18), q);
    b.op(BuiltinOp.SPACE_TO_DEPTH, new OpOptions.BlockSize(3), new int[] {wide}, new int[] {deep});
    int back = b.activation("back", i8, new Shape(2, 6, 6, 2), q);
    b.op(BuiltinOp.DEPTH_TO_SPACE, new OpOptions.BlockSize(3), new int[] {deep}, new int[] {back});
    return b.inputs(x).outputs(back, deep).toBytes();
  }

  @Test
  void depthSpaceOpsMatchTflm() throws Exception {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    Path file = dir.resolve("depth_space.tflite");
    Files.write(file, model());
    Model m = TfliteReader.read(file);
    ModelChecker.check(m);
    Simulator sim = Simulator.of(m);
    Random rnd = new Random(94);
    List<byte[][]> inputs = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      inputs.add(RandomInputs.forModel(sim, rnd));
    }
    Oracle.JobResult jr = Oracle.run(List.of(new Oracle.Job(file, true,
        RealModelsOracleTest.activationTensors(m), false, inputs))).get(0);
    assertNull(jr.error(), "TFLM refused the model");
    for (int r = 0; r < inputs.size(); r++) {
      Oracle.RunResult o = jr.runs().get(r);
      assertNull(o.error(), "run " + r + ": TFLM failed");
      Trace t = sim.runTraced(inputs.get(r));
      assertTrue(t.steps().size() == 3, "three ops traced");
      for (Trace.Step step : t.steps()) {
        for (Map.Entry<Integer, byte[]> e : step.outputs().entrySet()) {
          if (!Arrays.equals(o.tensors().get(e.getKey()), e.getValue())) {
            fail("run " + r + ": op " + step.opIndex() + " (" + step.opName() + ") tensor " + e.getKey() + ": "
                + Diff.describe(e.getValue(), o.tensors().get(e.getKey())));
          }
        }
      }
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(o.outputs()[i], t.outputs()[i], "run " + r + " output " + i);
      }
    }
  }

  @Test
  void shapesTflmRefusesAreRefused() throws Exception {
    assertRefused(BuiltinOp.DEPTH_TO_SPACE, 2, new Shape(1, 2, 2, 6), new Shape(1, 4, 4, 1), "multiple of block_size^2");
    assertRefused(BuiltinOp.SPACE_TO_DEPTH, 2, new Shape(1, 3, 4, 1), new Shape(1, 1, 2, 4), "multiples of block_size");
    assertRefused(BuiltinOp.DEPTH_TO_SPACE, 0, new Shape(1, 2, 2, 4), new Shape(1, 2, 2, 4), "at least 1");
    assertRefused(BuiltinOp.SPACE_TO_DEPTH, 2, new Shape(1, 4, 4, 2), new Shape(1, 2, 2, 4), "should be");
    assertRefused(BuiltinOp.DEPTH_TO_SPACE, 2, new Shape(4, 4, 8), new Shape(8, 8, 2), "4-D");
  }

  private void assertRefused(BuiltinOp op, int block, Shape in, Shape out, String expected) throws Exception {
    ModelBuilder b = new ModelBuilder("bad.tflite");
    Quantization q = Quantization.perTensor(0.05f, 0);
    int x = b.activation("x", TensorType.INT8, in, q);
    int y = b.activation("y", TensorType.INT8, out, q);
    b.op(op, new OpOptions.BlockSize(block), new int[] {x}, new int[] {y});
    Path file = dir.resolve("bad.tflite");
    Files.write(file, b.inputs(x).outputs(y).toBytes());
    String verdict = ModelValidator.verdict(TfliteReader.read(file));
    assertNotNull(verdict, op + " " + in + " -> " + out + " block " + block + " was accepted");
    assertTrue(verdict.contains(op.name()) && verdict.contains(expected), verdict);
  }
}
