package io.tinyforge.floatsim;

import io.tinyforge.model.Activation;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;

/** Binary ops with broadcasting, the activation ops and SOFTMAX, in float as TFLM's reference kernels do them. */
final class FloatElementwise {
  private FloatElementwise() {}

  static void binary(FloatContext c, Operator op) {
    float[] a = c.in(op, 0);
    float[] b = c.in(op, 1);
    int[] as = c.dims(op.input(0));
    int[] bs = c.dims(op.input(1));
    int[] os = c.dims(op.output(0));
    float[] out = c.newOut(op, 0);
    Activation act = op.options() instanceof OpOptions.Arithmetic ar ? ar.activation() : Activation.NONE;
    int[] aStride = broadcastStrides(as, os);
    int[] bStride = broadcastStrides(bs, os);
    int[] idx = new int[os.length];
    for (int i = 0; i < out.length; i++) {
      int ai = 0;
      int bi = 0;
      for (int d = 0; d < os.length; d++) {
        ai += idx[d] * aStride[d];
        bi += idx[d] * bStride[d];
      }
      float x = a[ai];
      float y = b[bi];
      float r = switch (op.op()) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case MAXIMUM -> Math.max(x, y);
        case MINIMUM -> Math.min(x, y);
        default -> x >= 0f ? x : x * y; // PRELU: y is alpha
      };
      out[i] = FloatContext.activate(r, act);
      for (int d = os.length - 1; d >= 0 && ++idx[d] == os[d]; d--) {
        idx[d] = 0;
      }
    }
  }

  /** Element strides of a tensor of shape {@code s} read at output index positions (0 on broadcast dimensions). */
  private static int[] broadcastStrides(int[] s, int[] os) {
    int[] strides = new int[os.length];
    int stride = 1;
    for (int d = os.length - 1, k = s.length - 1; d >= 0; d--, k--) {
      int dim = k >= 0 ? s[k] : 1;
      strides[d] = dim == 1 ? 0 : stride;
      stride *= dim;
    }
    return strides;
  }

  static void unary(FloatContext c, Operator op) {
    float[] in = c.in(op, 0);
    float[] out = c.newOut(op, 0);
    float alpha = op.options() instanceof OpOptions.LeakyRelu l ? l.alpha() : 0f;
    for (int i = 0; i < in.length; i++) {
      float x = in[i];
      out[i] = switch (op.op()) {
        case RELU -> Math.max(0f, x);
        case RELU6 -> Math.min(Math.max(0f, x), 6f);
        case TANH -> (float) Math.tanh(x);
        case LOGISTIC -> logistic(x);
        case HARD_SWISH -> x * Math.min(6f, Math.max(0f, x + 3f)) / 6f;
        default -> x > 0f ? x : x * alpha; // LEAKY_RELU
      };
    }
  }

  /** TFLite's float logistic: saturates above 16.619 (1 in float) and follows exp(x) below -9. */
  static float logistic(float x) {
    if (x > 16.619047164916992188f) {
      return 1f;
    }
    if (x < -9f) {
      return (float) Math.exp(x);
    }
    return 1f / (1f + (float) Math.exp(-x));
  }

  static void softmax(FloatContext c, Operator op) {
    float beta = op.options(OpOptions.Softmax.class).beta();
    float[] in = c.in(op, 0);
    int[] is = c.dims(op.input(0));
    int depth = is[is.length - 1];
    float[] out = c.newOut(op, 0);
    for (int base = 0; base < in.length; base += depth) {
      float max = -Float.MAX_VALUE;
      for (int i = 0; i < depth; i++) {
        max = Math.max(max, in[base + i]);
      }
      float sum = 0f;
      for (int i = 0; i < depth; i++) {
        float e = (float) Math.exp((in[base + i] - max) * beta);
        out[base + i] = e;
        sum += e;
      }
      for (int i = 0; i < depth; i++) {
        out[base + i] = out[base + i] / sum;
      }
    }
  }
}
