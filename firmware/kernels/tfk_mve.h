/*
 * tfk_mve.h - private to the kernels: the Helium (MVE) intrinsics the *_mve
 * kernels use, written out in C for host tests (TFK_EMULATE_MVE), and the
 * four-lane requantization built from them.  TFK_USE_MVE is 1 on an MVE core
 * (__ARM_FEATURE_MVE: Cortex-M55, M85) or under the emulation, 0 otherwise; the
 * *_mve kernel files compile to nothing when it is 0 (and under
 * TFK_SINGLE_ROUNDING: tfk_rq4_mve implements double rounding only).
 */
#ifndef TFK_MVE_H
#define TFK_MVE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tfk_math.h"

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
TFK_MVE_LANEWISE(vshlq_s32, y >= 0 ? tfk_wrap_shift_left(x, y) : x >> -y)
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
/* VLDRB.S32 gather: base[offset[k]] sign-extended (offsets in bytes). */
TFK_INLINE int32x4_t vldrbq_gather_offset_s32(const int8_t* base, uint32x4_t off) {
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

#if TFK_MVE_RQ
/* MultiplyByQuantizedMultiplier (tfk_requantize, double rounding) of four lanes with
 * their own multiplier and shift (tfk_requantize4_mve); tfk_rq4_mve then adds the
 * output offset and clamps.  Equal to
 * tfk_requantize for every input (exhaustive near the ties in test_kernels.c):
 *   - left shift: VSHL by max(shift, 0), wrapping like tfk_wrap_shift_left;
 *   - SRDHM is VQRDMULH: both are floor((a*b + 2^30) / 2^31), saturating only
 *     INT32_MIN * INT32_MIN to INT32_MAX (see tfk_rounding_doubling_high_mul);
 *   - RDBPOT by e = -min(shift, 0) rounds half away from zero, VRSHL by -e
 *     rounds half up: with x = q*2^e + r (0 <= r < 2^e) and e > 0, VRSHL of x - 1
 *     gives q + [r - 1 + 2^(e-1) >= 2^e] = q + [r > 2^(e-1)], which is RDBPOT's
 *     result for negative x.  So negative lanes are decremented first (the sign
 *     bit of x & -e is set exactly when x < 0 and e > 0); VQADD saturates at
 *     INT32_MIN, where r = 0 and both give q.  VRSHL adds without overflow. */
TFK_INLINE int32x4_t tfk_requantize4_mve(int32x4_t acc, int32x4_t mult, int32x4_t shift) {
  const int32x4_t zero = vdupq_n_s32(0);
  const int32x4_t left = vmaxq_s32(shift, zero), right = vminq_s32(shift, zero);
  int32x4_t x = vqrdmulhq_s32(vshlq_s32(acc, left), mult);
  x = vqaddq_s32(x, vshrq_n_s32(vandq_s32(x, right), 31));
  return vrshlq_s32(x, right);
}

TFK_INLINE int32x4_t tfk_rq4_mve(int32x4_t acc, int32x4_t mult, int32x4_t shift, int32_t oo,
                                 int32_t lo, int32_t hi) {
  const int32x4_t x = vaddq_n_s32(tfk_requantize4_mve(acc, mult, shift), oo);
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

#endif /* TFK_MVE_H */
