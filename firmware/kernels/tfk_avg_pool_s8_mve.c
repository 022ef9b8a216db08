/*
 * AVERAGE_POOL_2D int8 (TFLite reference_integer_ops::AveragePool), Helium
 * variant (MVE: Cortex-M55): sixteen channels summed per step.  Same bytes as
 * tfk_avg_pool2d_s8; the generator (OpEmitter.poolKernel) calls it only on
 * Helium cores.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

#if TFK_USE_MVE

#include "tfk_pool_common.h"

/* acc / count rounded half away from zero, clamped (the portable loop's steps). */
TFK_INLINE int8_t avg_out(const tfk_pool_params* params, int32_t acc, int32_t count) {
  acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
  return (int8_t)tfk_clamp_i32(acc, params->activation_min, params->activation_max);
}

/* Helium: the window sums of sixteen channels at a time in four int32x4
 * accumulators (VLDRB.S32 + VADD per four channels and tap, the last block
 * VCTP-predicated), then the divisions per channel as in the portable loop.
 * in_px points at window pixel (y0, x0), channel 0; count > 0. */
static void avg_px_mve(const tfk_pool_params* params, const int8_t* in_px, size_t row,
                       int32_t rows, int32_t cols, int32_t depth, int32_t count,
                       int8_t* out_px) {
  int32_t c, y, x, k;
  for (c = 0; c < depth; c += 16) {
    const int32_t n = depth - c;
    int32x4_t a0 = vdupq_n_s32(0), a1 = a0, a2 = a0, a3 = a0;
    int32_t sums[16];
    if (n >= 16) {
      for (y = 0; y < rows; ++y) {
        const int8_t* p = in_px + (size_t)y * row + c;
        for (x = 0; x < cols; ++x, p += depth) {
          a0 = vaddq_s32(a0, vldrbq_s32(p));
          a1 = vaddq_s32(a1, vldrbq_s32(p + 4));
          a2 = vaddq_s32(a2, vldrbq_s32(p + 8));
          a3 = vaddq_s32(a3, vldrbq_s32(p + 12));
        }
      }
    } else {
      const mve_pred16_t p0 = vctp32q((uint32_t)n);
      const mve_pred16_t p1 = vctp32q((uint32_t)(n > 4 ? n - 4 : 0));
      const mve_pred16_t p2 = vctp32q((uint32_t)(n > 8 ? n - 8 : 0));
      const mve_pred16_t p3 = vctp32q((uint32_t)(n > 12 ? n - 12 : 0));
      for (y = 0; y < rows; ++y) {
        const int8_t* p = in_px + (size_t)y * row + c;
        for (x = 0; x < cols; ++x, p += depth) {
          a0 = vaddq_s32(a0, vldrbq_z_s32(p, p0));
          a1 = vaddq_s32(a1, vldrbq_z_s32(p + 4, p1));
          a2 = vaddq_s32(a2, vldrbq_z_s32(p + 8, p2));
          a3 = vaddq_s32(a3, vldrbq_z_s32(p + 12, p3));
        }
      }
    }
    vstrwq_s32(sums, a0);
    vstrwq_s32(sums + 4, a1);
    vstrwq_s32(sums + 8, a2);
    vstrwq_s32(sums + 12, a3);
    for (k = 0; k < 16 && k < n; ++k) out_px[c + k] = avg_out(params, sums[k], count);
  }
}

void tfk_avg_pool2d_s8_mve(const tfk_pool_params* params, const tfk_dims4* input_dims,
                           const int8_t* input, const tfk_dims4* output_dims, int8_t* output) {
  const int32_t depth = input_dims->c;
  int32_t b, oy, ox, c;
  for (b = 0; b < input_dims->n; ++b) {
    for (oy = 0; oy < output_dims->h; ++oy) {
      for (ox = 0; ox < output_dims->w; ++ox) {
        const pool_window w = window_for(params, input_dims, oy, ox);
        int8_t* out_px = output + (((size_t)b * output_dims->h + oy) * output_dims->w + ox) * depth;
        if (w.y1 > w.y0 && w.x1 > w.x0) {
          avg_px_mve(params,
                     input + (((size_t)b * input_dims->h + w.y0) * input_dims->w + w.x0) * depth,
                     (size_t)input_dims->w * depth, w.y1 - w.y0, w.x1 - w.x0, depth,
                     (w.y1 - w.y0) * (w.x1 - w.x0), out_px);
          continue;
        }
        /* an empty window (TFLM reports an error): the clamp floor, as tfk_avg_pool2d_s8 gives */
        for (c = 0; c < depth; ++c) out_px[c] = (int8_t)params->activation_min;
      }
    }
  }
}

#endif /* TFK_USE_MVE */
