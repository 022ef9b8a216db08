package io.tinyforge.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Golden values from upstream tests of QuantizeMultiplier and friends (TFLite quantization_util_test.cc, mirrored
 * in Android NN's test suite) and from the definitions of the gemmlowp primitives.
 */
class QuantMathTest {
  private static void q(double value, int mult, int shift) {
    QuantMath.Multiplier m = QuantMath.quantizeMultiplier(value);
    assertEquals(mult, m.multiplier(), "multiplier of " + value);
    assertEquals(shift, m.shift(), "shift of " + value);
  }

  @Test
  void quantizeMultiplierUpstreamGoldens() {
    q(-4, -1073741824, 3);
    q(-2, -1073741824, 2);
    q(-1, -1073741824, 1);
    q(-0.5, -1073741824, 0);
    q(-0.25, -1073741824, -1);
    q(-0.125, -1073741824, -2);
    q(0, 0, 0);
    q(0.125, 1073741824, -2);
    q(0.25, 1073741824, -1);
    q(0.5, 1073741824, 0);
    q(1, 1073741824, 1);
    q(2, 1073741824, 2);
    q(4, 1073741824, 3);
  }

  @Test
  void quantizeMultiplierUnderflowFlushesToZero() {
    q(Math.scalb((double) 1.0f, -31), 1073741824, -30);
    q(Math.scalb((double) 1.0f, -32), 1073741824, -31);
    q(Math.scalb((double) 0.99f, -32), 0, 0);
    q(Math.scalb((double) 1.0f, -33), 0, 0);
  }

  @Test
  void mantissaRoundingUpToTwoPow31BumpsTheShift() {
    // Smaller-than-one goldens: 0.5 - 1e-10 rounds its mantissa up to 2^31 and becomes 2^30 with shift 0.
    assertEquals(new QuantMath.Multiplier(1073741824, -1), QuantMath.quantizeMultiplierSmallerThanOneExp(0.25));
    assertEquals(new QuantMath.Multiplier(2147483627, -1),
        QuantMath.quantizeMultiplierSmallerThanOneExp(0.50 - 5e-9));
    assertEquals(new QuantMath.Multiplier(1073741824, 0),
        QuantMath.quantizeMultiplierSmallerThanOneExp(0.50 - 1e-10));
    assertEquals(new QuantMath.Multiplier(1610612736, 0), QuantMath.quantizeMultiplierSmallerThanOneExp(0.75));
    assertEquals(new QuantMath.Multiplier(2147483646, 0), QuantMath.quantizeMultiplierSmallerThanOneExp(1 - 1e-9));
    assertThrows(IllegalArgumentException.class, () -> QuantMath.quantizeMultiplierSmallerThanOneExp(1.0));
    assertEquals(new QuantMath.Multiplier(1073741824, 1), QuantMath.quantizeMultiplierGreaterThanOne(1 + 1e-11));
    assertEquals(new QuantMath.Multiplier(1342177280, 1), QuantMath.quantizeMultiplierGreaterThanOne(1.25));
    assertEquals(new QuantMath.Multiplier(2147483647, 1), QuantMath.quantizeMultiplierGreaterThanOne(2 - 1e-9));
    assertEquals(new QuantMath.Multiplier(1073741824, 2), QuantMath.quantizeMultiplierGreaterThanOne(2 - 1e-11));
  }

  @Test
  void singleRoundingBuildSaturatesLargeShifts() {
    assertEquals(new QuantMath.Multiplier(Integer.MAX_VALUE, 30),
        QuantMath.quantizeMultiplier(Math.scalb(1.0, 35), RoundingMode.SINGLE));
    assertEquals(new QuantMath.Multiplier(1073741824, 36), QuantMath.quantizeMultiplier(Math.scalb(1.0, 35)));
  }

  @Test
  void frexpMatchesC() {
    assertEquals(0.5, QuantMath.frexpMantissa(1.0));
    assertEquals(1, QuantMath.frexpExponent(1.0));
    assertEquals(-0.75, QuantMath.frexpMantissa(-3.0));
    assertEquals(2, QuantMath.frexpExponent(-3.0));
    assertEquals(0.5, QuantMath.frexpMantissa(Double.MIN_VALUE));
    assertEquals(-1073, QuantMath.frexpExponent(Double.MIN_VALUE));
  }

  @Test
  void roundingDivideByPotRoundsHalfAwayFromZero() {
    assertEquals(2, QuantMath.roundingDivideByPOT(3, 1));
    assertEquals(-2, QuantMath.roundingDivideByPOT(-3, 1));
    assertEquals(1, QuantMath.roundingDivideByPOT(5, 2));
    assertEquals(2, QuantMath.roundingDivideByPOT(6, 2));
    assertEquals(-2, QuantMath.roundingDivideByPOT(-6, 2));
    assertEquals(-1, QuantMath.roundingDivideByPOT(-5, 2));
    assertEquals(-1, QuantMath.roundingDivideByPOT(Integer.MIN_VALUE, 31));
    assertEquals(1, QuantMath.roundingDivideByPOT(Integer.MAX_VALUE, 31));
    assertEquals(7, QuantMath.roundingDivideByPOT(7, 0));
  }

  @Test
  void saturatingRoundingDoublingHighMul() {
    assertEquals(Integer.MAX_VALUE, QuantMath.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
    // (2^30 * 2^30 * 2) >> 32 = 2^29
    assertEquals(1 << 29, QuantMath.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30));
    // 3 * 2^30 * 2 / 2^32 = 1.5 -> 2 (nudge rounds half up for positives)
    assertEquals(2, QuantMath.saturatingRoundingDoublingHighMul(3, 1 << 30));
    // -1.5 -> -1 (the nudge 1 - 2^30 and truncating division round -1.5 toward zero)
    assertEquals(-1, QuantMath.saturatingRoundingDoublingHighMul(-3, 1 << 30));
  }

  @Test
  void multiplyByQuantizedMultiplierVariants() {
    // x * 0.5 with double rounding: (1 << 30, shift 0).
    assertEquals(50, QuantMath.multiplyByQuantizedMultiplier(100, 1 << 30, 0));
    // -50.5: the high mul rounds halves of negatives toward zero.
    assertEquals(-50, QuantMath.multiplyByQuantizedMultiplier(-101, 1 << 30, 0));
    // x * 0.25: high mul then rounding shift by 1.
    assertEquals(-25, QuantMath.multiplyByQuantizedMultiplier(-101, 1 << 30, -1));
    assertEquals(-25, QuantMath.multiplyByQuantizedMultiplier(-101, 1 << 30, -1, RoundingMode.SINGLE));
    // Where the two roundings part: x = -3, m = 0.75 * 2^31, shift -1: exact -1.125.
    assertEquals(-1, QuantMath.multiplyDoubleRounding(-3, 1610612736, -1));
    assertEquals(-1, QuantMath.multiplySingleRounding(-3, 1610612736, -1));
    // x = 5, m = 0.75, shift -2: exact 0.9375; double rounding: SRDHM -> 4 (3.75), 4 / 4 = 1; single: 1.
    assertEquals(1, QuantMath.multiplyDoubleRounding(5, 1610612736, -2));
    // x = 1, m = 0.75, shift -1: exact 0.375. double: SRDHM(1, .75) = 1 (0.75 rounds up), 1/2 = 0.5 -> 1.
    // single: (0.75 * 2^31 + 2^31) >> 32 = 0. The classic double-rounding case.
    assertEquals(1, QuantMath.multiplyDoubleRounding(1, 1610612736, -1));
    assertEquals(0, QuantMath.multiplySingleRounding(1, 1610612736, -1));
    // Left shifts wrap like the C int32 multiply.
    assertEquals(QuantMath.saturatingRoundingDoublingHighMul(0x40000000 * 4, 1 << 30),
        QuantMath.multiplyDoubleRounding(0x40000000, 1 << 30, 2));
  }

  @Test
  void activationRangeQuantizesBoundsInFloat() {
    int[] relu = QuantMath.activationRangeQuantized(io.tinyforge.model.Activation.RELU, 0.1f, -5, -128, 127);
    assertEquals(-5, relu[0]);
    assertEquals(127, relu[1]);
    int[] relu6 = QuantMath.activationRangeQuantized(io.tinyforge.model.Activation.RELU6, 0.05f, -128, -128, 127);
    assertEquals(-128, relu6[0]);
    assertEquals(-8, relu6[1]);
    int[] n1 = QuantMath.activationRangeQuantized(io.tinyforge.model.Activation.RELU_N1_TO_1, 0.5f, 0, -128, 127);
    assertEquals(-2, n1[0]);
    assertEquals(2, n1[1]);
    int[] none = QuantMath.activationRangeQuantized(io.tinyforge.model.Activation.NONE, 0.5f, 0, -128, 127);
    assertEquals(-128, none[0]);
    assertEquals(127, none[1]);
  }
}
