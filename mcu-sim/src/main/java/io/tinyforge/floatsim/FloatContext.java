package io.tinyforge.floatsim;

import io.tinyforge.model.Activation;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;

/** The tensors of one run and the dispatch of each op to its float kernel. */
final class FloatContext {
  private final Model model;
  private final float[][] values;
  private final int[][] ints;

  FloatContext(Model model, float[][] values, int[][] ints) {
    this.model = model;
    this.values = values;
    this.ints = ints;
  }

  float[] in(Operator op, int i) {
    int t = op.input(i);
    return t < 0 ? null : values[t];
  }

  int[] dims(int tensor) {
    return model.tensor(tensor).shape().toArray();
  }

  int[] constInts(Operator op, int i) {
    int t = op.input(i);
    if (t < 0 || ints[t] == null) {
      throw new ModelException(model.source() + ": op " + op.index() + " (" + op.opName() + "): input " + i
          + " must be a constant int32 tensor for the float interpreter");
    }
    return ints[t];
  }

  float[] newOut(Operator op, int i) {
    int t = op.output(i);
    float[] v = new float[model.tensor(t).shape().elementCount()];
    values[t] = v;
    return v;
  }

  void run(Operator op) {
    switch (op.op()) {
      case CONV_2D -> FloatConvolution.conv(this, op);
      case DEPTHWISE_CONV_2D -> FloatConvolution.depthwise(this, op);
      case FULLY_CONNECTED -> FloatConvolution.fullyConnected(this, op);
      case TRANSPOSE_CONV -> FloatConvolution.transposeConv(this, op);
      case AVERAGE_POOL_2D, MAX_POOL_2D -> FloatPooling.pool(this, op);
      case MEAN -> FloatPooling.mean(this, op);
      case ADD, SUB, MUL, MAXIMUM, MINIMUM, PRELU -> FloatElementwise.binary(this, op);
      case RELU, RELU6, TANH, LOGISTIC, HARD_SWISH, LEAKY_RELU -> FloatElementwise.unary(this, op);
      case SOFTMAX -> FloatElementwise.softmax(this, op);
      case RESHAPE, SQUEEZE, EXPAND_DIMS -> System.arraycopy(in(op, 0), 0, newOut(op, 0), 0, in(op, 0).length);
      case CONCATENATION -> FloatLayout.concat(this, op, op.options(OpOptions.Concatenation.class).axis(),
          op.options(OpOptions.Concatenation.class).activation());
      case PACK -> FloatLayout.concat(this, op, op.options(OpOptions.Pack.class).axis(), Activation.NONE);
      case UNPACK -> FloatLayout.split(this, op, 0, op.options(OpOptions.Unpack.class).axis());
      case SPLIT -> FloatLayout.split(this, op, 1, constInts(op, 0)[0]);
      case SPLIT_V -> FloatLayout.split(this, op, 0, constInts(op, 2)[0]);
      case PAD, PADV2 -> FloatLayout.pad(this, op);
      case TRANSPOSE -> FloatLayout.transpose(this, op);
      case STRIDED_SLICE -> FloatLayout.stridedSlice(this, op);
      case RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR -> FloatLayout.resize(this, op);
      default -> throw new ModelException(model.source() + ": op " + op.index() + " (" + op.opName()
          + ") is not supported by the float interpreter");
    }
  }

  /**
   * TFLite's ActivationFunctionWithMinMax for a fused activation. Fused activations are clamps only: TFLM's
   * CalculateActivationRange gives TANH and SIGN_BIT the full float range, so they leave the value unchanged.
   */
  static float activate(float x, Activation a) {
    return switch (a) {
      case RELU -> Math.max(x, 0f);
      case RELU6 -> Math.min(Math.max(x, 0f), 6f);
      case RELU_N1_TO_1 -> Math.min(Math.max(x, -1f), 1f);
      case NONE, TANH, SIGN_BIT -> x;
    };
  }
}
