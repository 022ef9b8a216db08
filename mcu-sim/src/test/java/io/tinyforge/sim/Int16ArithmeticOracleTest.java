package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.check.ModelChecker;
import io.tinyforge.model.Activation;
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
 * int16 ADD, SUB, MUL and MEAN (16x8: zero points 0; ADD/SUB with left shift 15) against TFLM: same-shape and
 * broadcast operands, unequal scales, fused RELUs, MEAN over H,W (keep dims) and over the last axis; full-range random int16 inputs, every op output compared. The checker accepts the model.
 */
class Int16ArithmeticOracleTest {
  @TempDir
  Path dir;

  static byte[] model() {
    ModelBuilder b = new ModelBuilder("int16_add_sub.tflite");
    TensorType i16 = TensorType.INT16;
    int x = b.activation("x", i16, new Shape(1, 3, 4, 5), Quantization.perTensor(0.002f, 0));
    int y = b.activation("y", i16, new Shape(1, 1, 4, 5), Quantization.perTensor(0.0005f, 0));
    int sum = b.activation("sum", i16, new Shape(1, 3, 4, 5), Quantization.perTensor(0.003f, 0));
    b.op(BuiltinOp.ADD, new OpOptions.Arithmetic(Activation.NONE), new int[] {x, x}, new int[] {sum});
    int bsum = b.activation("bsum", i16, new Shape(1, 3, 4, 5), Quantization.perTensor(0.0041f, 0));
    b.op(BuiltinOp.ADD, new OpOptions.Arithmetic(Activation.RELU), new int[] {sum, y}, new int[] {bsum});
    int diff = b.activation("diff", i16, new Shape(1, 3, 4, 5), Quantization.perTensor(0.005f, 0));
    b.op(BuiltinOp.SUB, new OpOptions.Arithmetic(Activation.NONE), new int[] {bsum, x}, new int[] {diff});
    int bdiff = b.activation("bdiff", i16, new Shape(1, 3, 4, 5), Quantization.perTensor(0.0007f, 0));
    b.op(BuiltinOp.SUB, new OpOptions.Arithmetic(Activation.NONE), new int[] {y, diff}, new int[] {bdiff});
    int prod = b.activation("prod", i16, new Shape(1, 3, 4, 5), Quantization.perTensor(0.03f, 0));
    b.op(BuiltinOp.MUL, new OpOptions.Arithmetic(Activation.NONE), new int[] {bdiff, x}, new int[] {prod});
    int bprod = b.activation("bprod", i16, new Shape(1, 3, 4, 5), Quantization.perTensor(0.5f, 0));
    b.op(BuiltinOp.MUL, new OpOptions.Arithmetic(Activation.RELU), new int[] {prod, y}, new int[] {bprod});
    int hw = b.constInt32("hw", new Shape(2), new int[] {1, 2}, null);
    int pooled = b.activation("pooled", i16, new Shape(1, 1, 1, 5), Quantization.perTensor(0.3f, 0));
    b.op(BuiltinOp.MEAN, new OpOptions.Reducer(true), new int[] {bprod, hw}, new int[] {pooled});
    int lastAxis = b.constInt32("last", new Shape(1), new int[] {-1}, null);
    int rows = b.activation("rows", i16, new Shape(1, 3, 4), Quantization.perTensor(0.2f, 0));
    b.op(BuiltinOp.MEAN, new OpOptions.Reducer(false), new int[] {bprod, lastAxis}, new int[] {rows});
    return b.inputs(x, y).outputs(pooled, rows).toBytes();
  }

  @Test
  void int16ArithmeticMatchesTflm() throws Exception {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    Path file = dir.resolve("int16_add_sub.tflite");
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
