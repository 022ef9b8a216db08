/*
 * tfk_simd.h - internal helpers of the fast kernels: int8 dot products with
 * the input offset added on the fly, on the Cortex-M DSP extension when the
 * compiler says it is there (__ARM_FEATURE_DSP: Cortex-M4, M7, M33, M55) and
 * in portable C otherwise.  Both paths compute the same int32 sums: every
 * product (x + input_offset) * w fits in int16 x int16 (x + input_offset is
 * in [-255, 255] because input_offset = -zero_point), and the accumulation
 * wraps modulo 2^32 in both, so the order of the additions does not matter.
 *
 * Define TFK_NO_DSP to force the portable path on a DSP core (tests).
 */
#ifndef TFK_SIMD_H
#define TFK_SIMD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tfk_math.h"

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(TFK_NO_DSP)
#define TFK_USE_DSP 1
#include <arm_acle.h>
#define tfk_sxtb16 __sxtb16
#define tfk_sxtab16 __sxtab16
#define tfk_smlad __smlad
#define tfk_smlabb __smlabb
#define tfk_smlatt __smlatt
#elif defined(TFK_EMULATE_DSP)
/* Host tests: the DSP path with the instructions written out in C, so that
 * its data movement runs under the sanitizers and against the TFLM oracle. */
#define TFK_USE_DSP 1
TFK_INLINE int32_t tfk_lo16(uint32_t v) { return (int32_t)(int16_t)(uint16_t)(v & 0xFFFFu); }
TFK_INLINE int32_t tfk_hi16(uint32_t v) { return (int32_t)(int16_t)(uint16_t)(v >> 16); }
TFK_INLINE uint32_t tfk_pack16(int32_t lo, int32_t hi) {
  return ((uint32_t)lo & 0xFFFFu) | (((uint32_t)hi & 0xFFFFu) << 16);
}
/* SXTB16: bytes 0 and 2 sign-extended into the two halfwords. */
TFK_INLINE int32_t tfk_sxtb16(uint32_t v) {
  return (int32_t)tfk_pack16((int8_t)(uint8_t)(v & 0xFFu), (int8_t)(uint8_t)((v >> 16) & 0xFFu));
}
/* SXTAB16: halfwords of a plus bytes 0 and 2 of v sign-extended (mod 2^16). */
TFK_INLINE int32_t tfk_sxtab16(uint32_t a, uint32_t v) {
  const uint32_t e = (uint32_t)tfk_sxtb16(v);
  return (int32_t)tfk_pack16(tfk_lo16(a) + tfk_lo16(e), tfk_hi16(a) + tfk_hi16(e));
}
/* SMLAD: acc + lo*lo + hi*hi, wrapping. */
TFK_INLINE int32_t tfk_smlad(int32_t a, int32_t b, int32_t acc) {
  return tfk_wrap_add(tfk_wrap_add(acc, tfk_lo16((uint32_t)a) * tfk_lo16((uint32_t)b)),
                      tfk_hi16((uint32_t)a) * tfk_hi16((uint32_t)b));
}
TFK_INLINE int32_t tfk_smlabb(int32_t a, int32_t b, int32_t acc) {
  return tfk_wrap_add(acc, tfk_lo16((uint32_t)a) * tfk_lo16((uint32_t)b));
}
TFK_INLINE int32_t tfk_smlatt(int32_t a, int32_t b, int32_t acc) {
  return tfk_wrap_add(acc, tfk_hi16((uint32_t)a) * tfk_hi16((uint32_t)b));
}
#else
#define TFK_USE_DSP 0
#endif

#if TFK_USE_DSP
/* Four int8 values as one word.  memcpy keeps C's aliasing rules and
 * compiles to one LDR (unaligned LDR is allowed on ARMv7E-M and ARMv8-M). */
TFK_INLINE uint32_t tfk_load_s8x4(const int8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* Rotate right by 8. */
TFK_INLINE uint32_t tfk_ror8(uint32_t v) { return (v >> 8) | (v << 24); }

/* SXTB16 / SXTAB16 of the word rotated right by 8 (bytes 1 and 3).  Written
 * as inline asm on Arm because GCC 12 does not fold the rotation into the
 * instruction's ROR #8 operand (it emits a separate MOV ... ROR). */
#if defined(TFK_EMULATE_DSP)
TFK_INLINE int32_t tfk_sxtb16_ror8(uint32_t v) { return tfk_sxtb16(tfk_ror8(v)); }
TFK_INLINE int32_t tfk_sxtab16_ror8(uint32_t a, uint32_t v) { return tfk_sxtab16(a, tfk_ror8(v)); }
#else
TFK_INLINE int32_t tfk_sxtb16_ror8(uint32_t v) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
}
TFK_INLINE int32_t tfk_sxtab16_ror8(uint32_t a, uint32_t v) {
  int32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(v));
  return r;
}
#endif

/* Both halfwords equal to v (the input offset, in [-127, 128]). */
TFK_INLINE uint32_t tfk_dup_i16(int32_t v) { return ((uint32_t)v & 0xFFFFu) * 0x10001u; }
#endif

/* Helium (MVE, Cortex-M55): sixteen int8 products summed into an int32 per
 * VMLADAVA.  The input offset is not added lane by lane (x + off leaves int8);
 * instead sum (x + off) * w = sum x * w + off * sum w, both sums modulo 2^32 like
 * the other paths, so the bytes are the same.  The last, partial vector is
 * predicated (VCTP): its inactive lanes load as 0 and add nothing.
 * TFK_NO_MVE keeps the DSP path on an MVE core; TFK_EMULATE_MVE (host tests)
 * writes the five intrinsics used here out in C. */
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1) && !defined(TFK_NO_MVE) && \
    !defined(TFK_NO_DSP)
#define TFK_USE_MVE 1
#include <arm_mve.h>
#elif defined(TFK_EMULATE_MVE)
#define TFK_USE_MVE 1
typedef struct {
  int8_t v[16];
} int8x16_t;
typedef uint16_t mve_pred16_t;
/* VCTP.8: lanes below n active (two predicate bits per byte lane). */
TFK_INLINE mve_pred16_t vctp8q(uint32_t n) {
  return (mve_pred16_t)(n >= 16 ? 0xFFFFu : ((1u << n) - 1u));
}
/* VLDRB.S8 with zeroing predication: inactive lanes are 0 and not read. */
TFK_INLINE int8x16_t vldrbq_z_s8(const int8_t* p, mve_pred16_t pred) {
  int8x16_t r;
  int k;
  for (k = 0; k < 16; ++k) r.v[k] = (int8_t)((pred >> k) & 1u ? p[k] : 0);
  return r;
}
/* VMLADAVA.S8: acc + sum a[k] * b[k], wrapping. */
TFK_INLINE int32_t vmladavaq_s8(int32_t acc, int8x16_t a, int8x16_t b) {
  int k;
  for (k = 0; k < 16; ++k) acc = tfk_wrap_add(acc, (int32_t)a.v[k] * b.v[k]);
  return acc;
}
TFK_INLINE int8x16_t vld1q_s8(const int8_t* p) { return vldrbq_z_s8(p, 0xFFFFu); }
/* VSTRB.8 with predication: only the active lanes are written. */
TFK_INLINE void vstrbq_p_s8(int8_t* p, int8x16_t a, mve_pred16_t pred) {
  int k;
  for (k = 0; k < 16; ++k) {
    if ((pred >> k) & 1u) p[k] = a.v[k];
  }
}
/* VADDVA.S8: acc + sum a[k], wrapping. */
TFK_INLINE int32_t vaddvaq_s8(int32_t acc, int8x16_t a) {
  int k;
  for (k = 0; k < 16; ++k) acc = tfk_wrap_add(acc, a.v[k]);
  return acc;
}
/* Four int32 lanes and the lane-wise instructions of the vector requantization
 * and the depthwise / 1x1 kernels, as the Arm MVE spec defines them. */
typedef struct {
  int32_t v[4];
} int32x4_t;
typedef struct {
  uint32_t v[4];
} uint32x4_t;
/* VCTP.32: lanes below n active (four predicate bits per word lane). */
TFK_INLINE mve_pred16_t vctp32q(uint32_t n) {
  return (mve_pred16_t)(n >= 4 ? 0xFFFFu : ((1u << (4 * n)) - 1u));
}
TFK_INLINE int tfk_lane_on32(mve_pred16_t p, int k) { return (p >> (4 * k)) & 1u; }
TFK_INLINE int32x4_t vdupq_n_s32(int32_t a) {
  int32x4_t r;
  int k;
  for (k = 0; k < 4; ++k) r.v[k] = a;
  return r;
}
TFK_INLINE int32x4_t vsetq_lane_s32(int32_t a, int32x4_t r, int k) {
  r.v[k] = a;
  return r;
}
TFK_INLINE uint32x4_t vldrwq_u32(const uint32_t* p) {
  uint32x4_t r;
  memcpy(r.v, p, sizeof r.v);
  return r;
}
/* VLDRW.32 / VLDRB.S32 with zeroing predication: inactive lanes are 0, not read. */
TFK_INLINE int32x4_t vldrwq_z_s32(const int32_t* p, mve_pred16_t pred) {
  int32x4_t r;
  int k;
  for (k = 0; k < 4; ++k) r.v[k] = tfk_lane_on32(pred, k) ? p[k] : 0;
  return r;
}
TFK_INLINE int32x4_t vldrbq_z_s32(const int8_t* p, mve_pred16_t pred) {
  int32x4_t r;
  int k;
  for (k = 0; k < 4; ++k) r.v[k] = tfk_lane_on32(pred, k) ? p[k] : 0;
  return r;
}
TFK_INLINE int32x4_t vldrbq_s32(const int8_t* p) { return vldrbq_z_s32(p, 0xFFFFu); }
TFK_INLINE int32x4_t vldrwq_s32(const int32_t* p) { return vldrwq_z_s32(p, 0xFFFFu); }
/* VSTRB.32: the low byte of each active lane. */
TFK_INLINE void vstrbq_p_s32(int8_t* p, int32x4_t a, mve_pred16_t pred) {
  int k;
  for (k = 0; k < 4; ++k) {
    if (tfk_lane_on32(pred, k)) p[k] = (int8_t)(uint8_t)((uint32_t)a.v[k] & 0xFFu);
  }
}
TFK_INLINE void vstrbq_s32(int8_t* p, int32x4_t a) { vstrbq_p_s32(p, a, 0xFFFFu); }
/* VSTRW.32 */
TFK_INLINE void vstrwq_s32(int32_t* p, int32x4_t a) { memcpy(p, a.v, sizeof a.v); }
TFK_INLINE void vstrbq_scatter_offset_s32(int8_t* base, uint32x4_t off, int32x4_t a) {
  int k;
  for (k = 0; k < 4; ++k) base[off.v[k]] = (int8_t)(uint8_t)((uint32_t)a.v[k] & 0xFFu);
}
#define TFK_MVE_LANEWISE(NAME, EXPR)                 \
  TFK_INLINE int32x4_t NAME(int32x4_t a, int32x4_t b) { \
    int32x4_t r;                                     \
    int k;                                           \
    for (k = 0; k < 4; ++k) {                        \
      const int32_t x = a.v[k], y = b.v[k];          \
      r.v[k] = (EXPR);                               \
    }                                                \
    return r;                                        \
  }
TFK_MVE_LANEWISE(vaddq_s32, tfk_wrap_add(x, y))
TFK_MVE_LANEWISE(vsubq_s32, tfk_wrap_sub(x, y))
TFK_MVE_LANEWISE(vmulq_s32, (int32_t)((uint32_t)x * (uint32_t)y))
TFK_MVE_LANEWISE(vmaxq_s32, x > y ? x : y)
TFK_MVE_LANEWISE(vminq_s32, x < y ? x : y)
TFK_MVE_LANEWISE(vandq_s32, x & y)
/* VQADD.S32: saturating. */
TFK_MVE_LANEWISE(vqaddq_s32, (int64_t)x + y > INT32_MAX   ? INT32_MAX
                              : (int64_t)x + y < INT32_MIN ? INT32_MIN
                                                           : x + y)
/* VQRDMULH.S32: saturate((2 * x * y + 2^31) >> 32); only INT32_MIN^2 saturates. */
TFK_MVE_LANEWISE(vqrdmulhq_s32,
                 (x == INT32_MIN && y == INT32_MIN)
                     ? INT32_MAX
                     : (int32_t)(((int64_t)x * y + ((int64_t)1 << 30)) >> 31))
/* VSHL.S32 (register, used with amounts 0..31 here): plain left shift, wrapping;
 * negative amounts shift right, truncating. */
TFK_MVE_LANEWISE(vshlq_s32, y >= 0 ? tfk_wrap_mul_pot(x, y) : x >> -y)
/* VRSHL.S32 (register, used with amounts -31..0 here): rounding right shift,
 * (x + 2^(n-1)) >> n computed without overflow. */
TFK_MVE_LANEWISE(vrshlq_s32,
                 y >= 0 ? x : (int32_t)(((int64_t)x + ((int64_t)1 << (-y - 1))) >> -y))
#undef TFK_MVE_LANEWISE
TFK_INLINE int32x4_t vaddq_n_s32(int32x4_t a, int32_t b) { return vaddq_s32(a, vdupq_n_s32(b)); }
/* Eight int16 lanes: the depthwise kernel's widened int8 loads. */
typedef struct {
  int16_t v[8];
} int16x8_t;
TFK_INLINE int16x8_t vdupq_n_s16(int16_t a) {
  int16x8_t r;
  int k;
  for (k = 0; k < 8; ++k) r.v[k] = a;
  return r;
}
/* VLDRB.S16: eight int8 sign-extended. */
TFK_INLINE int16x8_t vldrbq_s16(const int8_t* p) {
  int16x8_t r;
  int k;
  for (k = 0; k < 8; ++k) r.v[k] = p[k];
  return r;
}
/* VADD.I16 (scalar): wrapping (the kernel's sums stay inside int16). */
TFK_INLINE int16x8_t vaddq_n_s16(int16x8_t a, int16_t b) {
  int k;
  for (k = 0; k < 8; ++k) a.v[k] = (int16_t)(uint16_t)((uint32_t)(uint16_t)a.v[k] + (uint16_t)b);
  return a;
}
/* VMULLB.S16 / VMULLT.S16: the even (bottom) / odd (top) lanes multiplied to int32. */
TFK_INLINE int32x4_t vmullbq_int_s16(int16x8_t a, int16x8_t b) {
  int32x4_t r;
  int k;
  for (k = 0; k < 4; ++k) r.v[k] = (int32_t)a.v[2 * k] * b.v[2 * k];
  return r;
}
TFK_INLINE int32x4_t vmulltq_int_s16(int16x8_t a, int16x8_t b) {
  int32x4_t r;
  int k;
  for (k = 0; k < 4; ++k) r.v[k] = (int32_t)a.v[2 * k + 1] * b.v[2 * k + 1];
  return r;
}
/* VLDRW.32 gather: base[offset[k]] (offsets in words). */
TFK_INLINE int32x4_t vldrwq_gather_shifted_offset_s32(const int32_t* base, uint32x4_t off) {
  int32x4_t r;
  int k;
  for (k = 0; k < 4; ++k) r.v[k] = base[off.v[k]];
  return r;
}
/* VMOVNB.I32 / VMOVNT.I32: the low halves of b into the even / odd lanes of a. */
TFK_INLINE int16x8_t vmovnbq_s32(int16x8_t a, int32x4_t b) {
  int k;
  for (k = 0; k < 4; ++k) a.v[2 * k] = (int16_t)(uint16_t)((uint32_t)b.v[k] & 0xFFFFu);
  return a;
}
TFK_INLINE int16x8_t vmovntq_s32(int16x8_t a, int32x4_t b) {
  int k;
  for (k = 0; k < 4; ++k) a.v[2 * k + 1] = (int16_t)(uint16_t)((uint32_t)b.v[k] & 0xFFFFu);
  return a;
}
/* VSTRB.16: the low byte of each of the eight lanes. */
TFK_INLINE void vstrbq_s16(int8_t* p, int16x8_t a) {
  int k;
  for (k = 0; k < 8; ++k) p[k] = (int8_t)(uint8_t)((uint16_t)a.v[k] & 0xFFu);
}
/* The vector-by-scalar forms of VQRDMULH, VSHL and VRSHL. */
TFK_INLINE int32x4_t vqrdmulhq_n_s32(int32x4_t a, int32_t b) {
  return vqrdmulhq_s32(a, vdupq_n_s32(b));
}
TFK_INLINE int32x4_t vshlq_r_s32(int32x4_t a, int32_t b) { return vshlq_s32(a, vdupq_n_s32(b)); }
TFK_INLINE int32x4_t vrshlq_n_s32(int32x4_t a, int32_t b) { return vrshlq_s32(a, vdupq_n_s32(b)); }
/* VMLA.S32 (vector by scalar): a + b * c lane-wise, wrapping. */
TFK_INLINE int32x4_t vmlaq_n_s32(int32x4_t a, int32x4_t b, int32_t c) {
  return vaddq_s32(a, vmulq_s32(b, vdupq_n_s32(c)));
}
TFK_INLINE int32x4_t vshrq_n_s32(int32x4_t a, int n) {
  int k;
  for (k = 0; k < 4; ++k) a.v[k] >>= n;
  return a;
}
#else
#define TFK_USE_MVE 0
#endif

/* TFK_MVE_RQ: the Helium kernels that also requantize four lanes at once
 * (tfk_rq4_mve: double rounding only). */
#if TFK_USE_MVE && !TFK_SINGLE_ROUNDING
#define TFK_MVE_RQ 1
#else
#define TFK_MVE_RQ 0
#endif

/* TFK_OPAQUE(p): makes the compiler forget what it knows about pointer p (an empty
 * asm that "changes" it).  In the Helium kernels GCC 12 otherwise turns every tap
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

#if TFK_MVE_RQ
/* MultiplyByQuantizedMultiplier (tfk_mbqm, double rounding) of four lanes with
 * their own multiplier and shift (tfk_mbqm4_mve); tfk_rq4_mve then adds the
 * output offset and clamps.  Equal to
 * tfk_mbqm for every input (exhaustive near the ties in test_kernels.c):
 *   - left shift: VSHL by max(shift, 0), wrapping like tfk_wrap_mul_pot;
 *   - SRDHM is VQRDMULH: both are floor((a*b + 2^30) / 2^31), saturating only
 *     INT32_MIN * INT32_MIN to INT32_MAX (see tfk_srdhm);
 *   - RDBPOT by e = -min(shift, 0) rounds half away from zero, VRSHL by -e
 *     rounds half up: with x = q*2^e + r (0 <= r < 2^e) and e > 0, VRSHL of x - 1
 *     gives q + [r - 1 + 2^(e-1) >= 2^e] = q + [r > 2^(e-1)], which is RDBPOT's
 *     result for negative x.  So negative lanes are decremented first (the sign
 *     bit of x & -e is set exactly when x < 0 and e > 0); VQADD saturates at
 *     INT32_MIN, where r = 0 and both give q.  VRSHL adds without overflow. */
TFK_INLINE int32x4_t tfk_mbqm4_mve(int32x4_t acc, int32x4_t mult, int32x4_t shift) {
  const int32x4_t zero = vdupq_n_s32(0);
  const int32x4_t left = vmaxq_s32(shift, zero), right = vminq_s32(shift, zero);
  int32x4_t x = vqrdmulhq_s32(vshlq_s32(acc, left), mult);
  x = vqaddq_s32(x, vshrq_n_s32(vandq_s32(x, right), 31));
  return vrshlq_s32(x, right);
}

TFK_INLINE int32x4_t tfk_rq4_mve(int32x4_t acc, int32x4_t mult, int32x4_t shift, int32_t oo,
                                 int32_t lo, int32_t hi) {
  const int32x4_t x = vaddq_n_s32(tfk_mbqm4_mve(acc, mult, shift), oo);
  return vminq_s32(vmaxq_s32(x, vdupq_n_s32(lo)), vdupq_n_s32(hi));
}

/* tfk_rq4_mve with one multiplier and shift for all four lanes (four pixels of one
 * output channel): the same steps with the scalar forms of the instructions, and
 * the negative-lane fix-up (x & -e has its sign bit set iff x < 0 and e > 0)
 * written as VSHR #31 of x, applied only when e > 0. */
TFK_INLINE int32x4_t tfk_rq4s_mve(int32x4_t acc, int32_t mult, int32_t shift, int32_t oo,
                                  int32_t lo, int32_t hi) {
  const int32_t left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : shift;
  int32x4_t x = vqrdmulhq_n_s32(vshlq_r_s32(acc, left), mult);
  if (right != 0) x = vqaddq_s32(x, vshrq_n_s32(x, 31));
  x = vaddq_n_s32(vrshlq_n_s32(x, right), oo);
  return vminq_s32(vmaxq_s32(x, vdupq_n_s32(lo)), vdupq_n_s32(hi));
}
#endif

#if TFK_USE_MVE
/* memcpy for the short rows of a conv window (9 to a few hundred bytes): 16 bytes
 * per VCTP-predicated load/store pair, no call.  QEMU counted the library memcpy's
 * call and size dispatch at several times that for VWW's 9-byte rows. */
TFK_INLINE void tfk_copy_mve(int8_t* dst, const int8_t* src, int32_t n) {
  int32_t i;
  for (i = 0; i < n; i += 16) {
    const mve_pred16_t p = vctp8q((uint32_t)(n - i));
    vstrbq_p_s8(dst + i, vldrbq_z_s8(src + i, p), p);
  }
}

/* off * sum_w modulo 2^32 (no signed overflow in C). */
TFK_INLINE int32_t tfk_off_times(int32_t off, int32_t sum_w) {
  return (int32_t)((uint32_t)off * (uint32_t)sum_w);
}
#endif

/* tfk_dot2_s8's 8-byte loop pays on ARMv7E-M (Cortex-M4/M7).  On ARMv8.1-M
 * (Cortex-M55: __ARM_FEATURE_MVE) GCC 12 turns the loop into a low-overhead loop
 * whose counter takes LR, and the two accumulators then live on the stack (a load
 * and a store each per iteration): QEMU counted ic_resnet8 30.50M -> 33.66M and
 * ad01 0.583M -> 0.630M with it there, so the 4-byte loop stays. */
#if !defined(TFK_DOT2_UNROLL8)
#if defined(__ARM_FEATURE_MVE) && __ARM_FEATURE_MVE
#define TFK_DOT2_UNROLL8 0
#else
#define TFK_DOT2_UNROLL8 1
#endif
#endif

/* *acc0 += sum_i (in[i] + off) * f0[i];  *acc1 likewise with f1; i < len.
 * One input load serves two filter rows (two output channels). */
TFK_INLINE void tfk_dot2_s8(const int8_t* in, const int8_t* f0, const int8_t* f1, int32_t len,
                            int32_t off, int32_t* acc0, int32_t* acc1) {
  int32_t a0 = *acc0, a1 = *acc1;
  int32_t i = 0;
#if TFK_USE_MVE
  int32_t sw0 = 0, sw1 = 0;
  const int8_t *xp = in, *wp0 = f0, *wp1 = f1;
  for (; i + 16 <= len; i += 16, xp += 16, wp0 += 16, wp1 += 16) {
    /* running pointers, post-incremented by the loads (GCC otherwise adds the
     * index to every base before every load) */
    TFK_OPAQUE(xp);
    TFK_OPAQUE(wp0);
    TFK_OPAQUE(wp1);
    const int8x16_t x = vld1q_s8(xp);
    const int8x16_t w0 = vld1q_s8(wp0), w1 = vld1q_s8(wp1);
    a0 = vmladavaq_s8(a0, x, w0);
    a1 = vmladavaq_s8(a1, x, w1);
    sw0 = vaddvaq_s8(sw0, w0);
    sw1 = vaddvaq_s8(sw1, w1);
  }
  if (i < len) { /* the last partial vector, predicated (a separate block: predicated
                   * loads cost a VPST each, the full vectors need none) */
    const mve_pred16_t p = vctp8q((uint32_t)(len - i));
    const int8x16_t x = vldrbq_z_s8(in + i, p);
    const int8x16_t w0 = vldrbq_z_s8(f0 + i, p), w1 = vldrbq_z_s8(f1 + i, p);
    a0 = vmladavaq_s8(a0, x, w0);
    a1 = vmladavaq_s8(a1, x, w1);
    sw0 = vaddvaq_s8(sw0, w0);
    sw1 = vaddvaq_s8(sw1, w1);
  }
  *acc0 = tfk_wrap_add(a0, tfk_off_times(off, sw0));
  *acc1 = tfk_wrap_add(a1, tfk_off_times(off, sw1));
  return;
#endif
#if TFK_USE_DSP
  const uint32_t off2 = tfk_dup_i16(off);
#if TFK_DOT2_UNROLL8
  /* eight bytes per iteration halves the loop overhead; this loop has registers
   * to spare (two accumulators), unlike tfk_dot2x2_s8 */
  for (; i + 8 <= len; i += 8) {
    const uint32_t x = tfk_load_s8x4(in + i), y = tfk_load_s8x4(in + i + 4);
    const int32_t xe = tfk_sxtab16(off2, x), xo = tfk_sxtab16_ror8(off2, x);
    const int32_t ye = tfk_sxtab16(off2, y), yo = tfk_sxtab16_ror8(off2, y);
    const uint32_t w0 = tfk_load_s8x4(f0 + i), v0 = tfk_load_s8x4(f0 + i + 4);
    const uint32_t w1 = tfk_load_s8x4(f1 + i), v1 = tfk_load_s8x4(f1 + i + 4);
    a0 = tfk_smlad(xe, tfk_sxtb16(w0), a0);
    a0 = tfk_smlad(xo, tfk_sxtb16_ror8(w0), a0);
    a0 = tfk_smlad(ye, tfk_sxtb16(v0), a0);
    a0 = tfk_smlad(yo, tfk_sxtb16_ror8(v0), a0);
    a1 = tfk_smlad(xe, tfk_sxtb16(w1), a1);
    a1 = tfk_smlad(xo, tfk_sxtb16_ror8(w1), a1);
    a1 = tfk_smlad(ye, tfk_sxtb16(v1), a1);
    a1 = tfk_smlad(yo, tfk_sxtb16_ror8(v1), a1);
  }
#endif
  for (; i + 4 <= len; i += 4) {
    const uint32_t x = tfk_load_s8x4(in + i);
    const int32_t x02 = tfk_sxtab16(off2, x); /* (x0 + off, x2 + off) */
    const int32_t x13 = tfk_sxtab16_ror8(off2, x);
    const uint32_t w0 = tfk_load_s8x4(f0 + i);
    const uint32_t w1 = tfk_load_s8x4(f1 + i);
    a0 = tfk_smlad(x02, tfk_sxtb16(w0), a0);
    a0 = tfk_smlad(x13, tfk_sxtb16_ror8(w0), a0);
    a1 = tfk_smlad(x02, tfk_sxtb16(w1), a1);
    a1 = tfk_smlad(x13, tfk_sxtb16_ror8(w1), a1);
  }
#endif
  for (; i < len; ++i) {
    const int32_t x = (int32_t)in[i] + off;
    a0 = tfk_wrap_add(a0, x * f0[i]);
    a1 = tfk_wrap_add(a1, x * f1[i]);
  }
  *acc0 = a0;
  *acc1 = a1;
}

/* *acc0 += sum_i (in[i] + off) * f0[i], i < len (one output channel). */
TFK_INLINE int32_t tfk_dot1_s8(const int8_t* in, const int8_t* f0, int32_t len, int32_t off,
                               int32_t acc) {
  int32_t i = 0;
#if TFK_USE_MVE
  int32_t sw = 0;
  const int8_t *xp = in, *wp = f0;
  for (; i + 16 <= len; i += 16, xp += 16, wp += 16) {
    TFK_OPAQUE(xp); /* post-incremented loads, as in tfk_dot2_s8 */
    TFK_OPAQUE(wp);
    const int8x16_t w = vld1q_s8(wp);
    acc = vmladavaq_s8(acc, vld1q_s8(xp), w);
    sw = vaddvaq_s8(sw, w);
  }
  if (i < len) {
    const mve_pred16_t p = vctp8q((uint32_t)(len - i));
    const int8x16_t w = vldrbq_z_s8(f0 + i, p);
    acc = vmladavaq_s8(acc, vldrbq_z_s8(in + i, p), w);
    sw = vaddvaq_s8(sw, w);
  }
  return tfk_wrap_add(acc, tfk_off_times(off, sw));
#endif
#if TFK_USE_DSP
  const uint32_t off2 = tfk_dup_i16(off);
  for (; i + 4 <= len; i += 4) {
    const uint32_t x = tfk_load_s8x4(in + i);
    const uint32_t w = tfk_load_s8x4(f0 + i);
    acc = tfk_smlad(tfk_sxtab16(off2, x), tfk_sxtb16(w), acc);
    acc = tfk_smlad(tfk_sxtab16_ror8(off2, x), tfk_sxtb16_ror8(w), acc);
  }
#endif
  for (; i < len; ++i) acc = tfk_wrap_add(acc, ((int32_t)in[i] + off) * f0[i]);
  return acc;
}

/* Two pixels x two channels: acc[2*p + c] += sum_i (in_p[i] + off) * f_c[i].
 * Each input word is used twice and each filter word twice. */
TFK_INLINE void tfk_dot2x2_s8(const int8_t* in0, const int8_t* in1, const int8_t* f0,
                              const int8_t* f1, int32_t len, int32_t off, int32_t acc[4]) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  int32_t i = 0;
#if TFK_USE_MVE
  int32_t sw0 = 0, sw1 = 0;
  const int8_t *mx = in0, *my = in1, *mw0 = f0, *mw1 = f1;
  for (; i + 16 <= len; i += 16, mx += 16, my += 16, mw0 += 16, mw1 += 16) {
    TFK_OPAQUE(mx); /* post-incremented loads, as in tfk_dot2_s8 */
    TFK_OPAQUE(my);
    TFK_OPAQUE(mw0);
    TFK_OPAQUE(mw1);
    const int8x16_t w0 = vld1q_s8(mw0), w1 = vld1q_s8(mw1);
    const int8x16_t x = vld1q_s8(mx), y = vld1q_s8(my);
    a00 = vmladavaq_s8(a00, x, w0);
    a01 = vmladavaq_s8(a01, x, w1);
    a10 = vmladavaq_s8(a10, y, w0);
    a11 = vmladavaq_s8(a11, y, w1);
    sw0 = vaddvaq_s8(sw0, w0);
    sw1 = vaddvaq_s8(sw1, w1);
  }
  if (i < len) {
    const mve_pred16_t p = vctp8q((uint32_t)(len - i));
    const int8x16_t w0 = vldrbq_z_s8(f0 + i, p), w1 = vldrbq_z_s8(f1 + i, p);
    const int8x16_t x = vldrbq_z_s8(in0 + i, p), y = vldrbq_z_s8(in1 + i, p);
    a00 = vmladavaq_s8(a00, x, w0);
    a01 = vmladavaq_s8(a01, x, w1);
    a10 = vmladavaq_s8(a10, y, w0);
    a11 = vmladavaq_s8(a11, y, w1);
    sw0 = vaddvaq_s8(sw0, w0);
    sw1 = vaddvaq_s8(sw1, w1);
  }
  acc[0] = tfk_wrap_add(a00, tfk_off_times(off, sw0));
  acc[1] = tfk_wrap_add(a01, tfk_off_times(off, sw1));
  acc[2] = tfk_wrap_add(a10, tfk_off_times(off, sw0));
  acc[3] = tfk_wrap_add(a11, tfk_off_times(off, sw1));
  return;
#endif
#if TFK_USE_DSP
  const uint32_t off2 = tfk_dup_i16(off);
  /* Two running pointers and two constant distances instead of four running
   * pointers: GCC otherwise spills two of the pointers inside the loop. */
  const int8_t* xp = in0;
  const int8_t* wp = f0;
  const ptrdiff_t dy = in1 - in0, dw = f1 - f0;
  for (; i + 4 <= len; i += 4, xp += 4, wp += 4) {
    const uint32_t w0 = tfk_load_s8x4(wp);
    const uint32_t w1 = tfk_load_s8x4(wp + dw);
    const int32_t w0e = tfk_sxtb16(w0), w0o = tfk_sxtb16_ror8(w0);
    const int32_t w1e = tfk_sxtb16(w1), w1o = tfk_sxtb16_ror8(w1);
    const uint32_t x = tfk_load_s8x4(xp);
    const uint32_t y = tfk_load_s8x4(xp + dy);
    const int32_t xe = tfk_sxtab16(off2, x), xo = tfk_sxtab16_ror8(off2, x);
    const int32_t ye = tfk_sxtab16(off2, y), yo = tfk_sxtab16_ror8(off2, y);
    a00 = tfk_smlad(xe, w0e, a00);
    a00 = tfk_smlad(xo, w0o, a00);
    a01 = tfk_smlad(xe, w1e, a01);
    a01 = tfk_smlad(xo, w1o, a01);
    a10 = tfk_smlad(ye, w0e, a10);
    a10 = tfk_smlad(yo, w0o, a10);
    a11 = tfk_smlad(ye, w1e, a11);
    a11 = tfk_smlad(yo, w1o, a11);
  }
#endif
  for (; i < len; ++i) {
    const int32_t x = (int32_t)in0[i] + off;
    const int32_t y = (int32_t)in1[i] + off;
    a00 = tfk_wrap_add(a00, x * f0[i]);
    a01 = tfk_wrap_add(a01, x * f1[i]);
    a10 = tfk_wrap_add(a10, y * f0[i]);
    a11 = tfk_wrap_add(a11, y * f1[i]);
  }
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = a10;
  acc[3] = a11;
}

/* ---- Helium emulation added for tfk_dw_conv_3x3_s8_mve.c and
 * tfk_dw_conv_one_input_s8_mve.c (host tests under TFK_EMULATE_MVE; on the
 * M55 arm_mve.h provides these). */
#if defined(TFK_EMULATE_MVE) && \
    !(defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1) && !defined(TFK_NO_MVE) && \
      !defined(TFK_NO_DSP))
/* VCTP.16: lanes below n active (two predicate bits per halfword lane). */
TFK_INLINE mve_pred16_t vctp16q(uint32_t n) {
  return (mve_pred16_t)(n >= 8 ? 0xFFFFu : ((1u << (2 * n)) - 1u));
}
TFK_INLINE int tfk_lane_on16(mve_pred16_t p, int k) { return (p >> (2 * k)) & 1u; }
/* VLDRB.S16 with zeroing predication: inactive lanes are 0 and not read. */
TFK_INLINE int16x8_t vldrbq_z_s16(const int8_t* p, mve_pred16_t pred) {
  int16x8_t r;
  int k;
  for (k = 0; k < 8; ++k) r.v[k] = (int16_t)(tfk_lane_on16(pred, k) ? p[k] : 0);
  return r;
}
/* VSTRB.16 with predication: the low byte of each active lane. */
TFK_INLINE void vstrbq_p_s16(int8_t* p, int16x8_t a, mve_pred16_t pred) {
  int k;
  for (k = 0; k < 8; ++k) {
    if (tfk_lane_on16(pred, k)) p[k] = (int8_t)(uint8_t)((uint16_t)a.v[k] & 0xFFu);
  }
}
TFK_INLINE int16_t tfk_sat16(int32_t v) {
  return (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
}
/* VQMOVNB.S32 / VQMOVNT.S32: b saturated to int16 into the even / odd lanes of a. */
TFK_INLINE int16x8_t vqmovnbq_s32(int16x8_t a, int32x4_t b) {
  int k;
  for (k = 0; k < 4; ++k) a.v[2 * k] = tfk_sat16(b.v[k]);
  return a;
}
TFK_INLINE int16x8_t vqmovntq_s32(int16x8_t a, int32x4_t b) {
  int k;
  for (k = 0; k < 4; ++k) a.v[2 * k + 1] = tfk_sat16(b.v[k]);
  return a;
}
/* VQADD.S16 (scalar): saturating. */
TFK_INLINE int16x8_t vqaddq_n_s16(int16x8_t a, int16_t b) {
  int k;
  for (k = 0; k < 8; ++k) a.v[k] = tfk_sat16((int32_t)a.v[k] + b);
  return a;
}
TFK_INLINE int16x8_t vmaxq_s16(int16x8_t a, int16x8_t b) {
  int k;
  for (k = 0; k < 8; ++k) a.v[k] = a.v[k] > b.v[k] ? a.v[k] : b.v[k];
  return a;
}
TFK_INLINE int16x8_t vminq_s16(int16x8_t a, int16x8_t b) {
  int k;
  for (k = 0; k < 8; ++k) a.v[k] = a.v[k] < b.v[k] ? a.v[k] : b.v[k];
  return a;
}
#endif
/* ---- end of the block for tfk_dw_conv_3x3_s8_mve.c / tfk_dw_conv_one_input_s8_mve.c */

#endif /* TFK_SIMD_H */
