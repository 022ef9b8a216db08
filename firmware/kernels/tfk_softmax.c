/*
 * SOFTMAX with int8 input: TFLite reference_ops::Softmax<int8_t, OutputT>
 * (the gemmlowp fixed-point path TFLM uses for int8 -> int8 and
 * int8 -> int16).
 */
#include "tfk_kernels.h"
#include "tfk_math.h"

#define SCALED_DIFF_INTEGER_BITS 5
#define ACCUMULATION_INTEGER_BITS 12

/* exp(beta * s_in * diff) in Q0 for a diff already known to be >= diff_min. */
static int32_t exp_of_diff(const tfk_softmax_params* p, int32_t diff) {
  const int32_t rescaled =
      tfk_requantize_above_one(diff, p->input_multiplier, (int)p->input_left_shift);
  return tfk_exp_on_negative_values(rescaled, SCALED_DIFF_INTEGER_BITS);
}

/* Computes one row into out8 (int8 output) or out16 (int16 output); exactly
 * one of the two is non-null. */
static void softmax_row(const tfk_softmax_params* p, int32_t depth, const int8_t* in,
                        int8_t* out8, int16_t* out16) {
  const int out_bits = out8 ? 8 : 16;
  const int32_t out_min = out8 ? INT8_MIN : INT16_MIN;
  const int32_t out_max = out8 ? INT8_MAX : INT16_MAX;
  int32_t max_in_row = INT8_MIN;
  int32_t sum_of_exps = 0; /* Q12 */
  int32_t shifted_scale;
  int num_bits_over_unit;
  int32_t c;

  for (c = 0; c < depth; ++c) {
    if (in[c] > max_in_row) max_in_row = in[c];
  }
  for (c = 0; c < depth; ++c) {
    const int32_t diff = (int32_t)in[c] - max_in_row;
    if (diff >= p->diff_min) {
      sum_of_exps = tfk_wrap_add(
          sum_of_exps, tfk_fp_rescale(exp_of_diff(p, diff), 0, ACCUMULATION_INTEGER_BITS));
    }
  }
  shifted_scale = tfk_get_reciprocal(sum_of_exps, ACCUMULATION_INTEGER_BITS, &num_bits_over_unit);
  for (c = 0; c < depth; ++c) {
    const int32_t diff = (int32_t)in[c] - max_in_row;
    int32_t v = out_min;
    if (diff >= p->diff_min) {
      /* The shift exceeds 31 only for int8 output when the exponentials sum to
       * >= 512 (e.g. a row of >= 512 equal maxima); TFLM aborts there, tfk
       * keeps rounding (the result is then 0 before the zero point). */
      const int32_t unsat = tfk_rounding_shift_right_wide(tfk_rounding_doubling_high_mul(shifted_scale, exp_of_diff(p, diff)),
                                            num_bits_over_unit + 31 - out_bits);
      v = tfk_clamp_i32(unsat + out_min, out_min, out_max);
    }
    if (out8) {
      out8[c] = (int8_t)v;
    } else {
      out16[c] = (int16_t)v;
    }
  }
}

void tfk_softmax_s8(const tfk_softmax_params* params, int32_t outer_size, int32_t depth,
                    const int8_t* input, int8_t* output) {
  int32_t i;
  for (i = 0; i < outer_size; ++i) {
    softmax_row(params, depth, input + (size_t)i * depth, output + (size_t)i * depth, 0);
  }
}

void tfk_softmax_s8_s16(const tfk_softmax_params* params, int32_t outer_size, int32_t depth,
                        const int8_t* input, int16_t* output) {
  int32_t i;
  for (i = 0; i < outer_size; ++i) {
    softmax_row(params, depth, input + (size_t)i * depth, 0, output + (size_t)i * depth);
  }
}
