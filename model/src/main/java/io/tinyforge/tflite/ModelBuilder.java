package io.tinyforge.tflite;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds models from Java, for tests and fuzzing:
 * <pre>
 *   ModelBuilder b = new ModelBuilder("conv-test");
 *   int x = b.activation("x", TensorType.INT8, new Shape(1, 5, 5, 3), Quantization.perTensor(0.5f, -3));
 *   int w = b.constInt8("w", new Shape(4, 3, 3, 3), weights, filterQuant);
 *   int bias = b.constInt32("b", new Shape(4), biasValues, biasQuant);
 *   int y = b.activation("y", TensorType.INT8, new Shape(1, 5, 5, 4), Quantization.perTensor(0.25f, 1));
 *   b.op(BuiltinOp.CONV_2D, convOptions, new int[] {x, w, bias}, new int[] {y});
 *   b.inputs(x).outputs(y);
 *   byte[] tflite = b.toBytes();   // or b.build() for the IR
 * </pre>
 */
public final class ModelBuilder {
  private final String name;
  private final List<Tensor> tensors = new ArrayList<>();
  private final List<Operator> operators = new ArrayList<>();
  private final Map<String, ByteBuffer> metadata = new LinkedHashMap<>();
  private List<Integer> inputs = List.of();
  private List<Integer> outputs = List.of();
  private String description = "tinyforge ModelBuilder";

  public ModelBuilder(String name) {
    this.name = name;
  }

  /** A non-constant tensor (activation); {@code quantization} may be null. Returns its index. */
  public int activation(String tensorName, TensorType type, Shape shape, Quantization quantization) {
    return add(tensorName, type, shape, quantization, null);
  }

  /** A variable (state) tensor, as SVDF's activation state; {@code quantization} may be null. */
  public int variable(String tensorName, TensorType type, Shape shape, Quantization quantization) {
    int index = tensors.size();
    tensors.add(new Tensor(index, tensorName, type, shape, quantization, null, true));
    return index;
  }

  /** A constant tensor with raw little-endian bytes. */
  public int constant(String tensorName, TensorType type, Shape shape, byte[] data, Quantization quantization) {
    return add(tensorName, type, shape, quantization, ByteBuffer.wrap(data.clone()));
  }

  public int constInt8(String tensorName, Shape shape, byte[] data, Quantization quantization) {
    return constant(tensorName, TensorType.INT8, shape, data, quantization);
  }

  public int constInt32(String tensorName, Shape shape, int[] values, Quantization quantization) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    return constant(tensorName, TensorType.INT32, shape, b.array(), quantization);
  }

  public int constFloat32(String tensorName, Shape shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return constant(tensorName, TensorType.FLOAT32, shape, b.array(), null);
  }

  private int add(String tensorName, TensorType type, Shape shape, Quantization q, ByteBuffer data) {
    int index = tensors.size();
    tensors.add(new Tensor(index, tensorName, type, shape, q, data, false));
    return index;
  }

  /** Appends an operator (version 1); -1 in {@code in} marks an absent optional input. */
  public ModelBuilder op(BuiltinOp op, OpOptions options, int[] in, int[] out) {
    return op(op, 1, options, in, out);
  }

  public ModelBuilder op(BuiltinOp op, int version, OpOptions options, int[] in, int[] out) {
    operators.add(new Operator(operators.size(), op.code(), version, null, boxed(in), boxed(out),
        options == null ? new OpOptions.None() : options));
    return this;
  }

  /** Appends a CUSTOM operator (for negative tests). */
  public ModelBuilder customOp(String customCode, int[] in, int[] out) {
    operators.add(new Operator(operators.size(), BuiltinOp.CUSTOM.code(), 1, customCode, boxed(in), boxed(out),
        new OpOptions.None()));
    return this;
  }

  public ModelBuilder inputs(int... tensorIndices) {
    inputs = boxed(tensorIndices);
    return this;
  }

  public ModelBuilder outputs(int... tensorIndices) {
    outputs = boxed(tensorIndices);
    return this;
  }

  public ModelBuilder description(String text) {
    description = text;
    return this;
  }

  public ModelBuilder metadata(String key, byte[] data) {
    metadata.put(key, ByteBuffer.wrap(data.clone()));
    return this;
  }

  /** The IR as built (what {@link TfliteReader} returns for {@link #toBytes()}). */
  public Model build() {
    return new Model(name, 3, description, tensors, operators, inputs, outputs, metadata);
  }

  public byte[] toBytes() {
    return TfliteWriter.write(build());
  }

  private static List<Integer> boxed(int[] a) {
    List<Integer> out = new ArrayList<>(a.length);
    for (int v : a) {
      out.add(v);
    }
    return out;
  }
}
