package io.tinyforge.floatsim;

import io.tinyforge.lower.PaddingMath;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;

/** AVERAGE_POOL_2D, MAX_POOL_2D and MEAN in float, summing in TFLM's order (window rows, then columns). */
final class FloatPooling {
  private FloatPooling() {}

  static void pool(FloatContext c, Operator op) {
    OpOptions.Pool2D o = op.options(OpOptions.Pool2D.class);
    boolean average = op.op() == BuiltinOp.AVERAGE_POOL_2D;
    float[] in = c.in(op, 0);
    int[] is = c.dims(op.input(0));
    int[] os = c.dims(op.output(0));
    float[] out = c.newOut(op, 0);
    int inH = is[1];
    int inW = is[2];
    int ch = is[3];
    int outH = os[1];
    int outW = os[2];
    int padH = PaddingMath.padding(o.strideH(), 1, inH, o.filterH(), outH);
    int padW = PaddingMath.padding(o.strideW(), 1, inW, o.filterW(), outW);
    for (int b = 0; b < os[0]; b++) {
      for (int oy = 0; oy < outH; oy++) {
        for (int ox = 0; ox < outW; ox++) {
          int y0 = oy * o.strideH() - padH;
          int x0 = ox * o.strideW() - padW;
          int fy0 = Math.max(0, -y0);
          int fy1 = Math.min(o.filterH(), inH - y0);
          int fx0 = Math.max(0, -x0);
          int fx1 = Math.min(o.filterW(), inW - x0);
          for (int d = 0; d < ch; d++) {
            float acc = average ? 0f : -Float.MAX_VALUE;
            int count = 0;
            for (int fy = fy0; fy < fy1; fy++) {
              for (int fx = fx0; fx < fx1; fx++) {
                float v = in[((b * inH + y0 + fy) * inW + x0 + fx) * ch + d];
                acc = average ? acc + v : Math.max(acc, v);
                count++;
              }
            }
            float r = average ? (count == 0 ? 0f : acc / count) : acc;
            out[((b * outH + oy) * outW + ox) * ch + d] = FloatContext.activate(r, o.activation());
          }
        }
      }
    }
  }

  /** Sums every input element into its output slot in input order, then divides by the reduced element count. */
  static void mean(FloatContext c, Operator op) {
    float[] in = c.in(op, 0);
    int[] is = c.dims(op.input(0));
    int[] axes = c.constInts(op, 1);
    boolean[] reduced = new boolean[is.length];
    for (int a : axes) {
      reduced[a < 0 ? a + is.length : a] = true;
    }
    float[] out = c.newOut(op, 0);
    int reducedCount = 1;
    for (int d = 0; d < is.length; d++) {
      if (reduced[d]) {
        reducedCount *= is[d];
      }
    }
    int[] idx = new int[is.length];
    for (int i = 0; i < in.length; i++) {
      int o = 0;
      for (int d = 0; d < is.length; d++) {
        if (!reduced[d]) {
          o = o * is[d] + idx[d];
        }
      }
      out[o] += in[i];
      for (int d = is.length - 1; d >= 0 && ++idx[d] == is[d]; d--) {
        idx[d] = 0;
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = out[i] / reducedCount;
    }
  }
}
