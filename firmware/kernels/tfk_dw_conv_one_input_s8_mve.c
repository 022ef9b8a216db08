/*
 * DEPTHWISE_CONV_2D int8 on a one-channel input, 3x3 filter, dilation 1, depth
 * multiplier a multiple of 8 (MobileNet's first layer: 96x96x1 into 8 channels),
 * on Helium (Cortex-M55).  Every output channel of a pixel reads the same nine
 * input values, so each tap is a vector-by-scalar multiply-accumulate (VMLA) of
 * four channels' weights with the tap's input value, for two output pixels at a
 * time (the weight vectors are loaded once for both).
 *
 * The generator packs the constants at compile time, per block of eight output
 * channels (see tfk_kernels.h): the nine taps' weights with the block's even
 * channels first, then its odd ones, so that the two int32x4 sums come out in
 * the lanes VQMOVNB / VQMOVNT interleave back into channel order; and the same 32
 * requantization words per block as tfk_dw_conv_3x3_s8_mve, the folded bias
 * (bias + input_offset * sum of the channel's weights) included: the taps
 * multiply the raw input, and a tap outside the input reads the zero point
 * (-input_offset), which adds exactly what the folded bias counted for it, so
 * it contributes 0 like the reference's skipped tap.
 *
 * Without Helium the same packed constants run through plain C (host tests).
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

/* The nine tap values of output pixel (iy0, ix0) (window origin), the zero
 * point for taps outside the input. */
static void dw1_window(const int8_t* in_b, int32_t in_h, int32_t in_w, int32_t iy0, int32_t ix0,
                       int32_t zp, int32_t x[9]) {
  int32_t ky, kx;
  if (iy0 >= 0 && iy0 + 3 <= in_h && ix0 >= 0 && ix0 + 3 <= in_w) {
    const int8_t* r = in_b + (size_t)iy0 * in_w + ix0;
    for (ky = 0; ky < 3; ++ky, r += in_w) {
      x[3 * ky] = r[0];
      x[3 * ky + 1] = r[1];
      x[3 * ky + 2] = r[2];
    }
    return;
  }
  for (ky = 0; ky < 3; ++ky) {
    const int32_t iy = iy0 + ky;
    for (kx = 0; kx < 3; ++kx) {
      const int32_t ix = ix0 + kx;
      x[3 * ky + kx] = iy >= 0 && iy < in_h && ix >= 0 && ix < in_w ? in_b[(size_t)iy * in_w + ix] : zp;
    }
  }
}

#if TFK_MVE_RQ
/* tfk_requantize of four lanes with the left and right shifts given apart (as in
 * tfk_dw_conv_3x3_s8_mve.c). */
TFK_INLINE int32x4_t dw1_mbqm(int32x4_t acc, int32x4_t mult, int32x4_t left, int32x4_t right) {
  int32x4_t x = vqrdmulhq_s32(vshlq_s32(acc, left), mult);
  x = vqaddq_s32(x, vshrq_n_s32(vandq_s32(x, right), 31));
  return vrshlq_s32(x, right);
}

TFK_INLINE void dw1_store(int32x4_t ae, int32x4_t ao, const tfk_dw8_requant* rq, int16x8_t lo,
                          int16x8_t hi, int16_t oo, int8_t* out) {
  const int32x4_t re =
      dw1_mbqm(ae, vldrwq_s32(rq->multiplier), vldrbq_s32(rq->left_shift), vldrbq_s32(rq->right_shift));
  const int32x4_t ro = dw1_mbqm(ao, vldrwq_s32(rq->multiplier + 4), vldrbq_s32(rq->left_shift + 4),
                                vldrbq_s32(rq->right_shift + 4));
  const int16x8_t v = vqmovntq_s32(vqmovnbq_s32(vdupq_n_s16(0), re), ro);
  vstrbq_s16(out, vminq_s16(vmaxq_s16(vqaddq_n_s16(v, oo), lo), hi));
}

/* All output channels of two pixels with tap values xa and xb (xb == NULL: one
 * pixel), outputs at oa and ob.  Pre-RA scheduling off: GCC 12 otherwise hoists
 * the weight loads of all taps and spills them. */
__attribute__((optimize("no-schedule-insns"))) TFK_NOINLINE static void dw1_pixels(
    const int32_t* xa, const int32_t* xb, int32_t out_c, const int8_t* w, const tfk_dw8_requant* rq,
    int16x8_t lo, int16x8_t hi, int16_t oo, int8_t* oa, int8_t* ob) {
  int32_t c, t;
  for (c = 0; c < out_c; c += 8, w += 72, ++rq) {
    int32x4_t ae = vldrwq_s32(rq->bias), ao = vldrwq_s32(rq->bias + 4);
    if (xb) {
      int32x4_t be = ae, bo = ao;
      for (t = 0; t < 9; ++t) {
        const int32x4_t we = vldrbq_s32(w + 8 * t), wo = vldrbq_s32(w + 8 * t + 4);
        ae = vmlaq_n_s32(ae, we, xa[t]);
        ao = vmlaq_n_s32(ao, wo, xa[t]);
        be = vmlaq_n_s32(be, we, xb[t]);
        bo = vmlaq_n_s32(bo, wo, xb[t]);
      }
      dw1_store(be, bo, rq, lo, hi, oo, ob + c);
    } else {
      for (t = 0; t < 9; ++t) {
        ae = vmlaq_n_s32(ae, vldrbq_s32(w + 8 * t), xa[t]);
        ao = vmlaq_n_s32(ao, vldrbq_s32(w + 8 * t + 4), xa[t]);
      }
    }
    dw1_store(ae, ao, rq, lo, hi, oo, oa + c);
  }
}

/* `pairs` pairs of neighbouring output pixels whose windows lie inside the input:
 * r points at the first pixel's top-left tap, in_w is one input row, sw the
 * stride (the second pixel's window starts sw bytes later, the next pair's 2 * sw
 * bytes later); the taps are read straight from the input. */
__attribute__((optimize("no-schedule-insns"))) TFK_NOINLINE static void dw1_interior_pairs(
    const int8_t* r, int32_t in_w, int32_t sw, int32_t pairs, int32_t out_c, const int8_t* weights,
    const tfk_dw8_requant* rqs, int16x8_t lo, int16x8_t hi, int16_t oo, int8_t* out) {
  const size_t row = (size_t)in_w;
  for (; pairs > 0; --pairs, r += 2 * sw, out += 2 * out_c) {
    const int8_t* w = weights;
    const tfk_dw8_requant* rq = rqs;
    int32_t c;
    for (c = 0; c < out_c; c += 8, w += 72, ++rq) {
      int32x4_t ae = vldrwq_s32(rq->bias), ao = vldrwq_s32(rq->bias + 4);
      int32x4_t be = ae, bo = ao;
      const int8_t* x = r;
      TFK_OPAQUE(w); /* immediate offsets from w, not nine hoisted pointers */
      /* the nine taps written out (GCC 12 keeps the two loops otherwise) */
#define TFK_DW1_TAP(T, XP)                                                 \
  do {                                                                     \
    const int32x4_t we_ = vldrbq_s32(w + 8 * (T)), wo_ = vldrbq_s32(w + 8 * (T) + 4); \
    const int32_t xa_ = (XP)[0], xb_ = (XP)[sw];                           \
    ae = vmlaq_n_s32(ae, we_, xa_);                                        \
    ao = vmlaq_n_s32(ao, wo_, xa_);                                        \
    be = vmlaq_n_s32(be, we_, xb_);                                        \
    bo = vmlaq_n_s32(bo, wo_, xb_);                                        \
  } while (0)
      TFK_DW1_TAP(0, x);
      TFK_DW1_TAP(1, x + 1);
      TFK_DW1_TAP(2, x + 2);
      x += row;
      TFK_DW1_TAP(3, x);
      TFK_DW1_TAP(4, x + 1);
      TFK_DW1_TAP(5, x + 2);
      x += row;
      TFK_DW1_TAP(6, x);
      TFK_DW1_TAP(7, x + 1);
      TFK_DW1_TAP(8, x + 2);
#undef TFK_DW1_TAP
      dw1_store(ae, ao, rq, lo, hi, oo, out + c);
      dw1_store(be, bo, rq, lo, hi, oo, out + out_c + c);
    }
  }
}
#else
static void dw1_pixels(const int32_t* xa, const int32_t* xb, int32_t out_c, const int8_t* w,
                       const tfk_dw8_requant* rq, int32_t lo, int32_t hi, int32_t oo, int8_t* oa,
                       int8_t* ob) {
  int32_t c, t, p;
  for (p = 0; p < (xb ? 2 : 1); ++p) {
    const int32_t* x = p ? xb : xa;
    int8_t* out = p ? ob : oa;
    for (c = 0; c < out_c; ++c) {
      /* channel c: lane c % 8 of block c / 8, even channels first in the weights */
      const int32_t lane = c % 8, slot = (lane % 2) * 4 + lane / 2;
      const int8_t* wc = w + (size_t)(c / 8) * 72 + slot;
      const tfk_dw8_requant* r = rq + c / 8;
      int32_t acc = r->bias[slot];
      for (t = 0; t < 9; ++t) acc = tfk_wrap_add(acc, x[t] * wc[8 * t]);
      acc = tfk_requantize(acc, r->multiplier[slot], r->left_shift[slot] + r->right_shift[slot]) + oo;
      out[c] = (int8_t)tfk_clamp_i32(acc, lo, hi);
    }
  }
}
#endif

void tfk_dw_conv_one_input_s8_mve(const tfk_dw_conv_params* params, const tfk_dims4* input_dims,
                                  const int8_t* input, const tfk_dims4* output_dims,
                                  int8_t* output, const int8_t* weights, const tfk_dw8_requant* rq) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w;
  const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
  const int32_t sh = params->stride_h, sw = params->stride_w;
  const int32_t zp = -params->input_offset;
  int32_t xa[9], xb[9];
  int32_t b, oy, ox;
#if TFK_MVE_RQ
  const int16x8_t lo = vdupq_n_s16((int16_t)params->activation_min);
  const int16x8_t hi = vdupq_n_s16((int16_t)params->activation_max);
  const int16_t oo = (int16_t)params->output_offset;
#else
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int32_t oo = params->output_offset;
#endif
  for (b = 0; b < output_dims->n; ++b) {
    const int8_t* in_b = input + (size_t)b * in_h * in_w;
    for (oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * sh - params->pad_h;
      int8_t* out_row = output + ((size_t)b * out_h + oy) * out_w * out_c;
      ox = 0;
#if TFK_MVE_RQ
      if (iy0 >= 0 && iy0 + 3 <= in_h) {
        /* the pixels before the first whole window, one at a time, then the
         * pairs of whole windows straight from the input */
        const int32_t first = (params->pad_w + sw - 1) / sw;
        const int32_t last = in_w - 3 + params->pad_w < 0 ? -1 : (in_w - 3 + params->pad_w) / sw;
        const int32_t end = last < out_w - 1 ? last + 1 : out_w; /* one past the last whole window */
        for (; ox < first && ox < out_w; ++ox) {
          dw1_window(in_b, in_h, in_w, iy0, ox * sw - params->pad_w, zp, xa);
          dw1_pixels(xa, NULL, out_c, weights, rq, lo, hi, oo, out_row + (size_t)ox * out_c, NULL);
        }
        if (end - ox >= 2) {
          const int32_t pairs = (end - ox) / 2;
          dw1_interior_pairs(in_b + (size_t)iy0 * in_w + (ox * sw - params->pad_w), in_w, sw, pairs,
                             out_c, weights, rq, lo, hi, oo, out_row + (size_t)ox * out_c);
          ox += 2 * pairs;
        }
      }
#endif
      for (; ox + 2 <= out_w; ox += 2) {
        dw1_window(in_b, in_h, in_w, iy0, ox * sw - params->pad_w, zp, xa);
        dw1_window(in_b, in_h, in_w, iy0, (ox + 1) * sw - params->pad_w, zp, xb);
        dw1_pixels(xa, xb, out_c, weights, rq, lo, hi, oo, out_row + (size_t)ox * out_c,
                   out_row + (size_t)(ox + 1) * out_c);
      }
      if (ox < out_w) {
        dw1_window(in_b, in_h, in_w, iy0, ox * sw - params->pad_w, zp, xa);
        dw1_pixels(xa, NULL, out_c, weights, rq, lo, hi, oo, out_row + (size_t)ox * out_c, NULL);
      }
    }
  }
}
