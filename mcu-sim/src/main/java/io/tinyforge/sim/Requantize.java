package io.tinyforge.sim;

import io.tinyforge.lower.QuantMath;

/** The common epilogue of the int8 conv-like kernels: bias-added accumulator -> clamped int8. */
final class Requantize {
  private Requantize() {}

  static byte toInt8(int acc, int multiplier, int shift, int outputOffset, int min, int max) {
    int v = QuantMath.multiplyByQuantizedMultiplier(acc, multiplier, shift) + outputOffset;
    if (v < min) {
      v = min;
    }
    if (v > max) {
      v = max;
    }
    return (byte) v;
  }
}
