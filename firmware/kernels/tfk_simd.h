/*
 * tfk_simd.h - private to the kernel files that need tfk_dot.h's helpers and
 * the few Helium intrinsics emulated below.  Every kernel calls the explicit
 * _portable / _dsp / _mve helpers of its variant; the generator chooses the
 * variant from the board's core, no kernel picks an instruction set itself.
 */
#ifndef TFK_SIMD_H
#define TFK_SIMD_H

#include "tfk_dot.h"

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
