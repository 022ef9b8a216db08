/*
 * tfk_conv_dsp_common.h - private to the DSP convolution kernels that widen
 * pixels or windows to int16 and run the output channels one at a time over
 * them (tfk_conv_1x1_s8_dsp.c, tfk_conv_3x3_s8_dsp.c): their four accumulators,
 * the per-channel epilogue prepared once per block of channels, the exact
 * one-multiply requantization and the clamp.  Include after tfk_dsp.h (or
 * tfk_simd.h), inside #if TFK_USE_DSP.
 */
#ifndef TFK_CONV_DSP_COMMON_H
#define TFK_CONV_DSP_COMMON_H

#include "tfk_kernels.h"
#include "tfk_math.h"

/* Forced inlining: the per-depth copies of the channel loops exist only if GCC
 * inlines them into their callers (left to itself it calls one copy). */
#if defined(__GNUC__)
#define TFK_ALWAYS_INLINE static __inline__ __attribute__((always_inline))
#else
#define TFK_ALWAYS_INLINE static inline
#endif

/* LO, HI = the two words at byte offset BYTES from P, in one LDRD (word
 * alignment is enough on ARMv7E-M; GCC 12 splits 64-bit loads it takes apart
 * right away into two LDRs).  The "m" operand tells GCC what memory is read.
 * The offset is an immediate, a constant only once calls are inlined and
 * folded, so an unoptimised build (-O0, CMake's default) takes the C loads. */
#if defined(TFK_EMULATE_DSP) || !defined(__GNUC__) || !defined(__OPTIMIZE__)
#define TFK_LDRD(LO, HI, P, BYTES)                   \
  do {                                               \
    uint32_t lo_, hi_;                               \
    memcpy(&lo_, (const char*)(P) + (BYTES), 4);     \
    memcpy(&hi_, (const char*)(P) + (BYTES) + 4, 4); \
    (LO) = lo_;                                      \
    (HI) = hi_;                                      \
  } while (0)
#else
#define TFK_LDRD(LO, HI, P, BYTES)                 \
  __asm__("ldrd %0, %1, [%2, %3]"                  \
          : "=r"(LO), "=r"(HI)                     \
          : "r"(P), "i"(BYTES),                    \
            "m"(*(const uint64_t*)(const void*)((const char*)(P) + (BYTES))))
#endif

/* Four bytes of a filter row (input channels, or window bytes): filter word F
 * (int8) against the widened words of NPX pixels at XW + 4 * WORD: two
 * SXTB16, NPX LDRD, 2 * NPX SMLAD into the accumulators a0..a3 in scope. */
#define TFK_STEP(F, XW, WORD, NPX)                            \
  do {                                                        \
    const int32_t fe = tfk_sxtb16(F);                         \
    const int32_t fo = tfk_sxtb16_ror8(F);                    \
    int32_t ve, vo;                                           \
    TFK_LDRD(ve, vo, XW, (WORD) * 4);                         \
    a0 = tfk_smlad(ve, fe, a0);                               \
    a0 = tfk_smlad(vo, fo, a0);                               \
    if ((NPX) > 1) {                                          \
      TFK_LDRD(ve, vo, XW, (WORD) * 4 + 8);                   \
      a1 = tfk_smlad(ve, fe, a1);                             \
      a1 = tfk_smlad(vo, fo, a1);                             \
    }                                                         \
    if ((NPX) > 2) {                                          \
      TFK_LDRD(ve, vo, XW, (WORD) * 4 + 16);                  \
      a2 = tfk_smlad(ve, fe, a2);                             \
      a2 = tfk_smlad(vo, fo, a2);                             \
      TFK_LDRD(ve, vo, XW, (WORD) * 4 + 24);                  \
      a3 = tfk_smlad(ve, fe, a3);                             \
      a3 = tfk_smlad(vo, fo, a3);                             \
    }                                                         \
  } while (0)


/* The four pixels' (or windows') running sums of one output channel. */
typedef struct {
  int32_t a0, a1, a2, a3;
} acc_4px;

/* acc += the dot products of filter row w (len bytes, len % 4 == 0) with the
 * npx (1, 2 or 4) pixels or windows widened into xw (their input offset added).  Sixteen (else eight) bytes per trip
 * with the filter read by LDRD when the row is word-aligned (aligned);
 * otherwise one word load per four bytes. */
TFK_ALWAYS_INLINE void dot_npx(const int32_t* xw, const int8_t* w, int32_t len, int npx,
                               int aligned, acc_4px* acc) {
  int32_t a0 = acc->a0, a1 = acc->a1, a2 = acc->a2, a3 = acc->a3;
  const int8_t* const end = w + len;
  if (aligned && len % 16 == 0) {
    for (; w != end; w += 16, xw += 8 * npx) {
      uint32_t f, g;
      TFK_LDRD(f, g, w, 0);
      TFK_STEP(f, xw, 0, npx);
      TFK_STEP(g, xw, 2 * npx, npx);
      TFK_LDRD(f, g, w, 8);
      TFK_STEP(f, xw, 4 * npx, npx);
      TFK_STEP(g, xw, 6 * npx, npx);
    }
  } else if (aligned && len % 8 == 0) {
    for (; w != end; w += 8, xw += 4 * npx) {
      uint32_t f, g;
      TFK_LDRD(f, g, w, 0);
      TFK_STEP(f, xw, 0, npx);
      TFK_STEP(g, xw, 2 * npx, npx);
    }
  } else {
    for (; w != end; w += 4, xw += 2 * npx) {
      const uint32_t f = tfk_load_s8x4(w);
      TFK_STEP(f, xw, 0, npx);
    }
  }
  acc->a0 = a0;
  acc->a1 = a1;
  acc->a2 = a2;
  acc->a3 = a3;
}
/* What one output channel's epilogue needs, prepared once per call and block
 * of channels (prepare_channels) instead of once per group of pixels. */
typedef struct {
  int32_t bias; /* the accumulators' start (0 without bias) */
  int32_t m;    /* the channel's multiplier */
  int32_t half; /* 2^(rs1 - 1): rq_rshift's rounding term */
  int32_t rs1;  /* -shift - 1 (>= 1); 0 when the channel takes tfk_requantize instead */
} channel_rq;

/* Fills c[0..n) for output channels first .. first + n - 1; the biases are
 * bias_width bytes each (tfk_bias_at). */
static void prepare_channels(const int32_t* qm, const int8_t* qs, const uint8_t* bias,
                             int32_t bias_width, int32_t first, int32_t n, channel_rq* c) {
  int32_t i;
  /* one test of the width per block, the loads of a constant width */
  if (bias_width == 2) {
    for (i = 0; i < n; ++i) c[i].bias = tfk_bias_at(bias, 2, first + i);
  } else if (bias_width == 3) {
    for (i = 0; i < n; ++i) c[i].bias = tfk_bias_at(bias, 3, first + i);
  } else {
    for (i = 0; i < n; ++i) c[i].bias = tfk_bias_at(bias, 4, first + i);
  }
  for (i = 0; i < n; ++i) {
    const int32_t m = qm[first + i], s = qs[first + i];
    c[i].m = m;
    c[i].rs1 = 0;
    c[i].half = 0;
#if TFK_SINGLE_ROUNDING
    (void)s; /* every channel takes tfk_requantize */
#else
    if (s <= -2 && m >= 0) { /* where rq_rshift is exact */
      c[i].rs1 = -s - 1;
      c[i].half = (int32_t)((uint32_t)1 << (-s - 2));
    }
#endif
  }
}

#if !TFK_SINGLE_ROUNDING
/* tfk_requantize_rshift(x, m, rs1) for rs1 >= 1, i.e. hi32(x * m + K) >> rs1 with
 * K = 2^(31 + rs1) + 2^30 - [x < 0] * 2^31.  K's low word is 2^30 | [x < 0] *
 * 2^31 (0x40000000 or 0xC0000000), its high word 2^(rs1 - 1) - [x < 0]:
 * with t = x >> 31 (0 or -1) that is ORR, ADD, SMLAL, ASR after the ASR for t,
 * and no carry between the words (2^31 + 2^30 < 2^32). */
TFK_ALWAYS_INLINE int32_t rq_rshift(int32_t x, int32_t m, int32_t half, int32_t rs1) {
  const int32_t t = x >> 31;
  const uint32_t lo = 0x40000000u | ((uint32_t)t << 31);
  const int32_t hi = half + t;
  const int64_t k = (int64_t)(((uint64_t)(uint32_t)hi << 32) | lo);
  return (int32_t)(((int64_t)x * m + k) >> 32) >> rs1;
}
#endif

/* tfk_requantize of the accumulators a0..a3 with channel oc's multiplier and shift
 * into *v: the channels rq_rshift does not take (shift >= -1, or single
 * rounding).  Out of line and by value, so that the channel loop keeps neither
 * pointers nor stack copies for it. */
static TFK_NOINLINE void rq_general(int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                                    const int32_t* qm, const int8_t* qs, int32_t oc,
                                    acc_4px* v) {
  const int32_t m = qm[oc], s = qs[oc];
  v->a0 = tfk_requantize(a0, m, (int)s);
  v->a1 = tfk_requantize(a1, m, (int)s);
  v->a2 = tfk_requantize(a2, m, (int)s);
  v->a3 = tfk_requantize(a3, m, (int)s);
}

/* Clamps v (output offset added) to the activation range: one SSAT when the
 * range is all of int8 (i8range). */
TFK_ALWAYS_INLINE int8_t clamp_out(int32_t v, int i8range, int32_t lo, int32_t hi) {
  if (TFK_LIKELY(i8range)) return (int8_t)tfk_ssat8(v);
  return (int8_t)tfk_clamp_i32(v, lo, hi);
}

#endif /* TFK_CONV_DSP_COMMON_H */
