package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * The int16 data-movement ops and int16 -> int16 QUANTIZE against TFLM, in one generated graph: PAD (asymmetric),
 * STRIDED_SLICE (stride 2), TRANSPOSE, CONCATENATION, SPLIT, PACK, QUANTIZE (rescale) and UNPACK; full-range random
 * int16 inputs, every op output compared. The checker accepts the model.
 */
class Int16DataMovementOracleTest {
  @TempDir
  Path dir;

  static byte[] model() {
    ModelBuilder b = new ModelBuilder("int16_moves.tflite");
    Quantization q = Quantization.perTensor(0.001f, 0);
    TensorType i16 = TensorType.INT16;
    int x = b.activation("x", i16, new Shape(1, 4, 4, 3), q);
    int paddings = b.constInt32("paddings", new Shape(4, 2), new int[] {0, 0, 1, 0, 0, 1, 0, 0}, null);
    int padded = b.activation("padded", i16, new Shape(1, 5, 5, 3), q);
    b.op(BuiltinOp.PAD, null, new int[] {x, paddings}, new int[] {padded});
    int begin = b.constInt32("begin", new Shape(4), new int[] {0, 1, 0, 0}, null);
    int end = b.constInt32("end", new Shape(4), new int[] {1, 5, 5, 3}, null);
    int strides = b.constInt32("strides", new Shape(4), new int[] {1, 2, 1, 1}, null);
    int sliced = b.activation("sliced", i16, new Shape(1, 2, 5, 3), q);
    b.op(BuiltinOp.STRIDED_SLICE, new OpOptions.StridedSlice(0, 0, 0, 0, 0, false),
        new int[] {padded, begin, end, strides}, new int[] {sliced});
    int perm = b.constInt32("perm", new Shape(4), new int[] {0, 2, 1, 3}, null);
    int transposed = b.activation("transposed", i16, new Shape(1, 5, 2, 3), q);
    b.op(BuiltinOp.TRANSPOSE, null, new int[] {sliced, perm}, new int[] {transposed});
    int concat = b.activation("concat", i16, new Shape(1, 5, 2, 6), q);
    b.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(3, io.tinyforge.model.Activation.NONE),
        new int[] {transposed, transposed}, new int[] {concat});
    int axis = b.constInt32("axis", new Shape(), new int[] {2}, null);
    int half1 = b.activation("half1", i16, new Shape(1, 5, 1, 6), q);
    int half2 = b.activation("half2", i16, new Shape(1, 5, 1, 6), q);
    b.op(BuiltinOp.SPLIT, new OpOptions.Split(2), new int[] {axis, concat}, new int[] {half1, half2});
    int packed = b.activation("packed", i16, new Shape(2, 1, 5, 1, 6), q);
    b.op(BuiltinOp.PACK, new OpOptions.Pack(2, 0), new int[] {half2, half1}, new int[] {packed});
    int rescaled = b.activation("rescaled", i16, new Shape(2, 1, 5, 1, 6), Quantization.perTensor(0.0007f, 0));
    b.op(BuiltinOp.QUANTIZE, null, new int[] {packed}, new int[] {rescaled});
    int u1 = b.activation("u1", i16, new Shape(1, 5, 1, 6), Quantization.perTensor(0.0007f, 0));
    int u2 = b.activation("u2", i16, new Shape(1, 5, 1, 6), Quantization.perTensor(0.0007f, 0));
    b.op(BuiltinOp.UNPACK, new OpOptions.Unpack(2, 0), new int[] {rescaled}, new int[] {u1, u2});
    return b.inputs(x).outputs(u1, u2).toBytes();
  }

  @Test
  void int16MovesMatchTflm() throws Exception {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    Path file = dir.resolve("int16_moves.tflite");
    Files.write(file, model());
    Model m = TfliteReader.read(file);
    ModelChecker.check(m);
    Simulator sim = Simulator.of(m);
    Random rnd = new Random(16);
    List<byte[][]> inputs = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      inputs.add(RandomInputs.forModel(sim, rnd));
    }
    Oracle.JobResult jr = Oracle.run(List.of(new Oracle.Job(file, true,
        RealModelsOracleTest.activationTensors(m), false, inputs))).get(0);
    assertNull(jr.error(), "TFLM refused the model");
    for (int r = 0; r < inputs.size(); r++) {
      Oracle.RunResult o = jr.runs().get(r);
      assertNull(o.error(), "run " + r + ": TFLM failed");
      Trace t = sim.runTraced(inputs.get(r));
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
}
