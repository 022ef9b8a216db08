package io.tinyforge.sim;

import io.tinyforge.lower.DepthwiseParams;

/**
 * DEPTHWISE_CONV_2D int8 per-channel, equal in result to TFLM's reference DepthwiseConvPerChannel (int32 wrapping
 * addition is associative, so the accumulation order is free). Output rows are accumulated tap by tap; with
 * depth multiplier 1 and unit horizontal stride and dilation the inner loop runs over a whole contiguous row
 * (output x times channels), against a filter row pre-expanded to that length.
 */
public final class DepthwiseKernels {
  private DepthwiseKernels() {}

  static void register(KernelRegistry r) {
    r.register(DepthwiseParams.class, (p, a) -> {
      if (Int16Kernels.isInt16(a, p.input())) {
        Int16Kernels.depthwise(p, a.bytes(p.input()), a.bytes(p.filter()), Int16Kernels.longs(a, p.bias()),
            a.bytes(p.output()));
        return;
      }
      int[] expanded = rowFast(p)
          ? a.derived(p.filter(), "dw-filter-rows-" + p.outputWidth(), f -> expand(p, f))
          : null;
      depthwise(p, a.bytes(p.input()), a.bytes(p.filter()), expanded, a.ints(p.bias()), a.bytes(p.output()));
    });
  }

  static boolean rowFast(DepthwiseParams p) {
    return p.depthMultiplier() == 1 && p.strideWidth() == 1 && p.dilationWidth() == 1;
  }

  public static void depthwise(DepthwiseParams p, byte[] input, byte[] filter, int[] bias, byte[] output) {
    depthwise(p, input, filter, rowFast(p) ? expand(p, filter) : null, bias, output);
  }

  /** 1HWC filter as int[tap * outW * C + x * C + c] = filter[tap * C + c]: one tap's row repeated per column. */
  static int[] expand(DepthwiseParams p, byte[] filter) {
    final int c = p.outputDepth();
    final int taps = p.filterHeight() * p.filterWidth();
    final int row = p.outputWidth() * c;
    int[] e = new int[taps * row];
    for (int t = 0; t < taps; t++) {
      for (int x = 0; x < p.outputWidth(); x++) {
        for (int ch = 0; ch < c; ch++) {
          e[t * row + x * c + ch] = filter[t * c + ch];
        }
      }
    }
    return e;
  }

  static void depthwise(DepthwiseParams p, byte[] input, byte[] filter, int[] expanded, int[] bias,
      byte[] output) {
    final int inH = p.inputHeight();
    final int inW = p.inputWidth();
    final int inD = p.inputDepth();
    final int fH = p.filterHeight();
    final int fW = p.filterWidth();
    final int outH = p.outputHeight();
    final int outW = p.outputWidth();
    final int outD = p.outputDepth();
    final int dm = p.depthMultiplier();
    final int strideH = p.strideHeight();
    final int strideW = p.strideWidth();
    final int dilH = p.dilationHeight();
    final int dilW = p.dilationWidth();
    final int padH = p.padHeight();
    final int padW = p.padWidth();
    final int inOff = p.inputOffset();
    final int outOff = p.outputOffset();
    final int actMin = p.activationMin();
    final int actMax = p.activationMax();
    final int[] mult = p.outputMultiplier();
    final int[] shift = p.outputShift();
    final int rowLen = outW * outD;
    final int[] acc = new int[rowLen];
    // The input with its offset applied once, so the tap loops are plain int multiply-adds.
    final int[] in = new int[input.length];
    for (int i = 0; i < in.length; i++) {
      in[i] = input[i] + inOff;
    }

    for (int b = 0; b < p.batches(); b++) {
      final int inBase = b * inH * inW * inD;
      for (int oy = 0; oy < outH; oy++) {
        final int inY0 = oy * strideH - padH;
        for (int x = 0; x < outW; x++) {
          if (bias != null) {
            System.arraycopy(bias, 0, acc, x * outD, outD);
          } else {
            java.util.Arrays.fill(acc, x * outD, (x + 1) * outD, 0);
          }
        }
        for (int fy = 0; fy < fH; fy++) {
          final int y = inY0 + dilH * fy;
          if (y < 0 || y >= inH) {
            continue;
          }
          final int inRow = inBase + y * inW * inD;
          for (int fx = 0; fx < fW; fx++) {
            final int tap = fy * fW + fx;
            // Output columns whose input column x = ox * strideW - padW + fx * dilW lies inside the image.
            final int shiftX = fx * dilW - padW;
            final int oxLo = Math.max(0, ceilDiv(-shiftX, strideW));
            final int oxHi = Math.min(outW, ceilDiv(inW - shiftX, strideW));
            if (oxLo >= oxHi) {
              continue;
            }
            if (expanded != null) {
              // dm == 1, unit stride/dilation: input and accumulator rows advance together.
              final int fRow = tap * rowLen;
              final int src = inRow + shiftX * inD;
              for (int j = oxLo * outD, end = oxHi * outD; j < end; j++) {
                acc[j] += expanded[fRow + j] * in[src + j];
              }
            } else {
              final int fBase = tap * outD;
              for (int ox = oxLo; ox < oxHi; ox++) {
                final int src = inRow + (ox * strideW + shiftX) * inD;
                final int a0 = ox * outD;
                if (dm == 1) {
                  for (int c = 0; c < outD; c++) {
                    acc[a0 + c] += filter[fBase + c] * in[src + c];
                  }
                } else {
                  for (int ic = 0; ic < inD; ic++) {
                    final int v = in[src + ic];
                    final int oc0 = ic * dm;
                    for (int m = 0; m < dm; m++) {
                      acc[a0 + oc0 + m] += filter[fBase + oc0 + m] * v;
                    }
                  }
                }
              }
            }
          }
        }
        final int outRow = ((b * outH) + oy) * rowLen;
        for (int j = 0; j < rowLen; j++) {
          final int oc = j % outD;
          output[outRow + j] = Requantize.toInt8(acc[j], mult[oc], shift[oc], outOff, actMin, actMax);
        }
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
