/*
 * The body of the RESIZE_NEAREST_NEIGHBOR kernel, shared by
 * tfk_resize_nearest and its _strided twin (tfk_resize.c), which differ only
 * in how far apart they store output pixels.  The including file defines
 * nearest_neighbor() and, before including this one:
 *   TFK_RESIZE_NEAREST_NAME          the function's name
 *   TFK_RESIZE_NEAREST_STRIDE_PARAM  the parameter before output: empty, or
 *                                    "int32_t output_pixel_stride,"
 *   TFK_RESIZE_NEAREST_OUT_STEP      bytes from one output pixel to the next
 * Included once per entry point, so each compiles exactly as if written out
 * (tfk_resize_nearest to the object code it had before the twin existed).
 */
void TFK_RESIZE_NEAREST_NAME(const tfk_dims4* input_dims, const void* input,
                             const tfk_dims4* output_dims, int align_corners,
                             int half_pixel_centers, size_t elem_size,
                             TFK_RESIZE_NEAREST_STRIDE_PARAM void* output) {
  const int32_t in_h = input_dims->h;
  const int32_t in_w = input_dims->w;
  const size_t px_bytes = (size_t)input_dims->c * elem_size;
  const unsigned char* in = (const unsigned char*)input;
  unsigned char* out = (unsigned char*)output;
  int32_t b, y, x;

  for (b = 0; b < input_dims->n; ++b) {
    for (y = 0; y < output_dims->h; ++y) {
      const int32_t iy = nearest_neighbor(y, in_h, output_dims->h, align_corners,
                                          half_pixel_centers);
      for (x = 0; x < output_dims->w; ++x) {
        const int32_t ix = nearest_neighbor(x, in_w, output_dims->w, align_corners,
                                            half_pixel_centers);
        memcpy(out, in + (((size_t)b * in_h + iy) * in_w + ix) * px_bytes, px_bytes);
        out += TFK_RESIZE_NEAREST_OUT_STEP;
      }
    }
  }
}
