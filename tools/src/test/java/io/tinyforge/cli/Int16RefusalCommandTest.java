package io.tinyforge.cli;

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
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator refuses int16 models it cannot compile with exit 2 and one line naming the op, the tensor and its
 * type, and writes nothing: a non-zero int16 activation zero point, and an op without an int16 kernel.
 */
class Int16RefusalCommandTest {
  @TempDir
  Path dir;

  private Path write(String name, int zeroPoint, BuiltinOp op) throws Exception {
    ModelBuilder b = new ModelBuilder(name);
    int x = b.activation("x16", TensorType.INT16, new Shape(1, 8), Quantization.perTensor(0.001f, zeroPoint));
    int y = b.activation("y16", TensorType.INT16, new Shape(1, 8), Quantization.perTensor(0.001f, 0));
    OpOptions options = op == BuiltinOp.ADD ? new OpOptions.Arithmetic(Activation.NONE) : null;
    b.op(op, options, op == BuiltinOp.ADD ? new int[] {x, x} : new int[] {x}, new int[] {y});
    Path f = dir.resolve(name);
    Files.write(f, b.inputs(x).outputs(y).toBytes());
    return f;
  }

  private void refused(Path model, String... fragments) {
    Path out = dir.resolve("out-" + model.getFileName());
    CliRun r = CliRun.of("--board", "host", model.toString(), "-o", out.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    String line = r.err().strip();
    assertFalse(line.contains("\n"), "one line: " + line);
    assertFalse(line.contains("Exception"), "no stack trace: " + line);
    for (String f : fragments) {
      assertTrue(line.contains(f), "'" + f + "' in: " + line);
    }
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void nonZeroInt16ZeroPointIsRefused() throws Exception {
    refused(write("zp.tflite", 7, BuiltinOp.ADD), "op 0 (ADD)", "'x16'", "INT16 with zero point 7");
  }

  @Test
  void int16OpWithoutKernelIsRefused() throws Exception {
    refused(write("relu.tflite", 0, BuiltinOp.RELU), "op 0 (RELU)", "'x16'", "INT16");
  }

  @Test
  void int16ActivationsWithNonZeroZeroPointAreRefused() throws Exception {
    refused(write("logistic_zp.tflite", 3, BuiltinOp.LOGISTIC), "op 0 (LOGISTIC)", "'x16'",
        "INT16 with zero point 3");
    refused(write("tanh_zp.tflite", -9, BuiltinOp.TANH), "op 0 (TANH)", "'x16'", "INT16 with zero point -9");
  }

  @Test
  void int16TanhWithAnOutputScaleTflmCannotUseIsRefused() throws Exception {
    // the int16 kernels fix the output scale at 2^-15; this model's is 0.001
    refused(write("tanh_scale.tflite", 0, BuiltinOp.TANH), "TANH", "'y16'", "2^-15");
  }

  @Test
  void int16SoftmaxWithAnInt8OutputIsRefused() throws Exception {
    ModelBuilder b = new ModelBuilder("softmax_mixed.tflite");
    int x = b.activation("x16", TensorType.INT16, new Shape(1, 8), Quantization.perTensor(0.001f, 0));
    int y = b.activation("y8", TensorType.INT8, new Shape(1, 8), Quantization.perTensor(1f / 256, -128));
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {x}, new int[] {y});
    Path f = dir.resolve("softmax_mixed.tflite");
    Files.write(f, b.inputs(x).outputs(y).toBytes());
    refused(f, "op 0 (SOFTMAX)", "'x16'", "INT16");
  }

  @Test
  void int16SoftmaxWithTheInt8ToInt16OutputZeroPointIsRefused() throws Exception {
    // -32768 belongs to TFLM's int8 -> int16 softmax; from an int16 input the output zero point must be 0
    ModelBuilder b = new ModelBuilder("softmax_zp.tflite");
    int x = b.activation("x16", TensorType.INT16, new Shape(1, 8), Quantization.perTensor(0.001f, 0));
    int y = b.activation("y16", TensorType.INT16, new Shape(1, 8), Quantization.perTensor(1f / 32768, -32768));
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {x}, new int[] {y});
    Path f = dir.resolve("softmax_zp.tflite");
    Files.write(f, b.inputs(x).outputs(y).toBytes());
    refused(f, "SOFTMAX", "'y16'", "INT16 with zero point -32768");
  }
}
