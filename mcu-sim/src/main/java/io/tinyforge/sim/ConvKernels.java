package io.tinyforge.sim;

import io.tinyforge.lower.ConvParams;

/**
 * CONV_2D int8 per-channel, equal in result to TFLM's reference ConvPerChannel. int32 addition wraps exactly as the
 * C accumulator does and is associative, so the loops are reordered for speed: each output pixel's receptive field
 * is gathered once (input offset added, 0 outside the image, as the reference skips those taps) and all output
 * channels of a group accumulate together from a filter transposed to [tap][output channel] (a vectorisable loop).
 */
public final class ConvKernels {
  private ConvKernels() {}

  static void register(KernelRegistry r) {
    r.register(ConvParams.class, (p, a) -> {
      if (Int16Kernels.isInt16(a, p.input())) {
        Int16Kernels.conv(p, a.bytes(p.input()), a.bytes(p.filter()), Int16Kernels.longs(a, p.bias()),
            a.bytes(p.output()));
        return;
      }
      int[] byTap = a.derived(p.filter(), "conv-filter-by-tap", f -> transpose(f, p.outputDepth()));
      convByTap(p, a.bytes(p.input()), byTap, a.ints(p.bias()), a.bytes(p.output()));
    });
  }

  /** OHWI int8 filter as int[tap * outputDepth + oc], tap = (fy * W + fx) * I + ic. */
  static int[] transpose(byte[] filter, int outD) {
    int taps = filter.length / outD;
    int[] t = new int[filter.length];
    for (int oc = 0; oc < outD; oc++) {
      for (int k = 0; k < taps; k++) {
        t[k * outD + oc] = filter[oc * taps + k];
      }
    }
    return t;
  }

  /** Reference-shaped entry point taking the filter as stored in the model (OHWI int8). */
  public static void conv(ConvParams p, byte[] input, byte[] filter, int[] bias, byte[] output) {
    convByTap(p, input, transpose(filter, p.outputDepth()), bias, output);
  }

  static void convByTap(ConvParams p, byte[] input, int[] filterByTap, int[] bias, byte[] output) {
    final int inH = p.inputHeight();
    final int inW = p.inputWidth();
    final int inD = p.inputDepth();
    final int fH = p.filterHeight();
    final int fW = p.filterWidth();
    final int fD = p.filterInputDepth();
    final int outH = p.outputHeight();
    final int outW = p.outputWidth();
    final int outD = p.outputDepth();
    final int groups = inD / fD;
    final int perGroup = outD / groups;
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
    final int taps = fH * fW * fD;
    final int[] patch = new int[taps];
    final boolean[] inside = new boolean[taps];
    final int[] acc = new int[outD];

    for (int b = 0; b < p.batches(); b++) {
      final int inBase = b * inH * inW * inD;
      int outIdx = b * outH * outW * outD;
      for (int oy = 0; oy < outH; oy++) {
        final int inY0 = oy * strideH - padH;
        for (int ox = 0; ox < outW; ox++) {
          final int inX0 = ox * strideW - padW;
          if (bias != null) {
            System.arraycopy(bias, 0, acc, 0, outD);
          } else {
            java.util.Arrays.fill(acc, 0);
          }
          for (int g = 0; g < groups; g++) {
            gather(input, patch, inside, inBase, inY0, inX0, inH, inW, inD, fH, fW, fD, dilH, dilW, g * fD, inOff);
            final int oc0 = g * perGroup;
            final int oc1 = oc0 + perGroup;
            for (int k = 0; k < taps; k++) {
              if (!inside[k]) {
                continue;
              }
              final int v = patch[k];
              final int row = k * outD;
              for (int oc = oc0; oc < oc1; oc++) {
                acc[oc] += filterByTap[row + oc] * v;
              }
            }
          }
          for (int oc = 0; oc < outD; oc++) {
            output[outIdx + oc] = Requantize.toInt8(acc[oc], mult[oc], shift[oc], outOff, actMin, actMax);
          }
          outIdx += outD;
        }
      }
    }
  }

  /** Receptive field of one output pixel for channels [c0, c0 + fD), input offset added; taps outside marked. */
  private static void gather(byte[] input, int[] patch, boolean[] inside, int inBase, int inY0, int inX0, int inH,
      int inW, int inD, int fH, int fW, int fD, int dilH, int dilW, int c0, int inOff) {
    int k = 0;
    for (int fy = 0; fy < fH; fy++) {
      final int y = inY0 + dilH * fy;
      final boolean rowInside = y >= 0 && y < inH;
      final int rowBase = inBase + y * inW * inD + c0;
      for (int fx = 0; fx < fW; fx++) {
        final int x = inX0 + dilW * fx;
        final boolean in = rowInside && x >= 0 && x < inW;
        if (!in) {
          java.util.Arrays.fill(inside, k, k + fD, false);
          k += fD;
          continue;
        }
        final int src = rowBase + x * inD;
        for (int c = 0; c < fD; c++) {
          patch[k] = input[src + c] + inOff;
          inside[k++] = true;
        }
      }
    }
  }
}
