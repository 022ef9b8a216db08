/*
 * CONV_2D with a 1x1 filter, no padding and one group (any stride): an int8
 * matrix multiply.  Helium variant (MVE: Cortex-M55; it uses the DSP extension
 * too).
 *
 * Same bytes as the reference kernel (tfk_conv.c) for every layer the
 * generator gives it (see tfk_kernels.h for the preconditions); the generator
 * (OpEmitter) chooses this variant from the board's core, nothing here does.
 *
 * In place: the memory planner may give a pointwise layer (stride 1, at most
 * 64 output channels) one buffer for input and output, the output starting
 * below the input (TensorGraph.Pointwise).  That is safe while this kernel
 * walks the pixels forward once, in blocks of at most four, storing a block's
 * outputs only after the block's input pixels are read or while they still
 * are, never reading a pixel of an earlier block again, and while `input` and
 * `output` are not declared restrict.  firmware/tests test_conv_1x1_in_place
 * runs it so.  Over 256 output channels it would walk the pixels once per
 * block of channels.
 */
#include "tfk_conv_common.h"
#include "tfk_dot.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

#if TFK_MVE_RQ && TFK_USE_DSP

#define TFK_1X1_DOT1 tfk_dot1_s8_mve
#define TFK_1X1_DOT2 tfk_dot2_s8_mve
#define TFK_1X1_DOT2X2 tfk_dot2x2_s8_mve
#define TFK_1X1_RQ8 tfk_rq8_dsp
#include "tfk_conv_1x1_s8_pairs.h"

void tfk_conv2d_1x1_s8_mve(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                       const tfk_dims4* input_dims, const int8_t* input,
                       const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                       const tfk_dims4* output_dims, int8_t* output) {
  const int32_t depth = input_dims->c;
  const int32_t out_c = output_dims->c;
  const int32_t pixels = output_dims->n * output_dims->h * output_dims->w;
  const int32_t off = params->input_offset;
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  /* locals, not quant->...: int8 output stores may alias anything, so the compiler
   * would reload the struct fields after every store */
  const int32_t* const qm = quant->multiplier;
  const int8_t* const qs = quant->shift;
  int32_t p;
  (void)filter_dims;

  p = 0;
  /* Helium: four pixels at a time (conv_4px_mve); leftover pixels take the
   * two-pixel loop below. */
  if (pixels >= 4) {
    const uint32_t step[4] = {0u, (uint32_t)out_c, 2u * (uint32_t)out_c, 3u * (uint32_t)out_c};
    const uint32x4_t scatter = vldrwq_u32(step);
    int32_t fb[TFK_FOLD_MAX];
    int32_t cb;
    /* blocks of up to TFK_FOLD_MAX output channels, each block's folded bias
     * computed once for all its pixels */
    for (cb = 0; cb < out_c; cb += TFK_FOLD_MAX) {
      const int32_t n = out_c - cb < TFK_FOLD_MAX ? out_c - cb : TFK_FOLD_MAX;
      const int8_t* const fblk = filter + (size_t)cb * depth;
      int32_t q;
      fold_bias_mve(fblk, depth, n, bias ? bias + cb : NULL, off, fb);
      for (q = 0; q + 3 < pixels; q += 4) {
        const int8_t* x0 = pixel_1x1(params, input_dims, output_dims, input, q);
        const int8_t* x1 = pixel_1x1(params, input_dims, output_dims, input, q + 1);
        const int8_t* x2 = pixel_1x1(params, input_dims, output_dims, input, q + 2);
        const int8_t* x3 = pixel_1x1(params, input_dims, output_dims, input, q + 3);
        conv_4px_mve(x0, x1, x2, x3, fblk, depth, n, fb, qm + cb, qs + cb, oo, lo, hi, scatter,
                     output + (size_t)q * out_c + cb);
      }
    }
    p = pixels & ~3;
  }
  conv_1x1_pairs(params, qm, qs, input_dims, input, filter, bias, output_dims, output, p);
}

#endif /* TFK_MVE_RQ && TFK_USE_DSP */
