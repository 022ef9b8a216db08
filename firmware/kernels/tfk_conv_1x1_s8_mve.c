/*
 * CONV_2D with a 1x1 filter, no padding and one group (any stride): an int8
 * matrix multiply.  Helium variant (MVE: Cortex-M55; it uses the DSP extension
 * too).
 *
 * Same bytes as the reference kernel (tfk_conv.c) for every layer the
 * generator gives it (see tfk_kernels.h for the preconditions); the generator
 * (OpEmitter) chooses this variant from the board's core, nothing here does.
 */
#include "tfk_conv_common.h"
#include "tfk_dot.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

#if TFK_MVE_RQ && TFK_USE_DSP

void tfk_conv2d_1x1_s8_mve(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                       const tfk_dims4* input_dims, const int8_t* input,
                       const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                       const tfk_dims4* output_dims, int8_t* output) {
  const int32_t depth = input_dims->c;
  const int32_t out_c = output_dims->c;
  const int32_t pixels = output_dims->n * output_dims->h * output_dims->w;
  const int32_t off = params->input_offset;
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (tfk_rq8_dsp) */
  /* locals, not quant->...: int8 output stores may alias anything, so the compiler
   * would reload the struct fields after every store */
  const int32_t* const qm = quant->multiplier;
  const int32_t* const qs = quant->shift;
  int32_t p, oc;
  (void)filter_dims;

  p = 0;
  /* Helium: four pixels at a time (conv_4px_mve); leftover pixels take the
   * two-pixel loop below. */
  if (pixels >= 4) {
    const uint32_t step[4] = {0u, (uint32_t)out_c, 2u * (uint32_t)out_c, 3u * (uint32_t)out_c};
    const uint32x4_t scatter = vldrwq_u32(step);
    int32_t fb[TFK_FOLD_MAX];
    int32_t cb;
    /* blocks of up to TFK_FOLD_MAX output channels, each block's folded bias
     * computed once for all its pixels */
    for (cb = 0; cb < out_c; cb += TFK_FOLD_MAX) {
      const int32_t n = out_c - cb < TFK_FOLD_MAX ? out_c - cb : TFK_FOLD_MAX;
      const int8_t* const fblk = filter + (size_t)cb * depth;
      int32_t q;
      fold_bias_mve(fblk, depth, n, bias ? bias + cb : NULL, off, fb);
      for (q = 0; q + 3 < pixels; q += 4) {
        const int8_t* x0 = pixel_1x1(params, input_dims, output_dims, input, q);
        const int8_t* x1 = pixel_1x1(params, input_dims, output_dims, input, q + 1);
        const int8_t* x2 = pixel_1x1(params, input_dims, output_dims, input, q + 2);
        const int8_t* x3 = pixel_1x1(params, input_dims, output_dims, input, q + 3);
        conv_4px_mve(x0, x1, x2, x3, fblk, depth, n, fb, qm + cb, qs + cb, oo, lo, hi, scatter,
                     output + (size_t)q * out_c + cb);
      }
    }
    p = pixels & ~3;
  }
  /* Two pixels at a time: every filter word loaded feeds two pixels. */
  for (; p + 1 < pixels; p += 2) {
    const int8_t* in0 = pixel_1x1(params, input_dims, output_dims, input, p);
    const int8_t* in1 = pixel_1x1(params, input_dims, output_dims, input, p + 1);
    int8_t* out0 = output + (size_t)p * out_c;
    int8_t* out1 = out0 + out_c;
    for (oc = 0; oc + 1 < out_c; oc += 2) {
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t acc[4] = {0, 0, 0, 0};
      tfk_dot2x2_s8_mve(in0, in1, f0, f0 + depth, depth, off, acc);
      if (bias) {
        acc[0] = tfk_wrap_add(acc[0], bias[oc]);
        acc[1] = tfk_wrap_add(acc[1], bias[oc + 1]);
        acc[2] = tfk_wrap_add(acc[2], bias[oc]);
        acc[3] = tfk_wrap_add(acc[3], bias[oc + 1]);
      }
      {
        /* both pixels' results before the stores, so each channel's multiplier and
         * shift are loaded once */
        const int32_t m0 = qm[oc], s0 = qs[oc], m1 = qm[oc + 1], s1 = qs[oc + 1];
        const int8_t r00 = tfk_rq8_dsp(acc[0], m0, s0, oo, lo, hi, i8range);
        const int8_t r10 = tfk_rq8_dsp(acc[2], m0, s0, oo, lo, hi, i8range);
        const int8_t r01 = tfk_rq8_dsp(acc[1], m1, s1, oo, lo, hi, i8range);
        const int8_t r11 = tfk_rq8_dsp(acc[3], m1, s1, oo, lo, hi, i8range);
        out0[oc] = r00;
        out0[oc + 1] = r01;
        out1[oc] = r10;
        out1[oc + 1] = r11;
      }
    }
    if (oc < out_c) { /* odd channel count: the last channel for both pixels */
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t a0 = tfk_dot1_s8_mve(in0, f0, depth, off, 0);
      int32_t a1 = tfk_dot1_s8_mve(in1, f0, depth, off, 0);
      if (bias) {
        a0 = tfk_wrap_add(a0, bias[oc]);
        a1 = tfk_wrap_add(a1, bias[oc]);
      }
      out0[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
      out1[oc] = tfk_rq(a1, qm[oc], qs[oc], oo, lo, hi);
    }
  }
  if (p < pixels) { /* odd pixel count: the last pixel alone */
    const int8_t* in0 = pixel_1x1(params, input_dims, output_dims, input, p);
    int8_t* out0 = output + (size_t)p * out_c;
    for (oc = 0; oc + 1 < out_c; oc += 2) {
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t a0 = 0, a1 = 0;
      tfk_dot2_s8_mve(in0, f0, f0 + depth, depth, off, &a0, &a1);
      if (bias) {
        a0 = tfk_wrap_add(a0, bias[oc]);
        a1 = tfk_wrap_add(a1, bias[oc + 1]);
      }
      out0[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
      out0[oc + 1] = tfk_rq(a1, qm[oc + 1], qs[oc + 1], oo, lo, hi);
    }
    if (oc < out_c) {
      int32_t a0 = tfk_dot1_s8_mve(in0, filter + (size_t)oc * depth, depth, off, 0);
      if (bias) a0 = tfk_wrap_add(a0, bias[oc]);
      out0[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
    }
  }
}

#endif /* TFK_MVE_RQ && TFK_USE_DSP */
