/*
 * Unary int8 activations: RELU, RELU6, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH.
 * Semantics of TFLM's ReluQuantized / Relu6Quantized (activations_common.cc),
 * TFLite reference_ops::QuantizeLeakyRelu, reference_ops::HardSwish (int8),
 * reference_integer_ops::Logistic and reference_integer_ops::Tanh (int8).
 */
#include <string.h>

#include "tfk_kernels.h"
#include "tfk_math.h"

void tfk_relu_s8(const tfk_relu_params* params, int32_t size, const int8_t* input,
                 int8_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    int32_t v = params->output_offset +
                tfk_requantize((int32_t)input[i] - params->input_offset, params->output_multiplier,
                         (int)params->output_shift);
    output[i] = (int8_t)tfk_clamp_i32(v, params->activation_min, params->activation_max);
  }
}

void tfk_relu6_s8(int8_t lower, int8_t upper, int32_t size, const int8_t* input,
                  int8_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    const int8_t v = input[i];
    output[i] = v > upper ? upper : (v < lower ? lower : v);
  }
}

void tfk_leaky_relu_s8(const tfk_leaky_relu_params* params, int32_t size, const int8_t* input,
                       int8_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    const int32_t x = (int32_t)input[i] - params->input_offset;
    int32_t v;
    if (x >= 0) {
      v = tfk_requantize(x, params->output_multiplier_identity, (int)params->output_shift_identity);
    } else if (params->output_multiplier_alpha < 0) {
      /* Negative alpha: TFLM rescales by the magnitude and negates the result, which differs from a
       * negative multiplier on exact halves (found against the oracle; see LeakyReluParams.java). */
      v = -tfk_requantize(x, -params->output_multiplier_alpha, (int)params->output_shift_alpha);
    } else {
      v = tfk_requantize(x, params->output_multiplier_alpha, (int)params->output_shift_alpha);
    }
    output[i] = (int8_t)tfk_clamp_i32(params->output_offset + v, INT8_MIN, INT8_MAX);
  }
}

void tfk_hard_swish_s8(const tfk_hard_swish_params* params, int32_t size, const int8_t* input,
                       int8_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    const int16_t input_value = tfk_trunc_i16((int32_t)input[i] - params->input_zero_point);
    /* Put the significant bits high in 16 bits: x * 2^7. */
    const int16_t hires = tfk_trunc_i16((int32_t)input_value * (1 << 7));
    const int16_t preshift_output_scale =
        tfk_rounding_doubling_high_mul_i16(hires, params->output_multiplier_fixedpoint_int16);
    int16_t reluish = hires;
    int16_t preshift_output;
    int32_t out;
    /* Rescale x from [-3, 3] to [-1, 1] with saturation; the last bit of a
     * left shift is applied after the multiply so saturation is exact. */
    if (params->reluish_multiplier_exponent > 0) {
      reluish = tfk_sat_left_shift_i16(reluish, (int)params->reluish_multiplier_exponent - 1);
    }
    reluish = tfk_rounding_doubling_high_mul_i16(reluish, params->reluish_multiplier_fixedpoint_int16);
    if (params->reluish_multiplier_exponent > 0) {
      reluish = tfk_sat_left_shift_i16(reluish, 1);
    }
    if (params->reluish_multiplier_exponent < 0) {
      reluish = tfk_rounding_shift_right_i16(reluish, (int)-params->reluish_multiplier_exponent);
    }
    /* [-1, 1] -> [0, 1] */
    reluish = tfk_trunc_i16(((int32_t)reluish + (1 << 15)) >> 1);
    preshift_output = tfk_doubling_high_mul_i16(reluish, preshift_output_scale);
    out = tfk_trunc_i16((int32_t)tfk_rounding_shift_right_i16(preshift_output,
                                                (int)-params->output_multiplier_exponent) +
                        params->output_zero_point);
    output[i] = (int8_t)tfk_clamp_i32(out, INT8_MIN, INT8_MAX);
  }
}

/* LOGISTIC and TANH: x - zp, saturate outside the input radius, else rescale
 * to Q4 and evaluate the gemmlowp function. */
void tfk_logistic_s8(const tfk_logistic_params* params, int32_t size, const int8_t* input,
                     int8_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    const int32_t x = (int32_t)input[i] - params->input_zero_point;
    if (x <= -params->input_range_radius) {
      output[i] = INT8_MIN;
    } else if (x >= params->input_range_radius) {
      output[i] = INT8_MAX;
    } else {
      const int32_t x_q4 =
          tfk_requantize(x, params->input_multiplier, (int)params->input_left_shift);
      const int32_t y_q0 = tfk_logistic_q(x_q4, 4);
      /* Q0 -> 8 fractional bits, then the fixed output zero point -128. */
      const int32_t y = tfk_rounding_shift_right(y_q0, 31 - 8) - 128;
      output[i] = (int8_t)tfk_clamp_i32(y, INT8_MIN, INT8_MAX);
    }
  }
}

void tfk_tanh_s8(const tfk_tanh_params* params, int32_t size, const int8_t* input,
                 int8_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    const int32_t x = (int32_t)input[i] - params->input_zero_point;
    if (x <= -params->input_range_radius) {
      output[i] = INT8_MIN;
    } else if (x >= params->input_range_radius) {
      output[i] = INT8_MAX;
    } else {
      const int32_t x_q4 =
          tfk_requantize(x, params->input_multiplier, (int)params->input_left_shift);
      const int32_t y_q0 = tfk_tanh_q(x_q4, 4);
      /* Q0 -> 7 fractional bits (output scale 1/128, zero point 0). */
      const int32_t y = tfk_rounding_shift_right(y_q0, 31 - 7);
      output[i] = (int8_t)tfk_clamp_i32(y, INT8_MIN, INT8_MAX);
    }
  }
}

/* Four table lookups on one word of inputs: the table is indexed by each
 * byte's own bits, so each byte is one UXTB / UBFX / LSR and one LDRB; the
 * four results are stored as one word. */
TFK_INLINE uint32_t lut_word(const uint8_t* lut, uint32_t in) {
  return (uint32_t)lut[in & 0xFFu] | ((uint32_t)lut[(in >> 8) & 0xFFu] << 8) |
         ((uint32_t)lut[(in >> 16) & 0xFFu] << 16) | ((uint32_t)lut[in >> 24] << 24);
}

void tfk_lut_s8(const int8_t lut[256], int32_t size, const int8_t* input, int8_t* output) {
  /* lut[(uint8_t)v] is the output for input v.  Words go through memcpy (one LDR
   * / STR on Arm, unaligned allowed; input may be output, word by word). */
  const uint8_t* table = (const uint8_t*)lut;
  int32_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint32_t w0, w1;
    memcpy(&w0, input + i, 4);
    memcpy(&w1, input + i + 4, 4);
    w0 = lut_word(table, w0);
    w1 = lut_word(table, w1);
    memcpy(output + i, &w0, 4);
    memcpy(output + i + 4, &w1, 4);
  }
  for (; i < size; i++) {
    output[i] = (int8_t)table[(uint8_t)input[i]];
  }
}
