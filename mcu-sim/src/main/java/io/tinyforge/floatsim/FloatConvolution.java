package io.tinyforge.floatsim;

import io.tinyforge.lower.PaddingMath;
import io.tinyforge.model.Activation;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;

/**
 * CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV in float, with the loop nests of TFLM's float
 * reference kernels: each output's products are summed in the same order, the bias added last, then the clamp.
 */
final class FloatConvolution {
  private FloatConvolution() {}

  static void conv(FloatContext c, Operator op) {
    OpOptions.Conv2D o = op.options(OpOptions.Conv2D.class);
    float[] in = c.in(op, 0);
    float[] w = c.in(op, 1);
    float[] bias = c.in(op, 2);
    int[] is = c.dims(op.input(0));
    int[] ws = c.dims(op.input(1));
    int[] os = c.dims(op.output(0));
    float[] out = c.newOut(op, 0);
    int inH = is[1];
    int inW = is[2];
    int inC = is[3];
    int fH = ws[1];
    int fW = ws[2];
    int filterC = ws[3];
    int outH = os[1];
    int outW = os[2];
    int outC = os[3];
    int groups = inC / filterC;
    int perGroup = outC / groups;
    int padH = PaddingMath.padding(o.strideH(), o.dilationH(), inH, fH, outH);
    int padW = PaddingMath.padding(o.strideW(), o.dilationW(), inW, fW, outW);
    for (int b = 0; b < os[0]; b++) {
      for (int oy = 0; oy < outH; oy++) {
        for (int ox = 0; ox < outW; ox++) {
          for (int oc = 0; oc < outC; oc++) {
            int group = oc / perGroup;
            float total = 0f;
            for (int fy = 0; fy < fH; fy++) {
              int iy = oy * o.strideH() - padH + o.dilationH() * fy;
              for (int fx = 0; fx < fW; fx++) {
                int ix = ox * o.strideW() - padW + o.dilationW() * fx;
                if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
                  continue;
                }
                int inBase = ((b * inH + iy) * inW + ix) * inC + group * filterC;
                int wBase = ((oc * fH + fy) * fW + fx) * filterC;
                for (int ic = 0; ic < filterC; ic++) {
                  total += in[inBase + ic] * w[wBase + ic];
                }
              }
            }
            float biasValue = bias == null ? 0f : bias[oc];
            out[((b * outH + oy) * outW + ox) * outC + oc] = FloatContext.activate(total + biasValue, o.activation());
          }
        }
      }
    }
  }

  static void depthwise(FloatContext c, Operator op) {
    OpOptions.DepthwiseConv2D o = op.options(OpOptions.DepthwiseConv2D.class);
    float[] in = c.in(op, 0);
    float[] w = c.in(op, 1);
    float[] bias = c.in(op, 2);
    int[] is = c.dims(op.input(0));
    int[] ws = c.dims(op.input(1));
    int[] os = c.dims(op.output(0));
    float[] out = c.newOut(op, 0);
    int inH = is[1];
    int inW = is[2];
    int inC = is[3];
    int fH = ws[1];
    int fW = ws[2];
    int outH = os[1];
    int outW = os[2];
    int outC = os[3];
    int mult = outC / inC;
    int padH = PaddingMath.padding(o.strideH(), o.dilationH(), inH, fH, outH);
    int padW = PaddingMath.padding(o.strideW(), o.dilationW(), inW, fW, outW);
    for (int b = 0; b < os[0]; b++) {
      for (int oy = 0; oy < outH; oy++) {
        for (int ox = 0; ox < outW; ox++) {
          for (int ic = 0; ic < inC; ic++) {
            for (int m = 0; m < mult; m++) {
              int oc = m + ic * mult;
              float total = 0f;
              for (int fy = 0; fy < fH; fy++) {
                int iy = oy * o.strideH() - padH + o.dilationH() * fy;
                for (int fx = 0; fx < fW; fx++) {
                  int ix = ox * o.strideW() - padW + o.dilationW() * fx;
                  if (iy >= 0 && iy < inH && ix >= 0 && ix < inW) {
                    total += in[((b * inH + iy) * inW + ix) * inC + ic] * w[(fy * fW + fx) * outC + oc];
                  }
                }
              }
              float biasValue = bias == null ? 0f : bias[oc];
              out[((b * outH + oy) * outW + ox) * outC + oc] =
                  FloatContext.activate(total + biasValue, o.activation());
            }
          }
        }
      }
    }
  }

  static void fullyConnected(FloatContext c, Operator op) {
    OpOptions.FullyConnected o = op.options(OpOptions.FullyConnected.class);
    float[] in = c.in(op, 0);
    float[] w = c.in(op, 1);
    float[] bias = c.in(op, 2);
    int[] ws = c.dims(op.input(1));
    int units = ws[0];
    int depth = ws[1];
    int batches = in.length / depth;
    float[] out = c.newOut(op, 0);
    for (int b = 0; b < batches; b++) {
      for (int u = 0; u < units; u++) {
        float total = 0f;
        for (int d = 0; d < depth; d++) {
          total += in[b * depth + d] * w[u * depth + d];
        }
        float biasValue = bias == null ? 0f : bias[u];
        out[b * units + u] = FloatContext.activate(total + biasValue, o.activation());
      }
    }
  }

  /** Inputs: output shape, filter [oc, fh, fw, ic], input, optional bias; scatter-accumulate as TFLM does. */
  static void transposeConv(FloatContext c, Operator op) {
    OpOptions.TransposeConv o = op.options(OpOptions.TransposeConv.class);
    float[] w = c.in(op, 1);
    float[] in = c.in(op, 2);
    float[] bias = c.in(op, 3);
    int[] ws = c.dims(op.input(1));
    int[] is = c.dims(op.input(2));
    int[] os = c.dims(op.output(0));
    float[] out = c.newOut(op, 0);
    int inH = is[1];
    int inW = is[2];
    int inC = is[3];
    int fH = ws[1];
    int fW = ws[2];
    int outH = os[1];
    int outW = os[2];
    int outC = os[3];
    int padH = PaddingMath.padding(o.strideH(), 1, outH, fH, inH);
    int padW = PaddingMath.padding(o.strideW(), 1, outW, fW, inW);
    for (int b = 0; b < is[0]; b++) {
      for (int iy = 0; iy < inH; iy++) {
        for (int ix = 0; ix < inW; ix++) {
          for (int ic = 0; ic < inC; ic++) {
            int oy0 = iy * o.strideH() - padH;
            int ox0 = ix * o.strideW() - padW;
            for (int fy = 0; fy < fH; fy++) {
              for (int fx = 0; fx < fW; fx++) {
                for (int oc = 0; oc < outC; oc++) {
                  int oy = oy0 + fy;
                  int ox = ox0 + fx;
                  if (oy >= 0 && oy < outH && ox >= 0 && ox < outW) {
                    out[((b * outH + oy) * outW + ox) * outC + oc] += in[((b * inH + iy) * inW + ix) * inC + ic]
                        * w[((oc * fH + fy) * fW + fx) * inC + ic];
                  }
                }
              }
            }
          }
        }
      }
    }
    Activation act = o.activation();
    for (int i = 0; i < out.length; i++) {
      out[i] = FloatContext.activate(out[i] + (bias == null ? 0f : bias[i % outC]), act);
    }
  }
}
