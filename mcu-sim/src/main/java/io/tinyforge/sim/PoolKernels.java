package io.tinyforge.sim;

import io.tinyforge.lower.PoolParams;

/** AVERAGE_POOL_2D and MAX_POOL_2D int8 (TFLM reference_integer_ops::AveragePool / MaxPool). */
public final class PoolKernels {
  private PoolKernels() {}

  static void register(KernelRegistry r) {
    r.register(PoolParams.class, (p, a) -> {
      if (Int16Kernels.isInt16(a, p.input())) {
        Int16Kernels.pool(p, a.bytes(p.input()), a.bytes(p.output()));
      } else {
        pool(p, a.bytes(p.input()), a.bytes(p.output()));
      }
    });
  }

  public static void pool(PoolParams p, byte[] input, byte[] output) {
    final int inH = p.inputHeight();
    final int inW = p.inputWidth();
    final int depth = p.depth();
    final boolean average = p.kind() == PoolParams.Kind.AVERAGE;
    int outIdx = 0;
    for (int b = 0; b < p.batches(); b++) {
      for (int oy = 0; oy < p.outputHeight(); oy++) {
        for (int ox = 0; ox < p.outputWidth(); ox++) {
          final int inX0 = ox * p.strideWidth() - p.padWidth();
          final int inY0 = oy * p.strideHeight() - p.padHeight();
          // The window clipped to the image, as the reference kernel computes it.
          final int fxStart = Math.max(0, -inX0);
          final int fxEnd = Math.min(p.filterWidth(), inW - inX0);
          final int fyStart = Math.max(0, -inY0);
          final int fyEnd = Math.min(p.filterHeight(), inH - inY0);
          for (int c = 0; c < depth; c++) {
            int v;
            if (average) {
              int acc = 0;
              int count = 0;
              for (int fy = fyStart; fy < fyEnd; fy++) {
                for (int fx = fxStart; fx < fxEnd; fx++) {
                  acc += input[(((b * inH) + inY0 + fy) * inW + inX0 + fx) * depth + c];
                  count++;
                }
              }
              // An empty window makes the reference kernel return early; TFLM's filter/padding rules exclude it.
              if (count == 0) {
                throw new IllegalStateException("average pool window outside the image");
              }
              v = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
            } else {
              v = -128;
              for (int fy = fyStart; fy < fyEnd; fy++) {
                for (int fx = fxStart; fx < fxEnd; fx++) {
                  v = Math.max(v, input[(((b * inH) + inY0 + fy) * inW + inX0 + fx) * depth + c]);
                }
              }
            }
            v = Math.max(v, p.activationMin());
            v = Math.min(v, p.activationMax());
            output[outIdx++] = (byte) v;
          }
        }
      }
    }
  }
}
