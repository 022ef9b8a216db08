package io.tinyforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The graph IR: enum codes equal the TFLite schema's (golden values from schema.fbs, not from this code), the records
 * are immutable and defensive, and the helpers (element counts, labels, names of unknown ops) say what they promise.
 */
class ModelIrTest {

  @Test
  void builtinOpCodesMatchTheSchema() {
    Map<BuiltinOp, Integer> schema = new LinkedHashMap<>();
    schema.put(BuiltinOp.ADD, 0);
    schema.put(BuiltinOp.AVERAGE_POOL_2D, 1);
    schema.put(BuiltinOp.CONCATENATION, 2);
    schema.put(BuiltinOp.CONV_2D, 3);
    schema.put(BuiltinOp.DEPTHWISE_CONV_2D, 4);
    schema.put(BuiltinOp.DEQUANTIZE, 6);
    schema.put(BuiltinOp.FULLY_CONNECTED, 9);
    schema.put(BuiltinOp.LOGISTIC, 14);
    schema.put(BuiltinOp.MAX_POOL_2D, 17);
    schema.put(BuiltinOp.MUL, 18);
    schema.put(BuiltinOp.RELU, 19);
    schema.put(BuiltinOp.RELU6, 21);
    schema.put(BuiltinOp.RESHAPE, 22);
    schema.put(BuiltinOp.RESIZE_BILINEAR, 23);
    schema.put(BuiltinOp.SOFTMAX, 25);
    schema.put(BuiltinOp.SVDF, 27);
    schema.put(BuiltinOp.TANH, 28);
    schema.put(BuiltinOp.CUSTOM, 32);
    schema.put(BuiltinOp.PAD, 34);
    schema.put(BuiltinOp.TRANSPOSE, 39);
    schema.put(BuiltinOp.MEAN, 40);
    schema.put(BuiltinOp.SUB, 41);
    schema.put(BuiltinOp.SQUEEZE, 43);
    schema.put(BuiltinOp.STRIDED_SLICE, 45);
    schema.put(BuiltinOp.SPLIT, 49);
    schema.put(BuiltinOp.PRELU, 54);
    schema.put(BuiltinOp.MAXIMUM, 55);
    schema.put(BuiltinOp.MINIMUM, 57);
    schema.put(BuiltinOp.PADV2, 60);
    schema.put(BuiltinOp.TRANSPOSE_CONV, 67);
    schema.put(BuiltinOp.EXPAND_DIMS, 70);
    schema.put(BuiltinOp.PACK, 83);
    schema.put(BuiltinOp.UNPACK, 88);
    schema.put(BuiltinOp.RESIZE_NEAREST_NEIGHBOR, 97);
    schema.put(BuiltinOp.LEAKY_RELU, 98);
    schema.put(BuiltinOp.SPLIT_V, 102);
    schema.put(BuiltinOp.QUANTIZE, 114);
    schema.put(BuiltinOp.HARD_SWISH, 117);
    schema.put(BuiltinOp.WHILE, 119);
    schema.put(BuiltinOp.BATCH_MATMUL, 126);
    schema.put(BuiltinOp.PLACEHOLDER_FOR_GREATER_OP_CODES, 127);
    schema.put(BuiltinOp.CALL_ONCE, 129);
    schema.put(BuiltinOp.GELU, 150);
    schema.put(BuiltinOp.RIGHT_SHIFT, 161);
    for (Map.Entry<BuiltinOp, Integer> e : schema.entrySet()) {
      assertEquals(e.getValue().intValue(), e.getKey().code(), e.getKey().name());
      assertEquals(e.getKey(), BuiltinOp.fromCode(e.getValue()), "fromCode(" + e.getValue() + ")");
    }
    assertEquals(162, BuiltinOp.values().length, "codes 0..161 (RIGHT_SHIFT is the last one known)");
  }

  @Test
  void unknownOpCodesAreNamedByNumber() {
    assertNull(BuiltinOp.fromCode(162));
    assertNull(BuiltinOp.fromCode(-1));
    assertEquals("BUILTIN_200", BuiltinOp.nameOf(200));
    assertEquals("CONV_2D", BuiltinOp.nameOf(3));
    Operator future = new Operator(0, 200, 1, null, List.of(0), List.of(1), new OpOptions.None());
    assertNull(future.op());
    assertEquals("BUILTIN_200", future.opName());
  }

  @Test
  void tensorTypeCodesMatchTheSchema() {
    Object[][] schema = {{TensorType.FLOAT32, 0, 4}, {TensorType.FLOAT16, 1, 2}, {TensorType.INT32, 2, 4},
        {TensorType.UINT8, 3, 1}, {TensorType.INT64, 4, 8}, {TensorType.STRING, 5, 0}, {TensorType.BOOL, 6, 1},
        {TensorType.INT16, 7, 2}, {TensorType.COMPLEX64, 8, 8}, {TensorType.INT8, 9, 1},
        {TensorType.FLOAT64, 10, 8}, {TensorType.COMPLEX128, 11, 16}, {TensorType.UINT64, 12, 8},
        {TensorType.RESOURCE, 13, 0}, {TensorType.VARIANT, 14, 0}, {TensorType.UINT32, 15, 4},
        {TensorType.UINT16, 16, 2}, {TensorType.INT4, 17, 0}};
    for (Object[] row : schema) {
      TensorType t = (TensorType) row[0];
      assertEquals(row[1], t.code(), t.name());
      assertEquals(row[2], t.bytes(), t.name() + " bytes");
      assertEquals(t, TensorType.fromCode((Integer) row[1]));
    }
    assertEquals(schema.length, TensorType.values().length);
    assertNull(TensorType.fromCode(18));
    assertNull(TensorType.fromCode(-1));
    assertTrue(TensorType.FLOAT16.isFloat() && TensorType.FLOAT64.isFloat() && TensorType.FLOAT32.isFloat());
    assertFalse(TensorType.INT8.isFloat());
  }

  @Test
  void activationAndPaddingCodesMatchTheSchema() {
    Activation[] order = {Activation.NONE, Activation.RELU, Activation.RELU_N1_TO_1, Activation.RELU6,
        Activation.TANH, Activation.SIGN_BIT};
    for (int code = 0; code < order.length; code++) {
      assertEquals(order[code], Activation.fromCode(code));
      assertEquals(code, order[code].code());
    }
    assertNull(Activation.fromCode(6));
    assertNull(Activation.fromCode(-1));
    assertEquals(0, Padding.SAME.code());
    assertEquals(1, Padding.VALID.code());
    assertEquals(Padding.VALID, Padding.fromCode(1));
    assertEquals(Padding.SAME, Padding.fromCode(0));
  }

  @Test
  void shapeCountsPrintsAndCompares() {
    Shape s = new Shape(1, 96, 96, 3);
    assertEquals(27648, s.elementCount());
    assertEquals(4, s.rank());
    assertEquals(3, s.dimFromEnd(1));
    assertEquals(96, s.dim(1));
    assertEquals("1x96x96x3", s.toString());
    assertEquals("scalar", new Shape().toString());
    assertEquals(1, new Shape().elementCount());
    assertEquals(0, new Shape(4, 0, 2).elementCount());
    assertEquals(new Shape(1, 2), new Shape(1, 2));
    assertEquals(new Shape(1, 2).hashCode(), new Shape(1, 2).hashCode());
    assertFalse(new Shape(1, 2).equals(new Shape(2, 1)));
  }

  @Test
  void shapeIsImmutable() {
    int[] dims = {1, 2, 3};
    Shape s = new Shape(dims);
    dims[0] = 99;
    assertEquals(1, s.dim(0));
    s.toArray()[1] = 99;
    assertEquals(2, s.dim(1));
  }

  @Test
  void constantDataIsReadOnlyLittleEndianAndIndependentPerCaller() {
    byte[] raw = {1, 0, 0, 0, 2, 0, 0, 0};
    Tensor t = new Tensor(0, "c", TensorType.INT32, new Shape(2), null, ByteBuffer.wrap(raw), false);
    ByteBuffer a = t.constantData();
    ByteBuffer b = t.constantData();
    assertEquals(1, a.getInt());
    assertEquals(1, b.getInt(), "each caller gets its own position");
    assertEquals(2, a.getInt());
    assertThrows(ReadOnlyBufferException.class, () -> t.constantData().put(0, (byte) 9));
    assertTrue(t.isConstant());
    assertEquals(8, t.byteSize());
    Tensor act = new Tensor(1, "", TensorType.INT8, new Shape(3), null, null, false);
    assertFalse(act.isConstant());
    IllegalStateException e = assertThrows(IllegalStateException.class, act::constantData);
    assertTrue(e.getMessage().contains("tensor 1"), e.getMessage());
  }

  @Test
  void tensorLabelUsesNameOrIndex() {
    assertEquals("'input'", new Tensor(3, "input", TensorType.INT8, new Shape(1), null, null, false).label());
    assertEquals("#3", new Tensor(3, "", TensorType.INT8, new Shape(1), null, null, false).label());
    assertEquals("#4", new Tensor(4, null, TensorType.INT8, new Shape(1), null, null, false).label());
  }

  @Test
  void namesFromTheFileAreEscapedSoMessagesStayOneLine() {
    assertEquals("'a\\x0ab\\x0dc'", new Tensor(0, "a\nb\rc", TensorType.INT8, new Shape(1), null, null, false)
        .label());
    assertEquals("CUSTOM(x\\u2028y\\u202ez)",
        new Operator(0, 32, 1, "x\u2028y\u202ez", List.of(), List.of(0), new OpOptions.None()).opName());
    assertEquals("caf\u00e9 \u4e2d/:0", Names.printable("caf\u00e9 \u4e2d/:0"), "letters and punctuation kept");
    assertEquals("\\x00\\x7f\\x85", Names.printable("\u0000\u007f\u0085"));
    assertEquals("", Names.printable(null));
  }

  @Test
  void quantizationKinds() {
    Quantization pt = Quantization.perTensor(0.5f, -3);
    assertFalse(pt.isPerChannel());
    assertEquals(0.5f, pt.scale());
    assertEquals(-3, pt.zeroPoint());
    assertEquals(1, pt.channelCount());
    assertEquals("s=0.5 zp=-3", pt.describe());
    Quantization pc = new Quantization(List.of(0.1f, 0.2f, 0.3f), List.of(0L, 0L, 0L), 3);
    assertTrue(pc.isPerChannel());
    assertEquals(3, pc.channelCount());
    assertEquals("per-channel(3)", pc.describe());
    assertEquals(0, new Quantization(List.of(0.25f), List.of(), 0).zeroPoint(), "absent zero points mean 0");
  }

  @Test
  void recordsCopyTheirLists() {
    List<Integer> in = new ArrayList<>(List.of(0, -1));
    Operator op = new Operator(0, 9, 1, null, in, List.of(1), new OpOptions.None());
    in.set(0, 5);
    assertEquals(List.of(0, -1), op.inputs());
    assertEquals(-1, op.input(1));
    assertEquals(-1, op.input(7), "inputs beyond the list are absent");
    assertThrows(UnsupportedOperationException.class, () -> op.inputs().add(3));

    List<Float> scales = new ArrayList<>(List.of(1f));
    Quantization q = new Quantization(scales, List.of(0L), 0);
    scales.set(0, 9f);
    assertEquals(1f, q.scale());
  }

  @Test
  void customOpNames() {
    assertEquals("CUSTOM(ethos-u)",
        new Operator(0, 32, 1, "ethos-u", List.of(), List.of(0), new OpOptions.None()).opName());
    assertEquals("CUSTOM()", new Operator(0, 32, 1, null, List.of(), List.of(0), new OpOptions.None()).opName());
  }

  @Test
  void optionsAccessorCastsToTheRecordType() {
    Operator op = new Operator(0, 25, 1, null, List.of(0), List.of(1), new OpOptions.Softmax(1f));
    assertEquals(1f, op.options(OpOptions.Softmax.class).beta());
    assertThrows(ClassCastException.class, () -> op.options(OpOptions.Conv2D.class));
  }

  @Test
  void modelIsImmutableAndKeepsMetadataOrder() {
    Map<String, ByteBuffer> meta = new LinkedHashMap<>();
    // enough keys that a hash-ordered copy would almost surely reorder them
    for (String k : List.of("zeta", "alpha", "min_runtime_version", "CONVERSION_METADATA", "b", "a", "m", "x")) {
      meta.put(k, ByteBuffer.wrap(k.getBytes()));
    }
    List<Tensor> tensors = new ArrayList<>(List.of(
        new Tensor(0, "x", TensorType.INT8, new Shape(1), Quantization.perTensor(1f, 0), null, false)));
    Model m = new Model("m", 3, "", tensors, List.of(), List.of(0), List.of(0), meta);
    assertEquals(new ArrayList<>(meta.keySet()), new ArrayList<>(m.metadata().keySet()), "metadata keeps its order");
    tensors.clear();
    meta.clear();
    assertEquals(1, m.tensors().size());
    assertEquals(8, m.metadata().size());
    assertThrows(UnsupportedOperationException.class, () -> m.metadata().put("k", ByteBuffer.allocate(0)));
    assertThrows(UnsupportedOperationException.class, () -> m.tensors().clear());
    assertEquals("x", m.input(0).name());
    assertEquals("x", m.output(0).name());
  }

  @Test
  void modelExceptionIsABadInputError() {
    ModelException e = new ModelException("m.tflite: broken");
    assertEquals(2, e.exitCode());
    assertEquals("m.tflite: broken", e.getMessage());
    assertTrue(e instanceof io.tinyforge.TinyforgeException);
  }
}
