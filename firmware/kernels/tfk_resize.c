/*
 * RESIZE_BILINEAR (int8) and RESIZE_NEAREST_NEIGHBOR (any element size).
 * Semantics of TFLite reference_ops::ResizeBilinearInteger (the integer
 * path TFLM uses for int8, 10 fractional bits) and
 * reference_ops::ResizeNearestNeighbor (float index computation).
 */
#include <string.h>

#include "tfk_kernels.h"
#include "tfk_math.h"

/* TFLite ComputeInterpolationValuesInteger: source coordinate with 10
 * fractional bits and the two neighbouring source indices. */
static void interpolation_values(int32_t value, int32_t scale_10, int half_pixel_centers,
                                 int32_t input_size, int32_t* scaled, int32_t* lower,
                                 int32_t* upper) {
  if (half_pixel_centers) {
    *scaled = value * scale_10 + scale_10 / 2 - (1 << 9);
  } else {
    *scaled = value * scale_10;
  }
  *lower = tfk_max_i32(*scaled / (1 << 10), 0);
  *upper = tfk_min_i32((*scaled + (1 << 10) - 1) / (1 << 10), input_size - 1);
}

/* Source/destination ratio with 10 fractional bits, rounded. */
static int32_t scale_10(int32_t in_size, int32_t out_size, int align_corners) {
  if (align_corners && out_size > 1) {
    return ((1 << 10) * (in_size - 1) + (out_size - 1) / 2) / (out_size - 1);
  }
  return ((1 << 10) * in_size + out_size / 2) / out_size;
}

void tfk_resize_bilinear_s8(const tfk_dims4* input_dims, const int8_t* input,
                            const tfk_dims4* output_dims, int align_corners,
                            int half_pixel_centers, int8_t* output) {
  const int32_t in_h = input_dims->h;
  const int32_t in_w = input_dims->w;
  const int32_t depth = input_dims->c;
  const int32_t out_h = output_dims->h;
  const int32_t out_w = output_dims->w;
  const int32_t h_scale_10 = scale_10(in_h, out_h, align_corners);
  const int32_t w_scale_10 = scale_10(in_w, out_w, align_corners);
  int32_t b, y, x, c;

  for (b = 0; b < input_dims->n; ++b) {
    const int8_t* in_b = input + (size_t)b * in_h * in_w * depth;
    for (y = 0; y < out_h; ++y) {
      int32_t in_y, y0, y1;
      int64_t wy1, wy0;
      interpolation_values(y, h_scale_10, half_pixel_centers, in_h, &in_y, &y0, &y1);
      wy1 = in_y - (1 << 10) * y0; /* weight of row y1 */
      wy0 = (1 << 10) - wy1;       /* weight of row y0 */
      for (x = 0; x < out_w; ++x) {
        int32_t in_x, x0, x1;
        int64_t wx1, wx0;
        const int8_t *p00, *p10, *p01, *p11;
        int8_t* out_px = output + (((size_t)b * out_h + y) * out_w + x) * depth;
        interpolation_values(x, w_scale_10, half_pixel_centers, in_w, &in_x, &x0, &x1);
        wx1 = in_x - (1 << 10) * x0;
        wx0 = (1 << 10) - wx1;
        p00 = in_b + ((size_t)y0 * in_w + x0) * depth;
        p10 = in_b + ((size_t)y1 * in_w + x0) * depth;
        p01 = in_b + ((size_t)y0 * in_w + x1) * depth;
        p11 = in_b + ((size_t)y1 * in_w + x1) * depth;
        for (c = 0; c < depth; ++c) {
          const int64_t out_20 = (int64_t)p00[c] * wy0 * wx0 + (int64_t)p10[c] * wy1 * wx0 +
                                 (int64_t)p01[c] * wy0 * wx1 + (int64_t)p11[c] * wy1 * wx1;
#if TFK_SINGLE_ROUNDING
          const int64_t v = (out_20 + ((int64_t)1 << 19)) >> 20;
#else
          const int64_t round = out_20 > 0 ? ((int64_t)1 << 19) : -((int64_t)1 << 19);
          const int64_t v = (out_20 + round) / ((int64_t)1 << 20);
#endif
          out_px[c] = (int8_t)v;
        }
      }
    }
  }
}

/* Inlined into both entry points of tfk_resize_nearest_body.h, as it was into
 * the one entry point before the _strided twin: with two callers GCC would
 * otherwise keep it out of line and call it for every output pixel. */
#if defined(__GNUC__)
#define TFK_NEAREST_INLINE static __inline__ __attribute__((always_inline))
#else
#define TFK_NEAREST_INLINE static
#endif

/* TFLite GetNearestNeighbor: float math exactly as upstream. */
TFK_NEAREST_INLINE int32_t nearest_neighbor(int32_t value, int32_t input_size,
                                            int32_t output_size, int align_corners,
                                            int half_pixel_centers) {
  const float scale = (align_corners && output_size > 1)
                          ? (float)(input_size - 1) / (float)(output_size - 1)
                          : (float)input_size / (float)output_size;
  const float offset = half_pixel_centers ? 0.5f : 0.0f;
  const float pos = ((float)value + offset) * scale;
  /* pos >= 0 here, so truncation is floorf and roundf is truncation plus one
   * at a fraction of one half or more (x - trunc(x) is exact); no libm needed
   * (FirmwareBuild-style builds do not link -lm). */
  int32_t out = (int32_t)pos;
  if (align_corners && pos - (float)out >= 0.5f) out += 1;
  out = tfk_min_i32(out, input_size - 1);
  if (half_pixel_centers) out = tfk_max_i32(0, out);
  return out;
}

#define TFK_RESIZE_NEAREST_NAME tfk_resize_nearest
#define TFK_RESIZE_NEAREST_STRIDE_PARAM
#define TFK_RESIZE_NEAREST_OUT_STEP px_bytes
#include "tfk_resize_nearest_body.h"
#undef TFK_RESIZE_NEAREST_NAME
#undef TFK_RESIZE_NEAREST_STRIDE_PARAM
#undef TFK_RESIZE_NEAREST_OUT_STEP

/* The output a channel slice of a wider tensor (a concatenation's output). */
#define TFK_RESIZE_NEAREST_NAME tfk_resize_nearest_strided
#define TFK_RESIZE_NEAREST_STRIDE_PARAM int32_t output_pixel_stride,
#define TFK_RESIZE_NEAREST_OUT_STEP ((size_t)output_pixel_stride * elem_size)
#include "tfk_resize_nearest_body.h"
