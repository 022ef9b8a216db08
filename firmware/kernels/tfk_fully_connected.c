/*
 * FULLY_CONNECTED int8: TFLite reference_integer_ops::FullyConnected
 * (per-tensor) and FullyConnectedPerChannel.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"

static int32_t dot_s8(const tfk_fc_params* params, const int8_t* in_row, const int8_t* w_row,
                      int32_t depth) {
  int32_t acc = 0;
  int32_t d;
  for (d = 0; d < depth; ++d) {
    acc += ((int32_t)w_row[d] + params->filter_offset) * ((int32_t)in_row[d] + params->input_offset);
  }
  return acc;
}

void tfk_fully_connected_s8(const tfk_fc_params* params, const tfk_fc_dims* dims,
                            const int8_t* input, const int8_t* filter, const int32_t* bias,
                            int8_t* output) {
  int32_t b, oc;
  for (b = 0; b < dims->batches; ++b) {
    const int8_t* in_row = input + (size_t)b * dims->accum_depth;
    for (oc = 0; oc < dims->output_depth; ++oc) {
      int32_t acc = dot_s8(params, in_row, filter + (size_t)oc * dims->accum_depth,
                           dims->accum_depth);
      if (bias) acc += bias[oc];
      acc = tfk_mbqm(acc, params->output_multiplier, (int)params->output_shift);
      acc += params->output_offset;
      output[(size_t)b * dims->output_depth + oc] =
          (int8_t)tfk_clamp_i32(acc, params->activation_min, params->activation_max);
    }
  }
}

void tfk_fully_connected_per_channel_s8(const tfk_fc_params* params,
                                        const tfk_per_channel_quant* quant,
                                        const tfk_fc_dims* dims, const int8_t* input,
                                        const int8_t* filter, const int32_t* bias,
                                        int8_t* output) {
  int32_t b, oc;
  for (b = 0; b < dims->batches; ++b) {
    const int8_t* in_row = input + (size_t)b * dims->accum_depth;
    for (oc = 0; oc < dims->output_depth; ++oc) {
      int32_t acc = dot_s8(params, in_row, filter + (size_t)oc * dims->accum_depth,
                           dims->accum_depth);
      if (bias) acc += bias[oc];
      acc = tfk_mbqm(acc, quant->multiplier[oc], (int)quant->shift[oc]);
      acc += params->output_offset;
      output[(size_t)b * dims->output_depth + oc] =
          (int8_t)tfk_clamp_i32(acc, params->activation_min, params->activation_max);
    }
  }
}
