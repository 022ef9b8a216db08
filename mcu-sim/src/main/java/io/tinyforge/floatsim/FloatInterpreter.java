package io.tinyforge.floatsim;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reference interpreter of float32 models: the ops of the int8 simulator, computed in float as TFLM's float reference
 * kernels compute them (same loops, same summation order), so results agree to a few ULP (exp/tanh come from Java's
 * libm rather than glibc's). The quantizer runs it to collect each tensor's range and to measure the int8 model's
 * error against it. Tensors are float[] by index; constant INT32 tensors (shapes, axes, paddings) are read as ints.
 */
public final class FloatInterpreter {
  /** The ops this interpreter runs; the same list the int8 simulator has, minus QUANTIZE/DEQUANTIZE. */
  public static final Set<BuiltinOp> OPS = EnumSet.of(BuiltinOp.ADD, BuiltinOp.AVERAGE_POOL_2D,
      BuiltinOp.CONCATENATION, BuiltinOp.CONV_2D, BuiltinOp.DEPTHWISE_CONV_2D, BuiltinOp.EXPAND_DIMS,
      BuiltinOp.FULLY_CONNECTED, BuiltinOp.HARD_SWISH, BuiltinOp.LEAKY_RELU, BuiltinOp.LOGISTIC, BuiltinOp.MAXIMUM,
      BuiltinOp.MAX_POOL_2D, BuiltinOp.MEAN, BuiltinOp.MINIMUM, BuiltinOp.MUL, BuiltinOp.PACK, BuiltinOp.PAD,
      BuiltinOp.PADV2, BuiltinOp.PRELU, BuiltinOp.RELU, BuiltinOp.RELU6, BuiltinOp.RESHAPE,
      BuiltinOp.RESIZE_BILINEAR, BuiltinOp.RESIZE_NEAREST_NEIGHBOR, BuiltinOp.SOFTMAX, BuiltinOp.SPLIT,
      BuiltinOp.SPLIT_V, BuiltinOp.SQUEEZE, BuiltinOp.STRIDED_SLICE, BuiltinOp.SUB, BuiltinOp.TANH,
      BuiltinOp.TRANSPOSE, BuiltinOp.TRANSPOSE_CONV, BuiltinOp.UNPACK);

  private final Model model;
  private final float[][] constants;
  private final int[][] ints;

  private FloatInterpreter(Model model) {
    this.model = model;
    int n = model.tensors().size();
    constants = new float[n][];
    ints = new int[n][];
    for (Tensor t : model.tensors()) {
      if (t.isConstant() && t.type() == TensorType.FLOAT32) {
        constants[t.index()] = decodeFloats(t.constantData(), t.shape().elementCount());
      } else if (t.isConstant() && t.type() == TensorType.INT32) {
        ints[t.index()] = decodeInts(t.constantData(), t.shape().elementCount());
      }
    }
  }

  /** Checks that every op is supported and every activation is float32; the error names the first that is not. */
  public static FloatInterpreter of(Model model) {
    for (Operator op : model.operators()) {
      if (op.op() == null || !OPS.contains(op.op())) {
        throw new ModelException(model.source() + ": op " + op.index() + " (" + op.opName() + ") is not supported "
            + "by the float interpreter; supported: " + OPS);
      }
      for (int t : op.outputs()) {
        Tensor out = model.tensor(t);
        if (out.type() != TensorType.FLOAT32) {
          throw new ModelException(model.source() + ": op " + op.index() + " (" + op.opName() + ") writes "
              + out.type() + " tensor " + out.label() + "; the float interpreter runs float32 models only");
        }
      }
    }
    for (int i : model.inputs()) {
      if (model.tensor(i).type() != TensorType.FLOAT32) {
        throw new ModelException(model.source() + ": input " + model.tensor(i).label() + " is "
            + model.tensor(i).type() + "; the float interpreter runs float32 models only");
      }
    }
    return new FloatInterpreter(model);
  }

  public Model model() {
    return model;
  }

  /** Runs one inference; the result holds every tensor's values (constants included) by tensor index. */
  public FloatRun run(float[]... inputs) {
    if (inputs.length != model.inputs().size()) {
      throw new ModelException("the model has " + model.inputs().size() + " inputs, " + inputs.length + " given");
    }
    float[][] values = constants.clone();
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = model.input(i);
      if (inputs[i].length != t.shape().elementCount()) {
        throw new ModelException("input " + i + " " + t.label() + " needs " + t.shape().elementCount()
            + " floats (" + t.shape() + "), got " + inputs[i].length);
      }
      values[t.index()] = inputs[i].clone();
    }
    FloatContext ctx = new FloatContext(model, values, ints);
    for (Operator op : model.operators()) {
      ctx.run(op);
    }
    return new FloatRun(model, values);
  }

  static float[] decodeFloats(ByteBuffer b, int n) {
    float[] v = new float[n];
    b.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  static int[] decodeInts(ByteBuffer b, int n) {
    int[] v = new int[n];
    b.order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
    return v;
  }
}
