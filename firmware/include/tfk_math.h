/*
 * tfk_math.h - fixed-point helpers of the tinyforge kernels.
 *
 * These reproduce, bit for bit, the integer arithmetic that TensorFlow Lite
 * Micro's reference kernels get from tensorflow/lite/kernels/internal/common.h
 * and from gemmlowp's fixedpoint.h.  Everything is static inline so that a
 * kernel file and the unit tests see the same code.
 *
 * Rounding mode: by default MultiplyByQuantizedMultiplier uses TFLite's
 * "double rounding" (SaturatingRoundingDoublingHighMul followed by
 * RoundingDivideByPOT), which is what TFLM's reference kernels use unless the
 * library is built with TFLITE_SINGLE_ROUNDING.  Define TFK_SINGLE_ROUNDING=1
 * to get the single-rounding variant (64-bit product, one rounding shift) used
 * by CMSIS-NN and by TFLite builds with TFLITE_SINGLE_ROUNDING.
 *
 * Notation: a "Qk" value is a gemmlowp FixedPoint<int32_t, k>: k integer bits
 * and 31-k fractional bits in an int32_t.
 *
 * Signed overflow is undefined in C, whereas the upstream code relies on the
 * machine wrapping in a few places; the helpers below therefore do wrapping
 * arithmetic through uint32_t.  Right shifts of negative values are assumed
 * to be arithmetic (true for gcc, clang and arm-none-eabi-gcc).
 */
#ifndef TFK_MATH_H
#define TFK_MATH_H

#include <stdint.h>

#ifndef TFK_SINGLE_ROUNDING
#define TFK_SINGLE_ROUNDING 0
#endif

#if defined(__GNUC__)
#define TFK_INLINE static __inline__
#else
#define TFK_INLINE static inline
#endif

/* TFK_LIKELY(c): c is the usual case; GCC lays its branch out as the straight
 * path (without the hint it put tfk_requantize_fast's one-multiply path out of line,
 * behind a taken branch and a jump back, in every conv output). */
#if defined(__GNUC__)
#define TFK_LIKELY(c) __builtin_expect(!!(c), 1)
#else
#define TFK_LIKELY(c) (c)
#endif

/* TFK_OPAQUE(p): makes the compiler forget what it knows about pointer p (an empty
 * asm that "changes" it).  In the fast kernels GCC 12 otherwise turns every tap
 * address base + constant of an unrolled window into its own induction variable
 * and spills most of them; with the base opaque the offsets stay adds. */
#if defined(__GNUC__)
#define TFK_OPAQUE(p) __asm__("" : "+r"(p))
#else
#define TFK_OPAQUE(p) ((void)0)
#endif

/* TFK_NOINLINE: a function kept out of its (large) caller so that GCC allocates
 * its registers on its own; inlined, the Helium tap loops spill. */
#if defined(__GNUC__)
#define TFK_NOINLINE __attribute__((noinline))
#else
#define TFK_NOINLINE
#endif

/* ------------------------------------------------------------------------ */
/* Small integer utilities                                                   */
/* ------------------------------------------------------------------------ */

/* a + b, wrapping modulo 2^32 like the two's-complement hardware does. */
TFK_INLINE int32_t tfk_wrap_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* a - b, wrapping modulo 2^32. */
TFK_INLINE int32_t tfk_wrap_sub(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* a * 2^shift (0 <= shift <= 31), wrapping modulo 2^32 like the C++
 * expression `x * (1 << shift)` on the targets TFLM runs on. */
TFK_INLINE int32_t tfk_wrap_shift_left(int32_t a, int shift) {
  return (int32_t)((uint32_t)a * ((uint32_t)1 << shift));
}

TFK_INLINE int32_t tfk_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }
TFK_INLINE int32_t tfk_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }

TFK_INLINE int32_t tfk_clamp_i32(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/* Number of leading zero bits of x; 32 for x == 0 (TFLite CountLeadingZeros). */
TFK_INLINE int tfk_clz_u32(uint32_t x) {
#if defined(__GNUC__)
  return x ? __builtin_clz(x) : 32;
#else
  int n = 0;
  if (x == 0) return 32;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
#endif
}

/* Number of leading zero bits of a 64-bit value; 64 for x == 0. */
TFK_INLINE int tfk_clz_u64(uint64_t x) {
  uint32_t hi = (uint32_t)(x >> 32);
  return hi ? tfk_clz_u32(hi) : 32 + tfk_clz_u32((uint32_t)x);
}

/* ------------------------------------------------------------------------ */
/* gemmlowp scalar primitives (int32)                                        */
/* ------------------------------------------------------------------------ */

/* gemmlowp::SaturatingRoundingDoublingHighMul: round(a * b / 2^31), the only
 * overflow case (INT32_MIN * INT32_MIN) saturates to INT32_MAX. */
TFK_INLINE int32_t tfk_rounding_doubling_high_mul(int32_t a, int32_t b) {
  /* gemmlowp computes (ab + nudge) / 2^31 with division truncating toward
   * zero and nudge = 2^30 for ab >= 0, 1 - 2^30 for ab < 0.  Both cases equal
   * floor((ab + 2^30) / 2^31): for ab < 0 the numerator is negative and
   * truncation adds 2^31 - 1 before flooring, giving ab + 2^30 again.  The
   * floor form is one arithmetic shift (SMULL, ADDS/ADC, two shifts on Arm)
   * instead of a sign-dependent nudge and a 64-bit division fix-up. */
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

/* gemmlowp::RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away
 * from zero.  0 <= exponent <= 31. */
TFK_INLINE int32_t tfk_rounding_shift_right(int32_t x, int exponent) {
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* RoundingDivideByPOT for 0 <= exponent <= 62, computed in 64 bits.  Equal to
 * tfk_rounding_shift_right for exponent <= 31; defined (instead of undefined behaviour,
 * which TFLM turns into an abort) for larger exponents. */
TFK_INLINE int32_t tfk_rounding_shift_right_wide(int32_t x, int exponent) {
  int64_t mask, remainder, threshold;
  if (exponent <= 31) return tfk_rounding_shift_right(x, exponent);
  mask = ((int64_t)1 << exponent) - 1;
  remainder = (int64_t)x & mask;
  threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (int32_t)(((int64_t)x >> exponent) + (remainder > threshold ? 1 : 0));
}

/* gemmlowp::SaturatingRoundingMultiplyByPOT<exponent>: for exponent > 0 a
 * saturating left shift, for exponent < 0 a rounding right shift. */
TFK_INLINE int32_t tfk_saturating_rounding_shift(int32_t x, int exponent) {
  if (exponent > 0) {
    const int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return tfk_wrap_shift_left(x, exponent);
  }
  if (exponent < 0) return tfk_rounding_shift_right(x, -exponent);
  return x;
}

/* gemmlowp::RoundingHalfSum for int32: (a + b) / 2 rounded away from zero. */
TFK_INLINE int32_t tfk_rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

/* gemmlowp mask helpers: all ones when the condition holds, else zero. */
TFK_INLINE int32_t tfk_mask_if_nonzero(int32_t a) { return a ? -1 : 0; }
TFK_INLINE int32_t tfk_mask_if_zero(int32_t a) { return a ? 0 : -1; }
TFK_INLINE int32_t tfk_mask_if_gt(int32_t a, int32_t b) { return a > b ? -1 : 0; }
TFK_INLINE int32_t tfk_mask_if_lt(int32_t a, int32_t b) { return a < b ? -1 : 0; }

/* gemmlowp::SelectUsingMask: mask ? a : b, bitwise. */
TFK_INLINE int32_t tfk_select(int32_t mask, int32_t a, int32_t b) {
  return (mask & a) ^ (~mask & b);
}

/* ------------------------------------------------------------------------ */
/* gemmlowp int16 primitives (used by HARD_SWISH)                            */
/* ------------------------------------------------------------------------ */

/* Two's complement truncation of an int32 to int16 (static_cast<int16_t>). */
TFK_INLINE int16_t tfk_trunc_i16(int32_t v) {
  uint16_t u = (uint16_t)((uint32_t)v & 0xFFFFu);
  return u >= 0x8000u ? (int16_t)(-(int32_t)(0x10000u - u)) : (int16_t)u;
}

/* gemmlowp::SaturatingRoundingDoublingHighMul<int16_t>. */
TFK_INLINE int16_t tfk_rounding_doubling_high_mul_i16(int16_t a, int16_t b) {
  int32_t ab;
  int32_t nudge;
  if (a == b && a == INT16_MIN) return INT16_MAX;
  ab = (int32_t)a * (int32_t)b;
  nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return tfk_trunc_i16((ab + nudge) / (1 << 15));
}

/* TFLite reference_ops::SaturatingDoublingHighMul<int16_t> (truncating, like
 * the SQDMULH instruction). */
TFK_INLINE int16_t tfk_doubling_high_mul_i16(int16_t a, int16_t b) {
  if (a == b && a == INT16_MIN) return INT16_MAX;
  return tfk_trunc_i16(((int32_t)a * (int32_t)b) / (1 << 15));
}

/* gemmlowp::RoundingDivideByPOT<int16_t>; 0 <= exponent <= 31.  As in the
 * template, the mask (1 << exponent) - 1 is narrowed to int16, which matters
 * for exponents above 15 (HARD_SWISH with tiny output scales). */
TFK_INLINE int16_t tfk_rounding_shift_right_i16(int16_t x, int exponent) {
  const int16_t mask = tfk_trunc_i16((int32_t)(((int64_t)1 << exponent) - 1));
  const int16_t remainder = (int16_t)(x & mask);
  const int16_t threshold = tfk_trunc_i16((mask >> 1) + (x < 0 ? 1 : 0));
  return tfk_trunc_i16(((int32_t)x >> exponent) + (remainder > threshold ? 1 : 0));
}

/* TFLite reference_ops::SaturatingLeftShift(int16_t, amount). */
TFK_INLINE int16_t tfk_sat_left_shift_i16(int16_t value, int amount) {
  int64_t r = (int64_t)value * ((int64_t)1 << amount);
  if (r > INT16_MAX) r = INT16_MAX;
  if (r < INT16_MIN) r = INT16_MIN;
  return (int16_t)r;
}

/* ------------------------------------------------------------------------ */
/* TFLite quantized-multiplier application                                   */
/* ------------------------------------------------------------------------ */

/* Applies a real multiplier M = quantized_multiplier * 2^(shift - 31) to x:
 * TFLite MultiplyByQuantizedMultiplier(int32_t, int32_t, int).  shift is as
 * returned by TFLite's QuantizeMultiplier (positive = left shift), in
 * [-31, 30]; quantized_multiplier >= 0. */
TFK_INLINE int32_t tfk_requantize(int32_t x, int32_t quantized_multiplier, int shift) {
#if TFK_SINGLE_ROUNDING
  const int total_shift = 31 - shift;
  const int64_t round = (int64_t)1 << (total_shift - 1);
  int64_t result = (int64_t)x * (int64_t)quantized_multiplier + round;
  result = result >> total_shift;
  return (int32_t)result;
#else
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return tfk_rounding_shift_right(
      tfk_rounding_doubling_high_mul(tfk_wrap_shift_left(x, left_shift), quantized_multiplier),
      right_shift);
#endif
}

/* tfk_requantize for shift <= -1 and quantized_multiplier >= 0 (what QuantizeMultiplier
 * gives every real multiplier below 0.5, i.e. nearly every conv/FC layer), as one
 * 64-bit multiply-accumulate and one 32-bit shift instead of SRDHM followed by
 * RoundingDivideByPOT.  rs1 = -shift - 1 (0..30).  Double rounding only.
 *
 * Why it is equal to tfk_requantize (also checked exhaustively near every tie by
 * test_kernels.c): with P = x * m and rs = rs1 + 1,
 *   s = SRDHM(x, m) = floor((P + 2^30) / 2^31)   (no saturation: m != INT32_MIN)
 *   RDBPOT(s, rs)   = floor((s + 2^(rs-1) - [s < 0]) / 2^rs)
 * (round half away from zero; the remainder test of tfk_rounding_shift_right is this floor).
 * Nested floors of integer divisions merge: floor((floor(a/b) + c)/d) =
 * floor((a + c*b)/(b*d)), so with c = 2^(rs-1) - [s < 0]
 *   result = floor((P + 2^30 + c * 2^31) / 2^(31+rs)) = hi32(P + 2^30 + c * 2^31) >> rs1,
 * an exact 64-bit sum (|P| < 2^62).  [s < 0] may be replaced by [x < 0]: with
 * m >= 0 they differ only when x < 0 and s == 0, and then both choices of c give 0
 * (0 <= c <= 2^(rs-1) < 2^rs). */
TFK_INLINE int32_t tfk_requantize_rshift(int32_t x, int32_t quantized_multiplier, int rs1) {
  const uint32_t c = ((uint32_t)1 << rs1) - ((uint32_t)x >> 31); /* 2^(rs-1) - [x < 0] >= 0 */
  /* (2c + 1) * 2^30 = c * 2^31 + 2^30, built from its two 32-bit halves */
  const int64_t k = (int64_t)(((uint64_t)(c >> 1) << 32) | ((c << 31) | 0x40000000u));
  const int64_t acc = (int64_t)x * quantized_multiplier + k;
  return (int32_t)(acc >> 32) >> rs1;
}

/* tfk_requantize through tfk_requantize_rshift whenever that is exact (same result always). */
TFK_INLINE int32_t tfk_requantize_fast(int32_t x, int32_t quantized_multiplier, int shift) {
#if !TFK_SINGLE_ROUNDING
  /* shift < 0 && multiplier >= 0 as one sign test: with shifts loaded from int8
   * tables GCC 12 otherwise spells it as two compares and branches */
  if (TFK_LIKELY((shift & ~quantized_multiplier) < 0)) {
    return tfk_requantize_rshift(x, quantized_multiplier, -shift - 1);
  }
#endif
  return tfk_requantize(x, quantized_multiplier, shift);
}

/* TFLite MultiplyByQuantizedMultiplierSmallerThanOneExp (shift <= 0); used by
 * ADD/SUB. */
TFK_INLINE int32_t tfk_requantize_below_one(int32_t x, int32_t quantized_multiplier,
                                             int shift) {
#if TFK_SINGLE_ROUNDING
  return tfk_requantize(x, quantized_multiplier, shift);
#else
  return tfk_rounding_shift_right(tfk_rounding_doubling_high_mul(x, quantized_multiplier), -shift);
#endif
}

/* TFLite MultiplyByQuantizedMultiplierGreaterThanOne (shift >= 0); used by
 * SOFTMAX. */
TFK_INLINE int32_t tfk_requantize_above_one(int32_t x, int32_t quantized_multiplier,
                                             int shift) {
#if TFK_SINGLE_ROUNDING
  return tfk_requantize(x, quantized_multiplier, shift);
#else
  return tfk_rounding_doubling_high_mul(tfk_wrap_shift_left(x, shift), quantized_multiplier);
#endif
}

/* ------------------------------------------------------------------------ */
/* gemmlowp transcendental functions on fixed-point values                   */
/* ------------------------------------------------------------------------ */

/* gemmlowp::Rescale<dst_integer_bits>(FixedPoint<src_integer_bits>). */
TFK_INLINE int32_t tfk_fp_rescale(int32_t raw, int src_integer_bits, int dst_integer_bits) {
  return tfk_saturating_rounding_shift(raw, src_integer_bits - dst_integer_bits);
}

/* Q0 constant "one" (gemmlowp FixedPoint<int32_t,0>::One() is INT32_MAX). */
#define TFK_Q0_ONE INT32_MAX

/* gemmlowp::exp_on_interval_between_negative_one_quarter_and_0_excl: exp(a)
 * for a in [-1/4, 0), a and result in Q0. */
TFK_INLINE int32_t tfk_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t constant_term = 1895147668;  /* exp(-1/8) in Q0 */
  const int32_t constant_1_over_3 = 715827883; /* 1/3 in Q0 */
  const int32_t x = tfk_wrap_add(a, 1 << 28); /* a + 1/8 */
  const int32_t x2 = tfk_rounding_doubling_high_mul(x, x);
  const int32_t x3 = tfk_rounding_doubling_high_mul(x2, x);
  const int32_t x4 = tfk_rounding_doubling_high_mul(x2, x2);
  const int32_t x4_over_4 = tfk_saturating_rounding_shift(x4, -2);
  const int32_t poly = tfk_saturating_rounding_shift(
      tfk_wrap_add(tfk_rounding_doubling_high_mul(tfk_wrap_add(x4_over_4, x3), constant_1_over_3), x2), -1);
  return tfk_wrap_add(constant_term, tfk_rounding_doubling_high_mul(constant_term, tfk_wrap_add(x, poly)));
}

/* gemmlowp::exp_on_negative_values: exp(a) for a <= 0 given in Q(integer_bits)
 * (1 <= integer_bits <= 30); result in Q0. */
TFK_INLINE int32_t tfk_exp_on_negative_values(int32_t a, int integer_bits) {
  static const int32_t kBarrelMultipliers[7] = {
      1672461947, /* exp(-1/4) */
      1302514674, /* exp(-1/2) */
      790015084,  /* exp(-1)   */
      290630308,  /* exp(-2)   */
      39332535,   /* exp(-4)   */
      720401,     /* exp(-8)   */
      242         /* exp(-16)  */
  };
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = tfk_wrap_sub(a & mask, one_quarter);
  int32_t result = tfk_exp_on_interval_between_negative_one_quarter_and_0_excl(
      tfk_fp_rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
  const int32_t remainder = tfk_wrap_sub(a_mod_quarter_minus_one_quarter, a);
  int exponent;
  for (exponent = -2; exponent <= 4; ++exponent) {
    if (integer_bits > exponent) {
      const int shift_amount = fractional_bits + exponent;
      const int32_t bit_mask = tfk_mask_if_nonzero(remainder & (int32_t)((uint32_t)1 << shift_amount));
      result = tfk_select(bit_mask, tfk_rounding_doubling_high_mul(result, kBarrelMultipliers[exponent + 2]), result);
    }
  }
  if (integer_bits > 5) {
    const int clamp_b = 36 - integer_bits;
    const int32_t clamp = -((int32_t)1 << clamp_b); /* -32.0 in Q(integer_bits) */
    result = tfk_select(tfk_mask_if_lt(a, clamp), 0, result);
  }
  return tfk_select(tfk_mask_if_zero(a), TFK_Q0_ONE, result);
}

/* Newton-Raphson reciprocal shared by the two functions below: returns the Q2
 * approximation of 1 / half_denominator. */
TFK_INLINE int32_t tfk_newton_reciprocal_q2(int32_t half_denominator) {
  const int32_t constant_48_over_17 = 1515870810;   /* Q2 */
  const int32_t constant_neg_32_over_17 = -1010580540; /* Q2 */
  const int32_t q2_one = (int32_t)1 << 29;
  int32_t x = tfk_wrap_add(constant_48_over_17, tfk_rounding_doubling_high_mul(half_denominator, constant_neg_32_over_17));
  int i;
  for (i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = tfk_rounding_doubling_high_mul(half_denominator, x);
    const int32_t one_minus_half_denominator_times_x = tfk_wrap_sub(q2_one, half_denominator_times_x);
    x = tfk_wrap_add(x, tfk_fp_rescale(tfk_rounding_doubling_high_mul(x, one_minus_half_denominator_times_x), 4, 2));
  }
  return x;
}

/* gemmlowp::one_over_one_plus_x_for_x_in_0_1: 1 / (1 + a) for a in [0, 1),
 * a and result in Q0. */
TFK_INLINE int32_t tfk_one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t half_denominator = tfk_rounding_half_sum(a, TFK_Q0_ONE);
  const int32_t x = tfk_newton_reciprocal_q2(half_denominator);
  /* Rescale<0>(ExactMulByPot<-1>(x)): Q2 value halved, expressed in Q0. */
  return tfk_fp_rescale(x, 1, 0);
}

/* gemmlowp::one_minus_x_over_one_plus_x_for_x_in_0_1: (1 - a) / (1 + a) for
 * a in [0, 1), a and result in Q0. */
TFK_INLINE int32_t tfk_one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t half_denominator = tfk_rounding_half_sum(a, TFK_Q0_ONE);
  const int32_t x = tfk_newton_reciprocal_q2(half_denominator);
  return tfk_fp_rescale(tfk_wrap_sub(x, (int32_t)1 << 29), 2, 0);
}

/* gemmlowp::logistic: 1 / (1 + exp(-a)), a in Q(integer_bits), result Q0. */
TFK_INLINE int32_t tfk_logistic_q(int32_t a, int integer_bits) {
  const int32_t mask_if_positive = tfk_mask_if_gt(a, 0);
  const int32_t mask_if_zero = tfk_mask_if_zero(a);
  const int32_t abs_input = tfk_select(mask_if_positive, a, tfk_wrap_sub(0, a));
  const int32_t result_if_positive = tfk_one_over_one_plus_x_for_x_in_0_1(
      tfk_exp_on_negative_values(tfk_wrap_sub(0, abs_input), integer_bits));
  const int32_t result_if_negative = tfk_wrap_sub(TFK_Q0_ONE, result_if_positive);
  const int32_t one_half = (int32_t)1 << 30;
  return tfk_select(mask_if_zero, one_half,
                    tfk_select(mask_if_positive, result_if_positive, result_if_negative));
}

/* gemmlowp::tanh: tanh(a), a in Q(integer_bits), result Q0. */
TFK_INLINE int32_t tfk_tanh_q(int32_t a, int integer_bits) {
  const int32_t mask_if_negative = tfk_mask_if_lt(a, 0);
  const int32_t mask_if_zero = tfk_mask_if_zero(a);
  const int32_t n = tfk_select(mask_if_negative, a, tfk_wrap_sub(0, a));
  /* neg_tanh_on_negative_values: ExactMulByPot<1> only changes the format
   * from Q(k) to Q(k+1), the raw bits stay the same. */
  const int32_t t = tfk_one_minus_x_over_one_plus_x_for_x_in_0_1(
      tfk_exp_on_negative_values(n, integer_bits + 1));
  return tfk_select(mask_if_zero, 0, tfk_select(mask_if_negative, tfk_wrap_sub(0, t), t));
}

/* TFLite GetReciprocal: Q0 reciprocal of x (given in Q(x_integer_digits)),
 * scaled by 2^-num_bits_over_unit; x > 0. */
TFK_INLINE int32_t tfk_get_reciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = tfk_clz_u32((uint32_t)x);
  int32_t shifted_sum_minus_one;
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  shifted_sum_minus_one =
      (int32_t)(((uint32_t)x << headroom_plus_one) - ((uint32_t)1 << 31));
  return tfk_one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}

#endif /* TFK_MATH_H */
