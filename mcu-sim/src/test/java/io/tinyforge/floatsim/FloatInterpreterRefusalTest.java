package io.tinyforge.floatsim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.ModelBuilder;
import io.tinyforge.tflite.TfliteReader;
import org.junit.jupiter.api.Test;

/** What the float interpreter refuses, each with a message naming the op or tensor. */
class FloatInterpreterRefusalTest {
  @Test
  void unsupportedOpIsNamed() {
    ModelBuilder b = new ModelBuilder("exp");
    int x = b.activation("x", TensorType.FLOAT32, new Shape(1, 4), null);
    int y = b.activation("y", TensorType.FLOAT32, new Shape(1, 4), null);
    b.op(BuiltinOp.EXP, null, new int[] {x}, new int[] {y});
    ModelException e = assertThrows(ModelException.class,
        () -> FloatInterpreter.of(TfliteReader.read(b.inputs(x).outputs(y).toBytes(), "exp.tflite")));
    assertTrue(e.getMessage().contains("op 0 (EXP) is not supported by the float interpreter"), e.getMessage());
  }

  @Test
  void int8ModelIsRefused() {
    ModelBuilder b = new ModelBuilder("int8");
    Quantization q = Quantization.perTensor(0.1f, 0);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 4), q);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 4), q);
    b.op(BuiltinOp.RELU, null, new int[] {x}, new int[] {y});
    ModelException e = assertThrows(ModelException.class,
        () -> FloatInterpreter.of(TfliteReader.read(b.inputs(x).outputs(y).toBytes(), "int8.tflite")));
    assertTrue(e.getMessage().contains("float32 models only"), e.getMessage());
  }
}
