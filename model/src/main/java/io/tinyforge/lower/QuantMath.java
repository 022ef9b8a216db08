package io.tinyforge.lower;

import io.tinyforge.model.ModelException;

/**
 * TFLite's integer quantization arithmetic, bit for bit: multiplier/shift derivation (compile time) and the
 * fixed-point rescaling the kernels run (run time). Shifts follow QuantizeMultiplier's convention: positive means
 * shift left. All methods are pure; {@link #MODE} selects the rounding variant the whole simulator uses.
 */
public final class QuantMath {
  private QuantMath() {}

  /** The rounding TFLM's reference kernels use (TFLITE_SINGLE_ROUNDING is off in the default build). */
  public static final RoundingMode MODE = RoundingMode.DOUBLE;

  /** A quantized multiplier: real value = multiplier * 2^(shift - 31). */
  public record Multiplier(int multiplier, int shift) {}

  /** C's frexp: d = m * 2^e with 0.5 <= |m| < 1 (m = d and e = 0 for 0, NaN and infinities). */
  public static double frexpMantissa(double d) {
    return Math.scalb(d, -frexpExponent(d));
  }

  public static int frexpExponent(double d) {
    if (d == 0 || Double.isNaN(d) || Double.isInfinite(d)) {
      return 0;
    }
    int e = Math.getExponent(d);
    if (e == Double.MIN_EXPONENT - 1) {
      // Subnormal: normalise first so getExponent is exact.
      return frexpExponent(d * 0x1p54) - 54;
    }
    return e + 1;
  }

  /** TfLiteRound / std::round: halves away from zero. */
  public static double round(double x) {
    return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
  }

  /** std::round on float (roundf), halves away from zero, computed in float as C does. */
  public static float roundf(float x) {
    return (float) round(x);
  }

  /** TFLite QuantizeMultiplier with the default (double-rounding) build's rules. */
  public static Multiplier quantizeMultiplier(double realMultiplier) {
    return quantizeMultiplier(realMultiplier, MODE);
  }

  public static Multiplier quantizeMultiplier(double realMultiplier, RoundingMode mode) {
    if (!Double.isFinite(realMultiplier)) {
      // a ratio of scales that overflowed (e.g. 3e38 / 1e-5): no shift represents it
      throw new ModelException("a rescaling multiplier of its scales is " + realMultiplier
          + ": the tensors' scales are out of proportion; re-quantize the model");
    }
    if (realMultiplier == 0.0) {
      return new Multiplier(0, 0);
    }
    int shift = frexpExponent(realMultiplier);
    double q = frexpMantissa(realMultiplier);
    long qFixed = (long) round(q * (double) (1L << 31));
    if (qFixed > (1L << 31)) {
      throw new IllegalStateException("QuantizeMultiplier: mantissa rounding overflow for " + realMultiplier);
    }
    if (qFixed == (1L << 31)) {
      qFixed /= 2;
      shift++;
    }
    // Shifts below -31 would shift every bit out: TFLite flushes such tiny multipliers to zero.
    if (shift < -31) {
      shift = 0;
      qFixed = 0;
    }
    if (mode == RoundingMode.SINGLE && shift > 30) {
      shift = 30;
      qFixed = (1L << 31) - 1;
    }
    return new Multiplier((int) qFixed, shift);
  }

  /** QuantizeMultiplierSmallerThanOneExp: for 0 < m < 1; the shift is <= 0. */
  public static Multiplier quantizeMultiplierSmallerThanOneExp(double realMultiplier) {
    if (!(realMultiplier < 1.0 && realMultiplier > 0.0)) {
      throw new IllegalArgumentException("multiplier must be in (0, 1): " + realMultiplier);
    }
    Multiplier m = quantizeMultiplier(realMultiplier);
    if (m.shift() > 0) {
      throw new IllegalStateException("shift > 0 for multiplier " + realMultiplier);
    }
    return m;
  }

  /** QuantizeMultiplierGreaterThanOne: for m > 1; the shift is >= 0. */
  public static Multiplier quantizeMultiplierGreaterThanOne(double realMultiplier) {
    if (!(realMultiplier > 1.0)) {
      throw new IllegalArgumentException("multiplier must be > 1: " + realMultiplier);
    }
    Multiplier m = quantizeMultiplier(realMultiplier);
    if (m.shift() < 0) {
      throw new IllegalStateException("shift < 0 for multiplier " + realMultiplier);
    }
    return m;
  }

  // ---- gemmlowp fixed-point primitives (int32) ----

  /** gemmlowp SaturatingRoundingDoublingHighMul. */
  public static int saturatingRoundingDoublingHighMul(int a, int b) {
    if (a == b && a == Integer.MIN_VALUE) {
      return Integer.MAX_VALUE;
    }
    long ab = (long) a * (long) b;
    long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
    // C++ integer division truncates toward zero, as Java's does.
    return (int) ((ab + nudge) / (1L << 31));
  }

  /** gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, halves away from zero; 0 <= exponent <= 31. */
  public static int roundingDivideByPOT(int x, int exponent) {
    int mask = (int) ((1L << exponent) - 1);
    int remainder = x & mask;
    int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
  }

  /** TFLite MultiplyByQuantizedMultiplier (int32 accumulator) in the simulator's rounding mode. */
  public static int multiplyByQuantizedMultiplier(int x, int quantizedMultiplier, int shift) {
    return MODE == RoundingMode.DOUBLE
        ? multiplyDoubleRounding(x, quantizedMultiplier, shift)
        : multiplySingleRounding(x, quantizedMultiplier, shift);
  }

  public static int multiplyByQuantizedMultiplier(int x, int quantizedMultiplier, int shift, RoundingMode mode) {
    return mode == RoundingMode.DOUBLE
        ? multiplyDoubleRounding(x, quantizedMultiplier, shift)
        : multiplySingleRounding(x, quantizedMultiplier, shift);
  }

  /**
   * The int64-input MultiplyByQuantizedMultiplier of TFLite's 16x8 kernels (int64 accumulators). Double rounding
   * builds first round the multiplier to 16 bits, then shift the 64-bit product once with rounding; single
   * rounding builds use the full multiplier.
   */
  public static int multiplyByQuantizedMultiplier64(long x, int quantizedMultiplier, int shift) {
    if (MODE == RoundingMode.SINGLE) {
      int totalShift = 31 - shift;
      return (int) ((x * quantizedMultiplier + (1L << (totalShift - 1))) >> totalShift);
    }
    int reduced = quantizedMultiplier < 0x7FFF0000 ? (quantizedMultiplier + (1 << 15)) >> 16 : 0x7FFF;
    int totalShift = 15 - shift;
    long result = x * reduced + (1L << (totalShift - 1));
    return (int) (result >> totalShift);
  }

  /** Double rounding: left shift (wrapping like the C int32 multiply), high mul, rounding right shift. */
  public static int multiplyDoubleRounding(int x, int quantizedMultiplier, int shift) {
    int leftShift = shift > 0 ? shift : 0;
    int rightShift = shift > 0 ? 0 : -shift;
    return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << leftShift), quantizedMultiplier),
        rightShift);
  }

  /** Single rounding (TFLITE_SINGLE_ROUNDING): requires -31 <= shift <= 30. */
  public static int multiplySingleRounding(int x, int quantizedMultiplier, int shift) {
    int totalShift = 31 - shift;
    long round = 1L << (totalShift - 1);
    long result = (long) x * (long) quantizedMultiplier + round;
    return (int) (result >> totalShift);
  }

  /** MultiplyByQuantizedMultiplierSmallerThanOneExp (leftShift <= 0). */
  public static int multiplyByQuantizedMultiplierSmallerThanOneExp(int x, int quantizedMultiplier, int leftShift) {
    if (MODE == RoundingMode.SINGLE) {
      return multiplySingleRounding(x, quantizedMultiplier, leftShift);
    }
    return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, quantizedMultiplier), -leftShift);
  }

  /** MultiplyByQuantizedMultiplierGreaterThanOne (leftShift >= 0). */
  public static int multiplyByQuantizedMultiplierGreaterThanOne(int x, int quantizedMultiplier, int leftShift) {
    if (MODE == RoundingMode.SINGLE) {
      return multiplySingleRounding(x, quantizedMultiplier, leftShift);
    }
    return saturatingRoundingDoublingHighMul(x * (1 << leftShift), quantizedMultiplier);
  }

  // ---- compile-time helpers shared by the lowerings ----

  /** Activation clamp of a fused activation in the output's quantized domain: {min, max}. */
  public static int[] activationRangeQuantized(io.tinyforge.model.Activation activation, float scale, int zeroPoint,
      int qmin, int qmax) {
    return switch (activation) {
      case RELU -> new int[] {Math.max(qmin, quantizeForRange(scale, zeroPoint, 0f)), qmax};
      case RELU6 -> new int[] {Math.max(qmin, quantizeForRange(scale, zeroPoint, 0f)),
          Math.min(qmax, quantizeForRange(scale, zeroPoint, 6f))};
      case RELU_N1_TO_1 -> new int[] {Math.max(qmin, quantizeForRange(scale, zeroPoint, -1f)),
          Math.min(qmax, quantizeForRange(scale, zeroPoint, 1f))};
      default -> new int[] {qmin, qmax};
    };
  }

  /** kernel_util's Quantize: zero_point + (int32) roundf(f / scale), float arithmetic. */
  static int quantizeForRange(float scale, int zeroPoint, float f) {
    float tmp = roundf(f / scale);
    if (!(tmp >= (float) Integer.MIN_VALUE && tmp <= (float) Integer.MAX_VALUE)) {
      throw new ArithmeticException("activation bound " + f + " / scale " + scale + " overflows int32");
    }
    return zeroPoint + (int) tmp;
  }

  // ---- gemmlowp fixed-point helpers for softmax/logistic/tanh (part B extends) ----

  /** gemmlowp RoundingHalfSum for int32. */
  public static int roundingHalfSum(int a, int b) {
    long sum = (long) a + (long) b;
    long sign = sum >= 0 ? 1 : -1;
    return (int) ((sum + sign) / 2);
  }

  /** gemmlowp SaturatingRoundingMultiplyByPOT for int32 (exponent may be negative). */
  public static int saturatingRoundingMultiplyByPOT(int x, int exponent) {
    if (exponent == 0) {
      return x;
    }
    if (exponent < 0) {
      return roundingDivideByPOT(x, -exponent);
    }
    int min = Integer.MIN_VALUE;
    int max = Integer.MAX_VALUE;
    int threshold = (int) ((1L << (31 - exponent)) - 1);
    int positiveMask = x > threshold ? -1 : 0;
    int negativeMask = x < -threshold ? -1 : 0;
    int result = x * (1 << exponent);
    result = (positiveMask & max) | (~positiveMask & result);
    result = (negativeMask & min) | (~negativeMask & result);
    return result;
  }
}
