package io.tinyforge.sim;

import io.tinyforge.lower.Int16Luts;
import io.tinyforge.lower.QuantMath;
import io.tinyforge.lower.SigmoidTanh16Params;
import io.tinyforge.lower.Softmax16Params;

/**
 * int16 (16x8) LOGISTIC, TANH and SOFTMAX: table lookups with linear interpolation, the integer arithmetic of
 * TFLM's reference int16 kernels. Tensors are little-endian int16 byte arrays.
 */
public final class Int16ActivationKernels {
  private Int16ActivationKernels() {}

  static void register(KernelRegistry r) {
    r.register(SigmoidTanh16Params.class, (p, a) -> sigmoidTanh(p, a.bytes(p.input()), a.bytes(p.output())));
    r.register(Softmax16Params.class, (p, a) -> softmax(p, a.bytes(p.input()), a.bytes(p.output())));
  }

  private static int get(byte[] b, int i) {
    return (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
  }

  private static void put(byte[] b, int i, int v) {
    b[2 * i] = (byte) v;
    b[2 * i + 1] = (byte) (v >> 8);
  }

  public static void sigmoidTanh(SigmoidTanh16Params p, byte[] in, byte[] out) {
    final int[] table = p.sigmoidTable();
    final int multiplier = p.inputMultiplier();
    final int shift = p.inputRightShift();
    final int round = shift > 0 ? 1 << (shift - 1) : 0;
    for (int i = 0; i < p.count(); i++) {
      int x = (get(in, i) * multiplier + round) >> shift;
      put(out, i, p.tanh() ? tanhOnGrid(table, x) : logisticOnGrid(table, x));
    }
  }

  /** sigmoid of x on the table grid: |x| has 9 fraction bits per table step; result 0..32767 (Q0.15). */
  static int logisticOnGrid(int[] table, int x) {
    int magnitude = Math.abs(x);
    int segment = magnitude >>> 9;
    int q25; // sigmoid(|x|) with 25 fraction bits
    if (segment >= 255) {
      q25 = 0x7FFF << 10;
    } else {
      int lo = table[segment];
      int hi = table[segment + 1];
      q25 = (lo << 9) + (magnitude & 0x1ff) * (hi - lo);
    }
    // sigmoid(-x) = 1 - sigmoid(x); round to 15 fraction bits
    int r = x >= 0 ? q25 + (1 << 9) : (1 << 25) - q25 + (1 << 9) - 1;
    return (short) (r >>> 10);
  }

  /** tanh of x on the table grid (8 fraction bits per step, i.e. 2x for the sigmoid): result in Q0.15. */
  static int tanhOnGrid(int[] table, int x) {
    int magnitude = Math.abs(x);
    int segment = magnitude >>> 8;
    int q24;
    if (segment >= 255) {
      q24 = 0xFFFF << 8;
    } else {
      int lo = table[segment];
      int hi = table[segment + 1];
      q24 = (lo << 8) + (magnitude & 0xff) * (hi - lo);
    }
    // tanh(x) = 2 sigmoid(2x) - 1, odd: subtract one half (2^23) and round to 15 fraction bits
    int r = x >= 0 ? q24 - (1 << 23) + (1 << 7) : -q24 + (1 << 23) + (1 << 7) - 1;
    return (short) (r >> 8);
  }

  public static void softmax(Softmax16Params p, byte[] in, byte[] out) {
    final short[] expTable = p.expTable();
    final short[] reciprocalTable = p.reciprocalTable();
    final int depth = p.depth();
    int[] exps = new int[depth];
    for (int row = 0; row < p.outerSize(); row++) {
      int base = row * depth;
      int max = Short.MIN_VALUE;
      for (int c = 0; c < depth; c++) {
        max = Math.max(max, get(in, base + c));
      }
      int sum = 0; // Q16.15
      for (int c = 0; c < depth; c++) {
        int scaled = QuantMath.multiplyByQuantizedMultiplier(get(in, base + c) - max, p.inputMultiplier(),
            p.inputShift());
        // [-65535, 0] -> [-32768, 32767]: the exp table's index range
        exps[c] = Int16Luts.lookup(expTable, saturate16(scaled + 32767));
        sum += exps[c];
      }
      int headroomPlusOne = Integer.numberOfLeadingZeros(sum);
      // the sum normalised to [1, 2) in Q1.15 ...
      int normalised = (int) ((((long) sum << (headroomPlusOne - 1)) + (1 << 13)) >> 14);
      // ... minus one and re-centred onto the table's symmetric index
      int reciprocal = Int16Luts.lookup(reciprocalTable, saturate16(normalised - ((1 << 15) + (1 << 16))));
      int rightShift = 31 - headroomPlusOne;
      long round = 1L << (rightShift - 1);
      for (int c = 0; c < depth; c++) {
        int v = (int) (((long) exps[c] * reciprocal + round) >> rightShift);
        put(out, base + c, Math.max(0, Math.min(32767, v)));
      }
    }
  }

  private static int saturate16(int v) {
    return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
  }
}
