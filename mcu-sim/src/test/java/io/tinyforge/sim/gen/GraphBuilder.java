package io.tinyforge.sim.gen;

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
import java.util.List;
import java.util.Map;

/** Builds small {@link Model} IR graphs for generated tests: activations, constants, ops, graph I/O. */
public final class GraphBuilder {
  private final List<Tensor> tensors = new ArrayList<>();
  private final List<Operator> ops = new ArrayList<>();
  private final List<Integer> inputs = new ArrayList<>();
  private final List<Integer> outputs = new ArrayList<>();

  /** A non-constant int8 tensor with per-tensor quantization. */
  public int int8(String name, int[] shape, float scale, int zeroPoint) {
    return add(name, TensorType.INT8, shape, Quantization.perTensor(scale, zeroPoint), null);
  }

  /** A non-constant tensor of any type (quantization may be null). */
  public int tensor(String name, TensorType type, int[] shape, Quantization q) {
    return add(name, type, shape, q, null);
  }

  public int constInt8(String name, int[] shape, byte[] data, Quantization q) {
    return add(name, TensorType.INT8, shape, q, ByteBuffer.wrap(data.clone()));
  }

  public int constInt32(String name, int[] shape, int[] data, Quantization q) {
    ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : data) {
      b.putInt(v);
    }
    b.flip();
    return add(name, TensorType.INT32, shape, q, b);
  }

  /** A constant of any type from raw little-endian bytes. */
  public int constRaw(String name, TensorType type, int[] shape, byte[] data, Quantization q) {
    return add(name, type, shape, q, ByteBuffer.wrap(data.clone()));
  }

  private int add(String name, TensorType type, int[] shape, Quantization q, ByteBuffer data) {
    int index = tensors.size();
    tensors.add(new Tensor(index, name, type, new Shape(shape), q, data, false));
    return index;
  }

  /** Adds an op; -1 in {@code in} marks an absent optional input. */
  public void op(BuiltinOp op, OpOptions options, int[] in, int... out) {
    List<Integer> i = new ArrayList<>();
    for (int v : in) {
      i.add(v);
    }
    List<Integer> o = new ArrayList<>();
    for (int v : out) {
      o.add(v);
    }
    ops.add(new Operator(ops.size(), op.code(), 1, null, i, o, options));
  }

  public void input(int tensor) {
    inputs.add(tensor);
  }

  public void output(int tensor) {
    outputs.add(tensor);
  }

  public Tensor tensorAt(int index) {
    return tensors.get(index);
  }

  public Model build(String name) {
    return new Model(name, 3, "tinyforge generated test model", tensors, ops, inputs, outputs, Map.of());
  }
}
