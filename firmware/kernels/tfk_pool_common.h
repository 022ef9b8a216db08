/*
 * tfk_pool_common.h - private to the pooling kernel files (tfk_pooling.c,
 * tfk_avg_pool_s8_mve.c): the clipped window of an output pixel.  A static
 * function, one copy per file that uses it.
 */
#ifndef TFK_POOL_COMMON_H
#define TFK_POOL_COMMON_H

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

#endif /* TFK_POOL_COMMON_H */
