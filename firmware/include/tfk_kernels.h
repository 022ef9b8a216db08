/*
 * tfk_kernels.h - tinyforge portable C kernels (the contract of the code
 * generator).
 *
 * Every function computes one TFLite operator on already-prepared parameters:
 * the compiler performs TFLM's Prepare() (multipliers, shifts, offsets,
 * padding, activation clamps) and passes the results in the structs of
 * tfk_types.h.  The kernels keep no state, never allocate, and take any
 * scratch memory from the caller.  They are bit-exact with TensorFlow Lite
 * Micro's reference kernels (the semantics followed are named on each
 * function); the default rounding is TFLite's double rounding, define
 * TFK_SINGLE_ROUNDING=1 for the single-rounding variant (see tfk_math.h).
 *
 * Conventions: all tensors are dense row-major arrays; 4-D activations are
 * NHWC.  Sizes are element counts unless a name says bytes.  Inputs and
 * outputs must not overlap unless stated.  Parameters are not validated: the
 * compiler guarantees shapes and ranges that TFLM's Prepare would accept.
 */
#ifndef TFK_KERNELS_H
#define TFK_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "tfk_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Scratch.  A kernel that needs working memory beyond its tensors takes it as
 * its last two arguments, `scratch` (word-aligned) and `scratch_bytes`, and
 * says how much it needs through a function <kernel>_scratch_bytes(...) of its
 * dimensions, declared next to it (CMSIS-NN's *_get_buffer_size).  The code
 * generator computes the same sizes at compile time and places each kernel's
 * scratch in the arena.  A build with TFK_CHECK_SCRATCH_SIZES defined (the host
 * tests and the generated host build) aborts when a caller passes less. */
#ifdef TFK_CHECK_SCRATCH_SIZES
#include <stdlib.h>
#define TFK_CHECK_SCRATCH(have, need) \
  do {                                \
    if ((size_t)(have) < (size_t)(need)) abort(); \
  } while (0)
#else
#define TFK_CHECK_SCRATCH(have, need) ((void)(have))
#endif

/* ===================== Convolution and fully connected ==================== */

/* CONV_2D int8, per-channel requantization.
 * input [N, H, W, Cin], filter [Cout, KH, KW, Cin/groups], bias [Cout] or
 * NULL, output [N, OH, OW, Cout]; groups = Cin / filter_dims->c.
 * Follows reference_integer_ops::ConvPerChannel. */
void tfk_conv2d_s8(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                   const tfk_dims4* input_dims, const int8_t* input,
                   const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                   const tfk_dims4* output_dims, int8_t* output);

/* DEPTHWISE_CONV_2D int8, per-channel requantization.
 * input [N, H, W, Cin], filter [1, KH, KW, Cout] with
 * Cout = Cin * depth_multiplier, bias [Cout] or NULL, output [N, OH, OW, Cout].
 * Follows reference_integer_ops::DepthwiseConvPerChannel. */
void tfk_depthwise_conv2d_s8(const tfk_dw_conv_params* params, const tfk_per_channel_quant* quant,
                             const tfk_dims4* input_dims, const int8_t* input,
                             const tfk_dims4* filter_dims, const int8_t* filter,
                             const int32_t* bias, const tfk_dims4* output_dims, int8_t* output);

/* Fast paths of CONV_2D and DEPTHWISE_CONV_2D, chosen by the code generator
 * when the layer meets the stated preconditions.  Same arguments, same
 * results (bit for bit) as tfk_conv2d_s8 / tfk_depthwise_conv2d_s8; they
 * skip padded taps outside the inner loops and share loads between two output
 * channels (and pixels).  Each comes in three variants, one file each, and the
 * generator calls the one the board's core supports (OpEmitter's Isa):
 *   - no suffix: portable C, any core;
 *   - _dsp (_smlad for the 1x1 conv): the DSP extension (SXTAB16 / SMLAD),
 *     Cortex-M4 / M7 / M33; defined only where TFK_USE_DSP (tfk_dsp.h) is 1;
 *   - _mve: Helium, Cortex-M55; defined only where TFK_USE_MVE (tfk_mve.h) is
 *     1, with the default double rounding.
 * Calling a variant the target lacks fails to link. */

/* CONV_2D with a 1x1 filter, no padding, groups == 1 (filter_dims->c ==
 * input_dims->c), any stride: a plain int8 matrix multiply over pixels,
 * two pixels x two output channels per inner loop (four pixels with Helium). */
void tfk_conv2d_1x1_s8(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                       const tfk_dims4* input_dims, const int8_t* input,
                       const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                       const tfk_dims4* output_dims, int8_t* output);
void tfk_conv2d_1x1_s8_smlad(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                             const tfk_dims4* input_dims, const int8_t* input,
                             const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                             const tfk_dims4* output_dims, int8_t* output, void* scratch,
                             size_t scratch_bytes);
size_t tfk_conv2d_1x1_s8_smlad_scratch_bytes(const tfk_dims4* input_dims,
                                             const tfk_dims4* output_dims);
void tfk_conv2d_1x1_s8_mve(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                           const tfk_dims4* input_dims, const int8_t* input,
                           const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                           const tfk_dims4* output_dims, int8_t* output);

/* CONV_2D with groups == 1 and dilation_w == 1 (any filter size, stride,
 * padding, dilation_h): the valid taps of each filter row are one contiguous
 * dot product of (valid columns x Cin) bytes; small windows are gathered into
 * one contiguous patch. */
void tfk_conv2d_fast_s8(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                        const tfk_dims4* input_dims, const int8_t* input,
                        const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                        const tfk_dims4* output_dims, int8_t* output);
void tfk_conv2d_fast_s8_dsp(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                            const tfk_dims4* input_dims, const int8_t* input,
                            const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                            const tfk_dims4* output_dims, int8_t* output);
void tfk_conv2d_fast_s8_mve(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                            const tfk_dims4* input_dims, const int8_t* input,
                            const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                            const tfk_dims4* output_dims, int8_t* output, void* scratch,
                            size_t scratch_bytes);
size_t tfk_conv2d_fast_s8_mve_scratch_bytes(const tfk_conv_params* params,
                                            const tfk_dims4* input_dims,
                                            const tfk_dims4* filter_dims,
                                            const tfk_dims4* output_dims);

/* DEPTHWISE_CONV_2D, any shape (same preconditions as tfk_depthwise_conv2d_s8);
 * with depth_multiplier == 1 four channels are computed per inner loop. */
void tfk_depthwise_conv2d_fast_s8(const tfk_dw_conv_params* params,
                                  const tfk_per_channel_quant* quant,
                                  const tfk_dims4* input_dims, const int8_t* input,
                                  const tfk_dims4* filter_dims, const int8_t* filter,
                                  const int32_t* bias, const tfk_dims4* output_dims,
                                  int8_t* output);
void tfk_depthwise_conv2d_fast_s8_dsp(const tfk_dw_conv_params* params,
                                      const tfk_per_channel_quant* quant,
                                      const tfk_dims4* input_dims, const int8_t* input,
                                      const tfk_dims4* filter_dims, const int8_t* filter,
                                      const int32_t* bias, const tfk_dims4* output_dims,
                                      int8_t* output);
void tfk_depthwise_conv2d_fast_s8_mve(const tfk_dw_conv_params* params,
                                      const tfk_per_channel_quant* quant,
                                      const tfk_dims4* input_dims, const int8_t* input,
                                      const tfk_dims4* filter_dims, const int8_t* filter,
                                      const int32_t* bias, const tfk_dims4* output_dims,
                                      int8_t* output);

/* TRANSPOSE_CONV int8, per-channel requantization.
 * input [N, H, W, Cin], filter [Cout, KH, KW, Cin], bias [Cout] or NULL,
 * output [N, OH, OW, Cout]; scratch must hold N*OH*OW*Cout int32 values.
 * Follows reference_integer_ops::TransposeConv. */
void tfk_transpose_conv_s8(const tfk_transpose_conv_params* params,
                           const tfk_per_channel_quant* quant, const tfk_dims4* input_dims,
                           const int8_t* input, const tfk_dims4* filter_dims, const int8_t* filter,
                           const int32_t* bias, const tfk_dims4* output_dims, int8_t* output,
                           int32_t* scratch);

/* FULLY_CONNECTED int8, per-tensor requantization (params->output_multiplier
 * and output_shift).  input [batches, accum_depth], filter
 * [output_depth, accum_depth], bias [output_depth] or NULL, output
 * [batches, output_depth].  Follows reference_integer_ops::FullyConnected. */
void tfk_fully_connected_s8(const tfk_fc_params* params, const tfk_fc_dims* dims,
                            const int8_t* input, const int8_t* filter, const int32_t* bias,
                            int8_t* output);

/* FULLY_CONNECTED int8 with one multiplier/shift per output channel (the
 * params->output_multiplier/shift fields are ignored).  Shapes as above.
 * Follows reference_integer_ops::FullyConnectedPerChannel. */
void tfk_fully_connected_per_channel_s8(const tfk_fc_params* params,
                                        const tfk_per_channel_quant* quant,
                                        const tfk_fc_dims* dims, const int8_t* input,
                                        const int8_t* filter, const int32_t* bias,
                                        int8_t* output);

/* ========================== 16x8 (int16 activations) ====================== */
/* int16 activations with zero point 0, int8 weights, int64 bias and
 * accumulator; shapes and params as the int8 kernels above (offsets unused).
 * Follow TFLM's int16 reference kernels. */

/* CONV_2D 16x8: reference_integer_ops::ConvPerChannel<int64_t>. */
void tfk_conv2d_s16(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                    const tfk_dims4* input_dims, const int16_t* input,
                    const tfk_dims4* filter_dims, const int8_t* filter, const int64_t* bias,
                    const tfk_dims4* output_dims, int16_t* output);

/* DEPTHWISE_CONV_2D 16x8: reference_integer_ops::DepthwiseConvPerChannel. */
void tfk_depthwise_conv2d_s16(const tfk_dw_conv_params* params, const tfk_per_channel_quant* quant,
                              const tfk_dims4* input_dims, const int16_t* input,
                              const tfk_dims4* filter_dims, const int8_t* filter,
                              const int64_t* bias, const tfk_dims4* output_dims, int16_t* output);

/* FULLY_CONNECTED 16x8: reference_integer_ops::FullyConnected<int16_t, int8_t,
 * int16_t, int64_t>; quant gives one multiplier/shift per output channel, or
 * is NULL for the per-tensor params->output_multiplier/shift. */
void tfk_fully_connected_s16(const tfk_fc_params* params, const tfk_per_channel_quant* quant,
                             const tfk_fc_dims* dims, const int16_t* input, const int8_t* filter,
                             const int64_t* bias, int16_t* output);

/* ADD / SUB int16 (left_shift 15), broadcasting as the int8 ones:
 * AddElementwise / SubElementwise on int16. */
void tfk_add_s16(const tfk_add_params* params, const tfk_shape* in1_shape, const int16_t* in1,
                 const tfk_shape* in2_shape, const int16_t* in2, const tfk_shape* out_shape,
                 int16_t* out);
void tfk_sub_s16(const tfk_add_params* params, const tfk_shape* in1_shape, const int16_t* in1,
                 const tfk_shape* in2_shape, const int16_t* in2, const tfk_shape* out_shape,
                 int16_t* out);

/* MUL int16: MulElementwise / BroadcastMul6DSlow on int16. */
void tfk_mul_s16(const tfk_mul_params* params, const tfk_shape* in1_shape, const int16_t* in1,
                 const tfk_shape* in2_shape, const int16_t* in2, const tfk_shape* out_shape,
                 int16_t* out);

/* MEAN int16: QuantizedMeanOrSum on int16 (params->folded_count > 0: the
 * compiler folded 1/count into the multiplier). */
void tfk_mean_s16(const tfk_mean_params* params, const tfk_shape* input_shape,
                  const int16_t* input, int16_t* output);

/* AVERAGE_POOL_2D / MAX_POOL_2D int16: reference_integer_ops::AveragePool16 /
 * MaxPool16. */
void tfk_avg_pool2d_s16(const tfk_pool_params* params, const tfk_dims4* input_dims,
                        const int16_t* input, const tfk_dims4* output_dims, int16_t* output);
void tfk_max_pool2d_s16(const tfk_pool_params* params, const tfk_dims4* input_dims,
                        const int16_t* input, const tfk_dims4* output_dims, int16_t* output);

/* ================================ Pooling ================================= */

/* AVERAGE_POOL_2D int8 (input and output share quantization).
 * input [N, H, W, C], output [N, OH, OW, C].  The average over the window
 * clipped to the input rounds half away from zero.  Follows
 * reference_integer_ops::AveragePool. */
void tfk_avg_pool2d_s8(const tfk_pool_params* params, const tfk_dims4* input_dims,
                       const int8_t* input, const tfk_dims4* output_dims, int8_t* output);

/* MAX_POOL_2D int8.  Shapes as above.  Follows reference_integer_ops::MaxPool. */
void tfk_max_pool2d_s8(const tfk_pool_params* params, const tfk_dims4* input_dims,
                       const int8_t* input, const tfk_dims4* output_dims, int8_t* output);

/* MAX_POOL_2D int8 writing output pixel p at output + p * output_pixel_stride
 * (elements, >= C): the output is channels [k, k + C) of a wider tensor, such
 * as one input's slice of a last-axis CONCATENATION, with output pointing at
 * channel k of pixel 0.  Bytes between the slices are not touched. */
void tfk_max_pool2d_s8_strided(const tfk_pool_params* params, const tfk_dims4* input_dims,
                               const int8_t* input, const tfk_dims4* output_dims,
                               int32_t output_pixel_stride, int8_t* output);

/* ====================== Binary elementwise (broadcast) ==================== */
/* Shapes are right-aligned as in numpy; a dim of 1 in an input is broadcast.
 * out_shape must be the broadcast shape, rank <= TFK_MAX_DIMS. */

/* ADD int8: out = clamp(requant(in1) + requant(in2)).  Follows
 * reference_integer_ops::Add / BroadcastAdd6DSlow (left_shift 20). */
void tfk_add_s8(const tfk_add_params* params, const tfk_shape* in1_shape, const int8_t* in1,
                const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                int8_t* out);

/* SUB int8: as ADD with the second operand subtracted.  Follows
 * reference_ops::Sub / BroadcastSubSlow (int8). */
void tfk_sub_s8(const tfk_add_params* params, const tfk_shape* in1_shape, const int8_t* in1,
                const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                int8_t* out);

/* MUL int8.  Follows reference_integer_ops::Mul / BroadcastMul6DSlow. */
void tfk_mul_s8(const tfk_mul_params* params, const tfk_shape* in1_shape, const int8_t* in1,
                const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                int8_t* out);

/* MAXIMUM int8 (all tensors share quantization).  Follows
 * reference_ops::MaximumMinimumBroadcastSlow. */
void tfk_maximum_s8(const tfk_shape* in1_shape, const int8_t* in1, const tfk_shape* in2_shape,
                    const int8_t* in2, const tfk_shape* out_shape, int8_t* out);

/* MINIMUM int8.  As MAXIMUM. */
void tfk_minimum_s8(const tfk_shape* in1_shape, const int8_t* in1, const tfk_shape* in2_shape,
                    const int8_t* in2, const tfk_shape* out_shape, int8_t* out);

/* PRELU int8 with alpha broadcast to the input.  Follows
 * reference_ops::BroadcastPrelu4DSlow (output clamped to int8 only). */
void tfk_prelu_s8(const tfk_prelu_params* params, const tfk_shape* input_shape,
                  const int8_t* input, const tfk_shape* alpha_shape, const int8_t* alpha,
                  const tfk_shape* out_shape, int8_t* out);

/* ============================== Activations =============================== */
/* Elementwise over `size` values; input and output may be the same buffer. */

/* RELU int8 with requantization.  Follows TFLM ReluQuantized. */
void tfk_relu_s8(const tfk_relu_params* params, int32_t size, const int8_t* input,
                 int8_t* output);

/* RELU6 int8: clamp to [lower, upper] = [input zero point, quantized 6.0]
 * without requantization.  Follows TFLM Relu6Quantized. */
void tfk_relu6_s8(int8_t lower, int8_t upper, int32_t size, const int8_t* input, int8_t* output);

/* Any int8 -> int8 function of one element, as a 256-entry table indexed by the element's own byte,
 * (uint8_t)x (so entries 0..127 are x = 0..127 and 128..255 are x = -128..-1: no offset to add per
 * byte): the code generator fills the table at compile time (LEAKY_RELU) with the bit-exact arithmetic
 * of the op. */
void tfk_lut_s8(const int8_t lut[256], int32_t size, const int8_t* input, int8_t* output);

/* LEAKY_RELU int8.  Follows reference_ops::QuantizeLeakyRelu. */
void tfk_leaky_relu_s8(const tfk_leaky_relu_params* params, int32_t size, const int8_t* input,
                       int8_t* output);

/* HARD_SWISH int8 (16-bit fixed-point internals).  Follows
 * reference_ops::HardSwish<int8_t>(HardSwishParams...). */
void tfk_hard_swish_s8(const tfk_hard_swish_params* params, int32_t size, const int8_t* input,
                       int8_t* output);

/* LOGISTIC int8 (output scale 1/256, zero point -128).  Follows
 * reference_integer_ops::Logistic (gemmlowp fixed-point path). */
void tfk_logistic_s8(const tfk_logistic_params* params, int32_t size, const int8_t* input,
                     int8_t* output);

/* TANH int8 (output scale 1/128, zero point 0).  Follows
 * reference_integer_ops::Tanh (gemmlowp fixed-point path). */
void tfk_tanh_s8(const tfk_tanh_params* params, int32_t size, const int8_t* input,
                 int8_t* output);

/* LOGISTIC and TANH int16 -> int16 (16x8).  Follow the int16 overloads of
 * reference_integer_ops::Logistic / Tanh: interpolation in the shared
 * sigmoid table on |x|, mirrored for negative inputs. */
void tfk_logistic_s16(const tfk_sigmoid_s16_params* params, int32_t size, const int16_t* input,
                      int16_t* output);
void tfk_tanh_s16(const tfk_sigmoid_s16_params* params, int32_t size, const int16_t* input,
                  int16_t* output);

/* ================================ Softmax ================================= */

/* SOFTMAX over the innermost dimension: input [outer_size, depth] int8,
 * output int8 (scale 1/256, zero point -128), depth < 2048.  Follows
 * reference_ops::Softmax<int8_t, int8_t>.  Where the exponentials of a row
 * sum to 512 or more (only possible with >= 512 near-maximal entries) TFLM
 * aborts on an out-of-range shift; tfk returns -128 for such entries. */
void tfk_softmax_s8(const tfk_softmax_params* params, int32_t outer_size, int32_t depth,
                    const int8_t* input, int8_t* output);

/* SOFTMAX int8 -> int16 (output scale 1/65536, zero point -32768).  Follows
 * reference_ops::Softmax<int8_t, int16_t>. */
void tfk_softmax_s8_s16(const tfk_softmax_params* params, int32_t outer_size, int32_t depth,
                        const int8_t* input, int16_t* output);

/* SOFTMAX int16 -> int16 over the innermost dimension (depth < 65536).
 * Follows reference_ops::SoftmaxInt16; the output buffer holds the row's
 * exponentials between the two passes, so input and output must not
 * overlap. */
void tfk_softmax_s16(const tfk_softmax_s16_params* params, int32_t outer_size, int32_t depth,
                     const int16_t* input, int16_t* output);

/* ========================= Quantize / dequantize ========================== */

/* QUANTIZE float32 -> int8: clamp(round(x / scale) + zero_point), rounding
 * half away from zero.  Follows reference_ops::AffineQuantize.  Out-of-range
 * values saturate (NaN gives the zero point). */
void tfk_quantize_f32_s8(float scale, int32_t zero_point, int32_t size, const float* input,
                         int8_t* output);

/* QUANTIZE float32 -> int16.  As above. */
void tfk_quantize_f32_s16(float scale, int32_t zero_point, int32_t size, const float* input,
                          int16_t* output);

/* QUANTIZE int8 -> int8 (requantize).  Follows reference_ops::Requantize. */
void tfk_requantize_s8_s8(const tfk_requantize_params* params, int32_t size, const int8_t* input,
                          int8_t* output);

/* QUANTIZE int8 -> int16.  Follows reference_ops::Requantize. */
void tfk_requantize_s8_s16(const tfk_requantize_params* params, int32_t size,
                           const int8_t* input, int16_t* output);

/* QUANTIZE int16 -> int8.  Follows reference_ops::Requantize. */
void tfk_requantize_s16_s8(const tfk_requantize_params* params, int32_t size,
                           const int16_t* input, int8_t* output);

/* QUANTIZE int16 -> int16.  Follows reference_ops::Requantize. */
void tfk_requantize_s16_s16(const tfk_requantize_params* params, int32_t size,
                            const int16_t* input, int16_t* output);

/* QUANTIZE int8 -> int32 and int16 -> int32.  Follows reference_ops::Requantize
 * (the sum with the output zero point wraps around). */
void tfk_requantize_s8_s32(const tfk_requantize_params* params, int32_t size,
                           const int8_t* input, int32_t* output);
void tfk_requantize_s16_s32(const tfk_requantize_params* params, int32_t size,
                            const int16_t* input, int32_t* output);

/* DEQUANTIZE int8 -> float32: scale * (x - zero_point).  Follows
 * reference_ops::Dequantize. */
void tfk_dequantize_s8_f32(float scale, int32_t zero_point, int32_t size, const int8_t* input,
                           float* output);

/* DEQUANTIZE int16 -> float32.  As above. */
void tfk_dequantize_s16_f32(float scale, int32_t zero_point, int32_t size, const int16_t* input,
                            float* output);

/* ================================== SVDF ================================== */

/* SVDF int8 with int16 time weights and state (TFLM's keyword models).  One
 * invoke shifts the state left by one value, writes each filter's rescaled
 * feature dot product as its newest value, and reduces the time dot products
 * of `rank` filters per unit onto the bias.  The fused activation is not
 * applied, as in TFLM.  Follows EvalIntegerSvdfReference<int16_t>. */
void tfk_svdf_s8_s16(const tfk_svdf_params* params, const int8_t* input,
                     const int8_t* weights_feature, const int16_t* weights_time,
                     const int32_t* bias, int16_t* state, int8_t* output);

/* SVDF int8 with int8 time weights and state.  As above,
 * EvalIntegerSvdfReference<int8_t>. */
void tfk_svdf_s8_s8(const tfk_svdf_params* params, const int8_t* input,
                    const int8_t* weights_feature, const int8_t* weights_time,
                    const int32_t* bias, int8_t* state, int8_t* output);

/* ================================= Reduce ================================= */

/* MEAN int8 over params->axes of an input of rank <= TFK_MAX_DIMS.  The
 * output holds the kept dims in row-major order (identical bytes for
 * keep_dims true or false).  Follows reference_ops::QuantizedMeanOrSum (the
 * integer version that TFLM runs for int8 MEAN whatever the axes and
 * whether or not input and output quantization are equal); 4-D inputs
 * reduced over H and W take a faster loop with the same arithmetic.  With
 * num_axes == 0 every element is requantized on its own, as TFLM does. */
void tfk_mean_s8(const tfk_mean_params* params, const tfk_shape* input_shape,
                 const int8_t* input, int8_t* output);

/* ================================= Resize ================================= */

/* RESIZE_BILINEAR int8: input [N, H, W, C] -> output [N, OH, OW, C].
 * align_corners and half_pixel_centers are the op options (not both set).
 * Follows reference_ops::ResizeBilinearInteger (integer math only). */
void tfk_resize_bilinear_s8(const tfk_dims4* input_dims, const int8_t* input,
                            const tfk_dims4* output_dims, int align_corners,
                            int half_pixel_centers, int8_t* output);

/* RESIZE_NEAREST_NEIGHBOR for elements of elem_size bytes.  Follows
 * reference_ops::ResizeNearestNeighbor (float32 index math, as upstream). */
void tfk_resize_nearest(const tfk_dims4* input_dims, const void* input,
                        const tfk_dims4* output_dims, int align_corners, int half_pixel_centers,
                        size_t elem_size, void* output);

/* RESIZE_NEAREST_NEIGHBOR writing output pixel p at output + p *
 * output_pixel_stride elements (>= C): a channel slice of a wider tensor, as
 * tfk_max_pool2d_s8_strided.  Bytes between the slices are not touched. */
void tfk_resize_nearest_strided(const tfk_dims4* input_dims, const void* input,
                                const tfk_dims4* output_dims, int align_corners,
                                int half_pixel_centers, size_t elem_size,
                                int32_t output_pixel_stride, void* output);

/* ============================= Data movement ============================== */

/* RESHAPE / SQUEEZE / EXPAND_DIMS when the output cannot alias the input:
 * copies `bytes` bytes (overlap allowed). */
void tfk_copy(const void* input, void* output, size_t bytes);

/* PAD / PADV2 int8, rank <= TFK_MAX_DIMS (TFLM allows 5): output dim i is
 * before[i] + input dim + after[i]; new elements get pad_value (the output
 * zero point for PAD, the constant for PADV2).  Follows reference_ops::Pad. */
void tfk_pad_s8(const tfk_pad_params* params, const tfk_shape* input_shape, const int8_t* input,
                int8_t pad_value, int8_t* output);

/* PAD / PADV2 int16.  As above. */
void tfk_pad_s16(const tfk_pad_params* params, const tfk_shape* input_shape,
                 const int16_t* input, int16_t pad_value, int16_t* output);

/* STRIDED_SLICE with resolved per-dim start/stop/step (see
 * tfk_strided_slice_params), elements of elem_size bytes, rank <= 6.
 * Shrink/new axes do not change the bytes.  Follows
 * reference_ops::StridedSlice. */
void tfk_strided_slice(const tfk_strided_slice_params* params, const tfk_shape* input_shape,
                       const void* input, size_t elem_size, void* output);

/* TRANSPOSE: output dim i = input dim perm[i], rank <= 6.  Follows
 * reference_ops::Transpose. */
void tfk_transpose(const tfk_shape* input_shape, const int32_t* perm, const void* input,
                   size_t elem_size, void* output);

/* CONCATENATION along any axis (all inputs share the output quantization, so
 * this is a copy).  outer_size = product of the dims before the axis;
 * input_copy_bytes[i] = input i's (dim[axis] * inner dims) * elem_size.
 * Follows reference_ops::Concatenation. */
void tfk_concatenation(int32_t num_inputs, const void* const* inputs,
                       const size_t* input_copy_bytes, size_t outer_size, void* output);

/* One input of a CONCATENATION whose other inputs were written straight into
 * the output by their producers: copies outer_size runs of copy_bytes from
 * input to output + k * output_stride_bytes (output points at the input's
 * first byte in the concatenation's output). */
void tfk_copy_into_slice(const void* input, size_t outer_size, size_t copy_bytes,
                         size_t output_stride_bytes, void* output);

/* SPLIT / SPLIT_V along any axis: the inverse of tfk_concatenation with
 * output_copy_bytes[i] = output i's (dim[axis] * inner dims) * elem_size.
 * Follows reference_ops::Split. */
void tfk_split(const void* input, int32_t num_outputs, void* const* outputs,
               const size_t* output_copy_bytes, size_t outer_size);

/* PACK along `axis`: outer_size = product of the input dims before axis,
 * copy_bytes = product of the input dims from axis on * elem_size.
 * Follows reference_ops::Pack. */
void tfk_pack(int32_t num_inputs, const void* const* inputs, size_t copy_bytes, size_t outer_size,
              void* output);

/* UNPACK along `axis`: the inverse of tfk_pack.  Follows
 * reference_ops::Unpack. */
void tfk_unpack(const void* input, int32_t num_outputs, void* const* outputs, size_t copy_bytes,
                size_t outer_size);

/* DEPTHWISE_CONV_2D on cores with the DSP extension and without Helium
 * (Cortex-M4, M7, M33): 3x3 filter, dilation 1, depth_multiplier 1, any
 * stride and padding, any channel count (multiples of four run the SMLAD
 * path, the rest a scalar loop).  Same bytes as tfk_depthwise_conv2d_s8.
 * Compiled only where the DSP extension is there (TFK_USE_DSP); the code
 * generator calls it only on such boards. */
void tfk_dw_conv_3x3_s8_dsp(const tfk_dw_conv_params* params, const tfk_per_channel_quant* quant,
                            const tfk_dims4* input_dims, const int8_t* input,
                            const tfk_dims4* filter_dims, const int8_t* filter,
                            const int32_t* bias, const tfk_dims4* output_dims, int8_t* output);

/* tfk_dw_conv_3x3_s8_dsp with the biases stored bias_width (2, 3 or 4) bytes
 * each, little-endian (tfk_bias_at in tfk_math.h): the kernel reads them once
 * per call, and the code generator stores each layer's at the narrowest width
 * that holds them, which saves flash and no instruction. */
void tfk_dw_conv_3x3_s8_dsp_narrow_bias(const tfk_dw_conv_params* params,
                                        const tfk_per_channel_quant* quant,
                                        const tfk_dims4* input_dims, const int8_t* input,
                                        const tfk_dims4* filter_dims, const int8_t* filter,
                                        const uint8_t* bias, int32_t bias_width,
                                        const tfk_dims4* output_dims, int8_t* output);

/* CONV_2D 1x1 on cores with the DSP extension (defined only when TFK_USE_DSP):
 * same arguments and preconditions as tfk_conv2d_1x1_s8 plus input_dims->c %
 * 4 == 0 and input_dims->c <= 256 (four widened pixels live on the stack:
 * addressed from the stack pointer they leave its channel loop one more
 * register than a caller's buffer would), and `filter` word-aligned (it is read with LDRD; tinyforge aligns weight
 * arrays and arena tensors to the board's alignment, 16 or 32 bytes).  The
 * code generator calls it on DSP cores without Helium. */
void tfk_conv_1x1_s8_dsp(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                         const tfk_dims4* input_dims, const int8_t* input,
                         const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                         const tfk_dims4* output_dims, int8_t* output);

/* tfk_conv_1x1_s8_dsp with the biases stored bias_width (2, 3 or 4) bytes each,
 * as tfk_dw_conv_3x3_s8_dsp_narrow_bias. */
void tfk_conv_1x1_s8_dsp_narrow_bias(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                                     const tfk_dims4* input_dims, const int8_t* input,
                                     const tfk_dims4* filter_dims, const int8_t* filter,
                                     const uint8_t* bias, int32_t bias_width,
                                     const tfk_dims4* output_dims, int8_t* output);

/* tfk_conv_1x1_s8_dsp_narrow_bias followed by an int8 activation given as its
 * table in value order (lut[v + 128] is the activation of v), applied to each
 * output before it is stored: the code generator folds a LEAKY_RELU that runs
 * in place on this layer's output into it. */
void tfk_conv_1x1_s8_dsp_lut(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                             const tfk_dims4* input_dims, const int8_t* input,
                             const tfk_dims4* filter_dims, const int8_t* filter,
                             const uint8_t* bias, int32_t bias_width, const int8_t lut[256],
                             const tfk_dims4* output_dims, int8_t* output);

/* ============ FULLY_CONNECTED, DSP variant (chosen by the code generator) ============ */

/* FULLY_CONNECTED int8 with symmetric weights (filter_offset 0) on weights
 * and bias prepared at compile time (codegen FcLayout): filter_grouped holds
 * the rows in groups of four, interleaved by four bytes (each group's last
 * accum_depth % 4 bytes row by row after it; the last output_depth % 4 rows
 * unchanged), folded_bias[r] = bias[r] + input_offset * sum of row r's
 * weights (never NULL).  params->input_offset and filter_offset are not read.
 * quant == NULL: the per-tensor multiplier in params.  Same bytes as
 * tfk_fully_connected_s8 / _per_channel_s8.  The scratch is optional: with
 * scratch == NULL the input is widened again for every four rows (slower). */
void tfk_fc_s8_dsp(const tfk_fc_params* params, const tfk_per_channel_quant* quant,
                   const tfk_fc_dims* dims, const int8_t* input, const int8_t* filter_grouped,
                   const int32_t* folded_bias, int8_t* output, void* scratch,
                   size_t scratch_bytes);
size_t tfk_fc_s8_dsp_scratch_bytes(const tfk_fc_dims* dims);

/* ============ ADD / SUB / MUL without broadcasting (chosen by the code generator) ============ */

/* ADD, SUB, MUL int8 where both inputs have the output's shape: count
 * elements in one flat run.  Same bytes as tfk_add_s8 / tfk_sub_s8 /
 * tfk_mul_s8 on equal shapes (tfk_elementwise_flat_s8.c). */
void tfk_add_flat_s8(const tfk_add_params* params, int32_t count, const int8_t* in1,
                     const int8_t* in2, int8_t* out);
void tfk_sub_flat_s8(const tfk_add_params* params, int32_t count, const int8_t* in1,
                     const int8_t* in2, int8_t* out);
void tfk_mul_flat_s8(const tfk_mul_params* params, int32_t count, const int8_t* in1,
                     const int8_t* in2, int8_t* out);

/* ---- Helium (Cortex-M55) depthwise kernels, chosen by the code generator
 * only on MVE cores (OpEmitter.depthwiseKernel); see the .c files. */

/* The requantization of one block of eight channels of the Helium depthwise
 * kernels, each field as the block's four even then four odd channels (the
 * order VMULLB / VMULLT leave the sums in): the folded bias (bias +
 * input_offset * sum of the channel's nine weights, modulo 2^32), the
 * multiplier, and the shift split into left = max(shift, 0) and right =
 * min(shift, 0), one byte each (a widening VLDRB.S32 costs what a VLDRW does). */
typedef struct {
  int32_t bias[8];
  int32_t multiplier[8];
  int8_t left_shift[8];
  int8_t right_shift[8];
} tfk_dw8_requant;

/* DEPTHWISE_CONV_2D int8, 3x3, depth_multiplier 1, dilation 1, any channel
 * count, any stride and padding.  The constants come packed by the
 * generator, per block of eight channels (blocks = ceil(channels / 8)):
 *   weights: [block][tap ky*3+kx][8] int8, lanes past the last channel 0;
 *   rq: [block] tfk_dw8_requant.  Same bytes as tfk_depthwise_conv2d_s8. */
void tfk_dw_conv_3x3_s8_mve(const tfk_dw_conv_params* params, const tfk_dims4* input_dims,
                            const int8_t* input, const tfk_dims4* output_dims, int8_t* output,
                            const int8_t* weights, const tfk_dw8_requant* rq, void* scratch,
                            size_t scratch_bytes);
size_t tfk_dw_conv_3x3_s8_mve_scratch_bytes(const tfk_dims4* input_dims);
/* DEPTHWISE_CONV_2D int8 on a one-channel input (MobileNet's first layer), 3x3,
 * dilation 1, depth_multiplier = output channels, a multiple of 8; any stride
 * and padding.  rq as for tfk_dw_conv_3x3_s8_mve; weights [block][tap][8] with
 * the block's even channels first, then its odd ones. */
void tfk_dw_conv_one_input_s8_mve(const tfk_dw_conv_params* params, const tfk_dims4* input_dims,
                                  const int8_t* input, const tfk_dims4* output_dims,
                                  int8_t* output, const int8_t* weights, const tfk_dw8_requant* rq);
/* ---- end of the Helium depthwise kernels */

/* DEPTHWISE_CONV_2D int8 on a one-channel input (MobileNet's first layer), 3x3,
 * dilation 1, depth_multiplier = output channels; any stride and padding; DSP
 * extension (tfk_dw_conv_one_input_s8_dsp.c).  packed holds TFK_DW1_DSP_WORDS
 * int32 per output channel: the folded bias (bias + input_offset * sum of the
 * channel's nine weights, modulo 2^32), the weight pairs (w0, w1), (w2, w3),
 * (w4, w5), (w6, w7), (w8, 0) with the first of each pair in the low half (taps
 * ky * 3 + kx), the multiplier and -shift - 1 (every channel's shift must be
 * negative and its multiplier non-negative).  Same bytes as
 * tfk_depthwise_conv2d_s8. */
#define TFK_DW1_DSP_WORDS 8
void tfk_dw_conv_one_input_s8_dsp(const tfk_dw_conv_params* params, const tfk_dims4* input_dims,
                                  const int8_t* input, const tfk_dims4* output_dims,
                                  int8_t* output, const int32_t* packed);

/* ============ CONV_2D on small windows, DSP variant (chosen by the code generator) ============ */

/* Longest window tfk_conv_3x3_s8_dsp takes, in bytes: kh * kw * Cin rounded
 * up to a multiple of four (four widened windows live on the stack, 4.5 KiB);
 * a window whose kh * kw * Cin is not a multiple of four at most
 * TFK_CONV_3X3_DSP_ODD_MAX bytes rounded up.  Windows of at least four bytes
 * (a filter row reads up to three bytes of the next one). */
#define TFK_CONV_3X3_DSP_MAX 576
#define TFK_CONV_3X3_DSP_ODD_MAX 128

/* CONV_2D int8 on cores with the DSP extension (defined only when TFK_USE_DSP):
 * the arguments of tfk_conv2d_s8, with groups 1 (filter_dims->c ==
 * input_dims->c), dilation_w 1, any stride, padding and dilation_h, the window
 * limits above, -input_offset an int8 (the input zero point), and `filter`
 * word-aligned (read with LDRD when kh * kw * Cin % 4 == 0).  Written for 3x3
 * windows (ResNet), correct for any size within the limits.  Same bytes as
 * tfk_conv2d_s8.  The code generator calls it on DSP cores without Helium. */
void tfk_conv_3x3_s8_dsp(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                         const tfk_dims4* input_dims, const int8_t* input,
                         const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                         const tfk_dims4* output_dims, int8_t* output);
/* ---- end of the small-window CONV_2D kernel */

/* ==== FULLY_CONNECTED, ADD / SUB, AVERAGE_POOL_2D: DSP and Helium variants ====
 * Same arguments and bytes as the portable kernels of the same name without the
 * suffix; the generator (OpEmitter) calls the variant of the board's core.
 * _dsp exists where TFK_USE_DSP is 1, _mve where TFK_MVE_RQ is (Helium with
 * the default double rounding), except tfk_avg_pool2d_s8_mve: TFK_USE_MVE. */
void tfk_fully_connected_s8_dsp(const tfk_fc_params* params, const tfk_fc_dims* dims,
                                const int8_t* input, const int8_t* filter, const int32_t* bias,
                                int8_t* output);
void tfk_fully_connected_per_channel_s8_dsp(const tfk_fc_params* params,
                                            const tfk_per_channel_quant* quant,
                                            const tfk_fc_dims* dims, const int8_t* input,
                                            const int8_t* filter, const int32_t* bias,
                                            int8_t* output);
void tfk_fully_connected_s8_mve(const tfk_fc_params* params, const tfk_fc_dims* dims,
                                const int8_t* input, const int8_t* filter, const int32_t* bias,
                                int8_t* output);
void tfk_fully_connected_per_channel_s8_mve(const tfk_fc_params* params,
                                            const tfk_per_channel_quant* quant,
                                            const tfk_fc_dims* dims, const int8_t* input,
                                            const int8_t* filter, const int32_t* bias,
                                            int8_t* output);
void tfk_add_s8_mve(const tfk_add_params* params, const tfk_shape* in1_shape, const int8_t* in1,
                    const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                    int8_t* out);
void tfk_sub_s8_mve(const tfk_add_params* params, const tfk_shape* in1_shape, const int8_t* in1,
                    const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                    int8_t* out);
void tfk_avg_pool2d_s8_mve(const tfk_pool_params* params, const tfk_dims4* input_dims,
                           const int8_t* input, const tfk_dims4* output_dims, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* TFK_KERNELS_H */
