/*
 * DEPTHWISE_CONV_2D: padding resolved once per pixel, four channels per loop,
 * 3x3 dilation-1 windows unrolled.  Portable C variant (any core; the host
 * build).
 *
 * Same bytes as the reference kernel (tfk_conv.c) for every layer the
 * generator gives it (see tfk_kernels.h for the preconditions); the generator
 * (OpEmitter) chooses this variant from the board's core, nothing here does.
 */
#include "tfk_conv_common.h"
#include "tfk_dot.h"
#include "tfk_dw_conv_common.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

/* One tap of four adjacent channels: a0..a3 += (x[k] + off) * w[k], k < 4.  Uses
 * off of the enclosing function. */
#define TFK_DW_TAP(XP, WP)                                          \
  do {                                                              \
    const int8_t* xp_ = (XP);                                       \
    const int8_t* wp_ = (WP);                                       \
    a0 = tfk_wrap_add(a0, ((int32_t)xp_[0] + off) * wp_[0]);        \
    a1 = tfk_wrap_add(a1, ((int32_t)xp_[1] + off) * wp_[1]);        \
    a2 = tfk_wrap_add(a2, ((int32_t)xp_[2] + off) * wp_[2]);        \
    a3 = tfk_wrap_add(a3, ((int32_t)xp_[3] + off) * wp_[3]);        \
  } while (0)

/* One output pixel of a 3x3, dilation-1, depth_multiplier-1 depthwise layer
 * whose whole window lies inside the input (the interior of a MobileNet layer,
 * stride 1 or 2 alike): the nine taps are unrolled, with no tap loop, no bounds
 * and no per-tap index arithmetic.  x points at input (iy0, ix0, channel 0),
 * row_stride is one input row in bytes, ch = input channels = output channels.
 * Handles channels in groups of four and returns how many it did; the caller
 * finishes the rest with the general loop. */
TFK_NOINLINE static int32_t dw3x3_interior(const int8_t* x, size_t row_stride, int32_t ch,
                              const int8_t* filter, const int32_t* bias,
                              const tfk_per_channel_quant* quant, int32_t off, int32_t oo,
                              int32_t lo, int32_t hi, int8_t* out) {
  int32_t c;
  const size_t s1 = (size_t)ch, s2 = 2 * (size_t)ch;
  const int32_t* const qm = quant->multiplier;
  const int8_t* const qs = quant->shift;
  const int i8range = lo == -128 && hi == 127; /* the full int8 range: tfk_rq8 */
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
    out[c] = tfk_rq8(a0, qm[c], qs[c], oo, lo, hi, i8range);
    out[c + 1] = tfk_rq8(a1, qm[c + 1], qs[c + 1], oo, lo, hi, i8range);
    out[c + 2] = tfk_rq8(a2, qm[c + 2], qs[c + 2], oo, lo, hi, i8range);
    out[c + 3] = tfk_rq8(a3, qm[c + 3], qs[c + 3], oo, lo, hi, i8range);
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
static int32_t dw3x3_clipped(const int8_t* x, size_t row_stride, int32_t ch,
                             const int8_t* filter, int32_t rows, int32_t cols,
                             const int32_t* bias, const tfk_per_channel_quant* quant,
                             int32_t off, int32_t oo, int32_t lo, int32_t hi, int8_t* out) {
  int32_t c, r;
  const size_t s1 = (size_t)ch, s2 = 2 * (size_t)ch, frow = 3 * (size_t)ch;
  const int32_t* const qm = quant->multiplier;
  const int8_t* const qs = quant->shift;
  const int i8range = lo == -128 && hi == 127; /* the full int8 range: tfk_rq8 */
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
    out[c] = tfk_rq8(a0, qm[c], qs[c], oo, lo, hi, i8range);
    out[c + 1] = tfk_rq8(a1, qm[c + 1], qs[c + 1], oo, lo, hi, i8range);
    out[c + 2] = tfk_rq8(a2, qm[c + 2], qs[c + 2], oo, lo, hi, i8range);
    out[c + 3] = tfk_rq8(a3, qm[c + 3], qs[c + 3], oo, lo, hi, i8range);
  }
  return c;
}

void tfk_depthwise_conv2d_fast_s8(const tfk_dw_conv_params* params,
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
  int32_t b, oy, ox, c, ky, kx;

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
          /* Four channels at a time: input and filter channels are adjacent. */
          for (; c + 4 <= out_c; c += 4) {
            int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (ky = ky_begin; ky < ky_end; ++ky) {
              const int8_t* in_row = in_b + (size_t)(iy0 + dh * ky) * in_w * in_c + c;
              const int8_t* f_row = filter + (size_t)ky * kw * out_c + c;
              for (kx = kx_begin; kx < kx_end; ++kx) {
                const int8_t* x = in_row + (size_t)(ix0 + dw * kx) * in_c;
                const int8_t* w = f_row + (size_t)kx * out_c;
                a0 = tfk_wrap_add(a0, ((int32_t)x[0] + off) * w[0]);
                a1 = tfk_wrap_add(a1, ((int32_t)x[1] + off) * w[1]);
                a2 = tfk_wrap_add(a2, ((int32_t)x[2] + off) * w[2]);
                a3 = tfk_wrap_add(a3, ((int32_t)x[3] + off) * w[3]);
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
        }
        dw_channels_general(c, dm, in_b, in_w, in_c, iy0, ix0, dh, dw, ky_begin, ky_end, kx_begin,
                            kx_end, kw, filter, bias, out_c, off, oo, lo, hi, qm, qs, out);
      }
    }
  }
}
