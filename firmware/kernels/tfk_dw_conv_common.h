/*
 * tfk_dw_conv_common.h - private to the fast depthwise kernels
 * (tfk_dw_conv_fast_s8*.c): the general per-channel path every variant ends
 * with.  The DSP paths that the DSP and Helium variants share are in
 * tfk_dw_conv_dsp.h.
 *
 * The functions are static, so each including file keeps its own copy and GCC
 * inlines or calls it exactly as when it was written out in that file.
 */
#ifndef TFK_DW_CONV_COMMON_H
#define TFK_DW_CONV_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "tfk_conv_common.h"
#include "tfk_dsp.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

/* The general path for channels c.. of one output pixel, for what the unrolled
 * paths do not take (every variant ends with it): four output channels of one
 * input channel at a time while depth_multiplier >= 4, then one channel at a
 * time.  The window's valid taps are rows [ky_begin, ky_end) and columns
 * [kx_begin, kx_end) from (iy0, ix0); in_b is the batch's input, out the
 * pixel's output.  Inline: its arguments are the caller's registers. */
TFK_INLINE void dw_channels_general(
    int32_t c, int32_t dm, const int8_t* in_b, int32_t in_w, int32_t in_c, int32_t iy0,
    int32_t ix0, int32_t dh, int32_t dw, int32_t ky_begin, int32_t ky_end, int32_t kx_begin,
    int32_t kx_end, int32_t kw, const int8_t* filter, const int32_t* bias, int32_t out_c,
    int32_t off, int32_t oo, int32_t lo, int32_t hi, const int32_t* qm, const int8_t* qs,
    int8_t* out) {
  int32_t ky, kx;
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
    out[c] = tfk_rq(a0, qm[c], qs[c], oo, lo, hi);
    out[c + 1] = tfk_rq(a1, qm[c + 1], qs[c + 1], oo, lo, hi);
    out[c + 2] = tfk_rq(a2, qm[c + 2], qs[c + 2], oo, lo, hi);
    out[c + 3] = tfk_rq(a3, qm[c + 3], qs[c + 3], oo, lo, hi);
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
    out[c] = tfk_rq(a0, qm[c], qs[c], oo, lo, hi);
  }
}

#endif /* TFK_DW_CONV_COMMON_H */
