/*
 * tfk_conv_common.h - private to the fast CONV_2D / DEPTHWISE_CONV_2D kernel
 * files (tfk_conv_1x1_s8*.c, tfk_conv_fast_s8*.c, tfk_dw_conv_fast_s8*.c): the
 * requantization of one output, the valid-tap bounds of a window, the input
 * pixel of a 1x1 output pixel, the window gather of the portable and DSP
 * convolutions, and the Helium block shared by the 1x1 and the gathered-window
 * convolutions.
 *
 * The helpers that are not inline are static functions with their own copy in
 * each file that uses them (as when they lived in one file): GCC then inlines
 * or calls them exactly as it did before the split.
 */
#ifndef TFK_CONV_COMMON_H
#define TFK_CONV_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tfk_dsp.h"
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_mve.h"

#if defined(__GNUC__)
#define TFK_MAYBE_UNUSED __attribute__((unused))
#else
#define TFK_MAYBE_UNUSED
#endif

/* Requantizes one int32 accumulator (same result as tfk_conv.c;
 * tfk_requantize_fast is one multiply-accumulate for the usual shift < 0). */
TFK_INLINE int8_t tfk_rq(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_offset,
                         int32_t act_min, int32_t act_max) {
  acc = tfk_requantize_fast(acc, multiplier, (int)shift);
  acc += output_offset;
  return (int8_t)tfk_clamp_i32(acc, act_min, act_max);
}

/* tfk_rq when i8range says the activation range is all of int8 (lo == -128,
 * hi == 127: no fused activation, or one the output scale already covers, as in
 * every layer of person_detect); i8range is decided once per call.  The
 * portable kernels clamp with two compares either way. */
TFK_INLINE int8_t tfk_rq8(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_offset,
                          int32_t act_min, int32_t act_max, int i8range) {
  if (i8range) {
    acc = tfk_requantize_fast(acc, multiplier, (int)shift) + output_offset;
    return (int8_t)tfk_clamp_i32(acc, -128, 127);
  }
  return tfk_rq(acc, multiplier, shift, output_offset, act_min, act_max);
}

#if TFK_USE_DSP
/* tfk_rq8 on a DSP core: the full-range clamp is one SSAT instead of two
 * compares against spilled bounds. */
TFK_INLINE int8_t tfk_rq8_dsp(int32_t acc, int32_t multiplier, int32_t shift,
                              int32_t output_offset, int32_t act_min, int32_t act_max,
                              int i8range) {
  if (i8range) {
    acc = tfk_requantize_fast(acc, multiplier, (int)shift) + output_offset;
    return (int8_t)tfk_ssat8(acc);
  }
  return tfk_rq(acc, multiplier, shift, output_offset, act_min, act_max);
}
#endif

/* First tap index k in [0, count) with origin + step * k >= 0. */
TFK_MAYBE_UNUSED
static int32_t first_valid_tap(int32_t origin, int32_t step, int32_t count) {
  int32_t k = origin >= 0 ? 0 : (-origin + step - 1) / step;
  return k < count ? k : count;
}

/* One past the last tap index k with origin + step * k < size. */
TFK_MAYBE_UNUSED
static int32_t end_valid_tap(int32_t origin, int32_t step, int32_t count, int32_t size) {
  int32_t k = size - origin <= 0 ? 0 : (size - origin + step - 1) / step;
  return k < count ? k : count;
}

/* Input pixel read by output pixel p (0 <= p < N*OH*OW). */
TFK_MAYBE_UNUSED
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

/* Copies the kh x kw x depth window of the output pixel whose top-left tap is
 * input (iy0, ix0) into dst, row after row like the filter of one output
 * channel.  Taps outside the input get `pad` = -input_offset (the input zero
 * point, an int8): (x + input_offset) is then 0, so they add exactly nothing,
 * like the reference's skipped taps.  Rows ky_begin..ky_end-1 are the valid ones. */
TFK_MAYBE_UNUSED
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
    memcpy(dst + pre, in_b + ((size_t)(iy0 + dh * ky) * in_w + (size_t)(ix0 + kx_begin)) * depth,
           valid);
    if (pre + valid < row_len) memset(dst + pre + valid, pad, row_len - pre - valid);
  }
}

/* Patch bytes of a gathered-window kernel that takes its patch from the caller
 * (tfk_conv2d_fast_s8_mve): `windows` filter windows of kh * kw * Cin bytes side
 * by side, or none when -input_offset is no int8 (it pads the windows; such
 * layers read the input rows in place). */
TFK_MAYBE_UNUSED
static size_t conv_fast_patch_bytes(int32_t input_offset, const tfk_dims4* filter_dims,
                                    int32_t windows) {
  if (input_offset < -127 || input_offset > 128) return 0;
  return (size_t)windows * (size_t)filter_dims->h * (size_t)filter_dims->w * (size_t)filter_dims->c;
}

#if TFK_MVE_RQ
/* Output channels per folded-bias block of the 1x1 Helium kernel (fold_bias_mve):
 * 1 KiB of stack. */
#define TFK_FOLD_MAX 256

/* fb[oc] = bias[oc] + off * sum(filter row oc), modulo 2^32, for oc < n: the
 * input offset's share of every dot product, computed once per channel instead
 * of once per group of four pixels.  sum (x + off) * w = sum x * w + off * sum w
 * modulo 2^32; gathered windows hold -off at padded taps, which then add
 * -off * w + off * w = 0 like the reference's skipped taps. */
TFK_MAYBE_UNUSED
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
TFK_MAYBE_UNUSED
static void conv_4px_mve(const int8_t* x0, const int8_t* x1, const int8_t* x2, const int8_t* x3,
                         const int8_t* filter, int32_t len, int32_t n, const int32_t* fb,
                         const int32_t* qm, const int8_t* qs, int32_t oo, int32_t lo, int32_t hi,
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
#endif /* TFK_MVE_RQ */

#endif /* TFK_CONV_COMMON_H */
