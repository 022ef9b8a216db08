/*
 * AVERAGE_POOL_2D and MAX_POOL_2D int8: TFLite
 * reference_integer_ops::AveragePool / MaxPool.  Portable C (any core); on
 * Helium cores the generator calls tfk_avg_pool2d_s8_mve instead
 * (tfk_avg_pool_s8_mve.c).
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_pool_common.h"

void tfk_avg_pool2d_s8(const tfk_pool_params* params, const tfk_dims4* input_dims,
                       const int8_t* input, const tfk_dims4* output_dims, int8_t* output) {
  const int32_t depth = input_dims->c;
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < input_dims->n; ++b) {
    for (oy = 0; oy < output_dims->h; ++oy) {
      for (ox = 0; ox < output_dims->w; ++ox) {
        const pool_window w = window_for(params, input_dims, oy, ox);
        int8_t* out_px = output + (((size_t)b * output_dims->h + oy) * output_dims->w + ox) * depth;
        for (c = 0; c < depth; ++c) {
          int32_t acc = 0;
          int32_t count = 0;
          for (y = w.y0; y < w.y1; ++y) {
            for (x = w.x0; x < w.x1; ++x) {
              acc += input[(((size_t)b * input_dims->h + y) * input_dims->w + x) * depth + c];
              ++count;
            }
          }
          if (count == 0) {
            /* TFLM reports an error for an empty window; emit the clamp floor. */
            out_px[c] = (int8_t)params->activation_min;
            continue;
          }
          /* Round half away from zero, as TFLite does. */
          acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          out_px[c] = (int8_t)tfk_clamp_i32(acc, params->activation_min, params->activation_max);
        }
      }
    }
  }
}

#define TFK_MAX_POOL_NAME tfk_max_pool2d_s8
#define TFK_MAX_POOL_STRIDE_PARAM
#define TFK_MAX_POOL_OUT_STRIDE depth
#include "tfk_max_pool_s8_body.h"
#undef TFK_MAX_POOL_NAME
#undef TFK_MAX_POOL_STRIDE_PARAM
#undef TFK_MAX_POOL_OUT_STRIDE

/* The output a channel slice of a wider tensor (a concatenation's output). */
#define TFK_MAX_POOL_NAME tfk_max_pool2d_s8_strided
#define TFK_MAX_POOL_STRIDE_PARAM int32_t output_pixel_stride,
#define TFK_MAX_POOL_OUT_STRIDE output_pixel_stride
#include "tfk_max_pool_s8_body.h"
