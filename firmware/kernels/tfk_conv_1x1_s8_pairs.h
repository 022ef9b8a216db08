/*
 * The two-pixel loop and the last odd pixel of the 1x1 CONV_2D kernel, shared
 * by its portable and Helium variants (tfk_conv_1x1_s8.c, whose whole walk it
 * is, and tfk_conv_1x1_s8_mve.c, which runs four pixels at a time first), which
 * differ only in the dot products and the requantization they call.  The
 * including file defines, before including this one:
 *   TFK_1X1_DOT1    one pixel against one filter row (tfk_dot.h)
 *   TFK_1X1_DOT2    one pixel against two filter rows
 *   TFK_1X1_DOT2X2  two pixels against two filter rows
 *   TFK_1X1_RQ8     requantization with the full-range clamp (tfk_conv_common.h)
 * Forced inline into the kernel, so each variant compiles as if the loops were
 * written out in it.
 */
#ifndef TFK_CONV_1X1_S8_PAIRS_H
#define TFK_CONV_1X1_S8_PAIRS_H

#include "tfk_conv_common.h"
#include "tfk_dot.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

/* Output pixels p .. pixels - 1, two at a time, then the last one alone. */
static inline __attribute__((always_inline)) void conv_1x1_pairs(
    const tfk_conv_params* params, const int32_t* qm, const int8_t* qs,
    const tfk_dims4* input_dims, const int8_t* input, const int8_t* filter, const int32_t* bias,
    const tfk_dims4* output_dims, int8_t* output, int32_t p) {
  const int32_t depth = input_dims->c;
  const int32_t out_c = output_dims->c;
  const int32_t pixels = output_dims->n * output_dims->h * output_dims->w;
  const int32_t off = params->input_offset;
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int i8range = lo == -128 && hi == 127; /* the full int8 range: TFK_1X1_RQ8 clamps once */
  int32_t oc;
  /* Two pixels at a time: every filter word loaded feeds two pixels. */
  for (; p + 1 < pixels; p += 2) {
    const int8_t* in0 = pixel_1x1(params, input_dims, output_dims, input, p);
    const int8_t* in1 = pixel_1x1(params, input_dims, output_dims, input, p + 1);
    int8_t* out0 = output + (size_t)p * out_c;
    int8_t* out1 = out0 + out_c;
    for (oc = 0; oc + 1 < out_c; oc += 2) {
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t acc[4] = {0, 0, 0, 0};
      TFK_1X1_DOT2X2(in0, in1, f0, f0 + depth, depth, off, acc);
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
        const int8_t r00 = TFK_1X1_RQ8(acc[0], m0, s0, oo, lo, hi, i8range);
        const int8_t r10 = TFK_1X1_RQ8(acc[2], m0, s0, oo, lo, hi, i8range);
        const int8_t r01 = TFK_1X1_RQ8(acc[1], m1, s1, oo, lo, hi, i8range);
        const int8_t r11 = TFK_1X1_RQ8(acc[3], m1, s1, oo, lo, hi, i8range);
        out0[oc] = r00;
        out0[oc + 1] = r01;
        out1[oc] = r10;
        out1[oc + 1] = r11;
      }
    }
    if (oc < out_c) { /* odd channel count: the last channel for both pixels */
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t a0 = TFK_1X1_DOT1(in0, f0, depth, off, 0);
      int32_t a1 = TFK_1X1_DOT1(in1, f0, depth, off, 0);
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
      TFK_1X1_DOT2(in0, f0, f0 + depth, depth, off, &a0, &a1);
      if (bias) {
        a0 = tfk_wrap_add(a0, bias[oc]);
        a1 = tfk_wrap_add(a1, bias[oc + 1]);
      }
      out0[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
      out0[oc + 1] = tfk_rq(a1, qm[oc + 1], qs[oc + 1], oo, lo, hi);
    }
    if (oc < out_c) {
      int32_t a0 = TFK_1X1_DOT1(in0, filter + (size_t)oc * depth, depth, off, 0);
      if (bias) a0 = tfk_wrap_add(a0, bias[oc]);
      out0[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
    }
  }
}

#endif /* TFK_CONV_1X1_S8_PAIRS_H */
