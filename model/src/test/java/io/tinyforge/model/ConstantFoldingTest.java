package io.tinyforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.tflite.ModelBuilder;
import io.tinyforge.tflite.TfliteReader;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ConstantFolding} on the graph Keras 3's Flatten becomes (SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE) and on
 * integer arithmetic. Expected values follow TensorFlow's definitions of the ops, worked out by hand: the shape of a
 * 1x3x2x4 tensor is [1, 3, 2, 4]; slicing [0:1] with shrink_axis_mask bit 0 gives the scalar 1; packing it with -1
 * gives [1, -1].
 */
class ConstantFoldingTest {
  private static final Quantization Q = Quantization.perTensor(0.5f, 0);

  private static int[] ints(Tensor t) {
    IntBuffer b = t.constantData().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    int[] v = new int[b.remaining()];
    b.get(v);
    return v;
  }

  /** x[1,3,2,4] int8 -> SHAPE -> STRIDED_SLICE[0:1] shrink -> PACK(., -1) -> RESHAPE(x, .) -> y[1,24]. */
  private static ModelBuilder flatten(int shrinkMask) {
    ModelBuilder b = new ModelBuilder("flatten");
    int x = b.activation("x", TensorType.INT8, new Shape(1, 3, 2, 4), Q);
    int shape = b.activation("shape", TensorType.INT32, new Shape(4), null);
    int begin = b.constInt32("begin", new Shape(1), new int[] {0}, null);
    int end = b.constInt32("end", new Shape(1), new int[] {1}, null);
    int stride = b.constInt32("stride", new Shape(1), new int[] {1}, null);
    int batch = b.activation("batch", TensorType.INT32, shrinkMask == 1 ? new Shape() : new Shape(1), null);
    int minusOne = b.constInt32("minus_one", new Shape(), new int[] {-1}, null);
    int packed = b.activation("packed", TensorType.INT32, new Shape(2), null);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 24), Q);
    b.op(BuiltinOp.SHAPE, new OpOptions.None(), new int[] {x}, new int[] {shape});
    b.op(BuiltinOp.STRIDED_SLICE, new OpOptions.StridedSlice(0, 0, 0, 0, shrinkMask, false),
        new int[] {shape, begin, end, stride}, new int[] {batch});
    b.op(BuiltinOp.PACK, new OpOptions.Pack(2, 0), new int[] {batch, minusOne}, new int[] {packed});
    b.op(BuiltinOp.RESHAPE, new OpOptions.Reshape(List.of()), new int[] {x, packed}, new int[] {y});
    return b.inputs(x).outputs(y);
  }

  @Test
  void flattenShapeSubgraphBecomesConstants() {
    Model m = TfliteReader.read(flatten(1).toBytes(), "flatten.tflite");
    assertEquals(1, m.operators().size());
    Operator reshape = m.operators().get(0);
    assertEquals(BuiltinOp.RESHAPE, reshape.op());
    assertEquals(0, reshape.index());
    assertArrayEquals(new int[] {1, -1}, ints(m.tensor(reshape.input(1))));
    assertArrayEquals(new int[] {1, 3, 2, 4}, ints(m.tensor(1)));
    assertArrayEquals(new int[] {1}, ints(m.tensor(5)));
    assertEquals(3, m.folded().size());
    assertTrue(m.folded().get(2).startsWith("PACK (op 2 of the file) -> tensor 7 'packed' [2] int32 = [1, -1]"),
        m.folded().get(2));
  }

  @Test
  void readUnfoldedKeepsTheFileAsItIs() {
    Model m = TfliteReader.readUnfolded(flatten(1).toBytes(), "flatten.tflite");
    assertEquals(4, m.operators().size());
    assertTrue(m.folded().isEmpty());
  }

  @Test
  void aShapeMismatchLeavesTheOpInPlace() {
    // without shrink the slice is [1] (one element) but its output claims a scalar shape [1] - still one element;
    // the PACK of a 1-vector and a scalar along axis 0 gives 2 elements: both fold. A 3-element PACK output does not.
    ModelBuilder b = new ModelBuilder("bad");
    int x = b.activation("x", TensorType.INT8, new Shape(1, 2), Q);
    int shape = b.activation("shape", TensorType.INT32, new Shape(3), null);
    b.op(BuiltinOp.SHAPE, new OpOptions.None(), new int[] {x}, new int[] {shape});
    int y = b.activation("y", TensorType.INT8, new Shape(2), Q);
    b.op(BuiltinOp.RESHAPE, new OpOptions.Reshape(List.of()), new int[] {x, shape}, new int[] {y});
    Model m = TfliteReader.read(b.inputs(x).outputs(y).toBytes(), "bad.tflite");
    assertEquals(2, m.operators().size(), "a SHAPE whose output does not hold rank-many values is not folded");
    assertTrue(m.folded().isEmpty());
  }

  @Test
  void integerArithmeticOnConstantsFolds() {
    ModelBuilder b = new ModelBuilder("arith");
    int a = b.constInt32("a", new Shape(3), new int[] {7, -7, 6}, null);
    int two = b.constInt32("two", new Shape(), new int[] {2}, null);
    int q = b.activation("q", TensorType.INT32, new Shape(3), null);
    int p = b.activation("p", TensorType.INT32, new Shape(1), null);
    int axis = b.constInt32("axis", new Shape(1), new int[] {0}, null);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 4), Q);
    int y = b.activation("y", TensorType.INT8, new Shape(4), Q);
    b.op(BuiltinOp.FLOOR_DIV, new OpOptions.None(), new int[] {a, two}, new int[] {q});
    b.op(BuiltinOp.REDUCE_PROD, new OpOptions.Reducer(false), new int[] {q, axis}, new int[] {p});
    b.op(BuiltinOp.RESHAPE, new OpOptions.Reshape(List.of()), new int[] {x, p}, new int[] {y});
    Model m = TfliteReader.read(b.inputs(x).outputs(y).toBytes(), "arith.tflite");
    assertEquals(1, m.operators().size());
    assertArrayEquals(new int[] {3, -4, 3}, ints(m.tensor(q)), "floor division rounds towards -inf");
    assertArrayEquals(new int[] {-36}, ints(m.tensor(p)));
  }

  @Test
  void modelsWithoutShapeArithmeticAreReturnedUnchanged() {
    ModelBuilder b = new ModelBuilder("plain");
    int x = b.activation("x", TensorType.INT8, new Shape(1, 4), Q);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 4), Q);
    b.op(BuiltinOp.RELU, new OpOptions.None(), new int[] {x}, new int[] {y});
    Model m = TfliteReader.readUnfolded(b.inputs(x).outputs(y).toBytes(), "plain.tflite");
    assertSame(m, ConstantFolding.fold(m));
  }
}
