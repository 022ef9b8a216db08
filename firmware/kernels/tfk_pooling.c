/*
 * AVERAGE_POOL_2D and MAX_POOL_2D int8: TFLite
 * reference_integer_ops::AveragePool / MaxPool.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"

/* Window of one output pixel clipped to the input (TFLite filter_*_start/end). */
typedef struct {
  int32_t y0, y1, x0, x1; /* input rows [y0, y1) and columns [x0, x1) */
} pool_window;

static pool_window window_for(const tfk_pool_params* params, const tfk_dims4* input_dims,
                              int32_t oy, int32_t ox) {
  pool_window w;
  const int32_t in_y_origin = oy * params->stride_h - params->pad_h;
  const int32_t in_x_origin = ox * params->stride_w - params->pad_w;
  const int32_t fy_start = tfk_max_i32(0, -in_y_origin);
  const int32_t fy_end = tfk_min_i32(params->filter_h, input_dims->h - in_y_origin);
  const int32_t fx_start = tfk_max_i32(0, -in_x_origin);
  const int32_t fx_end = tfk_min_i32(params->filter_w, input_dims->w - in_x_origin);
  w.y0 = in_y_origin + fy_start;
  w.y1 = in_y_origin + fy_end;
  w.x0 = in_x_origin + fx_start;
  w.x1 = in_x_origin + fx_end;
  return w;
}

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

void tfk_max_pool2d_s8(const tfk_pool_params* params, const tfk_dims4* input_dims,
                       const int8_t* input, const tfk_dims4* output_dims, int8_t* output) {
  const int32_t depth = input_dims->c;
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < input_dims->n; ++b) {
    for (oy = 0; oy < output_dims->h; ++oy) {
      for (ox = 0; ox < output_dims->w; ++ox) {
        const pool_window w = window_for(params, input_dims, oy, ox);
        int8_t* out_px = output + (((size_t)b * output_dims->h + oy) * output_dims->w + ox) * depth;
        for (c = 0; c < depth; ++c) {
          int32_t max = INT8_MIN;
          for (y = w.y0; y < w.y1; ++y) {
            for (x = w.x0; x < w.x1; ++x) {
              const int32_t v =
                  input[(((size_t)b * input_dims->h + y) * input_dims->w + x) * depth + c];
              if (v > max) max = v;
            }
          }
          out_px[c] = (int8_t)tfk_clamp_i32(max, params->activation_min, params->activation_max);
        }
      }
    }
  }
}
