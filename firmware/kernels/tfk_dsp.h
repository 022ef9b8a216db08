/*
 * tfk_dsp.h - private to the kernels: the Cortex-M DSP extension's SIMD
 * instructions (SXTB16, SXTAB16, SMLAD, SMLABB, SMLATT, SSAT) as C functions.
 * TFK_USE_DSP is 1 when the compiler targets a core that has them
 * (__ARM_FEATURE_DSP: Cortex-M4, M7, M33, M55) or when TFK_EMULATE_DSP writes
 * them out in C (host tests: the DSP kernels' data movement then runs under
 * the sanitizers and against the TFLM oracle); 0 otherwise.  The *_dsp kernel
 * files compile to nothing when it is 0, so a project that calls one on a core
 * without the extension fails to link instead of running a wrong path.
 *
 * Define TFK_NO_DSP to hide the extension from the kernels on a DSP core.
 */
#ifndef TFK_DSP_H
#define TFK_DSP_H

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

#if TFK_USE_DSP
/* acc saturated to int8 (SSAT #8; two compares in the emulation). */
TFK_INLINE int32_t tfk_ssat8(int32_t acc) {
#if defined(TFK_EMULATE_DSP)
  return tfk_clamp_i32(acc, -128, 127);
#else
  return __ssat(acc, 8);
#endif
}
#endif

#endif /* TFK_DSP_H */
