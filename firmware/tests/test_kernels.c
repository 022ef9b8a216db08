/*
 * Unit tests of the tfk fixed-point helpers and kernels whose expected
 * values do not come from the code under test: algebraic identities,
 * saturation limits, comparisons with libm within stated tolerances, and
 * round trips between inverse kernels.  The bit-exact comparison with TFLM
 * lives in oracle_check.py.
 *
 * Built twice by the Makefile: default (double rounding) and with
 * -DTFK_SINGLE_ROUNDING=1.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_dot.h" /* tfk_rq4_mve (Helium requantization; emulated on the host), TFK_USE_DSP / _MVE */
#include "scratch_calls.h"

static int g_passed = 0;
static int g_failed = 0;
static int g_current_failed = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      if (!g_current_failed) printf("  at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      g_current_failed = 1;                                                  \
    }                                                                        \
  } while (0)

#define CHECK_EQ_I(a, b)                                                     \
  do {                                                                       \
    long va_ = (long)(a), vb_ = (long)(b);                                   \
    if (va_ != vb_) {                                                        \
      if (!g_current_failed)                                                 \
        printf("  at %s:%d: %s == %s (%ld vs %ld)\n", __FILE__, __LINE__, #a, #b, va_, vb_); \
      g_current_failed = 1;                                                  \
    }                                                                        \
  } while (0)

static void run_test(const char* name, void (*fn)(void)) {
  g_current_failed = 0;
  fn();
  if (g_current_failed) {
    ++g_failed;
    printf("FAIL %s\n", name);
  } else {
    ++g_passed;
    printf("ok   %s\n", name);
  }
}

/* Deterministic xorshift generator for test data. */
static uint32_t g_rng = 0x12345678u;
static uint32_t rnd(void) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}
static int32_t rnd_range(int32_t lo, int32_t hi) { /* inclusive */
  return lo + (int32_t)(rnd() % (uint32_t)(hi - lo + 1));
}
static int8_t rnd_i8(void) { return (int8_t)rnd_range(-128, 127); }

/* Q-format conversions for comparisons with libm. */
static double from_q(int32_t raw, int integer_bits) {
  return (double)raw / (double)(1u << (31 - integer_bits));
}

/* ----------------------------------------------------------------------- */
/* fixed-point primitives                                                   */
/* ----------------------------------------------------------------------- */

static void test_rounding_doubling_high_mul(void) {
  int i;
  CHECK_EQ_I(tfk_rounding_doubling_high_mul(INT32_MIN, INT32_MIN), INT32_MAX); /* the only overflow */
  CHECK_EQ_I(tfk_rounding_doubling_high_mul(INT32_MAX, INT32_MAX), INT32_MAX - 1);
  CHECK_EQ_I(tfk_rounding_doubling_high_mul(1 << 30, 1 << 30), 1 << 29);       /* 0.5 * 0.5 = 0.25 */
  CHECK_EQ_I(tfk_rounding_doubling_high_mul(0, 12345), 0);
  for (i = 0; i < 10000; ++i) {
    const int32_t a = (int32_t)rnd(), b = (int32_t)rnd();
    const double exact = (double)a * (double)b / 2147483648.0;
    const int32_t r = tfk_rounding_doubling_high_mul(a, b);
    if (a == INT32_MIN && b == INT32_MIN) continue;
    CHECK(fabs((double)r - exact) <= 0.5 + 1e-9);         /* rounded to nearest */
    CHECK_EQ_I(tfk_rounding_doubling_high_mul(a, b), tfk_rounding_doubling_high_mul(b, a));          /* commutative */
  }
  /* Equal to gemmlowp's own formulation (sign-dependent nudge, division
   * truncating toward zero), which tfk_rounding_doubling_high_mul replaces by one floor shift;
   * products near the ties are drawn on purpose. */
  for (i = 0; i < 200000; ++i) {
    const int32_t a = (int32_t)rnd();
    const int32_t b = (i & 1) ? (int32_t)rnd() : (int32_t)(1u << (rnd() % 31)) + rnd_range(-2, 2);
    int64_t ab, nudge;
    int32_t want;
    if (a == INT32_MIN && b == INT32_MIN) continue;
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    want = (int32_t)((ab + nudge) / ((int64_t)1 << 31));
    CHECK_EQ_I(tfk_rounding_doubling_high_mul(a, b), want);
  }
}

static void test_rounding_shift_right(void) {
  int i, e;
  CHECK_EQ_I(tfk_rounding_shift_right(5, 1), 3);   /* 2.5 -> 3: ties away from zero */
  CHECK_EQ_I(tfk_rounding_shift_right(-5, 1), -3); /* -2.5 -> -3 */
  CHECK_EQ_I(tfk_rounding_shift_right(7, 2), 2);   /* 1.75 */
  CHECK_EQ_I(tfk_rounding_shift_right(-7, 2), -2);
  CHECK_EQ_I(tfk_rounding_shift_right(123, 0), 123);
  CHECK_EQ_I(tfk_rounding_shift_right(INT32_MAX, 31), 1);
  CHECK_EQ_I(tfk_rounding_shift_right(INT32_MIN, 31), -1);
  for (i = 0; i < 10000; ++i) {
    const int32_t x = (int32_t)rnd();
    double exact, frac;
    int32_t r;
    e = rnd_range(0, 31);
    exact = (double)x / ldexp(1.0, e);
    r = tfk_rounding_shift_right(x, e);
    frac = fabs(exact - trunc(exact));
    if (frac == 0.5) {
      CHECK(r == (int32_t)(exact + (exact > 0 ? 0.5 : -0.5)));
    } else {
      CHECK(fabs((double)r - exact) < 0.5);
    }
  }
}

/* Narrow biases (2, 3 or 4 bytes, little-endian): values at the ends of each width. */
static void test_bias_at_widths(void) {
  static const uint8_t two[] = {0xFF, 0x7F, 0x00, 0x80, 0xFF, 0xFF, 0x34, 0x12};
  static const uint8_t three[] = {0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x80, 0xFE, 0xFF, 0xFF};
  static const uint8_t four[] = {0x00, 0x00, 0x00, 0x80, 0x78, 0x56, 0x34, 0x12};
  CHECK(tfk_bias_at(two, 2, 0) == 32767);
  CHECK(tfk_bias_at(two, 2, 1) == -32768);
  CHECK(tfk_bias_at(two, 2, 2) == -1);
  CHECK(tfk_bias_at(two, 2, 3) == 0x1234);
  CHECK(tfk_bias_at(three, 3, 0) == 8388607);
  CHECK(tfk_bias_at(three, 3, 1) == -8388608);
  CHECK(tfk_bias_at(three, 3, 2) == -2);
  CHECK(tfk_bias_at(four, 4, 0) == INT32_MIN);
  CHECK(tfk_bias_at(four, 4, 1) == 0x12345678);
  CHECK(tfk_bias_at(NULL, 2, 5) == 0);
}

static void test_saturating_rounding_shift_saturates(void) {
  CHECK_EQ_I(tfk_saturating_rounding_shift(1 << 29, 1), 1 << 30);
  CHECK_EQ_I(tfk_saturating_rounding_shift(1 << 30, 1), INT32_MAX);
  CHECK_EQ_I(tfk_saturating_rounding_shift(-(1 << 30) + 1, 1), -(1 << 30) * 2 + 2);
  CHECK_EQ_I(tfk_saturating_rounding_shift(-(1 << 30) - 1, 1), INT32_MIN);
  CHECK_EQ_I(tfk_saturating_rounding_shift(1000, -3), 125);
  CHECK_EQ_I(tfk_saturating_rounding_shift(-3, 0), -3);
}

static void test_requantize_helper_identity(void) {
  /* multiplier 2^30 with shift 1 is exactly 1.0 */
  int32_t x;
  for (x = -70000; x <= 70000; x += 7) CHECK_EQ_I(tfk_requantize(x, 1 << 30, 1), x);
  CHECK_EQ_I(tfk_requantize(INT32_MAX / 2, 1 << 30, 1), INT32_MAX / 2);
  CHECK_EQ_I(tfk_requantize(-1000000, 1 << 30, 1), -1000000);
  /* 0.5 = 2^30 * 2^(0-31) */
  CHECK_EQ_I(tfk_requantize(1000, 1 << 30, 0), 500);
  CHECK_EQ_I(tfk_requantize(3, 1 << 30, 0), 2);   /* 1.5 rounds up */
  CHECK_EQ_I(tfk_requantize(-3, 1 << 30, 0), -1); /* -1.5 rounds up too (SRDHM's nudge) */
  CHECK_EQ_I(tfk_requantize(-5, 1 << 30, -1), -1); /* -1.25 */
}

/* tfk_requantize_fast (one 64-bit multiply-accumulate for shift < 0) must equal tfk_requantize
 * everywhere: every shift, extreme and random multipliers, extreme inputs, and
 * inputs placed on and next to the ties of both roundings (SRDHM's 2^30 nudge and
 * RDBPOT's half), where a wrong formulation would show. */
static void test_requantize_helper_fast_equal(void) {
  static const int32_t fixed_m[] = {0, 1, 2, 3, 1 << 30, (1 << 30) + 1, INT32_MAX, INT32_MAX - 1,
                                    1518500250, 1073741823};
  static const int32_t fixed_x[] = {0, 1, -1, 2, -2, INT32_MAX, INT32_MIN, INT32_MIN + 1,
                                    INT32_MAX - 1, 1 << 30, -(1 << 30), 12345, -12345};
  int shift, i, j, d;
  long checks = 0;
  for (shift = -31; shift <= 30; ++shift) {
    for (i = 0; i < 200; ++i) {
      const int32_t m = i < 10 ? fixed_m[i]
                               : (i < 150 ? (int32_t)((1u << 30) + (rnd() & 0x3FFFFFFFu))
                                          : (int32_t)(rnd() & (rnd() & 0x7FFFFFFFu)));
      for (j = 0; j < 13; ++j) {
        CHECK_EQ_I(tfk_requantize_fast(fixed_x[j], m, shift), tfk_requantize(fixed_x[j], m, shift));
      }
      for (j = 0; j < 60; ++j) {
        const int32_t x = j < 30 ? (int32_t)rnd() : (int32_t)rnd() >> (rnd() & 31);
        CHECK_EQ_I(tfk_requantize_fast(x, m, shift), tfk_requantize(x, m, shift));
      }
      /* x near SRDHM outputs s = q * 2^rs + 2^(rs-1) (RDBPOT ties), both signs */
      if (shift < 0 && m > 0) {
        for (j = 0; j < 40; ++j) {
          const int rs = -shift;
          const int64_t qmax = (int64_t)1 << (31 - rs); /* keeps s inside int32 */
          const int64_t q = (int64_t)(rnd() % (uint32_t)qmax) - qmax / 2;
          const int64_t s = q * ((int64_t)1 << rs) + ((int64_t)1 << (rs - 1));
          const int64_t base = s * ((int64_t)1 << 31) / m; /* SRDHM(base, m) ~ s */
          const int64_t sign = (j & 1) ? -1 : 1;
          for (d = -3; d <= 3; ++d) {
            const int64_t xx = sign * base + d;
            if (xx < INT32_MIN || xx > INT32_MAX) continue;
            CHECK_EQ_I(tfk_requantize_fast((int32_t)xx, m, shift), tfk_requantize((int32_t)xx, m, shift));
            ++checks;
          }
        }
      }
    }
  }
  /* exhaustive small inputs for a few layer-like multipliers */
  for (shift = -12; shift <= -1; ++shift) {
    int32_t x;
    const int32_t m = (int32_t)((1u << 30) + (rnd() & 0x3FFFFFFFu));
    for (x = -70000; x <= 70000; ++x) CHECK_EQ_I(tfk_requantize_fast(x, m, shift), tfk_requantize(x, m, shift));
  }
  CHECK(checks > 100000);
}

#if TFK_MVE_RQ
/* tfk_rq4_mve (VQRDMULH + fixed-up VRSHL, four lanes with their own multiplier and
 * shift) and tfk_rq4s_mve (one multiplier and shift) must equal tfk_requantize everywhere, like tfk_requantize_fast: every shift, extreme
 * multipliers (also negative ones and INT32_MIN, which QuantizeMultiplier never
 * gives), extreme inputs, inputs on and next to both roundings' ties, and small
 * inputs exhaustively.  The clamp is opened to the full int32 range so that the
 * multiply itself is compared; then once with offset and clamp. */
static long rq4_check(int32_t x, int32_t m, int shift) {
  const int32x4_t r = tfk_rq4_mve(vdupq_n_s32(x), vdupq_n_s32(m), vdupq_n_s32(shift), 0,
                                  INT32_MIN, INT32_MAX);
  const int32x4_t rs = tfk_rq4s_mve(vdupq_n_s32(x), m, shift, 0, INT32_MIN, INT32_MAX);
  const int32_t want = tfk_requantize(x, m, shift);
  CHECK_EQ_I(r.v[0], want);
  CHECK_EQ_I(r.v[3], want);
  CHECK_EQ_I(rs.v[0], want); /* the scalar-parameter form */
  CHECK_EQ_I(rs.v[2], want);
  return 1;
}

static void test_rq4_mve_equal(void) {
  static const int32_t fixed_m[] = {0,          1,          2,         3,         1 << 30,
                                    (1 << 30) + 1, INT32_MAX, INT32_MAX - 1, 1518500250,
                                    1073741823, -1,         INT32_MIN, -(1 << 30), INT32_MIN + 1};
  static const int32_t fixed_x[] = {0, 1, -1, 2, -2, INT32_MAX, INT32_MIN, INT32_MIN + 1,
                                    INT32_MAX - 1, 1 << 30, -(1 << 30), 12345, -12345};
  int shift, i, j, d;
  long checks = 0;
  for (shift = -31; shift <= 30; ++shift) {
    for (i = 0; i < 214; ++i) {
      const int32_t m = i < 14 ? fixed_m[i]
                               : (i < 164 ? (int32_t)((1u << 30) + (rnd() & 0x3FFFFFFFu))
                                          : (int32_t)rnd());
      for (j = 0; j < 13; ++j) checks += rq4_check(fixed_x[j], m, shift);
      for (j = 0; j < 60; ++j) {
        checks += rq4_check(j < 30 ? (int32_t)rnd() : (int32_t)rnd() >> (rnd() & 31), m, shift);
      }
      /* x near SRDHM outputs s = q * 2^rs + 2^(rs-1) (RDBPOT ties), both signs */
      if (shift < 0 && m > 0) {
        for (j = 0; j < 40; ++j) {
          const int rs = -shift;
          const int64_t qmax = (int64_t)1 << (31 - rs);
          const int64_t q = (int64_t)(rnd() % (uint32_t)qmax) - qmax / 2;
          const int64_t s = q * ((int64_t)1 << rs) + ((int64_t)1 << (rs - 1));
          const int64_t base = s * ((int64_t)1 << 31) / m;
          const int64_t sign = (j & 1) ? -1 : 1;
          for (d = -3; d <= 3; ++d) {
            const int64_t xx = sign * base + d;
            if (xx < INT32_MIN || xx > INT32_MAX) continue;
            checks += rq4_check((int32_t)xx, m, shift);
          }
        }
      }
    }
  }
  /* exhaustive small inputs: m = 2^30 halves exactly (every odd x is an SRDHM tie,
   * and RDBPOT ties recur every 2^rs), plus layer-like multipliers */
  for (shift = -14; shift <= 2; ++shift) {
    int32_t x;
    const int32_t m = shift & 1 ? (1 << 30) : (int32_t)((1u << 30) + (rnd() & 0x3FFFFFFFu));
    for (x = -70000; x <= 70000; ++x) checks += rq4_check(x, m, shift);
  }
  /* lanes are independent; offset and clamp as in the kernels */
  {
    const int32x4_t r = tfk_rq4_mve(vsetq_lane_s32(-5, vsetq_lane_s32(3, vsetq_lane_s32(
                                        -3, vdupq_n_s32(1000000), 1), 2), 3),
                                    vsetq_lane_s32(1 << 30, vdupq_n_s32(1 << 30), 0),
                                    vsetq_lane_s32(-1, vsetq_lane_s32(0, vdupq_n_s32(0), 2), 3), 5,
                                    -128, 127);
    CHECK_EQ_I(r.v[0], 127);                       /* 500000 + 5 clamped */
    CHECK_EQ_I(r.v[1], tfk_requantize(-3, 1 << 30, 0) + 5); /* -1.5 -> -1 */
    CHECK_EQ_I(r.v[2], tfk_requantize(3, 1 << 30, 0) + 5);  /* 1.5 -> 2 */
    CHECK_EQ_I(r.v[3], tfk_requantize(-5, 1 << 30, -1) + 5); /* -1.25 -> -1 */
  }
  CHECK(checks > 1000000);
}
#endif

static void test_requantize_helper_accuracy(void) {
  int i;
  for (i = 0; i < 20000; ++i) {
    const int32_t mult = (int32_t)((1u << 30) + (rnd() & 0x3FFFFFFFu)); /* [0.5, 1) */
    const int shift = rnd_range(-20, 8);
    const double real = (double)mult / 2147483648.0 * ldexp(1.0, shift);
    const double lim_out = 2147483000.0 / real;
    const double lim_in = 2147483000.0 / ldexp(1.0, shift > 0 ? shift : 0); /* no wrap in x << shift */
    const double lim = lim_out < lim_in ? lim_out : lim_in;
    const int32_t x = (int32_t)(((double)(int32_t)rnd() / 2147483648.0) * (lim < 2e9 ? lim : 2e9));
    const double exact = (double)x * real;
    const int32_t r = tfk_requantize(x, mult, shift);
#if TFK_SINGLE_ROUNDING
    CHECK(fabs((double)r - exact) <= 0.5 + 1e-6); /* one rounding */
#else
    CHECK(fabs((double)r - exact) <= 1.0 + 1e-6); /* two roundings */
#endif
  }
}

static void test_requantize_helper_saturation(void) {
  /* The doubling high multiply saturates: (INT32_MIN * 2^0) * INT32_MIN. */
#if !TFK_SINGLE_ROUNDING
  CHECK_EQ_I(tfk_requantize(INT32_MIN, INT32_MIN, 0), INT32_MAX);
#endif
  CHECK_EQ_I(tfk_requantize(INT32_MAX, INT32_MAX, 0), INT32_MAX - 1);
  CHECK_EQ_I(tfk_requantize(INT32_MIN, INT32_MAX, 0), INT32_MIN + 1);
  CHECK_EQ_I(tfk_requantize(0, INT32_MAX, 5), 0);
}

static void test_exp_on_negative_values(void) {
  int32_t raw;
  int k;
  for (k = 1; k <= 6; ++k) {
    for (raw = 0; raw > -(1 << 30); raw -= 65537 * 97) {
      const double x = from_q(raw, k);
      const double got = from_q(tfk_exp_on_negative_values(raw, k), 0);
      CHECK(fabs(got - exp(x)) < 3e-7); /* measured max 2.1e-7 */
    }
  }
  CHECK_EQ_I(tfk_exp_on_negative_values(0, 5), INT32_MAX);
}

static void test_reciprocal_helpers(void) {
  int32_t raw;
  for (raw = 0; raw < INT32_MAX - (1 << 22); raw += (1 << 22) + 12345) {
    const double x = from_q(raw, 0);
    CHECK(fabs(from_q(tfk_one_over_one_plus_x_for_x_in_0_1(raw), 0) - 1.0 / (1.0 + x)) < 1e-8);
    CHECK(fabs(from_q(tfk_one_minus_x_over_one_plus_x_for_x_in_0_1(raw), 0) -
               (1.0 - x) / (1.0 + x)) < 1e-8);
  }
  {
    int bits;
    int32_t s;
    /* 3.0 in Q12 -> 1/3 scaled by 2^-num_bits_over_unit */
    s = tfk_get_reciprocal(3 << 19, 12, &bits);
    CHECK(fabs(from_q(s, 0) * ldexp(1.0, -bits) - 1.0 / 3.0) < 1e-8);
  }
}

static void test_logistic_tanh_q(void) {
  int32_t raw;
  for (raw = -(1 << 30); raw < (1 << 30); raw += 1234567) {
    const double x = from_q(raw, 4);
    CHECK(fabs(from_q(tfk_logistic_q(raw, 4), 0) - 1.0 / (1.0 + exp(-x))) < 1e-6);
    CHECK(fabs(from_q(tfk_tanh_q(raw, 4), 0) - tanh(x)) < 1e-6);
  }
  CHECK_EQ_I(tfk_logistic_q(0, 4), 1 << 30);
  CHECK_EQ_I(tfk_tanh_q(0, 4), 0);
}

static void test_int16_helpers(void) {
  CHECK_EQ_I(tfk_rounding_doubling_high_mul_i16(INT16_MIN, INT16_MIN), INT16_MAX);
  CHECK_EQ_I(tfk_doubling_high_mul_i16(INT16_MIN, INT16_MIN), INT16_MAX);
  CHECK_EQ_I(tfk_rounding_doubling_high_mul_i16(16384, 16384), 8192);
  CHECK_EQ_I(tfk_doubling_high_mul_i16(3, 16384), 1);     /* truncates: 1.5 -> 1 */
  CHECK_EQ_I(tfk_rounding_doubling_high_mul_i16(3, 16384), 2);    /* rounds: 1.5 -> 2 */
  CHECK_EQ_I(tfk_doubling_high_mul_i16(-5, 16384), -2);   /* -2.5 -> -2 (toward zero) */
  CHECK_EQ_I(tfk_rounding_doubling_high_mul_i16(-5, 16384), -2);  /* -2.5 -> -2 (half up) */
  CHECK_EQ_I(tfk_rounding_doubling_high_mul_i16(-7, 16384), -3);  /* -3.5 -> -3 */
  CHECK_EQ_I(tfk_rounding_shift_right_i16(-5, 1), -3);
  CHECK_EQ_I(tfk_sat_left_shift_i16(20000, 1), INT16_MAX);
  CHECK_EQ_I(tfk_sat_left_shift_i16(-20000, 1), INT16_MIN);
  CHECK_EQ_I(tfk_sat_left_shift_i16(100, 3), 800);
  CHECK_EQ_I(tfk_trunc_i16(0x18000), -32768);
}

/* ----------------------------------------------------------------------- */
/* kernels                                                                  */
/* ----------------------------------------------------------------------- */

static void test_conv_identity_weights(void) {
  /* 1x1 convolution with identity weights and a multiplier of 0.5 equals the
   * input requantized by 0.5 (with zero points on both sides). */
  enum { N = 2, H = 3, W = 4, C = 5 };
  int8_t in[N * H * W * C], out[N * H * W * C], wts[C * C];
  int32_t mult[C];
  int8_t shift[C];
  tfk_dims4 in_d = {N, H, W, C}, f_d = {C, 1, 1, C}, out_d = {N, H, W, C};
  tfk_conv_params p;
  tfk_per_channel_quant q;
  int i;
  memset(wts, 0, sizeof wts);
  for (i = 0; i < C; ++i) {
    wts[i * C + i] = 1;
    mult[i] = 1 << 30;
    shift[i] = 0;
  }
  for (i = 0; i < N * H * W * C; ++i) in[i] = rnd_i8();
  p.input_offset = 7; /* input zero point -7 */
  p.output_offset = -3;
  p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
  p.pad_h = p.pad_w = 0;
  p.activation_min = -128;
  p.activation_max = 127;
  q.multiplier = mult;
  q.shift = shift;
  tfk_conv2d_s8(&p, &q, &in_d, in, &f_d, wts, NULL, &out_d, out);
  for (i = 0; i < N * H * W * C; ++i) {
    CHECK_EQ_I(out[i], tfk_clamp_i32(tfk_requantize(in[i] + 7, 1 << 30, 0) - 3, -128, 127));
  }
  /* With multiplier 1.0 and no zero points the convolution is a copy. */
  for (i = 0; i < C; ++i) shift[i] = 1;
  p.input_offset = 0;
  p.output_offset = 0;
  tfk_conv2d_s8(&p, &q, &in_d, in, &f_d, wts, NULL, &out_d, out);
  CHECK(memcmp(in, out, sizeof in) == 0);
}

static void test_depthwise_identity(void) {
  /* 3x3 depthwise filter with a single centre tap of 1 and SAME padding
   * reproduces the input; depth multiplier 2 duplicates channels. */
  enum { H = 4, W = 5, C = 3, DM = 2 };
  int8_t in[H * W * C], out[H * W * C * DM], wts[9 * C * DM];
  int32_t mult[C * DM];
  int8_t shift[C * DM];
  tfk_dims4 in_d = {1, H, W, C}, f_d = {1, 3, 3, C * DM}, out_d = {1, H, W, C * DM};
  tfk_dw_conv_params p;
  tfk_per_channel_quant q;
  int i, ch;
  memset(wts, 0, sizeof wts);
  for (ch = 0; ch < C * DM; ++ch) {
    wts[4 * C * DM + ch] = 1; /* (ky, kx) = (1, 1) */
    mult[ch] = 1 << 30;
    shift[ch] = 1;
  }
  for (i = 0; i < H * W * C; ++i) in[i] = rnd_i8();
  memset(&p, 0, sizeof p);
  p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
  p.pad_h = p.pad_w = 1;
  p.depth_multiplier = DM;
  p.activation_min = -128;
  p.activation_max = 127;
  q.multiplier = mult;
  q.shift = shift;
  tfk_depthwise_conv2d_s8(&p, &q, &in_d, in, &f_d, wts, NULL, &out_d, out);
  for (i = 0; i < H * W; ++i) {
    for (ch = 0; ch < C * DM; ++ch) CHECK_EQ_I(out[i * C * DM + ch], in[i * C + ch / DM]);
  }
}

/* Every variant of the fast CONV_2D / DEPTHWISE_CONV_2D kernels this build has
 * (portable always; DSP and Helium where the instructions exist or are
 * emulated) gives the reference kernel's bytes on the layer shapes the
 * generator sends them: 1x1 (stride 1 and 2, odd pixel and channel counts),
 * gathered 3x3 windows with padding, KWS's 10x4 first layer, windows too large
 * to gather, and depthwise 3x3 with dm 1 (interior and border), dm 8 on one
 * input channel (MobileNet's first layer) and dm 2.  The reference kernels are
 * checked against TFLM by oracle_check.py. */
typedef void (*conv_fn)(const tfk_conv_params*, const tfk_per_channel_quant*, const tfk_dims4*,
                        const int8_t*, const tfk_dims4*, const int8_t*, const int32_t*,
                        const tfk_dims4*, int8_t*);
typedef void (*dw_fn)(const tfk_dw_conv_params*, const tfk_per_channel_quant*, const tfk_dims4*,
                      const int8_t*, const tfk_dims4*, const int8_t*, const int32_t*,
                      const tfk_dims4*, int8_t*);

enum { VAR_MAX_IN = 4096, VAR_MAX_W = 16384, VAR_MAX_OUT = 4096, VAR_MAX_C = 64 };

static void fill_requant(int32_t* mult, int8_t* shift, int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    mult[i] = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
    shift[i] = (int8_t)rnd_range(-10, -6);
  }
}

static void check_conv_variants(int32_t h, int32_t w, int32_t cin, int32_t cout, int32_t kh,
                                int32_t kw, int32_t stride, int32_t pad, int one_by_one) {
  static int8_t in[VAR_MAX_IN], wts[VAR_MAX_W], ref[VAR_MAX_OUT], out[VAR_MAX_OUT];
  static int32_t bias[VAR_MAX_C], mult[VAR_MAX_C];
  static int8_t shift[VAR_MAX_C];
  const int32_t oh = (h + 2 * pad - kh) / stride + 1, ow = (w + 2 * pad - kw) / stride + 1;
  tfk_dims4 in_d, f_d, out_d;
  tfk_conv_params p;
  tfk_per_channel_quant q;
  const conv_fn variants[] = {
      one_by_one ? tfk_conv2d_1x1_s8 : tfk_conv2d_fast_s8,
#if TFK_USE_DSP
      one_by_one ? call_conv2d_1x1_s8_smlad : tfk_conv2d_fast_s8_dsp,
#endif
#if TFK_MVE_RQ
      one_by_one ? tfk_conv2d_1x1_s8_mve : call_conv2d_fast_s8_mve,
#endif
  };
  const size_t n_out = (size_t)oh * ow * cout;
  size_t v, i;
  CHECK(h * w * cin <= VAR_MAX_IN && cout * kh * kw * cin <= VAR_MAX_W && n_out <= VAR_MAX_OUT);
  in_d.n = 1, in_d.h = h, in_d.w = w, in_d.c = cin;
  f_d.n = cout, f_d.h = kh, f_d.w = kw, f_d.c = cin;
  out_d.n = 1, out_d.h = oh, out_d.w = ow, out_d.c = cout;
  for (i = 0; i < (size_t)(h * w * cin); ++i) in[i] = rnd_i8();
  for (i = 0; i < (size_t)(cout * kh * kw * cin); ++i) wts[i] = rnd_i8();
  for (i = 0; i < (size_t)cout; ++i) bias[i] = rnd_range(-20000, 20000);
  fill_requant(mult, shift, cout);
  memset(&p, 0, sizeof p);
  p.input_offset = rnd_range(-127, 128);
  p.output_offset = rnd_range(-20, 20);
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = p.pad_w = pad;
  p.activation_min = -128;
  p.activation_max = 127;
  q.multiplier = mult;
  q.shift = shift;
  tfk_conv2d_s8(&p, &q, &in_d, in, &f_d, wts, bias, &out_d, ref);
  for (v = 0; v < sizeof variants / sizeof variants[0]; ++v) {
    memset(out, 0x5A, n_out);
    variants[v](&p, &q, &in_d, in, &f_d, wts, bias, &out_d, out);
    if (memcmp(ref, out, n_out) != 0) {
      printf("  conv %dx%dx%d -> %d, %dx%d stride %d pad %d: variant %u differs\n", (int)h, (int)w,
             (int)cin, (int)cout, (int)kh, (int)kw, (int)stride, (int)pad, (unsigned)v);
      CHECK(0);
    }
  }
}

static void check_dw_variants(int32_t h, int32_t w, int32_t cin, int32_t dm, int32_t k,
                              int32_t stride, int32_t pad, int32_t lo) {
  static int8_t in[VAR_MAX_IN], wts[VAR_MAX_W], ref[VAR_MAX_OUT], out[VAR_MAX_OUT];
  static int32_t bias[VAR_MAX_C], mult[VAR_MAX_C];
  static int8_t shift[VAR_MAX_C];
  const int32_t cout = cin * dm;
  const int32_t oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
  tfk_dims4 in_d, f_d, out_d;
  tfk_dw_conv_params p;
  tfk_per_channel_quant q;
  const dw_fn variants[] = {
      tfk_depthwise_conv2d_fast_s8,
#if TFK_USE_DSP
      tfk_depthwise_conv2d_fast_s8_dsp,
#endif
#if TFK_MVE_RQ
      tfk_depthwise_conv2d_fast_s8_mve,
#endif
  };
  const size_t n_out = (size_t)oh * ow * cout;
  size_t v, i;
  CHECK(h * w * cin <= VAR_MAX_IN && k * k * cout <= VAR_MAX_W && n_out <= VAR_MAX_OUT);
  in_d.n = 1, in_d.h = h, in_d.w = w, in_d.c = cin;
  f_d.n = 1, f_d.h = k, f_d.w = k, f_d.c = cout;
  out_d.n = 1, out_d.h = oh, out_d.w = ow, out_d.c = cout;
  for (i = 0; i < (size_t)(h * w * cin); ++i) in[i] = rnd_i8();
  for (i = 0; i < (size_t)(k * k * cout); ++i) wts[i] = rnd_i8();
  for (i = 0; i < (size_t)cout; ++i) bias[i] = rnd_range(-20000, 20000);
  fill_requant(mult, shift, cout);
  memset(&p, 0, sizeof p);
  p.input_offset = rnd_range(-127, 128);
  p.output_offset = rnd_range(-20, 20);
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = p.pad_w = pad;
  p.depth_multiplier = dm;
  p.activation_min = lo; /* -128: the full-range (SSAT) clamp; else a fused ReLU */
  p.activation_max = 127;
  q.multiplier = mult;
  q.shift = shift;
  tfk_depthwise_conv2d_s8(&p, &q, &in_d, in, &f_d, wts, bias, &out_d, ref);
  for (v = 0; v < sizeof variants / sizeof variants[0]; ++v) {
    memset(out, 0x5A, n_out);
    variants[v](&p, &q, &in_d, in, &f_d, wts, bias, &out_d, out);
    if (memcmp(ref, out, n_out) != 0) {
      printf("  depthwise %dx%dx%d dm %d, %dx%d stride %d pad %d: variant %u differs\n", (int)h,
             (int)w, (int)cin, (int)dm, (int)k, (int)k, (int)stride, (int)pad, (unsigned)v);
      CHECK(0);
    }
  }
}

static void test_fast_conv_variants(void) {
  check_conv_variants(5, 7, 12, 7, 1, 1, 1, 0, 1);  /* 1x1, 35 pixels, odd channels */
  check_conv_variants(8, 8, 16, 10, 1, 1, 2, 0, 1); /* 1x1 stride 2 */
  check_conv_variants(9, 6, 8, 9, 3, 3, 1, 1, 0);   /* gathered 3x3 windows, SAME padding */
  check_conv_variants(12, 6, 1, 8, 10, 4, 2, 2, 0); /* KWS's 10x4 first layer, 40-byte windows */
  check_conv_variants(6, 6, 40, 4, 5, 5, 1, 2, 0);  /* 1000-byte windows: one at a time */
  check_conv_variants(5, 5, 64, 3, 5, 5, 1, 1, 0);  /* 1600-byte windows: row by row */
  check_dw_variants(7, 9, 12, 1, 3, 1, 1, -128);    /* 3x3 dm 1: interior and border */
  check_dw_variants(9, 8, 11, 1, 3, 2, 1, -40);     /* odd channels, stride 2, fused clamp */
  check_dw_variants(10, 10, 1, 8, 3, 2, 1, -128);   /* one input channel, dm 8 */
  check_dw_variants(6, 5, 3, 2, 5, 1, 2, -128);     /* dm 2, 5x5 */
}

/* A pointwise CONV_2D (1x1, stride 1, one batch, at most 64 output channels)
 * run in place the way the memory planner lays it out (TensorGraph.Pointwise):
 * the output starts `gap` bytes below its input in one buffer, gap = pixels *
 * (cout - cin) + 4 * cin when widening, 4 * cout when narrowing (four pixels:
 * the largest block any 1x1 variant reads before storing), rounded up to 16.
 * Every 1x1 variant this build has must give the reference kernel's bytes, run
 * on separate buffers. */
static void check_conv_1x1_in_place(int32_t h, int32_t w, int32_t cin, int32_t cout) {
  static int8_t in[VAR_MAX_IN], wts[VAR_MAX_W], ref[VAR_MAX_OUT], arena[2 * VAR_MAX_OUT + 64];
  static int32_t bias[VAR_MAX_C], mult[VAR_MAX_C];
  static int8_t shift[VAR_MAX_C];
  const int32_t pixels = h * w, block = pixels < 4 ? pixels : 4;
  const int32_t raw = cout >= cin ? pixels * (cout - cin) + block * cin : block * cout;
  const int32_t gap = (raw + 15) / 16 * 16;
  tfk_dims4 in_d, f_d, out_d;
  tfk_conv_params p;
  tfk_per_channel_quant q;
  const conv_fn variants[] = {
      tfk_conv2d_1x1_s8,
#if TFK_USE_DSP
      call_conv2d_1x1_s8_smlad,
      tfk_conv_1x1_s8_dsp, /* only for cin % 4 == 0: skipped below otherwise */
#endif
#if TFK_MVE_RQ
      tfk_conv2d_1x1_s8_mve,
#endif
  };
  const size_t n_in = (size_t)pixels * cin, n_out = (size_t)pixels * cout;
  size_t v, i;
  CHECK(n_in <= VAR_MAX_IN && cout * cin <= VAR_MAX_W && n_out <= VAR_MAX_OUT && cout <= 64);
  CHECK((size_t)gap + n_in <= sizeof arena);
  in_d.n = 1, in_d.h = h, in_d.w = w, in_d.c = cin;
  f_d.n = cout, f_d.h = 1, f_d.w = 1, f_d.c = cin;
  out_d.n = 1, out_d.h = h, out_d.w = w, out_d.c = cout;
  for (i = 0; i < n_in; ++i) in[i] = rnd_i8();
  for (i = 0; i < (size_t)(cout * cin); ++i) wts[i] = rnd_i8();
  for (i = 0; i < (size_t)cout; ++i) bias[i] = rnd_range(-20000, 20000);
  fill_requant(mult, shift, cout);
  memset(&p, 0, sizeof p);
  p.input_offset = rnd_range(-127, 128);
  p.output_offset = rnd_range(-20, 20);
  p.stride_h = p.stride_w = 1;
  p.dilation_h = p.dilation_w = 1;
  p.activation_min = -128;
  p.activation_max = 127;
  q.multiplier = mult;
  q.shift = shift;
  tfk_conv2d_s8(&p, &q, &in_d, in, &f_d, wts, bias, &out_d, ref);
  for (v = 0; v < sizeof variants / sizeof variants[0]; ++v) {
#if TFK_USE_DSP
    if (variants[v] == tfk_conv_1x1_s8_dsp && cin % 4 != 0) continue;
#endif
    memset(arena, 0x5A, sizeof arena);
    memcpy(arena + gap, in, n_in);
    variants[v](&p, &q, &in_d, arena + gap, &f_d, wts, bias, &out_d, arena);
    if (memcmp(ref, arena, n_out) != 0) {
      printf("  in-place 1x1 %dx%dx%d -> %d (gap %d): variant %u differs\n", (int)h, (int)w, (int)cin,
             (int)cout, (int)gap, (unsigned)v);
      CHECK(0);
    }
  }
}

static void test_conv_1x1_in_place(void) {
  check_conv_1x1_in_place(6, 8, 8, 16);  /* person_detect's widening layer, smaller */
  check_conv_1x1_in_place(5, 7, 12, 7);  /* narrowing, odd pixels and channels */
  check_conv_1x1_in_place(3, 3, 16, 16); /* same depth: the output on the input, one block early */
  check_conv_1x1_in_place(1, 3, 4, 64);  /* three pixels (the DSP kernel repeats the last), 64 channels */
  check_conv_1x1_in_place(7, 1, 32, 8);  /* narrowing by 4 */
  check_conv_1x1_in_place(1, 1, 8, 24);  /* one pixel */
  check_conv_1x1_in_place(2, 5, 20, 60); /* ten pixels: blocks of four then two */
  check_conv_1x1_in_place(3, 7, 6, 9);   /* depth not a multiple of 4 */
}

static void test_fc_bias_and_zero_input(void) {
  /* With the input at its zero point only the bias remains. */
  enum { B = 2, D = 9, O = 4 };
  int8_t in[B * D], w[O * D], out[B * O];
  int32_t bias[O] = {100, -100, 5000, -5000};
  tfk_fc_params p;
  tfk_fc_dims d = {B, D, O};
  int i;
  for (i = 0; i < B * D; ++i) in[i] = 12;
  for (i = 0; i < O * D; ++i) w[i] = rnd_i8();
  p.input_offset = -12;
  p.filter_offset = 0;
  p.output_offset = 1;
  p.output_multiplier = 1 << 30; /* 0.5 * 2^-4 = 1/32 */
  p.output_shift = -4;
  p.activation_min = -128;
  p.activation_max = 127;
  tfk_fully_connected_s8(&p, &d, in, w, bias, out);
  for (i = 0; i < B * O; ++i) {
    const int32_t expect = (int32_t)lround(bias[i % O] / 32.0) + 1;
    CHECK_EQ_I(out[i], tfk_clamp_i32(expect, -128, 127));
  }
}

static void test_pools(void) {
  enum { H = 5, W = 6, C = 3 };
  int8_t in[H * W * C], out_max[H * W * C], out_avg[H * W * C];
  tfk_dims4 in_d = {1, H, W, C};
  tfk_dims4 out_d = {1, H, W, C};
  tfk_pool_params p;
  int oy, ox, c, y, x, i;
  for (i = 0; i < H * W * C; ++i) in[i] = rnd_i8();
  p.stride_h = p.stride_w = 1;
  p.filter_h = p.filter_w = 3;
  p.pad_h = p.pad_w = 1;
  p.activation_min = -128;
  p.activation_max = 127;
  tfk_max_pool2d_s8(&p, &in_d, in, &out_d, out_max);
  tfk_avg_pool2d_s8(&p, &in_d, in, &out_d, out_avg);
  for (oy = 0; oy < H; ++oy) {
    for (ox = 0; ox < W; ++ox) {
      for (c = 0; c < C; ++c) {
        int m = -128, sum = 0, cnt = 0;
        for (y = oy - 1; y <= oy + 1; ++y) {
          for (x = ox - 1; x <= ox + 1; ++x) {
            if (y < 0 || y >= H || x < 0 || x >= W) continue;
            if (in[(y * W + x) * C + c] > m) m = in[(y * W + x) * C + c];
            sum += in[(y * W + x) * C + c];
            ++cnt;
          }
        }
        CHECK_EQ_I(out_max[(oy * W + ox) * C + c], m);
        CHECK(fabs(out_avg[(oy * W + ox) * C + c] - (double)sum / cnt) <= 0.5);
      }
    }
  }
  /* average of a constant is the constant */
  memset(in, (unsigned char)(int8_t)-37, sizeof in);
  tfk_avg_pool2d_s8(&p, &in_d, in, &out_d, out_avg);
  for (i = 0; i < H * W * C; ++i) CHECK_EQ_I(out_avg[i], -37);
}

static void test_softmax_sums_to_one(void) {
  enum { ROWS = 20, DEPTH = 10 };
  int8_t in[ROWS * DEPTH], out[ROWS * DEPTH];
  int16_t out16[ROWS * DEPTH];
  tfk_softmax_params p;
  int r, c;
  /* input scale 0.1, beta 1: multiplier = 0.1 * 2^26, QuantizeMultiplier */
  p.input_multiplier = 1717986918; /* 0.8 * 2^31 */
  p.input_left_shift = 23;         /* 0.8 * 2^23 = 0.1 * 2^26 */
  p.diff_min = -(int32_t)floor(31.0 * (1 << 26) / (double)(1 << 23));
  for (r = 0; r < ROWS * DEPTH; ++r) in[r] = rnd_i8();
  tfk_softmax_s8(&p, ROWS, DEPTH, in, out);
  tfk_softmax_s8_s16(&p, ROWS, DEPTH, in, out16);
  for (r = 0; r < ROWS; ++r) {
    int sum = 0;
    long sum16 = 0;
    double denom = 0.0;
    int maxv = -128;
    for (c = 0; c < DEPTH; ++c) {
      if (in[r * DEPTH + c] > maxv) maxv = in[r * DEPTH + c];
    }
    for (c = 0; c < DEPTH; ++c) denom += exp(0.1 * (in[r * DEPTH + c] - maxv));
    for (c = 0; c < DEPTH; ++c) {
      const double expect = exp(0.1 * (in[r * DEPTH + c] - maxv)) / denom;
      sum += out[r * DEPTH + c] + 128;
      sum16 += out16[r * DEPTH + c] + 32768;
      CHECK(fabs((out[r * DEPTH + c] + 128) / 256.0 - expect) <= 1.0 / 256 + 1e-6);
      CHECK(fabs((out16[r * DEPTH + c] + 32768) / 65536.0 - expect) <= 2.0 / 65536);
    }
    CHECK(sum >= 256 - DEPTH && sum <= 256 + DEPTH);
    CHECK(sum16 >= 65536 - 2 * DEPTH && sum16 <= 65536 + 2 * DEPTH);
  }
}

static void test_softmax_wide_uniform_row(void) {
  /* 600 equal entries: each probability is 1/600 < 0.5/256, so -128; the
   * internal shift is 32 here, which must not trap. */
  enum { DEPTH = 600 };
  static int8_t in[DEPTH], out[DEPTH];
  static int16_t out16[DEPTH];
  tfk_softmax_params p = {1717986918, 23, -248};
  int i;
  memset(in, 5, sizeof in);
  tfk_softmax_s8(&p, 1, DEPTH, in, out);
  tfk_softmax_s8_s16(&p, 1, DEPTH, in, out16);
  for (i = 0; i < DEPTH; ++i) {
    CHECK_EQ_I(out[i], -128);
    CHECK(fabs((out16[i] + 32768) / 65536.0 - 1.0 / DEPTH) <= 1.0 / 65536);
  }
  CHECK_EQ_I(tfk_rounding_shift_right_wide(INT32_MAX, 32), 0);
  CHECK_EQ_I(tfk_rounding_shift_right_wide(INT32_MIN, 32), -1); /* -0.5 rounds away from zero */
  CHECK_EQ_I(tfk_rounding_shift_right_wide(-7, 2), tfk_rounding_shift_right(-7, 2));
}

static void test_logistic_tanh_kernels(void) {
  /* input scale 1/16, zero point 3: params as TFLM's Prepare computes them
   * (frexp(2^-4 * 2^27) = 0.5 * 2^24). */
  tfk_logistic_params p;
  int8_t in[256], lo[256], th[256];
  int i;
  p.input_zero_point = 3;
  p.input_multiplier = 1 << 30;
  p.input_left_shift = 24;
  p.input_range_radius = (int32_t)floor(15.0 * (1 << 27) / (double)(1 << 24));
  for (i = 0; i < 256; ++i) in[i] = (int8_t)(i - 128);
  tfk_logistic_s8(&p, 256, in, lo);
  tfk_tanh_s8(&p, 256, in, th);
  for (i = 0; i < 256; ++i) {
    const double x = (in[i] - 3) / 16.0;
    CHECK(fabs((lo[i] + 128) / 256.0 - 1.0 / (1.0 + exp(-x))) <= 1.0 / 256 + 1e-9 ||
          lo[i] == 127);
    CHECK(fabs(th[i] / 128.0 - tanh(x)) <= 1.0 / 128 + 1e-9 || th[i] == 127);
    if (i > 0) {
      CHECK(lo[i] >= lo[i - 1]); /* monotonic */
      CHECK(th[i] >= th[i - 1]);
    }
  }
}

static void test_add_mul_identities(void) {
  /* ADD with equal scales: TFLM's params for s1 = s2 = s_out. */
  enum { N = 64 };
  int8_t a[N], b[N], zero[1] = {0}, out[N];
  tfk_shape s = {1, {N}}, s1 = {1, {1}};
  tfk_add_params p;
  tfk_mul_params m;
  int i;
  for (i = 0; i < N; ++i) {
    a[i] = rnd_i8();
    b[i] = rnd_i8();
  }
  p.input1_offset = p.input2_offset = 0;
  p.output_offset = 0;
  p.left_shift = 20;
  p.input1_multiplier = p.input2_multiplier = 1 << 30; /* 0.5 */
  p.input1_shift = p.input2_shift = 0;
  p.output_multiplier = 1 << 30; /* 2 / 2^20 = 0.5 * 2^-18 */
  p.output_shift = -18;
  p.activation_min = -128;
  p.activation_max = 127;
  tfk_add_s8(&p, &s, a, &s, b, &s, out);
  for (i = 0; i < N; ++i) CHECK_EQ_I(out[i], tfk_clamp_i32(a[i] + b[i], -128, 127));
  tfk_sub_s8(&p, &s, a, &s, b, &s, out);
  for (i = 0; i < N; ++i) CHECK_EQ_I(out[i], tfk_clamp_i32(a[i] - b[i], -128, 127));
  tfk_add_s8(&p, &s, a, &s1, zero, &s, out); /* broadcast scalar 0 */
  CHECK(memcmp(out, a, N) == 0);
  /* MUL by a broadcast 1 (raw 1, zero point 0) with multiplier 1.0 */
  m.input1_offset = m.input2_offset = m.output_offset = 0;
  m.output_multiplier = 1 << 30;
  m.output_shift = 1;
  m.activation_min = -128;
  m.activation_max = 127;
  zero[0] = 1;
  tfk_mul_s8(&m, &s, a, &s1, zero, &s, out);
  CHECK(memcmp(out, a, N) == 0);
  tfk_maximum_s8(&s, a, &s, b, &s, out);
  for (i = 0; i < N; ++i) CHECK_EQ_I(out[i], a[i] > b[i] ? a[i] : b[i]);
  tfk_minimum_s8(&s, a, &s, b, &s, out);
  for (i = 0; i < N; ++i) CHECK_EQ_I(out[i], a[i] < b[i] ? a[i] : b[i]);
}

static void test_broadcast_layouts(void) {
  /* [2,1,3] max [4,1] -> [2,4,3]; check against explicit indexing. */
  int8_t a[6], b[4], out[24];
  tfk_shape sa = {3, {2, 1, 3}}, sb = {2, {4, 1}}, so = {3, {2, 4, 3}};
  int i, j, k;
  for (i = 0; i < 6; ++i) a[i] = rnd_i8();
  for (i = 0; i < 4; ++i) b[i] = rnd_i8();
  tfk_maximum_s8(&sa, a, &sb, b, &so, out);
  for (i = 0; i < 2; ++i) {
    for (j = 0; j < 4; ++j) {
      for (k = 0; k < 3; ++k) {
        const int8_t x = a[i * 3 + k], y = b[j];
        CHECK_EQ_I(out[(i * 4 + j) * 3 + k], x > y ? x : y);
      }
    }
  }
}

static void test_quantize_round_trip(void) {
  enum { N = 500 };
  float x[N], back[N];
  int8_t q[N];
  const float scale = 0.037f;
  int i;
  for (i = 0; i < N; ++i) x[i] = ((float)rnd_range(-5000, 5000) / 1000.0f);
  tfk_quantize_f32_s8(scale, -5, N, x, q);
  tfk_dequantize_s8_f32(scale, -5, N, q, back);
  for (i = 0; i < N; ++i) {
    const double lo = (-128 + 5) * (double)scale, hi = (127 + 5) * (double)scale;
    if (x[i] > lo && x[i] < hi) CHECK(fabs(back[i] - x[i]) <= scale * 0.5 + 1e-6);
  }
  /* Beyond int32 TFLM's float->int32 cast gives INT32_MIN on the x86 host the
   * oracle runs on, and adding the zero point -5 wraps to near INT32_MAX: both
   * become 127 (tfk reproduces the oracle, see tfk_quantize.c). */
  x[0] = 1e30f;
  x[1] = -1e30f;
  tfk_quantize_f32_s8(scale, -5, 2, x, q);
  CHECK_EQ_I(q[0], 127);
  CHECK_EQ_I(q[1], 127);
}

static void test_requantize_identity(void) {
  int8_t in[256], out[256];
  int16_t wide[256];
  tfk_requantize_params p = {4, 4, 1 << 30, 1};
  int i;
  for (i = 0; i < 256; ++i) in[i] = (int8_t)(i - 128);
  tfk_requantize_s8_s8(&p, 256, in, out);
  CHECK(memcmp(in, out, 256) == 0);
  p.output_zero_point = 0;
  p.shift = 9; /* * 256 */
  tfk_requantize_s8_s16(&p, 256, in, wide);
  for (i = 0; i < 256; ++i) CHECK_EQ_I(wide[i], tfk_clamp_i32((in[i] - 4) * 256, INT16_MIN, INT16_MAX));
  p.input_zero_point = 0;
  p.output_zero_point = 4;
  p.shift = -7; /* / 256 */
  tfk_requantize_s16_s8(&p, 256, wide, out);
  for (i = 0; i < 256; ++i) {
    if (in[i] >= -124) CHECK_EQ_I(out[i], in[i]); /* the rest saturated in int16 */
  }
}

static void test_layout_round_trips(void) {
  enum { D0 = 2, D1 = 3, D2 = 4, D3 = 5, D4 = 2, TOTAL = D0 * D1 * D2 * D3 * D4 };
  int8_t x[TOTAL], t[TOTAL], back[TOTAL], padded[4 * 5 * 6 * 7 * 4];
  tfk_shape s = {5, {D0, D1, D2, D3, D4}}, st;
  const int32_t perm[5] = {3, 0, 4, 2, 1};
  int32_t inv[5];
  tfk_pad_params pp;
  tfk_strided_slice_params sp;
  int i;
  for (i = 0; i < TOTAL; ++i) x[i] = rnd_i8();
  /* transpose then inverse transpose */
  st.rank = 5;
  for (i = 0; i < 5; ++i) {
    st.dims[i] = s.dims[perm[i]];
    inv[perm[i]] = i;
  }
  tfk_transpose(&s, perm, x, 1, t);
  tfk_transpose(&st, inv, t, 1, back);
  CHECK(memcmp(x, back, TOTAL) == 0);
  /* pad by one on each side, slice it back out */
  pp.rank = 5;
  sp.rank = 5;
  for (i = 0; i < 5; ++i) {
    pp.before[i] = 1;
    pp.after[i] = 1;
    sp.start[i] = 1;
    sp.stop[i] = 1 + s.dims[i];
    sp.step[i] = 1;
    st.dims[i] = s.dims[i] + 2;
  }
  tfk_pad_s8(&pp, &s, x, 99, padded);
  CHECK_EQ_I(padded[0], 99);
  tfk_strided_slice(&sp, &st, padded, 1, back);
  CHECK(memcmp(x, back, TOTAL) == 0);
  /* reversed slice twice is the identity */
  for (i = 0; i < 5; ++i) {
    sp.start[i] = s.dims[i] - 1;
    sp.stop[i] = -1;
    sp.step[i] = -1;
  }
  tfk_strided_slice(&sp, &s, x, 1, t);
  tfk_strided_slice(&sp, &s, t, 1, back);
  CHECK(memcmp(x, back, TOTAL) == 0);
}

static void test_concat_split_pack(void) {
  /* concat [2,3,4] and [2,1,4] along axis 1, split back */
  int8_t a[24], b[8], cat[32], a2[24], b2[8];
  const void* ins[2];
  void* outs[2];
  size_t bytes[2] = {3 * 4, 1 * 4};
  int i;
  for (i = 0; i < 24; ++i) a[i] = rnd_i8();
  for (i = 0; i < 8; ++i) b[i] = rnd_i8();
  ins[0] = a;
  ins[1] = b;
  tfk_concatenation(2, ins, bytes, 2, cat);
  CHECK(memcmp(cat, a, 12) == 0 && memcmp(cat + 12, b, 4) == 0 && memcmp(cat + 16, a + 12, 12) == 0);
  outs[0] = a2;
  outs[1] = b2;
  tfk_split(cat, 2, outs, bytes, 2);
  CHECK(memcmp(a, a2, 24) == 0 && memcmp(b, b2, 8) == 0);
  /* pack two [3,4] (the halves of a) along axis 1 -> [3,2,4], unpack */
  ins[1] = a + 12;
  outs[1] = a2 + 12;
  tfk_pack(2, ins, 4, 3, cat);
  CHECK(memcmp(cat, a, 4) == 0 && memcmp(cat + 4, a + 12, 4) == 0);
  memset(a2, 0, sizeof a2);
  tfk_unpack(cat, 2, outs, 4, 3);
  CHECK(memcmp(a, a2, 24) == 0);
}

static void test_resize_identity(void) {
  /* same-size bilinear and nearest resizes are copies */
  enum { N = 2, H = 3, W = 5, C = 2 };
  int8_t in[N * H * W * C], out[N * H * W * C], up[N * 2 * H * 2 * W * C];
  tfk_dims4 d = {N, H, W, C}, d2 = {N, 2 * H, 2 * W, C};
  int i, y, x, c, b;
  for (i = 0; i < N * H * W * C; ++i) in[i] = rnd_i8();
  tfk_resize_bilinear_s8(&d, in, &d, 0, 0, out);
  CHECK(memcmp(in, out, sizeof in) == 0);
  tfk_resize_nearest(&d, in, &d, 0, 1, 1, out);
  CHECK(memcmp(in, out, sizeof in) == 0);
  /* 2x nearest upscale repeats every pixel twice in each direction */
  tfk_resize_nearest(&d, in, &d2, 0, 0, 1, up);
  for (b = 0; b < N; ++b)
    for (y = 0; y < 2 * H; ++y)
      for (x = 0; x < 2 * W; ++x)
        for (c = 0; c < C; ++c)
          CHECK_EQ_I(up[((b * 2 * H + y) * 2 * W + x) * C + c],
                     in[((b * H + y / 2) * W + x / 2) * C + c]);
}

/* A last-axis concatenation of [max pool (C1), resize (C2), plain input (C3)]
 * built as the generated code builds it without a copy: the pool and the
 * resize write their channel slices straight into the output (pixel stride
 * C1 + C2 + C3), the third input is copied into its slice.  It must equal the
 * contiguous kernels' outputs joined by tfk_concatenation, and each producer
 * must leave every byte outside its slice as it was. */
static void test_strided_concat_slices(void) {
  enum { B = 2, H = 5, W = 7, C1 = 3, C2 = 5, C3 = 2, C = C1 + C2 + C3 };
  enum { PIXELS = B * H * W };
  int8_t pool_in[PIXELS * C1], resize_in[B * 3 * 4 * C2], plain[PIXELS * C3];
  int8_t pool_out[PIXELS * C1], resize_out[PIXELS * C2];
  int8_t want[PIXELS * C], got[PIXELS * C], before[PIXELS * C];
  int16_t wide_in[B * 3 * 4 * C2], wide_out[PIXELS * C2], wide_cat[PIXELS * C];
  tfk_dims4 pool_d = {B, H, W, C1}, pool_od = {B, H, W, C1};
  tfk_dims4 resize_d = {B, 3, 4, C2}, resize_od = {B, H, W, C2};
  tfk_pool_params p;
  const void* ins[3];
  size_t bytes[3] = {C1, C2, C3};
  int i, k, c;
  for (i = 0; i < PIXELS * C1; ++i) pool_in[i] = rnd_i8();
  for (i = 0; i < B * 3 * 4 * C2; ++i) resize_in[i] = rnd_i8();
  for (i = 0; i < B * 3 * 4 * C2; ++i) wide_in[i] = (int16_t)(rnd() & 0xFFFF);
  for (i = 0; i < PIXELS * C3; ++i) plain[i] = rnd_i8();
  for (i = 0; i < PIXELS * C; ++i) got[i] = rnd_i8();
  p.stride_h = p.stride_w = 1;
  p.filter_h = p.filter_w = 3;
  p.pad_h = p.pad_w = 1;
  p.activation_min = -100;
  p.activation_max = 90;
  tfk_max_pool2d_s8(&p, &pool_d, pool_in, &pool_od, pool_out);
  tfk_resize_nearest(&resize_d, resize_in, &resize_od, 0, 1, 1, resize_out);
  ins[0] = pool_out;
  ins[1] = resize_out;
  ins[2] = plain;
  tfk_concatenation(3, ins, bytes, PIXELS, want);

  memcpy(before, got, sizeof got);
  tfk_max_pool2d_s8_strided(&p, &pool_d, pool_in, &pool_od, C, got);
  for (k = 0; k < PIXELS; ++k)
    for (c = C1; c < C; ++c) CHECK_EQ_I(got[k * C + c], before[k * C + c]);
  memcpy(before, got, sizeof got);
  tfk_resize_nearest_strided(&resize_d, resize_in, &resize_od, 0, 1, 1, C, got + C1);
  for (k = 0; k < PIXELS; ++k)
    for (c = 0; c < C; ++c)
      if (c < C1 || c >= C1 + C2) CHECK_EQ_I(got[k * C + c], before[k * C + c]);
  tfk_copy_into_slice(plain, PIXELS, C3, C, got + C1 + C2);
  CHECK(memcmp(got, want, sizeof want) == 0);

  /* 16-bit elements: the stride counts elements, not bytes */
  for (i = 0; i < PIXELS * C; ++i) wide_cat[i] = 0x7A5B;
  tfk_resize_nearest(&resize_d, wide_in, &resize_od, 0, 1, 2, wide_out);
  tfk_resize_nearest_strided(&resize_d, wide_in, &resize_od, 0, 1, 2, C, wide_cat + C1);
  for (k = 0; k < PIXELS; ++k) {
    for (c = 0; c < C; ++c) {
      if (c >= C1 && c < C1 + C2) {
        CHECK_EQ_I(wide_cat[k * C + c], wide_out[k * C2 + c - C1]);
      } else {
        CHECK_EQ_I(wide_cat[k * C + c], 0x7A5B);
      }
    }
  }
}

static void test_mean_of_constant(void) {
  /* mean over H, W of a constant is that constant requantized */
  enum { H = 7, W = 9, C = 3 };
  int8_t in[H * W * C], out[C];
  tfk_shape s = {4, {1, H, W, C}};
  tfk_mean_params p;
  memset(&p, 0, sizeof p);
  memset(in, 50, sizeof in);
  p.input_zero_point = 10;
  p.output_zero_point = -2;
  p.multiplier = 1 << 30; /* 0.5 */
  p.shift = 0;
  p.num_axes = 2;
  p.axes[0] = 1;
  p.axes[1] = 2;
  tfk_mean_s8(&p, &s, in, out);
  CHECK_EQ_I(out[0], (50 - 10) / 2 - 2);
  CHECK_EQ_I(out[2], (50 - 10) / 2 - 2);
  /* same through the generic walk (axes given as 2, 1 over a 5-D view) */
  s.rank = 5;
  s.dims[0] = 1; s.dims[1] = 1; s.dims[2] = H; s.dims[3] = W; s.dims[4] = C;
  p.axes[0] = 3;
  p.axes[1] = 2;
  tfk_mean_s8(&p, &s, in, out);
  CHECK_EQ_I(out[1], (50 - 10) / 2 - 2);
}

static void test_activation_kernels(void) {
  int8_t in[256], out[256];
  tfk_relu_params rp = {5, 5, 1 << 30, 1, 5, 127};
  tfk_leaky_relu_params lp = {0, 0, 1 << 30, -2, 1 << 30, 1}; /* alpha 0.125 */
  int i;
  for (i = 0; i < 256; ++i) in[i] = (int8_t)(i - 128);
  tfk_relu_s8(&rp, 256, in, out);
  for (i = 0; i < 256; ++i) CHECK_EQ_I(out[i], in[i] < 5 ? 5 : in[i]);
  tfk_relu6_s8(-10, 40, 256, in, out);
  for (i = 0; i < 256; ++i) CHECK_EQ_I(out[i], tfk_clamp_i32(in[i], -10, 40));
  tfk_leaky_relu_s8(&lp, 256, in, out);
  for (i = 0; i < 256; ++i) {
    CHECK(in[i] >= 0 ? out[i] == in[i] : fabs(out[i] - in[i] / 8.0) <= 0.5);
  }
}

/* A table filled from tfk_leaky_relu_s8 gives the same bytes through tfk_lut_s8, for every length (the
 * unrolled body and the tail) and in place. */
static void test_lut_matches_kernel(void) {
  int8_t all[256], lut[256], in[263], want[263], got[263];
  tfk_leaky_relu_params lp = {7, -3, 1518500250, -3, 1276901417, 0};
  int i, n;
  for (i = 0; i < 256; ++i) all[i] = (int8_t)i; /* entry i is the output for the byte i */
  tfk_leaky_relu_s8(&lp, 256, all, lut);
  for (i = 0; i < 263; ++i) in[i] = (int8_t)((i * 37 + 11) & 0xFF);
  for (n = 0; n <= 263; n += (n < 9 ? 1 : 37)) {
    tfk_leaky_relu_s8(&lp, n, in, want);
    tfk_lut_s8(lut, n, in, got);
    for (i = 0; i < n; ++i) CHECK_EQ_I(got[i], want[i]);
  }
  tfk_leaky_relu_s8(&lp, 263, in, want);
  memcpy(got, in, sizeof got);
  tfk_lut_s8(lut, 263, got, got);
  for (i = 0; i < 263; ++i) CHECK_EQ_I(got[i], want[i]);
}

/* Every kernel's C scratch size function gives the bytes the code generator
 * plans for the same dimensions (scratch_sizes.inc, written by codegen's
 * ScratchTableTest from ScratchSizes).  All size functions exist in every
 * build, also those of kernels the build lacks. */
typedef struct {
  const char* kernel;
  int32_t in[4], filter[4], out[4];
  int32_t input_offset, stride_h, stride_w;
  long bytes;
} scratch_row;

static const scratch_row k_scratch_rows[] = {
#include "scratch_sizes.inc"
};

static tfk_dims4 dims_of(const int32_t d[4]) {
  tfk_dims4 r;
  r.n = d[0], r.h = d[1], r.w = d[2], r.c = d[3];
  return r;
}

static void test_scratch_sizes_match_generator(void) {
  size_t i;
  for (i = 0; i < sizeof k_scratch_rows / sizeof k_scratch_rows[0]; ++i) {
    const scratch_row* r = &k_scratch_rows[i];
    const tfk_dims4 in = dims_of(r->in), f = dims_of(r->filter), out = dims_of(r->out);
    tfk_conv_params cp;
    tfk_dw_conv_params dp;
    tfk_fc_dims fd;
    long got = -1;
    memset(&cp, 0, sizeof cp);
    memset(&dp, 0, sizeof dp);
    cp.input_offset = dp.input_offset = r->input_offset;
    cp.stride_h = dp.stride_h = r->stride_h;
    cp.stride_w = dp.stride_w = r->stride_w;
    cp.dilation_h = cp.dilation_w = dp.dilation_h = dp.dilation_w = 1;
    dp.depth_multiplier = 1;
    fd.batches = r->in[0];
    fd.accum_depth = r->in[3];
    fd.output_depth = r->out[3];
    if (!strcmp(r->kernel, "tfk_conv2d_fast_s8_mve")) {
      got = (long)tfk_conv2d_fast_s8_mve_scratch_bytes(&cp, &in, &f, &out);
    } else if (!strcmp(r->kernel, "tfk_conv2d_1x1_s8_smlad")) {
      got = (long)tfk_conv2d_1x1_s8_smlad_scratch_bytes(&in, &out);
    } else if (!strcmp(r->kernel, "tfk_dw_conv_3x3_s8_mve")) {
#if TFK_MVE_RQ
      got = (long)tfk_dw_conv_3x3_s8_mve_scratch_bytes(&in);
#else
      /* the generator plans for Helium builds; this one runs the plain C loop */
      continue;
#endif
    } else if (!strcmp(r->kernel, "tfk_fc_s8_dsp")) {
      got = (long)tfk_fc_s8_dsp_scratch_bytes(&fd);
    }
    if (got != r->bytes) {
      printf("  row %u: %s gives %ld scratch bytes, the generator plans %ld\n", (unsigned)i,
             r->kernel, got, r->bytes);
      CHECK(0);
    }
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0); /* keep progress visible if a sanitizer aborts */
#if TFK_SINGLE_ROUNDING
  printf("tfk unit tests (TFK_SINGLE_ROUNDING=1)\n");
#else
  printf("tfk unit tests (double rounding)\n");
#endif
  run_test("scratch_sizes_match_generator", test_scratch_sizes_match_generator);
  run_test("bias_at_widths", test_bias_at_widths);
  run_test("rounding_doubling_high_mul", test_rounding_doubling_high_mul);
  run_test("rounding_shift_right", test_rounding_shift_right);
  run_test("saturating_rounding_shift_saturates", test_saturating_rounding_shift_saturates);
  run_test("requantize_helper_identity", test_requantize_helper_identity);
  run_test("requantize_helper_fast_equal", test_requantize_helper_fast_equal);
#if TFK_MVE_RQ
  run_test("rq4_mve_equal", test_rq4_mve_equal);
#endif
  run_test("requantize_helper_accuracy", test_requantize_helper_accuracy);
  run_test("requantize_helper_saturation", test_requantize_helper_saturation);
  run_test("exp_on_negative_values", test_exp_on_negative_values);
  run_test("reciprocal_helpers", test_reciprocal_helpers);
  run_test("logistic_tanh_q", test_logistic_tanh_q);
  run_test("int16_helpers", test_int16_helpers);
  run_test("conv_identity_weights", test_conv_identity_weights);
  run_test("depthwise_identity", test_depthwise_identity);
  run_test("fast_conv_variants", test_fast_conv_variants);
  run_test("conv_1x1_in_place", test_conv_1x1_in_place);
  run_test("fc_bias_and_zero_input", test_fc_bias_and_zero_input);
  run_test("pools", test_pools);
  run_test("softmax_sums_to_one", test_softmax_sums_to_one);
  run_test("softmax_wide_uniform_row", test_softmax_wide_uniform_row);
  run_test("logistic_tanh_kernels", test_logistic_tanh_kernels);
  run_test("add_mul_identities", test_add_mul_identities);
  run_test("broadcast_layouts", test_broadcast_layouts);
  run_test("quantize_round_trip", test_quantize_round_trip);
  run_test("requantize_identity", test_requantize_identity);
  run_test("layout_round_trips", test_layout_round_trips);
  run_test("concat_split_pack", test_concat_split_pack);
  run_test("resize_identity", test_resize_identity);
  run_test("strided_concat_slices", test_strided_concat_slices);
  run_test("mean_of_constant", test_mean_of_constant);
  run_test("activation_kernels", test_activation_kernels);
  run_test("lut_matches_kernel", test_lut_matches_kernel);
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed ? 1 : 0;
}
