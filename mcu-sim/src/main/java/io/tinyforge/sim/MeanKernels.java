package io.tinyforge.sim;

import io.tinyforge.lower.MeanParams;
import io.tinyforge.lower.QuantMath;

/** MEAN int8 (TFLM reference_ops::QuantizedMeanOrSum with compute_sum = false; see {@link MeanParams}). */
public final class MeanKernels {
  private MeanKernels() {}

  static void register(KernelRegistry r) {
    r.register(MeanParams.class, (p, a) -> mean(p, a.bytes(p.input()), a.bytes(p.output())));
  }

  public static void mean(MeanParams p, byte[] input, byte[] output) {
    int[] dims = p.inputDims();
    int[] axes = p.axes();
    int[] sum = reduceSum(dims, axes, input, p.outputElements());
    long n = count(dims, axes);
    for (int i = 0; i < sum.length; i++) {
      if (n == 0) {
        output[i] = 0;
        continue;
      }
      // The int64 product is narrowed to the int32 accumulator type, wrapping as the C cast does.
      int shifted = (int) (sum[i] - (long) p.inputZeroPoint() * n);
      int v = QuantMath.multiplyByQuantizedMultiplier(shifted, p.multiplier(), p.shift()) + p.outputZeroPoint();
      output[i] = (byte) Math.min(Math.max(v, -128), 127);
    }
  }

  /** int32 (wrapping) sums of the raw values over the reduced axes, in output order. */
  static int[] reduceSum(int[] dims, int[] axes, byte[] input, int outputElements) {
    int[] sum = new int[outputElements];
    int rank = dims.length;
    boolean[] reduced = new boolean[rank];
    for (int a : axes) {
      reduced[a] = true;
    }
    int[] index = new int[rank];
    for (int i = 0; i < input.length; i++) {
      int off = 0;
      for (int d = 0; d < rank; d++) {
        if (!reduced[d]) {
          off = off * dims[d] + index[d];
        }
      }
      sum[off] += input[i];
      for (int d = rank - 1; d >= 0; d--) {
        if (++index[d] < dims[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return sum;
  }

  static long count(int[] dims, int[] axes) {
    long n = 1;
    for (int a : axes) {
      n *= dims[a];
    }
    return n;
  }
}
