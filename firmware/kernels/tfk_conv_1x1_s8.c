/*
 * CONV_2D with a 1x1 filter, no padding and one group (any stride): an int8
 * matrix multiply.  Portable C variant (any core; the host build).
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
 * runs it so.
 */
#include "tfk_conv_common.h"
#include "tfk_dot.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

#define TFK_1X1_DOT1 tfk_dot1_s8_portable
#define TFK_1X1_DOT2 tfk_dot2_s8_portable
#define TFK_1X1_DOT2X2 tfk_dot2x2_s8_portable
#define TFK_1X1_RQ8 tfk_rq8
#include "tfk_conv_1x1_s8_pairs.h"

void tfk_conv2d_1x1_s8(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                       const tfk_dims4* input_dims, const int8_t* input,
                       const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                       const tfk_dims4* output_dims, int8_t* output) {
  /* locals, not quant->...: int8 output stores may alias anything, so the compiler
   * would reload the struct fields after every store */
  const int32_t* const qm = quant->multiplier;
  const int8_t* const qs = quant->shift;
  (void)filter_dims;
  conv_1x1_pairs(params, qm, qs, input_dims, input, filter, bias, output_dims, output, 0);
}
