/*
 * tfk_dot.h - private to the kernels: int8 dot products with the input offset
 * added on the fly, one set per instruction set.  The kernel files call the set
 * of their own variant by name (tfk_conv_1x1_s8.c the _portable ones,
 * tfk_conv_1x1_s8_smlad.c the _dsp ones, tfk_conv_1x1_s8_mve.c the _mve ones);
 * the generator chooses the variant, never the preprocessor.
 *
 * All three compute the same int32 sums: every product (x + input_offset) * w
 * fits in int16 x int16 (x + input_offset is in [-255, 255] because
 * input_offset = -zero_point), and the accumulation wraps modulo 2^32 in all of
 * them, so the order of the additions does not matter.  The _mve ones do not
 * add the offset lane by lane (x + off leaves int8): sum (x + off) * w =
 * sum x * w + off * sum w modulo 2^32, so the bytes are the same; their last,
 * partial vector is VCTP-predicated (inactive lanes load as 0 and add nothing).
 */
#ifndef TFK_DOT_H
#define TFK_DOT_H

#include <stddef.h>
#include <stdint.h>

#include "tfk_dsp.h"
#include "tfk_math.h"
#include "tfk_mve.h"

/* ------------------------------------------------------------ portable C */

/* *acc0 += sum_i (in[i] + off) * f0[i];  *acc1 likewise with f1; i < len.
 * One input load serves two filter rows (two output channels). */
TFK_INLINE void tfk_dot2_s8_portable(const int8_t* in, const int8_t* f0, const int8_t* f1, int32_t len,
                                     int32_t off, int32_t* acc0, int32_t* acc1) {
  int32_t a0 = *acc0, a1 = *acc1;
  int32_t i = 0;
  for (; i < len; ++i) {
    const int32_t x = (int32_t)in[i] + off;
    a0 = tfk_wrap_add(a0, x * f0[i]);
    a1 = tfk_wrap_add(a1, x * f1[i]);
  }
  *acc0 = a0;
  *acc1 = a1;
}

/* *acc0 += sum_i (in[i] + off) * f0[i], i < len (one output channel). */
TFK_INLINE int32_t tfk_dot1_s8_portable(const int8_t* in, const int8_t* f0, int32_t len, int32_t off,
                                        int32_t acc) {
  int32_t i = 0;
  for (; i < len; ++i) acc = tfk_wrap_add(acc, ((int32_t)in[i] + off) * f0[i]);
  return acc;
}

/* Two pixels x two channels: acc[2*p + c] += sum_i (in_p[i] + off) * f_c[i].
 * Each input word is used twice and each filter word twice. */
TFK_INLINE void tfk_dot2x2_s8_portable(const int8_t* in0, const int8_t* in1, const int8_t* f0,
                                       const int8_t* f1, int32_t len, int32_t off, int32_t acc[4]) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  int32_t i = 0;
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

#if TFK_USE_DSP
/* ------------------------------------------------- DSP extension (SMLAD) */

/* tfk_dot2_s8_dsp's 8-byte loop pays on ARMv7E-M (Cortex-M4/M7).  On ARMv8.1-M
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
TFK_INLINE void tfk_dot2_s8_dsp(const int8_t* in, const int8_t* f0, const int8_t* f1, int32_t len,
                                int32_t off, int32_t* acc0, int32_t* acc1) {
  int32_t a0 = *acc0, a1 = *acc1;
  int32_t i = 0;
  const uint32_t off2 = tfk_dup_i16(off);
#if TFK_DOT2_UNROLL8
  /* eight bytes per iteration halves the loop overhead; this loop has registers
   * to spare (two accumulators), unlike tfk_dot2x2_s8_dsp */
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
  for (; i < len; ++i) {
    const int32_t x = (int32_t)in[i] + off;
    a0 = tfk_wrap_add(a0, x * f0[i]);
    a1 = tfk_wrap_add(a1, x * f1[i]);
  }
  *acc0 = a0;
  *acc1 = a1;
}

/* *acc0 += sum_i (in[i] + off) * f0[i], i < len (one output channel). */
TFK_INLINE int32_t tfk_dot1_s8_dsp(const int8_t* in, const int8_t* f0, int32_t len, int32_t off,
                                   int32_t acc) {
  int32_t i = 0;
  const uint32_t off2 = tfk_dup_i16(off);
  for (; i + 4 <= len; i += 4) {
    const uint32_t x = tfk_load_s8x4(in + i);
    const uint32_t w = tfk_load_s8x4(f0 + i);
    acc = tfk_smlad(tfk_sxtab16(off2, x), tfk_sxtb16(w), acc);
    acc = tfk_smlad(tfk_sxtab16_ror8(off2, x), tfk_sxtb16_ror8(w), acc);
  }
  for (; i < len; ++i) acc = tfk_wrap_add(acc, ((int32_t)in[i] + off) * f0[i]);
  return acc;
}

/* Two pixels x two channels: acc[2*p + c] += sum_i (in_p[i] + off) * f_c[i].
 * Each input word is used twice and each filter word twice. */
TFK_INLINE void tfk_dot2x2_s8_dsp(const int8_t* in0, const int8_t* in1, const int8_t* f0,
                                  const int8_t* f1, int32_t len, int32_t off, int32_t acc[4]) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  int32_t i = 0;
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
#endif /* TFK_USE_DSP */

#if TFK_USE_MVE
/* ---------------------------------------------------- Helium (VMLADAVA) */

/* *acc0 += sum_i (in[i] + off) * f0[i];  *acc1 likewise with f1; i < len.
 * One input load serves two filter rows (two output channels). */
TFK_INLINE void tfk_dot2_s8_mve(const int8_t* in, const int8_t* f0, const int8_t* f1, int32_t len,
                                int32_t off, int32_t* acc0, int32_t* acc1) {
  int32_t a0 = *acc0, a1 = *acc1;
  int32_t i = 0;
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
}

/* *acc0 += sum_i (in[i] + off) * f0[i], i < len (one output channel). */
TFK_INLINE int32_t tfk_dot1_s8_mve(const int8_t* in, const int8_t* f0, int32_t len, int32_t off,
                                   int32_t acc) {
  int32_t i = 0;
  int32_t sw = 0;
  const int8_t *xp = in, *wp = f0;
  for (; i + 16 <= len; i += 16, xp += 16, wp += 16) {
    TFK_OPAQUE(xp); /* post-incremented loads, as in tfk_dot2_s8_mve */
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
}

/* Two pixels x two channels: acc[2*p + c] += sum_i (in_p[i] + off) * f_c[i].
 * Each input word is used twice and each filter word twice. */
TFK_INLINE void tfk_dot2x2_s8_mve(const int8_t* in0, const int8_t* in1, const int8_t* f0,
                                  const int8_t* f1, int32_t len, int32_t off, int32_t acc[4]) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  int32_t i = 0;
  int32_t sw0 = 0, sw1 = 0;
  const int8_t *mx = in0, *my = in1, *mw0 = f0, *mw1 = f1;
  for (; i + 16 <= len; i += 16, mx += 16, my += 16, mw0 += 16, mw1 += 16) {
    TFK_OPAQUE(mx); /* post-incremented loads, as in tfk_dot2_s8_mve */
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
}
#endif /* TFK_USE_MVE */

#endif /* TFK_DOT_H */
