/*
 * SVDF with int8 input and output and int16 or int8 state: TFLM's
 * EvalIntegerSvdfReference.  The state is the op's persistent memory (a
 * variable tensor kept outside the arena by the code generator).
 */
#include <string.h>

#include "tfk_kernels.h"
#include "tfk_math.h"

/* The new value of one filter's state row: its feature dot product, rescaled,
 * clamped to the state type and then offset by the state zero point.  The
 * narrowing wraps like TFLM's (which adds the zero point after the clamp). */
static int32_t feature_value(const tfk_svdf_params* p, const int8_t* input, const int8_t* weights,
                             int32_t state_min, int32_t state_max) {
  int32_t acc = 0;
  int32_t c;
  for (c = 0; c < p->input_size; ++c) {
    acc += (int32_t)weights[c] * ((int32_t)input[c] - p->input_zero_point);
  }
  acc = tfk_requantize(acc, p->feature_multiplier, (int)p->feature_shift);
  return tfk_clamp_i32(acc, state_min, state_max) + p->state_zero_point;
}

static int8_t output_value(const tfk_svdf_params* p, int32_t sum) {
  const int32_t v = tfk_requantize(sum, p->output_multiplier, (int)p->output_shift) + p->output_zero_point;
  return (int8_t)tfk_clamp_i32(v, INT8_MIN, INT8_MAX);
}

void tfk_svdf_s8_s16(const tfk_svdf_params* p, const int8_t* input,
                     const int8_t* weights_feature, const int16_t* weights_time,
                     const int32_t* bias, int16_t* state, int8_t* output) {
  const int32_t row_count = p->batches * p->filters;
  const int32_t units = p->filters / p->rank;
  int32_t b, f, u, r, m;
  memmove(state, state + 1, ((size_t)row_count * p->memory - 1) * sizeof(int16_t));
  for (b = 0; b < p->batches; ++b) {
    for (f = 0; f < p->filters; ++f) {
      state[((size_t)b * p->filters + f) * p->memory + p->memory - 1] = (int16_t)feature_value(
          p, input + (size_t)b * p->input_size, weights_feature + (size_t)f * p->input_size,
          INT16_MIN, INT16_MAX);
    }
    for (u = 0; u < units; ++u) {
      int32_t sum = bias[u];
      for (r = 0; r < p->rank; ++r) {
        const int32_t filter = u * p->rank + r;
        const int16_t* s = state + ((size_t)b * p->filters + filter) * p->memory;
        const int16_t* w = weights_time + (size_t)filter * p->memory;
        int32_t dot = 0;
        for (m = 0; m < p->memory; ++m) {
          dot += (int32_t)w[m] * ((int32_t)s[m] - p->state_zero_point);
        }
        sum = tfk_wrap_add(sum, dot);
      }
      output[(size_t)b * units + u] = output_value(p, sum);
    }
  }
}

void tfk_svdf_s8_s8(const tfk_svdf_params* p, const int8_t* input,
                    const int8_t* weights_feature, const int8_t* weights_time,
                    const int32_t* bias, int8_t* state, int8_t* output) {
  const int32_t row_count = p->batches * p->filters;
  const int32_t units = p->filters / p->rank;
  int32_t b, f, u, r, m;
  memmove(state, state + 1, (size_t)row_count * p->memory - 1);
  for (b = 0; b < p->batches; ++b) {
    for (f = 0; f < p->filters; ++f) {
      state[((size_t)b * p->filters + f) * p->memory + p->memory - 1] = (int8_t)feature_value(
          p, input + (size_t)b * p->input_size, weights_feature + (size_t)f * p->input_size,
          INT8_MIN, INT8_MAX);
    }
    for (u = 0; u < units; ++u) {
      int32_t sum = bias[u];
      for (r = 0; r < p->rank; ++r) {
        const int32_t filter = u * p->rank + r;
        const int8_t* s = state + ((size_t)b * p->filters + filter) * p->memory;
        const int8_t* w = weights_time + (size_t)filter * p->memory;
        int32_t dot = 0;
        for (m = 0; m < p->memory; ++m) {
          dot += (int32_t)w[m] * ((int32_t)s[m] - p->state_zero_point);
        }
        sum = tfk_wrap_add(sum, dot);
      }
      output[(size_t)b * units + u] = output_value(p, sum);
    }
  }
}
