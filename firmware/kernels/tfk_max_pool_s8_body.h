/*
 * The body of the int8 MAX_POOL_2D kernel, shared by tfk_max_pool2d_s8 and
 * its _strided twin (tfk_pooling.c), which differ only in how far apart they
 * store output pixels.  The including file defines, before including this one:
 *   TFK_MAX_POOL_NAME          the function's name
 *   TFK_MAX_POOL_STRIDE_PARAM  the parameter before output: empty, or
 *                              "int32_t output_pixel_stride,"
 *   TFK_MAX_POOL_OUT_STRIDE    elements from one output pixel to the next
 * Included once per entry point, so each compiles exactly as if written out
 * (tfk_max_pool2d_s8 to the object code it had before the twin existed).
 */
void TFK_MAX_POOL_NAME(const tfk_pool_params* params, const tfk_dims4* input_dims,
                       const int8_t* input, const tfk_dims4* output_dims,
                       TFK_MAX_POOL_STRIDE_PARAM int8_t* output) {
  const int32_t depth = input_dims->c;
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < input_dims->n; ++b) {
    for (oy = 0; oy < output_dims->h; ++oy) {
      for (ox = 0; ox < output_dims->w; ++ox) {
        const pool_window w = window_for(params, input_dims, oy, ox);
        int8_t* out_px = output + (((size_t)b * output_dims->h + oy) * output_dims->w + ox) *
                                      TFK_MAX_POOL_OUT_STRIDE;
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
