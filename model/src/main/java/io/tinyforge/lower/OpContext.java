package io.tinyforge.lower;

import io.tinyforge.model.Activation;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One operator being lowered, with the lookups and checks every lowering needs. Every failure is a
 * {@link ModelException} that names the model, the op index and the op name.
 */
public final class OpContext {
  private final Model model;
  private final Operator op;

  public OpContext(Model model, Operator op) {
    this.model = model;
    this.op = op;
  }

  public Model model() {
    return model;
  }

  public Operator op() {
    return op;
  }

  /** An error about this op: "model: op 3 (CONV_2D): message". */
  public ModelException fail(String message) {
    return new ModelException(model.source() + ": op " + op.index() + " (" + op.opName() + "): " + message);
  }

  /** Input tensor in slot i; fails if absent. */
  public Tensor input(int i) {
    int t = op.input(i);
    if (t < 0) {
      throw fail("input " + i + " is missing");
    }
    return model.tensor(t);
  }

  /** Input tensor in slot i, or null when the optional input is absent (-1 or beyond the list). */
  public Tensor optionalInput(int i) {
    int t = op.input(i);
    return t < 0 ? null : model.tensor(t);
  }

  public Tensor output(int i) {
    if (i >= op.outputs().size()) {
      throw fail("output " + i + " is missing");
    }
    return model.tensor(op.output(i));
  }

  public void requireInputCount(int min, int max) {
    int n = op.inputs().size();
    if (n < min || n > max) {
      throw fail("has " + n + " inputs, expected " + (min == max ? String.valueOf(min) : min + " to " + max));
    }
  }

  public void requireType(Tensor t, String role, TensorType... allowed) {
    for (TensorType a : allowed) {
      if (t.type() == a) {
        return;
      }
    }
    throw fail(role + " tensor " + t.label() + " is " + t.type() + ", expected "
        + (allowed.length == 1 ? allowed[0] : Arrays.toString(allowed))
        + (t.type() == TensorType.FLOAT32 ? "; tinyforge runs int8-quantized models: quantize the model fully" : ""));
  }

  public void requireRank(Tensor t, String role, int rank) {
    if (t.shape().rank() != rank) {
      throw fail(role + " tensor " + t.label() + " has shape " + t.shape() + ", expected rank " + rank);
    }
  }

  public void requireConstant(Tensor t, String role) {
    if (!t.isConstant()) {
      throw fail(role + " tensor " + t.label() + " must be a constant (weights baked into the model)");
    }
  }

  /** The quantization of a tensor; fails when it has none. */
  public Quantization quant(Tensor t, String role) {
    Quantization q = t.quantization();
    if (q == null || q.scales().isEmpty()) {
      throw fail(role + " tensor " + t.label() + " has no quantization parameters; quantize the model to int8");
    }
    return q;
  }

  /** Per-tensor scale of an activation tensor (fails when it is per-channel). */
  public float scale(Tensor t, String role) {
    Quantization q = quant(t, role);
    if (q.isPerChannel()) {
      throw fail(role + " tensor " + t.label() + " is quantized per channel; activations must be per tensor");
    }
    return q.scale();
  }

  public int zeroPoint(Tensor t, String role) {
    return quant(t, role).zeroPoint();
  }

  /**
   * The activation type of an op whose input and output are int8 (any zero points) or both int16 (16x8: zero point
   * 0 on both, as TFLM's int16 kernels assume). Fails naming the tensor otherwise.
   */
  public TensorType requireInt8OrInt16(Tensor input, Tensor output) {
    requireType(input, "input", TensorType.INT8, TensorType.INT16);
    requireType(output, "output", input.type());
    if (input.type() == TensorType.INT16) {
      for (Tensor t : new Tensor[] {input, output}) {
        if (zeroPoint(t, t == input ? "input" : "output") != 0) {
          throw fail((t == input ? "input" : "output") + " tensor " + t.label() + " is INT16 with zero point "
              + zeroPoint(t, "tensor") + "; 16-bit activations need zero point 0 (16x8 quantization)");
        }
      }
    }
    return input.type();
  }

  /** Activation clamp in the int8 or int16 output's quantized domain (CalculateActivationRangeQuantized). */
  public int[] activationRange(Activation activation, Tensor output) {
    if (output.type() != TensorType.INT16) {
      return activationRangeInt8(activation, output);
    }
    if (activation == Activation.TANH || activation == Activation.SIGN_BIT) {
      throw fail("fused activation " + activation + " is not supported by the int16 kernels");
    }
    try {
      return QuantMath.activationRangeQuantized(activation, scale(output, "output"), zeroPoint(output, "output"),
          -32768, 32767);
    } catch (ArithmeticException e) {
      throw fail(e.getMessage());
    }
  }

  /** Activation clamp in the int8 output's quantized domain (CalculateActivationRangeQuantized). */
  public int[] activationRangeInt8(Activation activation, Tensor output) {
    if (activation == Activation.TANH || activation == Activation.SIGN_BIT) {
      throw fail("fused activation " + activation + " is not supported by the int8 kernels");
    }
    try {
      return QuantMath.activationRangeQuantized(activation, scale(output, "output"), zeroPoint(output, "output"),
          -128, 127);
    } catch (ArithmeticException e) {
      throw fail(e.getMessage());
    }
  }

  /** The int32 values of a constant tensor. */
  public int[] constantInts(Tensor t, String role) {
    requireConstant(t, role);
    requireType(t, role, TensorType.INT32);
    ByteBuffer b = t.constantData();
    int[] v = new int[t.shape().elementCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getInt(i * 4);
    }
    return v;
  }

  public static int[] dims(Tensor t) {
    return t.shape().toArray();
  }
}
