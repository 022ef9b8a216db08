/*
 * DEPTHWISE_CONV_2D int8 on a one-channel input, 3x3 filter, dilation 1
 * (MobileNet's first layer: 96x96x1 into 8 channels, depth multiplier 8), on
 * the DSP extension (Cortex-M4/M7/M33).  Every output channel of a pixel reads
 * the same nine input values: they are read once per pixel as five int16 pairs
 * (the ninth tap paired with 0), and each channel is five SMLADs on its own
 * weight pairs.
 *
 * The generator packs the constants at compile time, eight words per channel
 * (see tfk_kernels.h): the folded bias (bias + input_offset * sum of the
 * channel's weights), the five weight pairs, the multiplier and the right shift
 * minus one of tfk_requantize_rshift (it takes this kernel only when every
 * channel's shift is negative).  With the input offset in the bias the taps
 * multiply the raw input, and a tap outside the input reads the zero point
 * (-input_offset), which adds exactly what the folded bias counted for it: 0,
 * like the reference's skipped tap.  So borders need no other code.
 */
#include "tfk_dsp.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

#if TFK_USE_DSP

/* Two int16 values in one word, lo in the bottom half (SMLAD's operand). */
TFK_INLINE uint32_t dw1_pair(int32_t lo, int32_t hi) {
  return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
}

/* One channel's sum: its folded bias plus five SMLADs of the tap pairs with its
 * weight pairs q[1..5]. */
TFK_INLINE int32_t dw1_sum(uint32_t x0, uint32_t x1, uint32_t x2, uint32_t x3, uint32_t x4,
                           const int32_t* q) {
  int32_t acc = tfk_smlad((int32_t)x0, q[1], q[0]);
  acc = tfk_smlad((int32_t)x1, q[2], acc);
  acc = tfk_smlad((int32_t)x2, q[3], acc);
  acc = tfk_smlad((int32_t)x3, q[4], acc);
  return tfk_smlad((int32_t)x4, q[5], acc);
}

/* The channels of one pixel whose taps are the pairs x0..x4.  With lo == -128
 * (RELU, RELU6 and no activation with the usual zero points) SSAT does the lower
 * clamp and one register less is live, which keeps the loop free of spills. */
TFK_INLINE void dw1_channels(uint32_t x0, uint32_t x1, uint32_t x2, uint32_t x3, uint32_t x4,
                             const int32_t* q, int32_t out_c, int32_t oo, int32_t lo, int32_t hi,
                             int8_t* out) {
  int8_t* const end = out + out_c;
  if (lo == -128) {
    for (; out < end; ++out, q += TFK_DW1_DSP_WORDS) {
      const int32_t v = tfk_ssat8(tfk_requantize_rshift(dw1_sum(x0, x1, x2, x3, x4, q), q[6], q[7]) + oo);
      *out = (int8_t)(v > hi ? hi : v);
    }
    return;
  }
  for (; out < end; ++out, q += TFK_DW1_DSP_WORDS) {
    int32_t v = tfk_requantize_rshift(dw1_sum(x0, x1, x2, x3, x4, q), q[6], q[7]) + oo;
    v = v < lo ? lo : v;
    *out = (int8_t)(v > hi ? hi : v);
  }
}

/* `count` neighbouring output pixels whose windows lie inside the input: r
 * points at the first one's top-left tap, in_w is one input row, sw the
 * stride.  Kept out of line so that its loops get the registers. */
TFK_NOINLINE static void dw1_interior_run(const int8_t* r, int32_t in_w, int32_t sw, int32_t count,
                                          const int32_t* packed, int32_t out_c, int32_t oo,
                                          int32_t lo, int32_t hi, int8_t* out) {
  for (; count > 0; --count, r += sw, out += out_c) {
    const int8_t* r1 = r + in_w;
    const int8_t* r2 = r1 + in_w;
    dw1_channels(dw1_pair(r[0], r[1]), dw1_pair(r[2], r1[0]), dw1_pair(r1[1], r1[2]),
                 dw1_pair(r2[0], r2[1]), dw1_pair(r2[2], 0), packed, out_c, oo, lo, hi, out);
  }
}

/* One output pixel whose window (origin iy0, ix0) reaches past the input: the
 * taps outside read the zero point. */
static void dw1_border_pixel(const int8_t* in_b, int32_t in_h, int32_t in_w, int32_t iy0, int32_t ix0,
                             int32_t zp, const int32_t* packed, int32_t out_c, int32_t oo,
                             int32_t lo, int32_t hi, int8_t* out) {
  int32_t x[9];
  int32_t ky, kx;
  for (ky = 0; ky < 3; ++ky) {
    const int32_t iy = iy0 + ky;
    for (kx = 0; kx < 3; ++kx) {
      const int32_t ix = ix0 + kx;
      x[3 * ky + kx] = iy >= 0 && iy < in_h && ix >= 0 && ix < in_w ? in_b[(size_t)iy * in_w + ix] : zp;
    }
  }
  dw1_channels(dw1_pair(x[0], x[1]), dw1_pair(x[2], x[3]), dw1_pair(x[4], x[5]), dw1_pair(x[6], x[7]),
               dw1_pair(x[8], 0), packed, out_c, oo, lo, hi, out);
}

void tfk_dw_conv_one_input_s8_dsp(const tfk_dw_conv_params* params, const tfk_dims4* input_dims,
                                  const int8_t* input, const tfk_dims4* output_dims,
                                  int8_t* output, const int32_t* packed) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w;
  const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
  const int32_t sh = params->stride_h, sw = params->stride_w, pw = params->pad_w;
  const int32_t zp = -params->input_offset;
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  /* output columns [x_lo, x_hi) have their windows inside the input's columns */
  int32_t x_lo = (pw + sw - 1) / sw;
  int32_t x_hi = in_w + pw >= 3 ? (in_w + pw - 3) / sw + 1 : 0;
  int32_t b, oy, ox;
  if (x_hi > out_w) {
    x_hi = out_w;
  }
  if (x_lo > x_hi) {
    x_lo = x_hi;
  }
  for (b = 0; b < output_dims->n; ++b) {
    const int8_t* in_b = input + (size_t)b * in_h * in_w;
    for (oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * sh - params->pad_h;
      int8_t* out = output + (((size_t)b * out_h + oy) * out_w) * out_c;
      if (iy0 < 0 || iy0 + 3 > in_h) {
        for (ox = 0; ox < out_w; ++ox) {
          dw1_border_pixel(in_b, in_h, in_w, iy0, ox * sw - pw, zp, packed, out_c, oo, lo, hi,
                           out + (size_t)ox * out_c);
        }
        continue;
      }
      for (ox = 0; ox < x_lo; ++ox) {
        dw1_border_pixel(in_b, in_h, in_w, iy0, ox * sw - pw, zp, packed, out_c, oo, lo, hi,
                         out + (size_t)ox * out_c);
      }
      if (x_hi > x_lo) {
        dw1_interior_run(in_b + (size_t)iy0 * in_w + (x_lo * sw - pw), in_w, sw, x_hi - x_lo, packed,
                         out_c, oo, lo, hi, out + (size_t)x_lo * out_c);
      }
      for (ox = x_hi; ox < out_w; ++ox) {
        dw1_border_pixel(in_b, in_h, in_w, iy0, ox * sw - pw, zp, packed, out_c, oo, lo, hi,
                         out + (size_t)ox * out_c);
      }
    }
  }
}

#endif /* TFK_USE_DSP */
