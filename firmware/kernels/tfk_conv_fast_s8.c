/*
 * CONV_2D with one group and dilation_w 1 (other than 1x1): the valid taps of
 * each filter row are one contiguous run in input and filter, and small windows
 * are gathered into one contiguous patch.  Portable C variant (any core; the
 * host build).
 *
 * Same bytes as the reference kernel (tfk_conv.c) for every layer the
 * generator gives it (see tfk_kernels.h for the preconditions); the generator
 * (OpEmitter) chooses this variant from the board's core, nothing here does.
 */
#include "tfk_conv_common.h"
#include "tfk_dot.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

#define TFK_CONV_FAST_NAME tfk_conv2d_fast_s8
#define TFK_CONV_FAST_DOT1 tfk_dot1_s8_portable
#define TFK_CONV_FAST_DOT2 tfk_dot2_s8_portable
#define TFK_CONV_FAST_DOT2X2 tfk_dot2x2_s8_portable
#define TFK_CONV_FAST_RQ8 tfk_rq8
#include "tfk_conv_fast_s8_body.h"
