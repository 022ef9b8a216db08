/*
 * CONV_2D with one group and dilation_w 1 (other than 1x1): the valid taps of
 * each filter row are one contiguous run in input and filter, and small windows
 * are gathered into one contiguous patch.  Helium variant (MVE: Cortex-M55; it
 * uses the DSP extension too).
 *
 * Same bytes as the reference kernel (tfk_conv.c) for every layer the
 * generator gives it (see tfk_kernels.h for the preconditions); the generator
 * (OpEmitter) chooses this variant from the board's core, nothing here does.
 */
#include "tfk_conv_common.h"
#include "tfk_dot.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

#include <string.h>

/* The caller's scratch: the folded bias (fold_bias_mve, one int32 per output
 * channel), then the patch four filter windows (kh * kw * Cin bytes each) are
 * gathered into side by side, so that conv_4px_mve loads each filter word once
 * per four pixels; none when -input_offset is no int8 (rows read in place). */
size_t tfk_conv2d_fast_s8_mve_scratch_bytes(const tfk_conv_params* params,
                                            const tfk_dims4* input_dims,
                                            const tfk_dims4* filter_dims,
                                            const tfk_dims4* output_dims) {
  const size_t patch = conv_fast_patch_bytes(params->input_offset, filter_dims, 4);
  (void)input_dims;
  return patch == 0 ? 0 : (size_t)output_dims->c * sizeof(int32_t) + patch;
}

#if TFK_MVE_RQ && TFK_USE_DSP

/* The Helium block of tfk_conv_common.h called out of line here, as before the
 * kernels were split into one file per variant: inlined into this large function
 * they cost ic_resnet8's gathered 3x3 convs 1-2.5k instructions each on the M55
 * (QEMU -icount); the 1x1 kernel, smaller, gains from inlining them. */
static TFK_NOINLINE void fold_bias_mve_outlined(const int8_t* filter, int32_t len, int32_t n,
                                                const int32_t* bias, int32_t off, int32_t* fb) {
  fold_bias_mve(filter, len, n, bias, off, fb);
}

static TFK_NOINLINE void conv_4px_mve_outlined(const int8_t* x0, const int8_t* x1,
                                               const int8_t* x2, const int8_t* x3,
                                               const int8_t* filter, int32_t len, int32_t n,
                                               const int32_t* fb, const int32_t* qm,
                                               const int8_t* qs, int32_t oo, int32_t lo,
                                               int32_t hi, uint32x4_t scatter, int8_t* out0) {
  conv_4px_mve(x0, x1, x2, x3, filter, len, n, fb, qm, qs, oo, lo, hi, scatter, out0);
}

/* gather_window (tfk_conv_common.h) with the valid run of each row copied by
 * tfk_copy_mve. */
static void gather_window_mve(int8_t* dst, const int8_t* in_b, int32_t in_w, int32_t depth,
                              int32_t kh, int32_t kw, int32_t dh, int32_t iy0, int32_t ix0,
                              int32_t ky_begin, int32_t ky_end, int8_t pad) {
  const int32_t kx_begin = first_valid_tap(ix0, 1, kw);
  const int32_t kx_end = end_valid_tap(ix0, 1, kw, in_w);
  const size_t row_len = (size_t)kw * depth;
  const size_t pre = (size_t)kx_begin * depth;
  const size_t valid = kx_end > kx_begin ? (size_t)(kx_end - kx_begin) * depth : 0;
  int32_t ky;
  for (ky = 0; ky < kh; ++ky, dst += row_len) {
    if (ky < ky_begin || ky >= ky_end || valid == 0) {
      memset(dst, pad, row_len);
      continue;
    }
    if (pre) memset(dst, pad, pre);
    tfk_copy_mve(dst + pre,
                 in_b + ((size_t)(iy0 + dh * ky) * in_w + (size_t)(ix0 + kx_begin)) * depth,
                 (int32_t)valid);
    if (pre + valid < row_len) memset(dst + pre + valid, pad, row_len - pre - valid);
  }
}

void tfk_conv2d_fast_s8_mve(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                        const tfk_dims4* input_dims, const int8_t* input,
                        const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                        const tfk_dims4* output_dims, int8_t* output, void* scratch,
                        size_t scratch_bytes) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w, depth = input_dims->c;
  const int32_t kh = filter_dims->h, kw = filter_dims->w;
  const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
  const int32_t dh = params->dilation_h;
  const size_t filter_stride = (size_t)kh * kw * depth; /* bytes per output channel */
  const int32_t off = params->input_offset;
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (tfk_rq8_dsp) */
  /* locals, not quant->...: int8 output stores may alias anything, so the compiler
   * would reload the struct fields after every store */
  const int32_t* const qm = quant->multiplier;
  const int8_t* const qs = quant->shift;
  /* Windows are gathered when -off is an int8 (it is the pad value), four or
   * two at a time. */
  const int gather = off >= -127 && off <= 128;
  const int pair = gather;
  const int quad = gather;
  const uint32_t step[4] = {0u, (uint32_t)out_c, 2u * (uint32_t)out_c, 3u * (uint32_t)out_c};
  const uint32x4_t scatter = vldrwq_u32(step);
  int32_t* const fb = (int32_t*)scratch;
  const int8_t pad = (int8_t)(gather ? -off : 0);
  int8_t* const patch = (int8_t*)scratch + (size_t)out_c * sizeof(int32_t);
  int32_t b, oy, ox, oc, ky;

  TFK_CHECK_SCRATCH(scratch_bytes, tfk_conv2d_fast_s8_mve_scratch_bytes(params, input_dims,
                                                                        filter_dims, output_dims));

  for (b = 0; b < output_dims->n; ++b) {
    int32_t oy_start = 0;
    int32_t ox_start = 0;
    if (quad) {
      /* Helium: four consecutive output pixels at a time (rows wrap: consecutive
       * pixels are out_c bytes apart in the output either way), their windows
       * gathered side by side, one filter load per four pixels; the last
       * (out_h * out_w) % 4 pixels take the loops below. */
      const int8_t* in_b = input + (size_t)b * in_h * in_w * depth;
      const int32_t total = out_h * out_w;
      int32_t q;
      if (b == 0) fold_bias_mve_outlined(filter, (int32_t)filter_stride, out_c, bias, off, fb);
      for (q = 0; q + 3 < total; q += 4) {
        int32_t k;
        for (k = 0; k < 4; ++k) {
          const int32_t iyk = ((q + k) / out_w) * params->stride_h - params->pad_h;
          const int32_t ixk = ((q + k) % out_w) * params->stride_w - params->pad_w;
          gather_window_mve(patch + k * filter_stride, in_b, in_w, depth, kh, kw, dh, iyk, ixk,
                            first_valid_tap(iyk, dh, kh), end_valid_tap(iyk, dh, kh, in_h), pad);
        }
        conv_4px_mve_outlined(patch, patch + filter_stride, patch + 2 * filter_stride,
                              patch + 3 * filter_stride, filter, (int32_t)filter_stride, out_c,
                              fb, qm, qs, oo, lo, hi, scatter,
                              output + ((size_t)b * total + (size_t)q) * out_c);
      }
      oy_start = q / out_w;
      ox_start = q % out_w;
    }
    for (oy = oy_start; oy < out_h; ++oy) {
      const int32_t iy0 = oy * params->stride_h - params->pad_h;
      const int32_t ky_begin = first_valid_tap(iy0, dh, kh);
      const int32_t ky_end = end_valid_tap(iy0, dh, kh, in_h);
      for (ox = oy == oy_start ? ox_start : 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * params->stride_w - params->pad_w;
        const int32_t kx_begin = first_valid_tap(ix0, 1, kw);
        const int32_t kx_end = end_valid_tap(ix0, 1, kw, in_w);
        /* The valid taps of one filter row: one contiguous run in input and filter. */
        const int32_t run = kx_end > kx_begin ? (kx_end - kx_begin) * depth : 0;
        const int32_t ky_stop = run > 0 ? ky_end : ky_begin; /* no valid column: no taps */
        const int8_t* in_b = input + (size_t)b * in_h * in_w * depth;
        int8_t* out = output + (((size_t)b * out_h + oy) * out_w + ox) * out_c;
        if (gather) {
          /* Gather the window once into one contiguous patch (the filter of one
           * channel is contiguous too), so every output channel pair is a single
           * long dot product instead of kh short ones (KWS's 10x4 first layer has
           * 4-byte rows). */
          gather_window_mve(patch, in_b, in_w, depth, kh, kw, dh, iy0, ix0, ky_begin, ky_end, pad);
          if (pair && ox + 1 < out_w) {
            /* Two neighbouring pixels: each filter word loaded feeds both
             * (tfk_dot2x2_s8): fewer instructions per MAC than two tfk_dot2_s8
             * calls (ResNet's 3x3 convs). */
            int8_t* const patch1 = patch + filter_stride;
            int8_t* const out1 = out + out_c;
            gather_window_mve(patch1, in_b, in_w, depth, kh, kw, dh, iy0, ix0 + params->stride_w,
                              ky_begin, ky_end, pad);
            for (oc = 0; oc + 1 < out_c; oc += 2) {
              const int8_t* f0 = filter + (size_t)oc * filter_stride;
              int32_t acc[4] = {0, 0, 0, 0};
              tfk_dot2x2_s8_mve(patch, patch1, f0, f0 + filter_stride, (int32_t)filter_stride, off,
                            acc);
              if (bias) {
                acc[0] = tfk_wrap_add(acc[0], bias[oc]);
                acc[1] = tfk_wrap_add(acc[1], bias[oc + 1]);
                acc[2] = tfk_wrap_add(acc[2], bias[oc]);
                acc[3] = tfk_wrap_add(acc[3], bias[oc + 1]);
              }
              {
                const int32_t m0 = qm[oc], s0 = qs[oc], m1 = qm[oc + 1], s1 = qs[oc + 1];
                const int8_t r00 = tfk_rq8_dsp(acc[0], m0, s0, oo, lo, hi, i8range);
                const int8_t r10 = tfk_rq8_dsp(acc[2], m0, s0, oo, lo, hi, i8range);
                const int8_t r01 = tfk_rq8_dsp(acc[1], m1, s1, oo, lo, hi, i8range);
                const int8_t r11 = tfk_rq8_dsp(acc[3], m1, s1, oo, lo, hi, i8range);
                out[oc] = r00;
                out[oc + 1] = r01;
                out1[oc] = r10;
                out1[oc + 1] = r11;
              }
            }
            if (oc < out_c) {
              const int8_t* f0 = filter + (size_t)oc * filter_stride;
              int32_t a0 = tfk_dot1_s8_mve(patch, f0, (int32_t)filter_stride, off, 0);
              int32_t a1 = tfk_dot1_s8_mve(patch1, f0, (int32_t)filter_stride, off, 0);
              if (bias) {
                a0 = tfk_wrap_add(a0, bias[oc]);
                a1 = tfk_wrap_add(a1, bias[oc]);
              }
              out[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
              out1[oc] = tfk_rq(a1, qm[oc], qs[oc], oo, lo, hi);
            }
            ++ox; /* the loop's ++ox steps over the second pixel */
            continue;
          }
          for (oc = 0; oc + 1 < out_c; oc += 2) {
            const int8_t* f0 = filter + (size_t)oc * filter_stride;
            int32_t a0 = 0, a1 = 0;
            tfk_dot2_s8_mve(patch, f0, f0 + filter_stride, (int32_t)filter_stride, off, &a0, &a1);
            if (bias) {
              a0 = tfk_wrap_add(a0, bias[oc]);
              a1 = tfk_wrap_add(a1, bias[oc + 1]);
            }
            out[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
            out[oc + 1] = tfk_rq(a1, qm[oc + 1], qs[oc + 1], oo, lo, hi);
          }
          if (oc < out_c) {
            int32_t a0 = tfk_dot1_s8_mve(patch, filter + (size_t)oc * filter_stride,
                                     (int32_t)filter_stride, off, 0);
            if (bias) a0 = tfk_wrap_add(a0, bias[oc]);
            out[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
          }
          continue;
        }
        for (oc = 0; oc + 1 < out_c; oc += 2) {
          const int8_t* f0 = filter + (size_t)oc * filter_stride + (size_t)kx_begin * depth;
          int32_t a0 = 0, a1 = 0;
          for (ky = ky_begin; ky < ky_stop; ++ky) {
            const size_t row = ((size_t)(iy0 + dh * ky) * in_w + (size_t)(ix0 + kx_begin)) * depth;
            const size_t frow = (size_t)ky * kw * depth;
            tfk_dot2_s8_mve(in_b + row, f0 + frow, f0 + filter_stride + frow, run, off, &a0, &a1);
          }
          if (bias) {
            a0 = tfk_wrap_add(a0, bias[oc]);
            a1 = tfk_wrap_add(a1, bias[oc + 1]);
          }
          out[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
          out[oc + 1] = tfk_rq(a1, qm[oc + 1], qs[oc + 1], oo, lo, hi);
        }
        if (oc < out_c) {
          const int8_t* f0 = filter + (size_t)oc * filter_stride + (size_t)kx_begin * depth;
          int32_t a0 = 0;
          for (ky = ky_begin; ky < ky_stop; ++ky) {
            a0 = tfk_dot1_s8_mve(in_b + ((size_t)(iy0 + dh * ky) * in_w + (size_t)(ix0 + kx_begin)) * depth,
                             f0 + (size_t)ky * kw * depth, run, off, a0);
          }
          if (bias) a0 = tfk_wrap_add(a0, bias[oc]);
          out[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
        }
      }
    }
  }
}

#endif /* TFK_MVE_RQ && TFK_USE_DSP */
