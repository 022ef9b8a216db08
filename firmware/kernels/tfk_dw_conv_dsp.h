/*
 * tfk_dw_conv_dsp.h - private to the DSP and Helium depthwise kernels
 * (tfk_dw_conv_fast_s8_dsp.c, tfk_dw_conv_fast_s8_mve.c): the SMLABB/SMLATT
 * paths both variants take: the unrolled 3x3 windows (dilation 1,
 * depth_multiplier 1) and four channels at a time for other windows.
 *
 * The functions are static, so each including file keeps its own copy and GCC
 * inlines or calls it exactly as when it was written out in that file.
 */
#ifndef TFK_DW_CONV_DSP_H
#define TFK_DW_CONV_DSP_H

#include <stddef.h>
#include <stdint.h>

#include "tfk_conv_common.h"
#include "tfk_dsp.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

#if TFK_USE_DSP

/* Four channels at a time with SMLABB / SMLATT for depth_multiplier 1 (input
 * and filter channels adjacent), from channel c of one output pixel; returns
 * the first channel it did not do.  Arguments as dw_channels_general's. */
TFK_INLINE int32_t dw_quads_dsp(
    int32_t c, const int8_t* in_b, int32_t in_w, int32_t in_c, int32_t iy0, int32_t ix0,
    int32_t dh, int32_t dw, int32_t ky_begin, int32_t ky_end, int32_t kx_begin, int32_t kx_end,
    int32_t kw, const int8_t* filter, const int32_t* bias, int32_t out_c, int32_t off, int32_t oo,
    int32_t lo, int32_t hi, const int32_t* qm, const int8_t* qs, int8_t* out) {
  int32_t ky, kx;
  const uint32_t off2 = tfk_dup_i16(off);
  /* Four channels at a time: input and filter channels are adjacent. */
  for (; c + 4 <= out_c; c += 4) {
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (ky = ky_begin; ky < ky_end; ++ky) {
      const int8_t* in_row = in_b + (size_t)(iy0 + dh * ky) * in_w * in_c + c;
      const int8_t* f_row = filter + (size_t)ky * kw * out_c + c;
      for (kx = kx_begin; kx < kx_end; ++kx) {
        const int8_t* x = in_row + (size_t)(ix0 + dw * kx) * in_c;
        const int8_t* w = f_row + (size_t)kx * out_c;
        const uint32_t xv = tfk_load_s8x4(x), wv = tfk_load_s8x4(w);
        const int32_t xe = tfk_sxtab16(off2, xv), xo = tfk_sxtab16_ror8(off2, xv);
        const int32_t we = tfk_sxtb16(wv), wo = tfk_sxtb16_ror8(wv);
        a0 = tfk_smlabb(xe, we, a0); /* channel c:     bottom halves */
        a2 = tfk_smlatt(xe, we, a2); /* channel c + 2: top halves    */
        a1 = tfk_smlabb(xo, wo, a1);
        a3 = tfk_smlatt(xo, wo, a3);
      }
    }
    if (bias) {
      a0 = tfk_wrap_add(a0, bias[c]);
      a1 = tfk_wrap_add(a1, bias[c + 1]);
      a2 = tfk_wrap_add(a2, bias[c + 2]);
      a3 = tfk_wrap_add(a3, bias[c + 3]);
    }
    out[c] = tfk_rq(a0, qm[c], qs[c], oo, lo, hi);
    out[c + 1] = tfk_rq(a1, qm[c + 1], qs[c + 1], oo, lo, hi);
    out[c + 2] = tfk_rq(a2, qm[c + 2], qs[c + 2], oo, lo, hi);
    out[c + 3] = tfk_rq(a3, qm[c + 3], qs[c + 3], oo, lo, hi);
  }
  return c;
}

/* One tap of four adjacent channels: a0..a3 += (x[k] + off) * w[k], k < 4.  Uses
 * off and off2 (the offset in both halfwords) of the enclosing function. */
#define TFK_DW_TAP(XP, WP)                                                   \
  do {                                                                       \
    const uint32_t xv = tfk_load_s8x4(XP), wv = tfk_load_s8x4(WP);           \
    const int32_t xe = tfk_sxtab16(off2, xv), we = tfk_sxtb16(wv);           \
    const int32_t xo = tfk_sxtab16_ror8(off2, xv), wo = tfk_sxtb16_ror8(wv); \
    a0 = tfk_smlabb(xe, we, a0);                                             \
    a2 = tfk_smlatt(xe, we, a2);                                             \
    a1 = tfk_smlabb(xo, wo, a1);                                             \
    a3 = tfk_smlatt(xo, wo, a3);                                             \
  } while (0)

/* One output pixel of a 3x3, dilation-1, depth_multiplier-1 depthwise layer
 * whose whole window lies inside the input (the interior of a MobileNet layer,
 * stride 1 or 2 alike): the nine taps are unrolled, with no tap loop, no bounds
 * and no per-tap index arithmetic.  x points at input (iy0, ix0, channel 0),
 * row_stride is one input row in bytes, ch = input channels = output channels.
 * Handles channels in groups of four and returns how many it did; the caller
 * finishes the rest with the general loop. */
TFK_MAYBE_UNUSED
TFK_NOINLINE static int32_t dw3x3_interior(const int8_t* x, size_t row_stride, int32_t ch,
                              const int8_t* filter, const int32_t* bias,
                              const tfk_per_channel_quant* quant, int32_t off, int32_t oo,
                              int32_t lo, int32_t hi, int8_t* out) {
  int32_t c;
  const size_t s1 = (size_t)ch, s2 = 2 * (size_t)ch;
  const int32_t* const qm = quant->multiplier;
  const int8_t* const qs = quant->shift;
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (tfk_rq8_dsp) */
  const uint32_t off2 = tfk_dup_i16(off);
  for (c = 0; c + 4 <= ch; c += 4) {
    const int8_t* xr = x + c;
    const int8_t* wr = filter + c;
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    /* opaque bases: GCC otherwise turns each of the nine tap addresses into
     * its own induction variable and spills most of them */
    TFK_OPAQUE(xr);
    TFK_OPAQUE(wr);
    if (bias) {
      a0 = bias[c];
      a1 = bias[c + 1];
      a2 = bias[c + 2];
      a3 = bias[c + 3];
    }
    /* three rows of three taps, written out (GCC keeps a 3-trip loop otherwise) */
    TFK_DW_TAP(xr, wr);
    TFK_DW_TAP(xr + s1, wr + s1);
    TFK_DW_TAP(xr + s2, wr + s2);
    xr += row_stride;
    wr += 3 * s1;
    TFK_DW_TAP(xr, wr);
    TFK_DW_TAP(xr + s1, wr + s1);
    TFK_DW_TAP(xr + s2, wr + s2);
    xr += row_stride;
    wr += 3 * s1;
    TFK_DW_TAP(xr, wr);
    TFK_DW_TAP(xr + s1, wr + s1);
    TFK_DW_TAP(xr + s2, wr + s2);
    out[c] = tfk_rq8_dsp(a0, qm[c], qs[c], oo, lo, hi, i8range);
    out[c + 1] = tfk_rq8_dsp(a1, qm[c + 1], qs[c + 1], oo, lo, hi, i8range);
    out[c + 2] = tfk_rq8_dsp(a2, qm[c + 2], qs[c + 2], oo, lo, hi, i8range);
    out[c + 3] = tfk_rq8_dsp(a3, qm[c + 3], qs[c + 3], oo, lo, hi, i8range);
  }
  return c;
}

/* One output pixel of the same kind of layer (3x3, dilation 1, dm 1) whose
 * window is clipped by the input's border: `rows` valid filter rows of `cols`
 * valid taps each (1..3), x pointing at the first valid input tap and filter at
 * the matching filter tap.  The reference skips the clipped taps; so does this,
 * with the valid taps of a row unrolled (switch with fall-through, no per-tap
 * bounds).  On a small map such as KWS's 25x5 almost half the pixels are border
 * pixels, which the general loop below ran several times slower.  Returns how
 * many channels it did (multiples of four), like dw3x3_interior. */
TFK_MAYBE_UNUSED
static int32_t dw3x3_clipped(const int8_t* x, size_t row_stride, int32_t ch,
                             const int8_t* filter, int32_t rows, int32_t cols,
                             const int32_t* bias, const tfk_per_channel_quant* quant,
                             int32_t off, int32_t oo, int32_t lo, int32_t hi, int8_t* out) {
  int32_t c, r;
  const size_t s1 = (size_t)ch, s2 = 2 * (size_t)ch, frow = 3 * (size_t)ch;
  const int32_t* const qm = quant->multiplier;
  const int8_t* const qs = quant->shift;
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (tfk_rq8_dsp) */
  const uint32_t off2 = tfk_dup_i16(off);
  for (c = 0; c + 4 <= ch; c += 4) {
    const int8_t* xr = x + c;
    const int8_t* wr = filter + c;
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    if (bias) {
      a0 = bias[c];
      a1 = bias[c + 1];
      a2 = bias[c + 2];
      a3 = bias[c + 3];
    }
    for (r = 0; r < rows; ++r, xr += row_stride, wr += frow) {
      switch (cols) {
        case 3:
          TFK_DW_TAP(xr + s2, wr + s2);
          /* fall through */
        case 2:
          TFK_DW_TAP(xr + s1, wr + s1);
          /* fall through */
        default:
          TFK_DW_TAP(xr, wr);
      }
    }
    out[c] = tfk_rq8_dsp(a0, qm[c], qs[c], oo, lo, hi, i8range);
    out[c + 1] = tfk_rq8_dsp(a1, qm[c + 1], qs[c + 1], oo, lo, hi, i8range);
    out[c + 2] = tfk_rq8_dsp(a2, qm[c + 2], qs[c + 2], oo, lo, hi, i8range);
    out[c + 3] = tfk_rq8_dsp(a3, qm[c + 3], qs[c + 3], oo, lo, hi, i8range);
  }
  return c;
}

#endif /* TFK_USE_DSP */

#endif /* TFK_DW_CONV_DSP_H */
