package io.tinyforge.sim;

import io.tinyforge.lower.TransposeConvParams;

/** TRANSPOSE_CONV int8 (TFLM reference_integer_ops::TransposeConv): scatter into int32, then requantize. */
public final class TransposeConvKernels {
  private TransposeConvKernels() {}

  static void register(KernelRegistry r) {
    r.register(TransposeConvParams.class, (p, a) -> transposeConv(p, a.bytes(p.input()), a.bytes(p.filter()),
        a.ints(p.bias()), a.bytes(p.output())));
  }

  public static void transposeConv(TransposeConvParams p, byte[] input, byte[] filter, int[] bias,
      byte[] output) {
    final int inH = p.inputHeight();
    final int inW = p.inputWidth();
    final int inD = p.inputDepth();
    final int fH = p.filterHeight();
    final int fW = p.filterWidth();
    final int outH = p.outputHeight();
    final int outW = p.outputWidth();
    final int outD = p.outputDepth();
    final int inOff = p.inputOffset();
    final int[] scratch = new int[p.batches() * outH * outW * outD];
    for (int b = 0; b < p.batches(); b++) {
      for (int iy = 0; iy < inH; iy++) {
        for (int ix = 0; ix < inW; ix++) {
          final int oy0 = iy * p.strideHeight() - p.padHeight();
          final int ox0 = ix * p.strideWidth() - p.padWidth();
          final int inBase = ((b * inH + iy) * inW + ix) * inD;
          for (int fy = 0; fy < fH; fy++) {
            final int oy = oy0 + fy;
            if (oy < 0 || oy >= outH) {
              continue;
            }
            for (int fx = 0; fx < fW; fx++) {
              final int ox = ox0 + fx;
              if (ox < 0 || ox >= outW) {
                continue;
              }
              final int outBase = ((b * outH + oy) * outW + ox) * outD;
              for (int ic = 0; ic < inD; ic++) {
                final int v = input[inBase + ic] + inOff;
                for (int oc = 0; oc < outD; oc++) {
                  scratch[outBase + oc] += v * filter[((oc * fH + fy) * fW + fx) * inD + ic];
                }
              }
            }
          }
        }
      }
    }
    final int[] mult = p.outputMultiplier();
    final int[] shift = p.outputShift();
    for (int i = 0; i < scratch.length; i++) {
      final int oc = i % outD;
      int acc = scratch[i];
      if (bias != null) {
        acc += bias[oc];
      }
      output[i] = Requantize.toInt8(acc, mult[oc], shift[oc], p.outputOffset(), p.activationMin(),
          p.activationMax());
    }
  }
}
