/*
 * Convolutions: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV (int8).
 * Semantics of TFLite reference_integer_ops::ConvPerChannel,
 * DepthwiseConvPerChannel and TransposeConv.
 */
#include <string.h>

#include "tfk_kernels.h"
#include "tfk_math.h"

/* Requantizes one int32 accumulator of output channel `ch`. */
static int8_t requantize_channel(int32_t acc, const tfk_per_channel_quant* quant, int32_t ch,
                                 int32_t output_offset, int32_t act_min, int32_t act_max) {
  acc = tfk_requantize(acc, quant->multiplier[ch], (int)quant->shift[ch]);
  acc += output_offset;
  return (int8_t)tfk_clamp_i32(acc, act_min, act_max);
}

void tfk_conv2d_s8(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                   const tfk_dims4* input_dims, const int8_t* input,
                   const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                   const tfk_dims4* output_dims, int8_t* output) {
  const int32_t batches = input_dims->n;
  const int32_t input_h = input_dims->h;
  const int32_t input_w = input_dims->w;
  const int32_t input_c = input_dims->c;
  const int32_t filter_h = filter_dims->h;
  const int32_t filter_w = filter_dims->w;
  const int32_t filter_c = filter_dims->c;
  const int32_t output_h = output_dims->h;
  const int32_t output_w = output_dims->w;
  const int32_t output_c = output_dims->c;
  const int32_t groups = input_c / filter_c;
  const int32_t filters_per_group = output_c / groups;
  int32_t b, oy, ox, oc, ky, kx, ic;

  for (b = 0; b < batches; ++b) {
    for (oy = 0; oy < output_h; ++oy) {
      const int32_t in_y_origin = oy * params->stride_h - params->pad_h;
      for (ox = 0; ox < output_w; ++ox) {
        const int32_t in_x_origin = ox * params->stride_w - params->pad_w;
        for (oc = 0; oc < output_c; ++oc) {
          const int32_t group = oc / filters_per_group;
          const int8_t* filter_oc = filter + (size_t)oc * filter_h * filter_w * filter_c;
          int32_t acc = 0;
          for (ky = 0; ky < filter_h; ++ky) {
            const int32_t in_y = in_y_origin + params->dilation_h * ky;
            if (in_y < 0 || in_y >= input_h) continue;
            for (kx = 0; kx < filter_w; ++kx) {
              const int32_t in_x = in_x_origin + params->dilation_w * kx;
              const int8_t* in_px;
              const int8_t* f_px;
              if (in_x < 0 || in_x >= input_w) continue;
              in_px = input + (((size_t)b * input_h + in_y) * input_w + in_x) * input_c +
                      (size_t)group * filter_c;
              f_px = filter_oc + ((size_t)ky * filter_w + kx) * filter_c;
              for (ic = 0; ic < filter_c; ++ic) {
                acc += (int32_t)f_px[ic] * ((int32_t)in_px[ic] + params->input_offset);
              }
            }
          }
          if (bias) acc += bias[oc];
          output[(((size_t)b * output_h + oy) * output_w + ox) * output_c + oc] =
              requantize_channel(acc, quant, oc, params->output_offset, params->activation_min,
                                 params->activation_max);
        }
      }
    }
  }
}

void tfk_depthwise_conv2d_s8(const tfk_dw_conv_params* params, const tfk_per_channel_quant* quant,
                             const tfk_dims4* input_dims, const int8_t* input,
                             const tfk_dims4* filter_dims, const int8_t* filter,
                             const int32_t* bias, const tfk_dims4* output_dims, int8_t* output) {
  const int32_t batches = input_dims->n;
  const int32_t input_h = input_dims->h;
  const int32_t input_w = input_dims->w;
  const int32_t input_c = input_dims->c;
  const int32_t filter_h = filter_dims->h;
  const int32_t filter_w = filter_dims->w;
  const int32_t filter_c = filter_dims->c; /* == output channels */
  const int32_t output_h = output_dims->h;
  const int32_t output_w = output_dims->w;
  const int32_t output_c = output_dims->c;
  const int32_t depth_multiplier = params->depth_multiplier;
  int32_t b, oy, ox, ic, m, ky, kx;

  for (b = 0; b < batches; ++b) {
    for (oy = 0; oy < output_h; ++oy) {
      const int32_t in_y_origin = oy * params->stride_h - params->pad_h;
      for (ox = 0; ox < output_w; ++ox) {
        const int32_t in_x_origin = ox * params->stride_w - params->pad_w;
        for (ic = 0; ic < input_c; ++ic) {
          for (m = 0; m < depth_multiplier; ++m) {
            const int32_t oc = m + ic * depth_multiplier;
            int32_t acc = 0;
            for (ky = 0; ky < filter_h; ++ky) {
              const int32_t in_y = in_y_origin + params->dilation_h * ky;
              if (in_y < 0 || in_y >= input_h) continue;
              for (kx = 0; kx < filter_w; ++kx) {
                const int32_t in_x = in_x_origin + params->dilation_w * kx;
                int32_t in_val, f_val;
                if (in_x < 0 || in_x >= input_w) continue;
                in_val = input[(((size_t)b * input_h + in_y) * input_w + in_x) * input_c + ic];
                f_val = filter[((size_t)ky * filter_w + kx) * filter_c + oc];
                acc += f_val * (in_val + params->input_offset);
              }
            }
            if (bias) acc += bias[oc];
            output[(((size_t)b * output_h + oy) * output_w + ox) * output_c + oc] =
                requantize_channel(acc, quant, oc, params->output_offset,
                                   params->activation_min, params->activation_max);
          }
        }
      }
    }
  }
}

void tfk_transpose_conv_s8(const tfk_transpose_conv_params* params,
                           const tfk_per_channel_quant* quant, const tfk_dims4* input_dims,
                           const int8_t* input, const tfk_dims4* filter_dims, const int8_t* filter,
                           const int32_t* bias, const tfk_dims4* output_dims, int8_t* output,
                           int32_t* scratch) {
  const int32_t batches = input_dims->n;
  const int32_t input_h = input_dims->h;
  const int32_t input_w = input_dims->w;
  const int32_t input_c = input_dims->c;
  const int32_t filter_h = filter_dims->h;
  const int32_t filter_w = filter_dims->w;
  const int32_t output_h = output_dims->h;
  const int32_t output_w = output_dims->w;
  const int32_t output_c = output_dims->c;
  const size_t num_elements = (size_t)output_dims->n * output_h * output_w * output_c;
  int32_t b, iy, ix, ic, ky, kx, oc, oy, ox;

  memset(scratch, 0, num_elements * sizeof(int32_t));
  /* Scatter every input value into the outputs it influences. */
  for (b = 0; b < batches; ++b) {
    for (iy = 0; iy < input_h; ++iy) {
      for (ix = 0; ix < input_w; ++ix) {
        const int32_t out_x_origin = ix * params->stride_w - params->pad_w;
        const int32_t out_y_origin = iy * params->stride_h - params->pad_h;
        for (ic = 0; ic < input_c; ++ic) {
          const int32_t in_val =
              (int32_t)input[(((size_t)b * input_h + iy) * input_w + ix) * input_c + ic] +
              params->input_offset;
          for (ky = 0; ky < filter_h; ++ky) {
            const int32_t out_y = out_y_origin + ky;
            if (out_y < 0 || out_y >= output_h) continue;
            for (kx = 0; kx < filter_w; ++kx) {
              const int32_t out_x = out_x_origin + kx;
              int32_t* acc_px;
              if (out_x < 0 || out_x >= output_w) continue;
              acc_px = scratch + (((size_t)b * output_h + out_y) * output_w + out_x) * output_c;
              for (oc = 0; oc < output_c; ++oc) {
                const int32_t f_val =
                    filter[(((size_t)oc * filter_h + ky) * filter_w + kx) * input_c + ic];
                acc_px[oc] += in_val * f_val;
              }
            }
          }
        }
      }
    }
  }
  for (b = 0; b < batches; ++b) {
    for (oy = 0; oy < output_h; ++oy) {
      for (ox = 0; ox < output_w; ++ox) {
        const size_t base = (((size_t)b * output_h + oy) * output_w + ox) * output_c;
        for (oc = 0; oc < output_c; ++oc) {
          int32_t acc = scratch[base + oc];
          if (bias) acc += bias[oc];
          output[base + oc] = requantize_channel(acc, quant, oc, params->output_offset,
                                                 params->activation_min, params->activation_max);
        }
      }
    }
  }
}
