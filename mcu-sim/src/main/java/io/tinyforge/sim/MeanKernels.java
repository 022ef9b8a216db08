package io.tinyforge.sim;

import io.tinyforge.lower.MeanParams;
import io.tinyforge.lower.QuantMath;

/** MEAN int8 (TFLM reference_ops::QuantizedMeanOrSum with compute_sum = false; see {@link MeanParams}). */
public final class MeanKernels {
  private MeanKernels() {}

  static void register(KernelRegistry r) {
    r.register(MeanParams.class, (p, a) -> {
      if (Int16Kernels.isInt16(a, p.input())) {
        mean16(p, a.bytes(p.input()), a.bytes(p.output()));
      } else {
        mean(p, a.bytes(p.input()), a.bytes(p.output()));
      }
    });
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

  /** MEAN int16: the same arithmetic (QuantizedMeanOrSum on int16 values), clamped to int16. */
  public static void mean16(MeanParams p, byte[] inputBytes, byte[] output) {
    short[] in = Int16Kernels.shorts(inputBytes);
    int[] values = new int[in.length];
    for (int i = 0; i < in.length; i++) {
      values[i] = in[i];
    }
    int[] sum = reduceSum(p.inputDims(), p.axes(), values, p.outputElements());
    long n = count(p.inputDims(), p.axes());
    for (int i = 0; i < sum.length; i++) {
      int v = 0;
      if (n != 0) {
        int shifted = (int) (sum[i] - (long) p.inputZeroPoint() * n);
        v = QuantMath.multiplyByQuantizedMultiplier(shifted, p.multiplier(), p.shift()) + p.outputZeroPoint();
        v = Math.min(Math.max(v, Short.MIN_VALUE), Short.MAX_VALUE);
      }
      output[2 * i] = (byte) v;
      output[2 * i + 1] = (byte) (v >> 8);
    }
  }

  static int[] reduceSum(int[] dims, int[] axes, byte[] input, int outputElements) {
    int[] values = new int[input.length];
    for (int i = 0; i < input.length; i++) {
      values[i] = input[i];
    }
    return reduceSum(dims, axes, values, outputElements);
  }

  /** int32 (wrapping) sums of the raw values over the reduced axes, in output order. */
  static int[] reduceSum(int[] dims, int[] axes, int[] input, int outputElements) {
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
