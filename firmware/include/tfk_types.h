/*
 * tfk_types.h - parameter structs of the tinyforge kernels.
 *
 * Every struct mirrors one of TensorFlow Lite's reference parameter structs
 * (tensorflow/lite/kernels/internal/types.h: ConvParams, DepthwiseParams,
 * FullyConnectedParams, PoolParams, ArithmeticParams, SoftmaxParams,
 * LeakyReluParams, HardSwishParams, PreluParams, ...) and keeps TFLite's
 * meaning and sign convention for every field, so that the code generator can
 * fill them field for field from TFLM's Prepare() math:
 *
 *   - "offset" fields follow TFLite: in ConvParams/FullyConnectedParams/
 *     ArithmeticParams/PreluParams an input offset is the NEGATED zero point
 *     (it is added to the raw value), an output offset is the zero point
 *     itself.  LeakyReluParams, ReluParams and the logistic/tanh/hard-swish
 *     data instead store the input zero point (it is subtracted).  Each field
 *     below says which.
 *   - a (multiplier, shift) pair is exactly what TFLite's QuantizeMultiplier
 *     returns: real = multiplier * 2^(shift - 31), shift > 0 = left shift.
 *   - activation_min/max are the int8 clamp bounds TFLite's
 *     CalculateActivationRangeQuantized() returns for the fused activation
 *     (float32 division round(6.0f / scale)).
 *   - every multiplier below is QuantizeMultiplier of a ratio formed in
 *     DOUBLE from the float32 scales (e.g. double(s1) * double(s2) /
 *     double(s_out)); TFLM's int8 kernels do so for all ops (checked
 *     against the oracle, see firmware/kernels/README.md).
 *
 * All tensors are dense, row-major, NHWC for 4-D activations.
 */
#ifndef TFK_TYPES_H
#define TFK_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest rank any tfk kernel accepts (TFLM's broadcast/transpose limit). */
#define TFK_MAX_DIMS 6

/* A 4-D NHWC shape.  For filters: n = output channels, h/w = kernel size,
 * c = input channels (per group for CONV_2D); for depthwise filters n = 1 and
 * c = output channels; for TRANSPOSE_CONV n = output channels, c = input
 * channels. */
typedef struct {
  int32_t n;
  int32_t h;
  int32_t w;
  int32_t c;
} tfk_dims4;

/* An N-D shape, 0 <= rank <= TFK_MAX_DIMS, dims[0] outermost.  Entries past
 * rank are ignored. */
typedef struct {
  int32_t rank;
  int32_t dims[TFK_MAX_DIMS];
} tfk_shape;

/* Per-output-channel requantization (TFLM's per_channel_output_multiplier /
 * per_channel_output_shift arrays, one entry per output channel).  TFLM fills
 * these arrays for per-tensor quantized filters too (all entries equal). */
typedef struct {
  const int32_t* multiplier;
  const int8_t* shift; /* in [-31, 31]: one byte per channel is enough */
} tfk_per_channel_quant;

/* CONV_2D, as TFLite ConvParams (int8 per-channel path). */
typedef struct {
  int32_t input_offset;   /* -input_zero_point, added to every input value */
  int32_t output_offset;  /* output_zero_point */
  int32_t stride_h;       /* stride_height_factor >= 1 */
  int32_t stride_w;       /* stride_width_factor >= 1 */
  int32_t dilation_h;     /* dilation_height_factor >= 1 */
  int32_t dilation_w;     /* dilation_width_factor >= 1 */
  int32_t pad_h;          /* padding_values.height: rows of implicit zero-point padding on top */
  int32_t pad_w;          /* padding_values.width: columns of padding on the left */
  int32_t activation_min; /* quantized_activation_min */
  int32_t activation_max; /* quantized_activation_max */
} tfk_conv_params;

/* DEPTHWISE_CONV_2D, as TFLite DepthwiseParams. */
typedef struct {
  int32_t input_offset;     /* -input_zero_point */
  int32_t output_offset;    /* output_zero_point */
  int32_t stride_h;
  int32_t stride_w;
  int32_t dilation_h;
  int32_t dilation_w;
  int32_t pad_h;            /* padding_values.height */
  int32_t pad_w;            /* padding_values.width */
  int32_t depth_multiplier; /* output channels = input channels * depth_multiplier */
  int32_t activation_min;
  int32_t activation_max;
} tfk_dw_conv_params;

/* TRANSPOSE_CONV, as TFLite ConvParams used by
 * reference_integer_ops::TransposeConv (no dilation). */
typedef struct {
  int32_t input_offset;   /* -input_zero_point */
  int32_t output_offset;  /* output_zero_point */
  int32_t stride_h;
  int32_t stride_w;
  int32_t pad_h;          /* padding_values.height */
  int32_t pad_w;          /* padding_values.width */
  int32_t activation_min;
  int32_t activation_max;
} tfk_transpose_conv_params;

/* FULLY_CONNECTED, as TFLite FullyConnectedParams. */
typedef struct {
  int32_t input_offset;      /* -input_zero_point */
  int32_t filter_offset;     /* weights_offset = -filter_zero_point (0 for symmetric int8) */
  int32_t output_offset;     /* output_zero_point */
  int32_t output_multiplier; /* per-tensor path only; ignored by the per-channel kernel */
  int32_t output_shift;      /* per-tensor path only */
  int32_t activation_min;
  int32_t activation_max;
} tfk_fc_params;

/* FULLY_CONNECTED shape: input is [batches, accum_depth] (any leading dims
 * flattened into batches), filter is [output_depth, accum_depth], bias and
 * output channels are output_depth. */
typedef struct {
  int32_t batches;
  int32_t accum_depth;
  int32_t output_depth;
} tfk_fc_dims;

/* AVERAGE_POOL_2D / MAX_POOL_2D, as TFLite PoolParams.  Input and output
 * share quantization, so there is no rescaling. */
typedef struct {
  int32_t stride_h;
  int32_t stride_w;
  int32_t filter_h;
  int32_t filter_w;
  int32_t pad_h;          /* padding_values.height */
  int32_t pad_w;          /* padding_values.width */
  int32_t activation_min;
  int32_t activation_max;
} tfk_pool_params;

/* ADD / SUB int8, as TFLite ArithmeticParams filled by TFLM's
 * CalculateOpDataAdd / CalculateOpDataSub. */
typedef struct {
  int32_t input1_offset;     /* -input1_zero_point */
  int32_t input2_offset;     /* -input2_zero_point */
  int32_t output_offset;     /* output_zero_point */
  int32_t left_shift;        /* 20 for int8 */
  int32_t input1_multiplier;
  int32_t input1_shift;      /* <= 0 (QuantizeMultiplierSmallerThanOneExp) */
  int32_t input2_multiplier;
  int32_t input2_shift;      /* <= 0 */
  int32_t output_multiplier;
  int32_t output_shift;      /* <= 0 */
  int32_t activation_min;
  int32_t activation_max;
} tfk_add_params;

/* MUL int8, as TFLite ArithmeticParams filled by TFLM's CalculateOpDataMul. */
typedef struct {
  int32_t input1_offset;     /* -input1_zero_point */
  int32_t input2_offset;     /* -input2_zero_point */
  int32_t output_offset;     /* output_zero_point */
  int32_t output_multiplier; /* QuantizeMultiplier(s1 * s2 / s_out) */
  int32_t output_shift;
  int32_t activation_min;
  int32_t activation_max;
} tfk_mul_params;

/* SOFTMAX int8 input, as TFLite SoftmaxParams. */
typedef struct {
  int32_t input_multiplier; /* from PreprocessSoftmaxScaling(beta, input_scale, 5) */
  int32_t input_left_shift; /* >= 0 */
  int32_t diff_min;         /* -CalculateInputRadius(5, input_left_shift, 31) */
} tfk_softmax_params;

/* LOGISTIC / TANH int8, as TFLM's OpDataLogistic / OpDataTanh (4 integer
 * bits on the internal fixed-point input). */
typedef struct {
  int32_t input_zero_point;   /* input zero point (subtracted) */
  int32_t input_range_radius; /* CalculateInputRadius(4, input_left_shift, 31) */
  int32_t input_multiplier;   /* round(frexp(input_scale * 2^27).q * 2^31) */
  int32_t input_left_shift;   /* exponent returned by that frexp */
} tfk_logistic_params;

typedef tfk_logistic_params tfk_tanh_params;

/* LOGISTIC / TANH int16 (16x8: zero points 0, output scale 2^-15).  The
 * input is moved onto the sigmoid table's grid by
 * (x * input_multiplier + half) >> input_right_shift; the generator resolves
 * TFLM's power-of-two case into multiplier 3 << k, shift 0. */
typedef struct {
  int32_t input_multiplier;  /* <= 32767 */
  int32_t input_right_shift; /* 0..31 */
  const uint16_t* sigmoid_table; /* 256 entries: sigmoid(i / 24) in Q0.16 */
} tfk_sigmoid_s16_params;

/* SOFTMAX int16 -> int16 (input zero point 0; output scale 2^-15, zero
 * point 0), as TFLite SoftmaxParams for int16: the rescale of the input
 * difference and the two 513-entry interpolation tables, emitted by the
 * generator. */
typedef struct {
  int32_t input_multiplier; /* QuantizeMultiplier(input_scale * beta * 65535 / 10) */
  int32_t input_shift;      /* signed: > 0 shifts left */
  const int16_t* exp_table;        /* exp(x) on [-10, 0], Q0.15 */
  const int16_t* reciprocal_table; /* 1 / (1 + x) on [0, 1], Q0.15 */
} tfk_softmax_s16_params;

/* RELU int8 (requantizing), as TFLM's ReluOpData.params. */
typedef struct {
  int32_t input_offset;      /* input zero point (subtracted) */
  int32_t output_offset;     /* output zero point */
  int32_t output_multiplier; /* QuantizeMultiplier(double(s_in) / double(s_out)) */
  int32_t output_shift;
  int32_t activation_min;    /* max(-128, output_zero_point) */
  int32_t activation_max;    /* 127 */
} tfk_relu_params;

/* LEAKY_RELU int8, as TFLite LeakyReluParams. */
typedef struct {
  int32_t input_offset;               /* input zero point (subtracted) */
  int32_t output_offset;              /* output zero point */
  int32_t output_multiplier_alpha;    /* QuantizeMultiplier(s_in * alpha / s_out) */
  int32_t output_shift_alpha;
  int32_t output_multiplier_identity; /* QuantizeMultiplier(s_in / s_out) */
  int32_t output_shift_identity;
} tfk_leaky_relu_params;

/* HARD_SWISH int8, as TFLite HardSwishParams. */
typedef struct {
  int16_t input_zero_point;
  int16_t output_zero_point;
  int16_t reluish_multiplier_fixedpoint_int16;
  int32_t reluish_multiplier_exponent;
  int16_t output_multiplier_fixedpoint_int16;
  int32_t output_multiplier_exponent; /* <= 0 */
} tfk_hard_swish_params;

/* PRELU int8, as TFLite PreluParams. */
typedef struct {
  int32_t input_offset;        /* -input_zero_point */
  int32_t alpha_offset;        /* -alpha_zero_point */
  int32_t output_offset;       /* output_zero_point */
  int32_t output_multiplier_1; /* QuantizeMultiplier(s_in / s_out), x >= 0 branch */
  int32_t output_shift_1;
  int32_t output_multiplier_2; /* QuantizeMultiplier(s_in * s_alpha / s_out), x < 0 branch */
  int32_t output_shift_2;
} tfk_prelu_params;

/* Requantization int8/int16 -> int8/int16/int32 (QUANTIZE between integer types),
 * as the arguments of TFLite reference_ops::Requantize. */
typedef struct {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t multiplier; /* QuantizeMultiplier(s_in / s_out) */
  int32_t shift;
} tfk_requantize_params;

/* SVDF with int8 input/output and int16 (or int8) time weights and state, as
 * TFLM's integer SVDF: state is [batches, filters, memory], the newest value
 * of each filter at index memory - 1. */
typedef struct {
  int32_t batches;
  int32_t input_size;
  int32_t filters;
  int32_t rank; /* filters per output unit */
  int32_t memory;
  int32_t input_zero_point;
  int32_t state_zero_point;
  int32_t output_zero_point;
  int32_t feature_multiplier; /* QuantizeMultiplier(s_in * s_feature / s_state) */
  int32_t feature_shift;
  int32_t output_multiplier; /* QuantizeMultiplier(s_state * s_time / s_out) */
  int32_t output_shift;
} tfk_svdf_params;

/* MEAN int8: reduction over a set of axes (TFLM OpDataReduce fields). */
typedef struct {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t multiplier;   /* QuantizeMultiplier(double(s_in) / double(s_out)) */
  int32_t shift;
  int32_t num_axes;     /* number of entries in axes[] */
  int32_t axes[TFK_MAX_DIMS]; /* resolved (non-negative); duplicates are harmless */
  /* 0: multiplier/shift are QuantizeMultiplier(s_in / s_out) and the kernel
   * folds in 1/count at run time (count from the distinct axes).  > 0: the
   * compiler already folded 1/count into multiplier/shift as TFLM does, and
   * this is that count (TFLM multiplies a repeated axis in again). */
  int32_t folded_count;
} tfk_mean_params;

/* STRIDED_SLICE with begin/end/strides already resolved by the compiler
 * (TFLM's StartForAxis/StopForAxis): for each dim the kernel visits
 * start, start+step, ... while (step > 0 ? i < stop : i > stop). */
typedef struct {
  int32_t rank;
  int32_t start[TFK_MAX_DIMS];
  int32_t stop[TFK_MAX_DIMS];
  int32_t step[TFK_MAX_DIMS]; /* non-zero */
} tfk_strided_slice_params;

/* PAD / PADV2: per-dimension amounts of padding before and after. */
typedef struct {
  int32_t rank;
  int32_t before[TFK_MAX_DIMS];
  int32_t after[TFK_MAX_DIMS];
} tfk_pad_params;

#ifdef __cplusplus
}
#endif

#endif /* TFK_TYPES_H */
