/*
 * DEPTHWISE_CONV_2D: padding resolved once per pixel, four channels per loop,
 * 3x3 dilation-1 windows unrolled.  Helium variant (MVE: Cortex-M55; it uses
 * the DSP extension too).
 *
 * Same bytes as the reference kernel (tfk_conv.c) for every layer the
 * generator gives it (see tfk_kernels.h for the preconditions); the generator
 * (OpEmitter) chooses this variant from the board's core, nothing here does.
 */
#include "tfk_conv_common.h"
#include "tfk_dot.h"
#include "tfk_dw_conv_common.h"
#include "tfk_dw_conv_dsp.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

#if TFK_MVE_RQ && TFK_USE_DSP

/* Helium depthwise, depth_multiplier 1, one output pixel: four channels per
 * int32x4 (VLDRB.S32 widens four int8 of input and filter; the input offset is
 * added lane-wise, exact in int32), the taps accumulated with VMUL + VADD
 * (Helium has no vector-by-vector multiply-accumulate), then the four channels
 * requantized together by tfk_rq4_mve and stored with one narrowing VSTRB.
 * Full groups of four load unpredicated; only a last partial group is
 * VCTP-predicated (each predicated load costs a VPST), its inactive lanes
 * neither read nor written.  `full` is a constant at every call, so each call
 * compiles to one of the two forms. */
TFK_INLINE int32x4_t dw_ld4(const int8_t* p, mve_pred16_t pred, int full) {
  return full ? vldrbq_s32(p) : vldrbq_z_s32(p, pred);
}

TFK_INLINE void dw_group_store(int32x4_t acc, const int32_t* qm, const int8_t* qs, int32_t oo,
                               int32_t lo, int32_t hi, int8_t* out, mve_pred16_t pred, int full) {
  if (full) {
    vstrbq_s32(out, tfk_rq4_mve(acc, vldrwq_s32(qm), vldrbq_s32(qs), oo, lo, hi));
  } else {
    vstrbq_p_s32(out,
                 tfk_rq4_mve(acc, vldrwq_z_s32(qm, pred), vldrbq_z_s32(qs, pred), oo, lo, hi),
                 pred);
  }
}

TFK_INLINE int32x4_t dw_bias4(const int32_t* bias, mve_pred16_t pred, int full) {
  if (!bias) return vdupq_n_s32(0);
  return full ? vldrwq_s32(bias) : vldrwq_z_s32(bias, pred);
}

/* Four channels c..c+3 of one pixel: x points at the first valid tap's channel
 * c, rows x cols valid taps with x_row / x_col bytes between input taps and
 * w_row / w_col between filter taps (rows may be 0: bias only, like the
 * reference with every tap skipped). */
TFK_INLINE void dw_group_mve(const int8_t* x, size_t x_row, size_t x_col, const int8_t* w,
                             size_t w_row, size_t w_col, int32_t rows, int32_t cols,
                             const int32_t* bias, const int32_t* qm, const int8_t* qs,
                             int32_t off, int32_t oo, int32_t lo, int32_t hi, int8_t* out,
                             mve_pred16_t pred, int full) {
  int32x4_t acc = dw_bias4(bias, pred, full);
  int32_t r, k;
  for (r = 0; r < rows; ++r, x += x_row, w += w_row) {
    const int8_t* xk = x;
    const int8_t* wk = w;
    for (k = 0; k < cols; ++k, xk += x_col, wk += w_col) {
      acc = vaddq_s32(acc, vmulq_s32(vaddq_n_s32(dw_ld4(xk, pred, full), off),
                                     dw_ld4(wk, pred, full)));
    }
  }
  dw_group_store(acc, qm, qs, oo, lo, hi, out, pred, full);
}

/* Eight channels c..c+7 of one pixel in int16 lanes: one VLDRB.S16 each for
 * input and filter, the offset added in int16 (x + off is in [-255, 255]), and
 * VMULLB / VMULLT multiply the even and odd channels into two int32x4
 * accumulators: seven instructions and two addresses per tap for eight channels,
 * against ten and four in int32 lanes.  The even/odd accumulators are
 * requantized with gathered multipliers and shifts and put back in channel order
 * by VMOVNB / VMOVNT before one narrowing store.  Only full groups of eight. */
TFK_INLINE void dw_group8_mve(const int8_t* x, size_t x_row, size_t x_col, const int8_t* w,
                              size_t w_row, size_t w_col, int32_t rows, int32_t cols,
                              const int32_t* bias, const int32_t* qm, const int8_t* qs,
                              int32_t off, int32_t oo, int32_t lo, int32_t hi, int8_t* out,
                              uint32x4_t even) {
  int32x4_t ae = vdupq_n_s32(0), ao = ae;
  int32_t r, k;
  if (bias) {
    ae = vldrwq_gather_shifted_offset_s32(bias, even);
    ao = vldrwq_gather_shifted_offset_s32(bias + 1, even);
  }
#define TFK_DW_TAP8(XP, WP)                                            \
  do {                                                                 \
    const int16x8_t xv = vaddq_n_s16(vldrbq_s16(XP), (int16_t)off);   \
    const int16x8_t wv = vldrbq_s16(WP);                               \
    ae = vaddq_s32(ae, vmullbq_int_s16(xv, wv));                       \
    ao = vaddq_s32(ao, vmulltq_int_s16(xv, wv));                       \
  } while (0)
  if (rows == 3 && cols == 3) {
    /* full 3x3 window (the interior of a MobileNet layer): the taps written
     * out; GCC 12 does not unroll the loops below */
    for (r = 0; r < 3; ++r, x += x_row, w += w_row) {
      TFK_DW_TAP8(x, w);
      TFK_DW_TAP8(x + x_col, w + w_col);
      TFK_DW_TAP8(x + 2 * x_col, w + 2 * w_col);
    }
  } else {
    for (r = 0; r < rows; ++r, x += x_row, w += w_row) {
      const int8_t* xk = x;
      const int8_t* wk = w;
      for (k = 0; k < cols; ++k, xk += x_col, wk += w_col) TFK_DW_TAP8(xk, wk);
    }
  }
#undef TFK_DW_TAP8
  {
    const int32x4_t re = tfk_rq4_mve(ae, vldrwq_gather_shifted_offset_s32(qm, even),
                                     vldrbq_gather_offset_s32(qs, even), oo, lo, hi);
    const int32x4_t ro = tfk_rq4_mve(ao, vldrwq_gather_shifted_offset_s32(qm + 1, even),
                                     vldrbq_gather_offset_s32(qs + 1, even), oo, lo, hi);
    vstrbq_s16(out, vmovntq_s32(vmovnbq_s32(vdupq_n_s16(0), re), ro));
  }
}

static const uint32_t dw_even_lanes[4] = {0u, 2u, 4u, 6u};

static void dw_pixel_mve(const int8_t* x, size_t x_row, size_t x_col, const int8_t* w,
                         size_t w_row, int32_t rows, int32_t cols, int32_t ch,
                         const int32_t* bias, const int32_t* qm, const int8_t* qs, int32_t off,
                         int32_t oo, int32_t lo, int32_t hi, int8_t* out) {
  int32_t c;
  const uint32x4_t even = vldrwq_u32(dw_even_lanes);
  for (c = 0; c + 8 <= ch; c += 8) {
    dw_group8_mve(x + c, x_row, x_col, w + c, w_row, (size_t)ch, rows, cols,
                  bias ? bias + c : NULL, qm + c, qs + c, off, oo, lo, hi, out + c, even);
  }
  for (; c + 4 <= ch; c += 4) {
    dw_group_mve(x + c, x_row, x_col, w + c, w_row, (size_t)ch, rows, cols, bias ? bias + c : NULL,
                 qm + c, qs + c, off, oo, lo, hi, out + c, 0xFFFFu, 1);
  }
  if (c < ch) {
    dw_group_mve(x + c, x_row, x_col, w + c, w_row, (size_t)ch, rows, cols, bias ? bias + c : NULL,
                 qm + c, qs + c, off, oo, lo, hi, out + c, vctp32q((uint32_t)(ch - c)), 0);
  }
}

/* Helium depthwise with depth_multiplier a multiple of 4 (MobileNet's first
 * layer: 1 -> 8), one output pixel: four adjacent output channels read the same
 * input channel, so each tap is one VMLA (vector by scalar) of the four filter
 * values with the input value + off.  Same tap layout as dw_pixel_mve (the filter
 * taps are out_c bytes apart); out_c is a multiple of four, no predication. */
static void dw_pixel_dm4_mve(const int8_t* x, size_t x_row, size_t x_col, const int8_t* w,
                             size_t w_row, int32_t rows, int32_t cols, int32_t out_c, int32_t dm,
                             const int32_t* bias, const int32_t* qm, const int8_t* qs,
                             int32_t off, int32_t oo, int32_t lo, int32_t hi, int8_t* out) {
  int32_t c, r, k;
  for (c = 0; c < out_c; c += 4) {
    int32x4_t acc = bias ? vldrwq_s32(bias + c) : vdupq_n_s32(0);
    const int8_t* xr = x + c / dm;
    const int8_t* wr = w + c;
    for (r = 0; r < rows; ++r, xr += x_row, wr += w_row) {
      for (k = 0; k < cols; ++k) {
        acc = vmlaq_n_s32(acc, vldrbq_s32(wr + (size_t)k * out_c), (int32_t)xr[(size_t)k * x_col] + off);
      }
    }
    vstrbq_s32(out + c, tfk_rq4_mve(acc, vldrwq_s32(qm + c), vldrbq_s32(qs + c), oo, lo, hi));
  }
}

/* Four channels of a full 3x3 window, dilation 1 (the interior of a MobileNet
 * layer): the nine taps written out, no tap loops or counters. */
TFK_INLINE void dw3x3_group_mve(const int8_t* x, size_t x_row, size_t s1, const int8_t* w,
                                const int32_t* bias, const int32_t* qm, const int8_t* qs,
                                int32_t off, int32_t oo, int32_t lo, int32_t hi, int8_t* out,
                                mve_pred16_t pred, int full) {
  int32x4_t acc = dw_bias4(bias, pred, full);
  const size_t s2 = 2 * s1, s3 = 3 * s1;
  TFK_OPAQUE(x);
  TFK_OPAQUE(w);
#define TFK_DW_TAP_MVE(XP, WP)                                                       \
  acc = vaddq_s32(acc, vmulq_s32(vaddq_n_s32(dw_ld4(XP, pred, full), off), \
                                 dw_ld4(WP, pred, full)))
  TFK_DW_TAP_MVE(x, w);
  TFK_DW_TAP_MVE(x + s1, w + s1);
  TFK_DW_TAP_MVE(x + s2, w + s2);
  x += x_row;
  TFK_DW_TAP_MVE(x, w + s3);
  TFK_DW_TAP_MVE(x + s1, w + s3 + s1);
  TFK_DW_TAP_MVE(x + s2, w + s3 + s2);
  x += x_row;
  w += 2 * s3;
  TFK_DW_TAP_MVE(x, w);
  TFK_DW_TAP_MVE(x + s1, w + s1);
  TFK_DW_TAP_MVE(x + s2, w + s2);
#undef TFK_DW_TAP_MVE
  dw_group_store(acc, qm, qs, oo, lo, hi, out, pred, full);
}

/* n neighbouring output pixels of one row whose 3x3 windows lie inside the input,
 * x_step input bytes and ch output bytes apart: one call per run of interior
 * pixels, so the call and its setup are paid once per row, not per pixel. */
TFK_NOINLINE static void dw3x3_interior_mve(const int8_t* x, size_t x_row, size_t x_step,
                                            int32_t n, int32_t ch, const int8_t* w,
                                            const int32_t* bias, const int32_t* qm,
                                            const int8_t* qs, int32_t off, int32_t oo,
                                            int32_t lo, int32_t hi, int8_t* out) {
  int32_t c, px;
  const uint32x4_t even = vldrwq_u32(dw_even_lanes);
  for (px = 0; px < n; ++px, x += x_step, out += ch) {
    for (c = 0; c + 8 <= ch; c += 8) {
      dw_group8_mve(x + c, x_row, (size_t)ch, w + c, 3 * (size_t)ch, (size_t)ch, 3, 3,
                    bias ? bias + c : NULL, qm + c, qs + c, off, oo, lo, hi, out + c, even);
    }
    for (; c + 4 <= ch; c += 4) {
      dw3x3_group_mve(x + c, x_row, (size_t)ch, w + c, bias ? bias + c : NULL, qm + c, qs + c,
                      off, oo, lo, hi, out + c, 0xFFFFu, 1);
    }
    if (c < ch) {
      dw3x3_group_mve(x + c, x_row, (size_t)ch, w + c, bias ? bias + c : NULL, qm + c, qs + c,
                      off, oo, lo, hi, out + c, vctp32q((uint32_t)(ch - c)), 0);
    }
  }
}

void tfk_depthwise_conv2d_fast_s8_mve(const tfk_dw_conv_params* params,
                                  const tfk_per_channel_quant* quant,
                                  const tfk_dims4* input_dims, const int8_t* input,
                                  const tfk_dims4* filter_dims, const int8_t* filter,
                                  const int32_t* bias, const tfk_dims4* output_dims,
                                  int8_t* output) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w, in_c = input_dims->c;
  const int32_t kh = filter_dims->h, kw = filter_dims->w;
  const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
  const int32_t dm = params->depth_multiplier;
  const int32_t dh = params->dilation_h, dw = params->dilation_w;
  const int32_t off = params->input_offset;
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  /* locals, not quant->...: int8 output stores may alias anything, so the compiler
   * would reload the struct fields after every store */
  const int32_t* const qm = quant->multiplier;
  const int8_t* const qs = quant->shift;
  /* 3x3 with dilation 1: full windows take the unrolled dw3x3_interior */
  const int is3x3 = kh == 3 && kw == 3 && dh == 1 && dw == 1;
  int32_t b, oy, ox, c;

  for (b = 0; b < output_dims->n; ++b) {
    const int8_t* in_b = input + (size_t)b * in_h * in_w * in_c;
    for (oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * params->stride_h - params->pad_h;
      const int32_t ky_begin = first_valid_tap(iy0, dh, kh);
      const int32_t ky_end = end_valid_tap(iy0, dh, kh, in_h);
      for (ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * params->stride_w - params->pad_w;
        const int32_t kx_begin = first_valid_tap(ix0, dw, kw);
        const int32_t kx_end = end_valid_tap(ix0, dw, kw, in_w);
        int8_t* out = output + (((size_t)b * out_h + oy) * out_w + ox) * out_c;
        if (dm == 1) {
          const int32_t rows = kx_end > kx_begin && ky_end > ky_begin ? ky_end - ky_begin : 0;
          if (is3x3 && rows == 3 && kx_begin == 0 && kx_end == 3) {
            /* this and the following pixels up to the last whose window ends
             * inside the input row (ix0' + 3 <= in_w) */
            int32_t last = (in_w - 3 + params->pad_w) / params->stride_w;
            if (last > out_w - 1) last = out_w - 1;
            dw3x3_interior_mve(in_b + ((size_t)iy0 * in_w + (size_t)ix0) * in_c,
                               (size_t)in_w * in_c, (size_t)params->stride_w * in_c,
                               last - ox + 1, out_c, filter, bias, qm, qs, off, oo, lo, hi, out);
            ox = last; /* the loop's ++ox steps past the run */
          } else if (rows > 0) {
            dw_pixel_mve(in_b + ((size_t)(iy0 + dh * ky_begin) * in_w +
                                 (size_t)(ix0 + dw * kx_begin)) * in_c,
                         (size_t)dh * in_w * in_c, (size_t)dw * in_c,
                         filter + ((size_t)ky_begin * kw + (size_t)kx_begin) * out_c,
                         (size_t)kw * out_c, rows, kx_end - kx_begin, out_c, bias, qm, qs, off,
                         oo, lo, hi, out);
          } else {
            dw_pixel_mve(in_b, 0, 0, filter, 0, 0, 0, out_c, bias, qm, qs, off, oo, lo, hi, out);
          }
          continue;
        }
        if (dm % 4 == 0) {
          const int32_t rows = kx_end > kx_begin && ky_end > ky_begin ? ky_end - ky_begin : 0;
          dw_pixel_dm4_mve(rows ? in_b + ((size_t)(iy0 + dh * ky_begin) * in_w +
                                          (size_t)(ix0 + dw * kx_begin)) * in_c
                                : in_b,
                           (size_t)dh * in_w * in_c, (size_t)dw * in_c,
                           rows ? filter + ((size_t)ky_begin * kw + (size_t)kx_begin) * out_c
                                : filter,
                           (size_t)kw * out_c, rows, kx_end - kx_begin, out_c, dm, bias, qm, qs,
                           off, oo, lo, hi, out);
          continue;
        }
        c = 0;
        if (dm == 1 && is3x3 && ky_begin == 0 && ky_end == 3 && kx_begin == 0 && kx_end == 3) {
          c = dw3x3_interior(in_b + ((size_t)iy0 * in_w + (size_t)ix0) * in_c,
                             (size_t)in_w * in_c, out_c, filter, bias, quant, off, oo, lo, hi, out);
        } else if (dm == 1 && is3x3 && ky_end > ky_begin && kx_end > kx_begin) {
          c = dw3x3_clipped(
              in_b + ((size_t)(iy0 + ky_begin) * in_w + (size_t)(ix0 + kx_begin)) * in_c,
              (size_t)in_w * in_c, out_c, filter + ((size_t)ky_begin * 3 + (size_t)kx_begin) * out_c,
              ky_end - ky_begin, kx_end - kx_begin, bias, quant, off, oo, lo, hi, out);
        }
        if (dm == 1) {
          c = dw_quads_dsp(c, in_b, in_w, in_c, iy0, ix0, dh, dw, ky_begin, ky_end, kx_begin,
                           kx_end, kw, filter, bias, out_c, off, oo, lo, hi, qm, qs, out);
        }
        dw_channels_general(c, dm, in_b, in_w, in_c, iy0, ix0, dh, dw, ky_begin, ky_end, kx_begin,
                            kx_end, kw, filter, bias, out_c, off, oo, lo, hi, qm, qs, out);
      }
    }
  }
}

#endif /* TFK_MVE_RQ && TFK_USE_DSP */
