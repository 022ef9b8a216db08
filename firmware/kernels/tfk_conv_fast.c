/*
 * Fast CONV_2D and DEPTHWISE_CONV_2D (int8), chosen by the code generator at
 * compile time when the layer's shape allows (see tfk_kernels.h for each
 * function's preconditions).  They compute exactly what tfk_conv2d_s8 and
 * tfk_depthwise_conv2d_s8 compute (TFLite ConvPerChannel /
 * DepthwiseConvPerChannel), only with less work per MAC:
 *
 *   - the valid part of the filter window is computed once per output pixel,
 *     so no per-tap bounds checks remain in the inner loops (the reference
 *     skips padded taps; so do these kernels, which keeps padding exact);
 *   - with NHWC input and [Cout, KH, KW, Cin] filters, the valid taps of one
 *     filter row are one contiguous run of (kx_end - kx_begin) * Cin bytes in
 *     both tensors: one dot product per row instead of one per tap;
 *   - two output channels (and, for 1x1, two pixels) share every load;
 *   - on cores with the DSP extension the dot products run on SMLAD, two
 *     MACs per instruction (tfk_simd.h), with the input offset added by
 *     SXTAB16 on the way, so the offset costs nothing and needs no folding.
 *
 * Requantization is per channel and identical to the reference kernels.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

#include <string.h>

/* Stack bytes tfk_conv2d_fast_s8 gathers filter windows (kh * kw * Cin bytes)
 * into: two windows of up to 576 bytes (3x3x64, ResNet's widest), so that two
 * pixels can share each filter load, or one window of up to 1152 bytes.  Larger
 * windows use the row-by-row dot products.  The Arm boards reserve 8 KiB of
 * stack; this is the kernels' largest frame.  With Helium four windows of up to
 * 576 bytes (conv_4px_mve: one filter load per four pixels), 2304 bytes, plus the
 * 1 KiB folded-bias array (fold_bias_mve): a 3.7 KiB frame on the M55; the
 * M55's measured stack high-water stays far below the 8 KiB. */
#if TFK_MVE_RQ
#define TFK_PATCH_MAX 2304
#else
#define TFK_PATCH_MAX 1152
#endif

/* Requantizes one int32 accumulator of output channel `ch` (same result as
 * tfk_conv.c; tfk_mbqm_fast is one multiply-accumulate for the usual shift < 0). */
TFK_INLINE int8_t rq(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_offset,
                     int32_t act_min, int32_t act_max) {
  acc = tfk_mbqm_fast(acc, multiplier, (int)shift);
  acc += output_offset;
  return (int8_t)tfk_clamp_i32(acc, act_min, act_max);
}

/* rq when i8range says the activation range is all of int8 (lo == -128, hi ==
 * 127: no fused activation, or one the output scale already covers, as in every
 * layer of person_detect): the clamp is then one SSAT instead of two compares
 * against spilled bounds.  i8range is decided once per call. */
TFK_INLINE int8_t rq8(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_offset,
                      int32_t act_min, int32_t act_max, int i8range) {
  if (i8range) {
    acc = tfk_mbqm_fast(acc, multiplier, (int)shift) + output_offset;
#if TFK_USE_DSP && !defined(TFK_EMULATE_DSP)
    return (int8_t)__ssat(acc, 8);
#else
    return (int8_t)tfk_clamp_i32(acc, -128, 127);
#endif
  }
  return rq(acc, multiplier, shift, output_offset, act_min, act_max);
}

/* First tap index k in [0, count) with origin + step * k >= 0. */
static int32_t first_valid_tap(int32_t origin, int32_t step, int32_t count) {
  int32_t k = origin >= 0 ? 0 : (-origin + step - 1) / step;
  return k < count ? k : count;
}

/* One past the last tap index k with origin + step * k < size. */
static int32_t end_valid_tap(int32_t origin, int32_t step, int32_t count, int32_t size) {
  int32_t k = size - origin <= 0 ? 0 : (size - origin + step - 1) / step;
  return k < count ? k : count;
}

#if TFK_MVE_RQ
/* Output channels per folded-bias block (tfk_fold_bias_mve): 1 KiB of stack. */
#define TFK_FOLD_MAX 256

/* fb[oc] = bias[oc] + off * sum(filter row oc), modulo 2^32, for oc < n: the
 * input offset's share of every dot product, computed once per channel instead
 * of once per group of four pixels.  sum (x + off) * w = sum x * w + off * sum w
 * modulo 2^32; gathered windows hold -off at padded taps, which then add
 * -off * w + off * w = 0 like the reference's skipped taps. */
static void fold_bias_mve(const int8_t* filter, int32_t len, int32_t n, const int32_t* bias,
                          int32_t off, int32_t* fb) {
  int32_t oc;
  for (oc = 0; oc < n; ++oc) {
    const int8_t* f = filter + (size_t)oc * len;
    int32_t sw = 0, i;
    for (i = 0; i + 16 <= len; i += 16) sw = vaddvaq_s8(sw, vld1q_s8(f + i));
    if (i < len) sw = vaddvaq_s8(sw, vldrbq_z_s8(f + i, vctp8q((uint32_t)(len - i))));
    fb[oc] = tfk_wrap_add(tfk_off_times(off, sw), bias ? bias[oc] : 0);
  }
}

/* Helium: n output channels of four output pixels whose (gathered) inputs are
 * x0..x3, `len` bytes each, filters `len` bytes apart; the outputs of the four
 * pixels are `scatter` = {0, 1, 2, 3} * out_c bytes apart from out0.  One
 * channel at a time: each filter vector loaded feeds four VMLADAVA (one per
 * pixel); the channel's folded bias fb[oc] (fold_bias_mve: bias + input offset
 * times the filter sum) is added to the four sums, which are requantized as one
 * vector with the channel's multiplier and shift and stored by one VSTRB
 * scatter. */
static void conv_4px_mve(const int8_t* x0, const int8_t* x1, const int8_t* x2, const int8_t* x3,
                         const int8_t* filter, int32_t len, int32_t n, const int32_t* fb,
                         const int32_t* qm, const int32_t* qs, int32_t oo, int32_t lo, int32_t hi,
                         uint32x4_t scatter, int8_t* out0) {
  const int32_t full = len >> 4, rem = len & 15;
  const int8_t* f = filter;
  int32_t oc;
  for (oc = 0; oc < n; ++oc) {
    /* running pointers, post-incremented by the loads (GCC otherwise adds an
     * index to each of the five bases before every load) */
    const int8_t *p0 = x0, *p1 = x1, *p2 = x2, *p3 = x3;
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, k;
    int32x4_t acc;
    for (k = full; k > 0; --k, f += 16, p0 += 16, p1 += 16, p2 += 16, p3 += 16) {
      const int8x16_t w = vld1q_s8(f);
      TFK_OPAQUE(p0); /* keeps GCC from folding the five pointers into one index */
      TFK_OPAQUE(p1);
      TFK_OPAQUE(p2);
      TFK_OPAQUE(p3);
      a0 = vmladavaq_s8(a0, vld1q_s8(p0), w);
      a1 = vmladavaq_s8(a1, vld1q_s8(p1), w);
      a2 = vmladavaq_s8(a2, vld1q_s8(p2), w);
      a3 = vmladavaq_s8(a3, vld1q_s8(p3), w);
    }
    if (rem > 0) { /* predicated tail (kept apart: each predicated load costs a VPST) */
      const mve_pred16_t pr = vctp8q((uint32_t)rem);
      const int8x16_t w = vldrbq_z_s8(f, pr);
      a0 = vmladavaq_s8(a0, vldrbq_z_s8(p0, pr), w);
      a1 = vmladavaq_s8(a1, vldrbq_z_s8(p1, pr), w);
      a2 = vmladavaq_s8(a2, vldrbq_z_s8(p2, pr), w);
      a3 = vmladavaq_s8(a3, vldrbq_z_s8(p3, pr), w);
      f += rem;
    }
    acc = vsetq_lane_s32(a3, vsetq_lane_s32(a2, vsetq_lane_s32(a1, vdupq_n_s32(a0), 1), 2), 3);
    acc = vaddq_n_s32(acc, fb[oc]); /* modulo 2^32 like the other paths */
    vstrbq_scatter_offset_s32(out0 + oc, scatter,
                              tfk_rq4s_mve(acc, qm[oc], qs[oc], oo, lo, hi));
  }
}
#endif

/* ------------------------------------------------------------------ 1x1 */

/* Input pixel read by output pixel p (0 <= p < N*OH*OW). */
static const int8_t* pixel_1x1(const tfk_conv_params* params, const tfk_dims4* in,
                               const tfk_dims4* out, const int8_t* input, int32_t p) {
  int32_t b, y, x;
  if (params->stride_h == 1 && params->stride_w == 1) {
    return input + (size_t)p * in->c; /* output pixel p reads input pixel p */
  }
  x = p % out->w;
  y = (p / out->w) % out->h;
  b = p / (out->w * out->h);
  return input + (((size_t)b * in->h + (size_t)y * params->stride_h) * in->w +
                  (size_t)x * params->stride_w) * in->c;
}

#if TFK_USE_DSP && !TFK_USE_MVE
/* Input channels up to which tfk_conv2d_1x1_s8 widens each pixel pair once into
 * a stack buffer (2 * 256 * 2 bytes = 1 KiB, less than tfk_conv2d_fast_s8's
 * patch).  Deeper layers keep the on-the-fly SXTAB16 loop. */
#define TFK_WIDE_DEPTH_MAX 256

/* Widens the first n4 * 4 input bytes of two pixels to int16 with the input
 * offset added (x + off is in [-255, 255]): for every input word k, the four
 * words (x0, x2), (x1, x3) of pixel 0 and the same of pixel 1, in the order
 * dot2x2_wide reads them.  Done once per pixel pair instead of once per output
 * channel pair: the SXTAB16s leave the inner loop. */
static void widen_2px(const int8_t* in0, const int8_t* in1, int32_t n4, uint32_t off2,
                      int32_t* xw) {
  int32_t k;
  for (k = 0; k < n4; ++k, in0 += 4, in1 += 4, xw += 4) {
    const uint32_t x = tfk_load_s8x4(in0), y = tfk_load_s8x4(in1);
    xw[0] = tfk_sxtab16(off2, x);
    xw[1] = tfk_sxtab16_ror8(off2, x);
    xw[2] = tfk_sxtab16(off2, y);
    xw[3] = tfk_sxtab16_ror8(off2, y);
  }
}

/* Two pixels (widened by widen_2px) x two output channels (filter rows f0 and
 * f0 + depth), depth a multiple of 4: acc[2*p + c] += sum (x_p + off) * f_c.
 * Per four input channels: two filter loads, four SXTB16, two LDRD of widened
 * input and eight SMLAD (16 MACs). */
TFK_INLINE void dot2x2_wide(const int32_t* xw, const int8_t* f0, int32_t depth,
                            int32_t acc[4]) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  const int8_t* wp = f0;
  const int8_t* const wend = f0 + depth;
#define TFK_WIDE_STEP(K)                                                        \
  do {                                                                          \
    const uint32_t w0 = tfk_load_s8x4(wp + (K)), w1 = tfk_load_s8x4(wp + (K) + depth); \
    const int32_t w0e = tfk_sxtb16(w0), w0o = tfk_sxtb16_ror8(w0);              \
    const int32_t w1e = tfk_sxtb16(w1), w1o = tfk_sxtb16_ror8(w1);              \
    const int32_t xe = xw[(K) + 0], xo = xw[(K) + 1];                           \
    const int32_t ye = xw[(K) + 2], yo = xw[(K) + 3];                           \
    a00 = tfk_smlad(xe, w0e, a00);                                              \
    a00 = tfk_smlad(xo, w0o, a00);                                              \
    a01 = tfk_smlad(xe, w1e, a01);                                              \
    a01 = tfk_smlad(xo, w1o, a01);                                              \
    a10 = tfk_smlad(ye, w0e, a10);                                              \
    a10 = tfk_smlad(yo, w0o, a10);                                              \
    a11 = tfk_smlad(ye, w1e, a11);                                              \
    a11 = tfk_smlad(yo, w1o, a11);                                              \
  } while (0)
  /* eight input channels per trip when the depth allows (the loop's own
   * pointer steps and branch paid half as often) */
  if (depth % 8 == 0) {
    for (; wp != wend; wp += 8, xw += 8) {
      TFK_WIDE_STEP(0);
      TFK_WIDE_STEP(4);
    }
  } else {
    for (; wp != wend; wp += 4, xw += 4) TFK_WIDE_STEP(0);
  }
#undef TFK_WIDE_STEP
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = a10;
  acc[3] = a11;
}
#endif

void tfk_conv2d_1x1_s8(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                       const tfk_dims4* input_dims, const int8_t* input,
                       const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                       const tfk_dims4* output_dims, int8_t* output) {
  const int32_t depth = input_dims->c;
  const int32_t out_c = output_dims->c;
  const int32_t pixels = output_dims->n * output_dims->h * output_dims->w;
  const int32_t off = params->input_offset;
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (rq8) */
  /* locals, not quant->...: int8 output stores may alias anything, so the compiler
   * would reload the struct fields after every store */
  const int32_t* const qm = quant->multiplier;
  const int32_t* const qs = quant->shift;
  int32_t p, oc;
#if TFK_USE_DSP && !TFK_USE_MVE
  int32_t xw[TFK_WIDE_DEPTH_MAX]; /* two widened pixels: 2 x depth int16 = depth words */
#endif
  (void)filter_dims;

  p = 0;
#if TFK_MVE_RQ
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
#endif
  /* Two pixels at a time: every filter word loaded feeds two pixels. */
  for (; p + 1 < pixels; p += 2) {
    const int8_t* in0 = pixel_1x1(params, input_dims, output_dims, input, p);
    const int8_t* in1 = pixel_1x1(params, input_dims, output_dims, input, p + 1);
    int8_t* out0 = output + (size_t)p * out_c;
    int8_t* out1 = out0 + out_c;
#if TFK_USE_DSP && !TFK_USE_MVE
    const int wide = depth % 4 == 0 && depth <= TFK_WIDE_DEPTH_MAX;
    if (wide) widen_2px(in0, in1, depth / 4, tfk_dup_i16(off), xw);
#endif
    for (oc = 0; oc + 1 < out_c; oc += 2) {
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t acc[4] = {0, 0, 0, 0};
#if TFK_USE_DSP && !TFK_USE_MVE
      if (wide) {
        dot2x2_wide(xw, f0, depth, acc);
      } else {
        tfk_dot2x2_s8(in0, in1, f0, f0 + depth, depth, off, acc);
      }
#else
      tfk_dot2x2_s8(in0, in1, f0, f0 + depth, depth, off, acc);
#endif
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
        const int8_t r00 = rq8(acc[0], m0, s0, oo, lo, hi, i8range), r10 = rq8(acc[2], m0, s0, oo, lo, hi, i8range);
        const int8_t r01 = rq8(acc[1], m1, s1, oo, lo, hi, i8range), r11 = rq8(acc[3], m1, s1, oo, lo, hi, i8range);
        out0[oc] = r00;
        out0[oc + 1] = r01;
        out1[oc] = r10;
        out1[oc + 1] = r11;
      }
    }
    if (oc < out_c) { /* odd channel count: the last channel for both pixels */
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t a0 = tfk_dot1_s8(in0, f0, depth, off, 0);
      int32_t a1 = tfk_dot1_s8(in1, f0, depth, off, 0);
      if (bias) {
        a0 = tfk_wrap_add(a0, bias[oc]);
        a1 = tfk_wrap_add(a1, bias[oc]);
      }
      out0[oc] = rq(a0, qm[oc], qs[oc], oo, lo, hi);
      out1[oc] = rq(a1, qm[oc], qs[oc], oo, lo, hi);
    }
  }
  if (p < pixels) { /* odd pixel count: the last pixel alone */
    const int8_t* in0 = pixel_1x1(params, input_dims, output_dims, input, p);
    int8_t* out0 = output + (size_t)p * out_c;
    for (oc = 0; oc + 1 < out_c; oc += 2) {
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t a0 = 0, a1 = 0;
      tfk_dot2_s8(in0, f0, f0 + depth, depth, off, &a0, &a1);
      if (bias) {
        a0 = tfk_wrap_add(a0, bias[oc]);
        a1 = tfk_wrap_add(a1, bias[oc + 1]);
      }
      out0[oc] = rq(a0, qm[oc], qs[oc], oo, lo, hi);
      out0[oc + 1] = rq(a1, qm[oc + 1], qs[oc + 1], oo, lo, hi);
    }
    if (oc < out_c) {
      int32_t a0 = tfk_dot1_s8(in0, filter + (size_t)oc * depth, depth, off, 0);
      if (bias) a0 = tfk_wrap_add(a0, bias[oc]);
      out0[oc] = rq(a0, qm[oc], qs[oc], oo, lo, hi);
    }
  }
}

/* ------------------------------------------------------------- general */

/* Copies the kh x kw x depth window of the output pixel whose top-left tap is
 * input (iy0, ix0) into dst, row after row like the filter of one output
 * channel.  Taps outside the input get `pad` = -input_offset (the input zero
 * point, an int8): (x + input_offset) is then 0, so they add exactly nothing,
 * like the reference's skipped taps.  Rows ky_begin..ky_end-1 are the valid ones. */
static void gather_window(int8_t* dst, const int8_t* in_b, int32_t in_w, int32_t depth,
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
#if TFK_USE_MVE
    tfk_copy_mve(dst + pre,
                 in_b + ((size_t)(iy0 + dh * ky) * in_w + (size_t)(ix0 + kx_begin)) * depth,
                 (int32_t)valid);
#else
    memcpy(dst + pre, in_b + ((size_t)(iy0 + dh * ky) * in_w + (size_t)(ix0 + kx_begin)) * depth,
           valid);
#endif
    if (pre + valid < row_len) memset(dst + pre + valid, pad, row_len - pre - valid);
  }
}

void tfk_conv2d_fast_s8(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                        const tfk_dims4* input_dims, const int8_t* input,
                        const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                        const tfk_dims4* output_dims, int8_t* output) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w, depth = input_dims->c;
  const int32_t kh = filter_dims->h, kw = filter_dims->w;
  const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
  const int32_t dh = params->dilation_h;
  const size_t filter_stride = (size_t)kh * kw * depth; /* bytes per output channel */
  const int32_t off = params->input_offset;
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (rq8) */
  /* locals, not quant->...: int8 output stores may alias anything, so the compiler
   * would reload the struct fields after every store */
  const int32_t* const qm = quant->multiplier;
  const int32_t* const qs = quant->shift;
  /* Windows up to TFK_PATCH_MAX bytes are gathered, pairs of them when both fit;
   * -off must be an int8 (it is the pad value). */
  const int gather = filter_stride <= TFK_PATCH_MAX && off >= -127 && off <= 128;
  const int pair = gather && 2 * filter_stride <= TFK_PATCH_MAX;
#if TFK_MVE_RQ
  const int quad = gather && 4 * filter_stride <= TFK_PATCH_MAX && out_c <= TFK_FOLD_MAX;
  const uint32_t step[4] = {0u, (uint32_t)out_c, 2u * (uint32_t)out_c, 3u * (uint32_t)out_c};
  const uint32x4_t scatter = vldrwq_u32(step);
  int32_t fb[TFK_FOLD_MAX];
#endif
  const int8_t pad = (int8_t)(gather ? -off : 0);
  int8_t patch[TFK_PATCH_MAX];
  int32_t b, oy, ox, oc, ky;

  for (b = 0; b < output_dims->n; ++b) {
    int32_t oy_start = 0;
#if TFK_MVE_RQ
    int32_t ox_start = 0;
    if (quad) {
      /* Helium: four consecutive output pixels at a time (rows wrap: consecutive
       * pixels are out_c bytes apart in the output either way), their windows
       * gathered side by side, one filter load per four pixels; the last
       * (out_h * out_w) % 4 pixels take the loops below. */
      const int8_t* in_b = input + (size_t)b * in_h * in_w * depth;
      const int32_t total = out_h * out_w;
      int32_t q;
      if (b == 0) fold_bias_mve(filter, (int32_t)filter_stride, out_c, bias, off, fb);
      for (q = 0; q + 3 < total; q += 4) {
        int32_t k;
        for (k = 0; k < 4; ++k) {
          const int32_t iyk = ((q + k) / out_w) * params->stride_h - params->pad_h;
          const int32_t ixk = ((q + k) % out_w) * params->stride_w - params->pad_w;
          gather_window(patch + k * filter_stride, in_b, in_w, depth, kh, kw, dh, iyk, ixk,
                        first_valid_tap(iyk, dh, kh), end_valid_tap(iyk, dh, kh, in_h), pad);
        }
        conv_4px_mve(patch, patch + filter_stride, patch + 2 * filter_stride,
                     patch + 3 * filter_stride, filter, (int32_t)filter_stride, out_c, fb, qm,
                     qs, oo, lo, hi, scatter,
                     output + ((size_t)b * total + (size_t)q) * out_c);
      }
      oy_start = q / out_w;
      ox_start = q % out_w;
    }
#endif
#if TFK_MVE_RQ
#define TFK_FIRST_OX (oy == oy_start ? ox_start : 0)
#else
#define TFK_FIRST_OX 0 /* the quad pass is Helium-only: the loop as it was */
#endif
    for (oy = oy_start; oy < out_h; ++oy) {
      const int32_t iy0 = oy * params->stride_h - params->pad_h;
      const int32_t ky_begin = first_valid_tap(iy0, dh, kh);
      const int32_t ky_end = end_valid_tap(iy0, dh, kh, in_h);
      for (ox = TFK_FIRST_OX; ox < out_w; ++ox) {
#undef TFK_FIRST_OX
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
          gather_window(patch, in_b, in_w, depth, kh, kw, dh, iy0, ix0, ky_begin, ky_end, pad);
          if (pair && ox + 1 < out_w) {
            /* Two neighbouring pixels: each filter word loaded feeds both
             * (tfk_dot2x2_s8): fewer instructions per MAC than two tfk_dot2_s8
             * calls (ResNet's 3x3 convs). */
            int8_t* const patch1 = patch + filter_stride;
            int8_t* const out1 = out + out_c;
            gather_window(patch1, in_b, in_w, depth, kh, kw, dh, iy0, ix0 + params->stride_w,
                          ky_begin, ky_end, pad);
            for (oc = 0; oc + 1 < out_c; oc += 2) {
              const int8_t* f0 = filter + (size_t)oc * filter_stride;
              int32_t acc[4] = {0, 0, 0, 0};
              tfk_dot2x2_s8(patch, patch1, f0, f0 + filter_stride, (int32_t)filter_stride, off,
                            acc);
              if (bias) {
                acc[0] = tfk_wrap_add(acc[0], bias[oc]);
                acc[1] = tfk_wrap_add(acc[1], bias[oc + 1]);
                acc[2] = tfk_wrap_add(acc[2], bias[oc]);
                acc[3] = tfk_wrap_add(acc[3], bias[oc + 1]);
              }
              {
                const int32_t m0 = qm[oc], s0 = qs[oc], m1 = qm[oc + 1], s1 = qs[oc + 1];
                const int8_t r00 = rq8(acc[0], m0, s0, oo, lo, hi, i8range);
                const int8_t r10 = rq8(acc[2], m0, s0, oo, lo, hi, i8range);
                const int8_t r01 = rq8(acc[1], m1, s1, oo, lo, hi, i8range);
                const int8_t r11 = rq8(acc[3], m1, s1, oo, lo, hi, i8range);
                out[oc] = r00;
                out[oc + 1] = r01;
                out1[oc] = r10;
                out1[oc + 1] = r11;
              }
            }
            if (oc < out_c) {
              const int8_t* f0 = filter + (size_t)oc * filter_stride;
              int32_t a0 = tfk_dot1_s8(patch, f0, (int32_t)filter_stride, off, 0);
              int32_t a1 = tfk_dot1_s8(patch1, f0, (int32_t)filter_stride, off, 0);
              if (bias) {
                a0 = tfk_wrap_add(a0, bias[oc]);
                a1 = tfk_wrap_add(a1, bias[oc]);
              }
              out[oc] = rq(a0, qm[oc], qs[oc], oo, lo, hi);
              out1[oc] = rq(a1, qm[oc], qs[oc], oo, lo, hi);
            }
            ++ox; /* the loop's ++ox steps over the second pixel */
            continue;
          }
          for (oc = 0; oc + 1 < out_c; oc += 2) {
            const int8_t* f0 = filter + (size_t)oc * filter_stride;
            int32_t a0 = 0, a1 = 0;
            tfk_dot2_s8(patch, f0, f0 + filter_stride, (int32_t)filter_stride, off, &a0, &a1);
            if (bias) {
              a0 = tfk_wrap_add(a0, bias[oc]);
              a1 = tfk_wrap_add(a1, bias[oc + 1]);
            }
            out[oc] = rq(a0, qm[oc], qs[oc], oo, lo, hi);
            out[oc + 1] = rq(a1, qm[oc + 1], qs[oc + 1], oo, lo, hi);
          }
          if (oc < out_c) {
            int32_t a0 = tfk_dot1_s8(patch, filter + (size_t)oc * filter_stride,
                                     (int32_t)filter_stride, off, 0);
            if (bias) a0 = tfk_wrap_add(a0, bias[oc]);
            out[oc] = rq(a0, qm[oc], qs[oc], oo, lo, hi);
          }
          continue;
        }
        for (oc = 0; oc + 1 < out_c; oc += 2) {
          const int8_t* f0 = filter + (size_t)oc * filter_stride + (size_t)kx_begin * depth;
          int32_t a0 = 0, a1 = 0;
          for (ky = ky_begin; ky < ky_stop; ++ky) {
            const size_t row = ((size_t)(iy0 + dh * ky) * in_w + (size_t)(ix0 + kx_begin)) * depth;
            const size_t frow = (size_t)ky * kw * depth;
            tfk_dot2_s8(in_b + row, f0 + frow, f0 + filter_stride + frow, run, off, &a0, &a1);
          }
          if (bias) {
            a0 = tfk_wrap_add(a0, bias[oc]);
            a1 = tfk_wrap_add(a1, bias[oc + 1]);
          }
          out[oc] = rq(a0, qm[oc], qs[oc], oo, lo, hi);
          out[oc + 1] = rq(a1, qm[oc + 1], qs[oc + 1], oo, lo, hi);
        }
        if (oc < out_c) {
          const int8_t* f0 = filter + (size_t)oc * filter_stride + (size_t)kx_begin * depth;
          int32_t a0 = 0;
          for (ky = ky_begin; ky < ky_stop; ++ky) {
            a0 = tfk_dot1_s8(in_b + ((size_t)(iy0 + dh * ky) * in_w + (size_t)(ix0 + kx_begin)) * depth,
                             f0 + (size_t)ky * kw * depth, run, off, a0);
          }
          if (bias) a0 = tfk_wrap_add(a0, bias[oc]);
          out[oc] = rq(a0, qm[oc], qs[oc], oo, lo, hi);
        }
      }
    }
  }
}

/* ------------------------------------------------------------ depthwise */

/* One tap of four adjacent channels: a0..a3 += (x[k] + off) * w[k], k < 4.  Uses
 * off (and off2 on the DSP path) of the enclosing function. */
#if TFK_USE_DSP
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
#else
#define TFK_DW_TAP(XP, WP)                                          \
  do {                                                              \
    const int8_t* xp_ = (XP);                                       \
    const int8_t* wp_ = (WP);                                       \
    a0 = tfk_wrap_add(a0, ((int32_t)xp_[0] + off) * wp_[0]);        \
    a1 = tfk_wrap_add(a1, ((int32_t)xp_[1] + off) * wp_[1]);        \
    a2 = tfk_wrap_add(a2, ((int32_t)xp_[2] + off) * wp_[2]);        \
    a3 = tfk_wrap_add(a3, ((int32_t)xp_[3] + off) * wp_[3]);        \
  } while (0)
#endif

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
  const int32_t* const qs = quant->shift;
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (rq8) */
#if TFK_USE_DSP
  const uint32_t off2 = tfk_dup_i16(off);
#endif
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
    out[c] = rq8(a0, qm[c], qs[c], oo, lo, hi, i8range);
    out[c + 1] = rq8(a1, qm[c + 1], qs[c + 1], oo, lo, hi, i8range);
    out[c + 2] = rq8(a2, qm[c + 2], qs[c + 2], oo, lo, hi, i8range);
    out[c + 3] = rq8(a3, qm[c + 3], qs[c + 3], oo, lo, hi, i8range);
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
  const int32_t* const qs = quant->shift;
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (rq8) */
#if TFK_USE_DSP
  const uint32_t off2 = tfk_dup_i16(off);
#endif
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
    out[c] = rq8(a0, qm[c], qs[c], oo, lo, hi, i8range);
    out[c + 1] = rq8(a1, qm[c + 1], qs[c + 1], oo, lo, hi, i8range);
    out[c + 2] = rq8(a2, qm[c + 2], qs[c + 2], oo, lo, hi, i8range);
    out[c + 3] = rq8(a3, qm[c + 3], qs[c + 3], oo, lo, hi, i8range);
  }
  return c;
}

#if TFK_MVE_RQ
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

TFK_INLINE void dw_group_store(int32x4_t acc, const int32_t* qm, const int32_t* qs, int32_t oo,
                               int32_t lo, int32_t hi, int8_t* out, mve_pred16_t pred, int full) {
  if (full) {
    vstrbq_s32(out, tfk_rq4_mve(acc, vldrwq_s32(qm), vldrwq_s32(qs), oo, lo, hi));
  } else {
    vstrbq_p_s32(out,
                 tfk_rq4_mve(acc, vldrwq_z_s32(qm, pred), vldrwq_z_s32(qs, pred), oo, lo, hi),
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
                             const int32_t* bias, const int32_t* qm, const int32_t* qs,
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
                              const int32_t* bias, const int32_t* qm, const int32_t* qs,
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
                                     vldrwq_gather_shifted_offset_s32(qs, even), oo, lo, hi);
    const int32x4_t ro = tfk_rq4_mve(ao, vldrwq_gather_shifted_offset_s32(qm + 1, even),
                                     vldrwq_gather_shifted_offset_s32(qs + 1, even), oo, lo, hi);
    vstrbq_s16(out, vmovntq_s32(vmovnbq_s32(vdupq_n_s16(0), re), ro));
  }
}

static const uint32_t dw_even_lanes[4] = {0u, 2u, 4u, 6u};

static void dw_pixel_mve(const int8_t* x, size_t x_row, size_t x_col, const int8_t* w,
                         size_t w_row, int32_t rows, int32_t cols, int32_t ch,
                         const int32_t* bias, const int32_t* qm, const int32_t* qs, int32_t off,
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
                             const int32_t* bias, const int32_t* qm, const int32_t* qs,
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
    vstrbq_s32(out + c, tfk_rq4_mve(acc, vldrwq_s32(qm + c), vldrwq_s32(qs + c), oo, lo, hi));
  }
}

/* Four channels of a full 3x3 window, dilation 1 (the interior of a MobileNet
 * layer): the nine taps written out, no tap loops or counters. */
TFK_INLINE void dw3x3_group_mve(const int8_t* x, size_t x_row, size_t s1, const int8_t* w,
                                const int32_t* bias, const int32_t* qm, const int32_t* qs,
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
                                            const int32_t* qs, int32_t off, int32_t oo,
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
#endif

#if TFK_USE_DSP && !TFK_MVE_RQ
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
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (rq8) */
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
          out[c] = rq8(acc, qm[c], qs[c], oo, lo, hi, i8range);
        }
      }
    }
  }
  return 1;
}
#endif

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
  const int32_t* const qs = quant->shift;
  /* 3x3 with dilation 1: full windows take the unrolled dw3x3_interior */
  const int is3x3 = kh == 3 && kw == 3 && dh == 1 && dw == 1;
  int32_t b, oy, ox, c, ky, kx;
#if TFK_USE_DSP
  const uint32_t off2 = tfk_dup_i16(off);
#endif
#if TFK_USE_DSP && !TFK_MVE_RQ
  if (dw_one_input_dsp(params, quant, input_dims, input, filter_dims, filter, bias, output_dims,
                       output)) {
    return;
  }
#endif

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
#if TFK_MVE_RQ
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
#endif
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
#if TFK_USE_DSP
                const uint32_t xv = tfk_load_s8x4(x), wv = tfk_load_s8x4(w);
                const int32_t xe = tfk_sxtab16(off2, xv), xo = tfk_sxtab16_ror8(off2, xv);
                const int32_t we = tfk_sxtb16(wv), wo = tfk_sxtb16_ror8(wv);
                a0 = tfk_smlabb(xe, we, a0); /* channel c:     bottom halves */
                a2 = tfk_smlatt(xe, we, a2); /* channel c + 2: top halves    */
                a1 = tfk_smlabb(xo, wo, a1);
                a3 = tfk_smlatt(xo, wo, a3);
#else
                a0 = tfk_wrap_add(a0, ((int32_t)x[0] + off) * w[0]);
                a1 = tfk_wrap_add(a1, ((int32_t)x[1] + off) * w[1]);
                a2 = tfk_wrap_add(a2, ((int32_t)x[2] + off) * w[2]);
                a3 = tfk_wrap_add(a3, ((int32_t)x[3] + off) * w[3]);
#endif
              }
            }
            if (bias) {
              a0 = tfk_wrap_add(a0, bias[c]);
              a1 = tfk_wrap_add(a1, bias[c + 1]);
              a2 = tfk_wrap_add(a2, bias[c + 2]);
              a3 = tfk_wrap_add(a3, bias[c + 3]);
            }
            out[c] = rq(a0, qm[c], qs[c], oo, lo, hi);
            out[c + 1] = rq(a1, qm[c + 1], qs[c + 1], oo, lo, hi);
            out[c + 2] = rq(a2, qm[c + 2], qs[c + 2], oo, lo, hi);
            out[c + 3] = rq(a3, qm[c + 3], qs[c + 3], oo, lo, hi);
          }
        }
        /* depth_multiplier >= 4: four adjacent output channels of one input
         * channel share each input value (MobileNet's first layer: 1 -> 8). */
        for (; dm >= 4 && c + 4 <= out_c && c / dm == (c + 3) / dm; c += 4) {
          const int32_t ic = c / dm;
          int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
          for (ky = ky_begin; ky < ky_end; ++ky) {
            const int8_t* in_row = in_b + (size_t)(iy0 + dh * ky) * in_w * in_c + ic;
            const int8_t* f_row = filter + (size_t)ky * kw * out_c + c;
            for (kx = kx_begin; kx < kx_end; ++kx) {
              const int32_t x = (int32_t)in_row[(size_t)(ix0 + dw * kx) * in_c] + off;
              const int8_t* w = f_row + (size_t)kx * out_c;
              a0 = tfk_wrap_add(a0, x * w[0]);
              a1 = tfk_wrap_add(a1, x * w[1]);
              a2 = tfk_wrap_add(a2, x * w[2]);
              a3 = tfk_wrap_add(a3, x * w[3]);
            }
          }
          if (bias) {
            a0 = tfk_wrap_add(a0, bias[c]);
            a1 = tfk_wrap_add(a1, bias[c + 1]);
            a2 = tfk_wrap_add(a2, bias[c + 2]);
            a3 = tfk_wrap_add(a3, bias[c + 3]);
          }
          out[c] = rq(a0, qm[c], qs[c], oo, lo, hi);
          out[c + 1] = rq(a1, qm[c + 1], qs[c + 1], oo, lo, hi);
          out[c + 2] = rq(a2, qm[c + 2], qs[c + 2], oo, lo, hi);
          out[c + 3] = rq(a3, qm[c + 3], qs[c + 3], oo, lo, hi);
        }
        /* Remaining channels one by one; output channel c reads input channel c / dm. */
        for (; c < out_c; ++c) {
          const int32_t ic = c / dm;
          int32_t a0 = 0;
          for (ky = ky_begin; ky < ky_end; ++ky) {
            const int8_t* in_row = in_b + (size_t)(iy0 + dh * ky) * in_w * in_c + ic;
            const int8_t* f_row = filter + (size_t)ky * kw * out_c + c;
            for (kx = kx_begin; kx < kx_end; ++kx) {
              a0 = tfk_wrap_add(a0, ((int32_t)in_row[(size_t)(ix0 + dw * kx) * in_c] + off) *
                                        f_row[(size_t)kx * out_c]);
            }
          }
          if (bias) a0 = tfk_wrap_add(a0, bias[c]);
          out[c] = rq(a0, qm[c], qs[c], oo, lo, hi);
        }
      }
    }
  }
}
