/*
 * DEPTHWISE_CONV_2D: padding resolved once per pixel, four channels per loop,
 * 3x3 dilation-1 windows unrolled.  Variant for the Cortex-M DSP extension
 * (SXTAB16 / SMLAD: Cortex-M4, M7, M33).
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

#if TFK_USE_DSP

/* dw_one_input_dsp handles windows of up to 2 * TFK_DW1_PAIRS taps and tables
 * of up to TFK_DW1_TABLE words (1 KiB of stack: 51 output channels). */
#define TFK_DW1_PAIRS 5
#define TFK_DW1_TABLE 256

/* Two int16 values in one word, lo in the bottom half (SMLAD's operand). */
TFK_INLINE uint32_t pair16(int32_t lo, int32_t hi) {
  return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
}

/* DEPTHWISE_CONV_2D on a one-channel input (MobileNet's first layer: 96x96x1
 * into 8 channels, depth multiplier 8), on SMLAD: every output channel reads the
 * same window, so each pixel's window is read once, as int16 pairs of
 * consecutive taps (x + off; taps outside the input are 0, so they add nothing,
 * like the reference's skipped taps), and each output channel is five SMLADs
 * with its own taps, paired the same way once per call into a stack table.
 * The last pair is padded with a zero tap on both sides.  Returns 0 (nothing
 * written) when the layer is not of this kind. */
static int dw_one_input_dsp(const tfk_dw_conv_params* params, const tfk_per_channel_quant* quant,
                            const tfk_dims4* input_dims, const int8_t* input,
                            const tfk_dims4* filter_dims, const int8_t* filter,
                            const int32_t* bias, const tfk_dims4* output_dims, int8_t* output) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w;
  const int32_t kh = filter_dims->h, kw = filter_dims->w, taps = kh * kw;
  const int is3x3 = kh == 3 && kw == 3 && params->dilation_h == 1 && params->dilation_w == 1;
  const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
  const int32_t off = params->input_offset, oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (tfk_rq8_dsp) */
  const int32_t* const qm = quant->multiplier;
  const int32_t* const qs = quant->shift;
  uint32_t wt[TFK_DW1_TABLE];
  int32_t b, oy, ox, c, t;
  if (input_dims->c != 1 || taps > 2 * TFK_DW1_PAIRS || out_c * TFK_DW1_PAIRS > TFK_DW1_TABLE) {
    return 0;
  }
  /* channel c's taps t = ky * kw + kx are filter[t * out_c + c] */
  for (c = 0; c < out_c; ++c) {
    for (t = 0; t < 2 * TFK_DW1_PAIRS; t += 2) {
      const int32_t w0 = t < taps ? filter[(size_t)t * out_c + c] : 0;
      const int32_t w1 = t + 1 < taps ? filter[(size_t)(t + 1) * out_c + c] : 0;
      wt[c * TFK_DW1_PAIRS + t / 2] = pair16(w0, w1);
    }
  }
  for (b = 0; b < output_dims->n; ++b) {
    const int8_t* in_b = input + (size_t)b * in_h * in_w;
    for (oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * params->stride_h - params->pad_h;
      for (ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * params->stride_w - params->pad_w;
        int8_t* out = output + (((size_t)b * out_h + oy) * out_w + ox) * out_c;
        uint32_t x0, x1, x2, x3, x4;
        const uint32_t* w = wt;
        if (is3x3 && iy0 >= 0 && iy0 + 3 <= in_h && ix0 >= 0 && ix0 + 3 <= in_w) {
          /* the whole window inside the input: its nine taps read directly */
          const int8_t* r0 = in_b + (size_t)iy0 * in_w + ix0;
          const int8_t* r1 = r0 + in_w;
          const int8_t* r2 = r1 + in_w;
          x0 = pair16(r0[0] + off, r0[1] + off);
          x1 = pair16(r0[2] + off, r1[0] + off);
          x2 = pair16(r1[1] + off, r1[2] + off);
          x3 = pair16(r2[0] + off, r2[1] + off);
          x4 = pair16(r2[2] + off, 0);
        } else {
          int32_t xt[2 * TFK_DW1_PAIRS];
          int32_t ky, kx;
          for (ky = 0, t = 0; ky < kh; ++ky) {
            const int32_t iy = iy0 + params->dilation_h * ky;
            for (kx = 0; kx < kw; ++kx, ++t) {
              const int32_t ix = ix0 + params->dilation_w * kx;
              xt[t] = iy >= 0 && iy < in_h && ix >= 0 && ix < in_w
                          ? in_b[(size_t)iy * in_w + ix] + off
                          : 0;
            }
          }
          for (; t < 2 * TFK_DW1_PAIRS; ++t) xt[t] = 0;
          x0 = pair16(xt[0], xt[1]);
          x1 = pair16(xt[2], xt[3]);
          x2 = pair16(xt[4], xt[5]);
          x3 = pair16(xt[6], xt[7]);
          x4 = pair16(xt[8], xt[9]);
        }
        for (c = 0; c < out_c; ++c, w += TFK_DW1_PAIRS) {
          int32_t acc = bias ? bias[c] : 0;
          acc = tfk_smlad((int32_t)x0, (int32_t)w[0], acc);
          acc = tfk_smlad((int32_t)x1, (int32_t)w[1], acc);
          acc = tfk_smlad((int32_t)x2, (int32_t)w[2], acc);
          acc = tfk_smlad((int32_t)x3, (int32_t)w[3], acc);
          acc = tfk_smlad((int32_t)x4, (int32_t)w[4], acc);
          out[c] = tfk_rq8_dsp(acc, qm[c], qs[c], oo, lo, hi, i8range);
        }
      }
    }
  }
  return 1;
}

void tfk_depthwise_conv2d_fast_s8_dsp(const tfk_dw_conv_params* params,
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
  const int32_t* const qs = quant->shift;
  /* 3x3 with dilation 1: full windows take the unrolled dw3x3_interior */
  const int is3x3 = kh == 3 && kw == 3 && dh == 1 && dw == 1;
  int32_t b, oy, ox, c;
  if (dw_one_input_dsp(params, quant, input_dims, input, filter_dims, filter, bias, output_dims,
                       output)) {
    return;
  }

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
          c = dw_quads_dsp(c, in_b, in_w, in_c, iy0, ix0, dh, dw, ky_begin, ky_end, kx_begin,
                           kx_end, kw, filter, bias, out_c, off, oo, lo, hi, qm, qs, out);
        }
        dw_channels_general(c, dm, in_b, in_w, in_c, iy0, ix0, dh, dw, ky_begin, ky_end, kx_begin,
                            kx_end, kw, filter, bias, out_c, off, oo, lo, hi, qm, qs, out);
      }
    }
  }
}

#endif /* TFK_USE_DSP */
