package io.tinyforge.sim;

import static io.tinyforge.lower.QuantMath.roundingDivideByPOT;
import static io.tinyforge.lower.QuantMath.roundingHalfSum;
import static io.tinyforge.lower.QuantMath.saturatingRoundingDoublingHighMul;
import static io.tinyforge.lower.QuantMath.saturatingRoundingMultiplyByPOT;

/**
 * gemmlowp's int32 fixed-point transcendental functions (fixedpoint.h) as TFLM's int8 SOFTMAX, LOGISTIC and TANH
 * use them, plus TFLite's GetReciprocal. A value with {@code k} integer bits is a raw int32 x meaning
 * x / 2^(31 - k); additions wrap like C int32 arithmetic, multiplications are SaturatingRoundingDoublingHighMul.
 */
public final class FixedPointFunctions {
  private FixedPointFunctions() {}

  /** FixedPoint&lt;int32, 0&gt;::One(): the largest raw value (1 - 2^-31). */
  static final int ONE_Q0 = Integer.MAX_VALUE;

  /** Rescale from srcBits to dstBits integer bits (saturating rounding multiply by 2^(src - dst)). */
  static int rescale(int x, int srcBits, int dstBits) {
    return saturatingRoundingMultiplyByPOT(x, srcBits - dstBits);
  }

  /** exp(a) for a in [-1/4, 0), a and result with 0 integer bits: Taylor expansion around -1/8. */
  static int expOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a) {
    final int constantTerm = 1895147668; // exp(-1/8)
    final int constantOneOver3 = 715827883;
    int x = a + (1 << 28); // a + 1/8
    int x2 = saturatingRoundingDoublingHighMul(x, x);
    int x3 = saturatingRoundingDoublingHighMul(x2, x);
    int x4 = saturatingRoundingDoublingHighMul(x2, x2);
    int x4Over4 = roundingDivideByPOT(x4, 2);
    int poly = roundingDivideByPOT(saturatingRoundingDoublingHighMul(x4Over4 + x3, constantOneOver3) + x2, 1);
    return constantTerm + saturatingRoundingDoublingHighMul(constantTerm, x + poly);
  }

  /** exp(a) for a &lt;= 0 with {@code integerBits} integer bits; result with 0 integer bits. */
  static int expOnNegativeValues(int a, int integerBits) {
    final int fractionalBits = 31 - integerBits;
    final int oneQuarter = 1 << (fractionalBits - 2);
    final int mask = oneQuarter - 1;
    int aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
    int result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, integerBits, 0));
    int remainder = aModQuarterMinusOneQuarter - a;
    // Barrel shifter: multiply by exp(-2^e) for each set bit of the remainder, e = -2 .. 4.
    final int[] multipliers = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    for (int e = -2; e <= 4; e++) {
      if (integerBits > e) {
        int shiftAmount = fractionalBits + e;
        if ((remainder & (1 << shiftAmount)) != 0) {
          result = saturatingRoundingDoublingHighMul(result, multipliers[e + 2]);
        }
      }
    }
    if (integerBits > 5) {
      int clamp = -(1 << (36 - integerBits)); // -32.0
      if (a < clamp) {
        result = 0;
      }
    }
    return a == 0 ? ONE_Q0 : result;
  }

  /** 1 / (1 + a) for a in (0, 1), 0 integer bits in and out: Newton-Raphson in Q2.29. */
  static int oneOverOnePlusXForXIn01(int a) {
    // Rescale<0>(ExactMulByPot<-1>(x)): x in Q2.29 read as Q1.30, then shifted to Q0.31.
    return rescale(newtonReciprocalHalf(a), 1, 0);
  }

  /** (1 - a) / (1 + a) for a in (0, 1), 0 integer bits in and out. */
  static int oneMinusXOverOnePlusXForXIn01(int a) {
    return rescale(newtonReciprocalHalf(a) - (1 << 29), 2, 0);
  }

  /** Shared Newton-Raphson: x ~ 1 / half_denominator in Q2.29, with half_denominator = (a + 1) / 2. */
  private static int newtonReciprocalHalf(int a) {
    int halfDenominator = roundingHalfSum(a, ONE_Q0);
    final int constant48Over17 = 1515870810;
    final int constantNeg32Over17 = -1010580540;
    int x = constant48Over17 + saturatingRoundingDoublingHighMul(halfDenominator, constantNeg32Over17);
    final int oneQ2 = 1 << 29;
    for (int i = 0; i < 3; i++) {
      int halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x);
      int oneMinusHalfDenominatorTimesX = oneQ2 - halfDenominatorTimesX;
      x = x + rescale(saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 4, 2);
    }
    return x;
  }

  /** gemmlowp::logistic for a value with {@code integerBits} integer bits; result with 0 integer bits. */
  static int logistic(int a, int integerBits) {
    boolean positive = a > 0;
    int absInput = positive ? a : -a;
    int resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-absInput, integerBits));
    int resultIfNegative = ONE_Q0 - resultIfPositive;
    if (a == 0) {
      return 1 << 30;
    }
    return positive ? resultIfPositive : resultIfNegative;
  }

  /** gemmlowp::tanh for a value with {@code integerBits} integer bits; result with 0 integer bits. */
  static int tanh(int a, int integerBits) {
    boolean negative = a < 0;
    int n = negative ? a : -a;
    // neg_tanh_on_negative_values: exp of 2n (ExactMulByPot<1>: same raw, one more integer bit).
    int t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
    if (a == 0) {
      return 0;
    }
    return negative ? -t : t;
  }

  /**
   * TFLite GetReciprocal: 1 / x for x with {@code integerDigits} integer bits, as a Q0.31 scale and the number of
   * bits x has above 1.0 ({@code numBitsOverUnit[0]}).
   */
  static int reciprocal(int x, int integerDigits, int[] numBitsOverUnit) {
    int headroomPlusOne = Integer.numberOfLeadingZeros(x);
    numBitsOverUnit[0] = integerDigits - headroomPlusOne;
    int shiftedSumMinusOne = (headroomPlusOne >= 32 ? 0 : x << headroomPlusOne) - Integer.MIN_VALUE;
    return oneOverOnePlusXForXIn01(shiftedSumMinusOne);
  }
}
