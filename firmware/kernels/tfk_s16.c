/*
 * 16x8 kernels: int16 activations with zero point 0, int8 weights, int64 bias
 * and accumulator, as TFLM's reference int16 kernels (ConvPerChannel,
 * DepthwiseConvPerChannel and FullyConnected with int16 input, MaxPool16,
 * AveragePool16).  Portable C; no input or output offsets (TFLM applies none
 * for int16).
 */
#include "tfk_broadcast.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

/* TFLite's MultiplyByQuantizedMultiplier(int64_t, int32_t, int): the double
 * rounding build first rounds the multiplier to 16 bits, then shifts the
 * 64-bit product once, rounding half up. */
static int32_t requantize_wide(int64_t x, int32_t quantized_multiplier, int shift) {
#if TFK_SINGLE_ROUNDING
  const int total_shift = 31 - shift;
  return (int32_t)((x * quantized_multiplier + ((int64_t)1 << (total_shift - 1))) >> total_shift);
#else
  const int32_t reduced =
      quantized_multiplier < 0x7FFF0000 ? (quantized_multiplier + (1 << 15)) >> 16 : 0x7FFF;
  const int total_shift = 15 - shift;
  return (int32_t)((x * reduced + ((int64_t)1 << (total_shift - 1))) >> total_shift);
#endif
}

static int16_t requantize16(int64_t acc, int32_t multiplier, int32_t shift, int32_t act_min,
                            int32_t act_max) {
  return (int16_t)tfk_clamp_i32(requantize_wide(acc, multiplier, (int)shift), act_min, act_max);
}

void tfk_conv2d_s16(const tfk_conv_params* p, const tfk_per_channel_quant* quant,
                    const tfk_dims4* in_dims, const int16_t* input, const tfk_dims4* filter_dims,
                    const int8_t* filter, const int64_t* bias, const tfk_dims4* out_dims,
                    int16_t* output) {
  const int32_t in_h = in_dims->h, in_w = in_dims->w, in_c = in_dims->c;
  const int32_t f_h = filter_dims->h, f_w = filter_dims->w, f_c = filter_dims->c;
  const int32_t out_c = out_dims->c;
  const int32_t per_group = out_c / (in_c / f_c);
  int32_t b, oy, ox, oc, fy, fx, c;
  for (b = 0; b < out_dims->n; ++b) {
    for (oy = 0; oy < out_dims->h; ++oy) {
      for (ox = 0; ox < out_dims->w; ++ox) {
        for (oc = 0; oc < out_c; ++oc) {
          const int32_t c0 = (oc / per_group) * f_c;
          int64_t acc = 0;
          for (fy = 0; fy < f_h; ++fy) {
            const int32_t y = oy * p->stride_h - p->pad_h + p->dilation_h * fy;
            if (y < 0 || y >= in_h) continue;
            for (fx = 0; fx < f_w; ++fx) {
              const int32_t x = ox * p->stride_w - p->pad_w + p->dilation_w * fx;
              const int16_t* in_px;
              const int8_t* f_px;
              if (x < 0 || x >= in_w) continue;
              in_px = input + (((size_t)b * in_h + y) * in_w + x) * in_c + c0;
              f_px = filter + (((size_t)oc * f_h + fy) * f_w + fx) * f_c;
              for (c = 0; c < f_c; ++c) {
                acc += (int32_t)f_px[c] * (int32_t)in_px[c];
              }
            }
          }
          if (bias) acc += bias[oc];
          output[(((size_t)b * out_dims->h + oy) * out_dims->w + ox) * out_c + oc] = requantize16(
              acc, quant->multiplier[oc], quant->shift[oc], p->activation_min, p->activation_max);
        }
      }
    }
  }
}

void tfk_depthwise_conv2d_s16(const tfk_dw_conv_params* p, const tfk_per_channel_quant* quant,
                              const tfk_dims4* in_dims, const int16_t* input,
                              const tfk_dims4* filter_dims, const int8_t* filter,
                              const int64_t* bias, const tfk_dims4* out_dims, int16_t* output) {
  const int32_t in_h = in_dims->h, in_w = in_dims->w, in_c = in_dims->c;
  const int32_t f_h = filter_dims->h, f_w = filter_dims->w;
  const int32_t out_c = out_dims->c;
  int32_t b, oy, ox, ic, m, fy, fx;
  for (b = 0; b < out_dims->n; ++b) {
    for (oy = 0; oy < out_dims->h; ++oy) {
      for (ox = 0; ox < out_dims->w; ++ox) {
        for (ic = 0; ic < in_c; ++ic) {
          for (m = 0; m < p->depth_multiplier; ++m) {
            const int32_t oc = ic * p->depth_multiplier + m;
            int64_t acc = 0;
            for (fy = 0; fy < f_h; ++fy) {
              const int32_t y = oy * p->stride_h - p->pad_h + p->dilation_h * fy;
              if (y < 0 || y >= in_h) continue;
              for (fx = 0; fx < f_w; ++fx) {
                const int32_t x = ox * p->stride_w - p->pad_w + p->dilation_w * fx;
                if (x < 0 || x >= in_w) continue;
                acc += (int32_t)filter[((size_t)fy * f_w + fx) * out_c + oc] *
                       (int32_t)input[(((size_t)b * in_h + y) * in_w + x) * in_c + ic];
              }
            }
            if (bias) acc += bias[oc];
            output[(((size_t)b * out_dims->h + oy) * out_dims->w + ox) * out_c + oc] = requantize16(
                acc, quant->multiplier[oc], quant->shift[oc], p->activation_min, p->activation_max);
          }
        }
      }
    }
  }
}

void tfk_fully_connected_s16(const tfk_fc_params* p, const tfk_per_channel_quant* quant,
                             const tfk_fc_dims* dims, const int16_t* input, const int8_t* filter,
                             const int64_t* bias, int16_t* output) {
  int32_t b, oc, d;
  for (b = 0; b < dims->batches; ++b) {
    const int16_t* in_row = input + (size_t)b * dims->accum_depth;
    for (oc = 0; oc < dims->output_depth; ++oc) {
      const int8_t* f_row = filter + (size_t)oc * dims->accum_depth;
      int64_t acc = 0;
      const int32_t mult = quant ? quant->multiplier[oc] : p->output_multiplier;
      const int32_t shift = quant ? quant->shift[oc] : p->output_shift;
      for (d = 0; d < dims->accum_depth; ++d) {
        acc += ((int32_t)f_row[d] + p->filter_offset) * (int32_t)in_row[d];
      }
      if (bias) acc += bias[oc];
      output[(size_t)b * dims->output_depth + oc] =
          requantize16(acc, mult, shift, p->activation_min, p->activation_max);
    }
  }
}

/* One pooling window clipped to the input, as TFLM clips it. */
static void pool_s16(const tfk_pool_params* p, const tfk_dims4* in_dims, const int16_t* input,
                     const tfk_dims4* out_dims, int16_t* output, int average) {
  const int32_t in_h = in_dims->h, in_w = in_dims->w, depth = in_dims->c;
  int32_t b, oy, ox, c, fy, fx;
  for (b = 0; b < out_dims->n; ++b) {
    for (oy = 0; oy < out_dims->h; ++oy) {
      for (ox = 0; ox < out_dims->w; ++ox) {
        const int32_t y0 = oy * p->stride_h - p->pad_h;
        const int32_t x0 = ox * p->stride_w - p->pad_w;
        const int32_t fy0 = y0 < 0 ? -y0 : 0;
        const int32_t fy1 = p->filter_h < in_h - y0 ? p->filter_h : in_h - y0;
        const int32_t fx0 = x0 < 0 ? -x0 : 0;
        const int32_t fx1 = p->filter_w < in_w - x0 ? p->filter_w : in_w - x0;
        for (c = 0; c < depth; ++c) {
          int32_t acc = average ? 0 : INT16_MIN;
          int32_t count = 0;
          for (fy = fy0; fy < fy1; ++fy) {
            for (fx = fx0; fx < fx1; ++fx) {
              const int32_t v = input[(((size_t)b * in_h + y0 + fy) * in_w + x0 + fx) * depth + c];
              if (average) {
                acc += v;
              } else if (v > acc) {
                acc = v;
              }
              ++count;
            }
          }
          if (average) {
            acc = count == 0 ? 0
                  : (acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count);
          }
          output[(((size_t)b * out_dims->h + oy) * out_dims->w + ox) * depth + c] =
              (int16_t)tfk_clamp_i32(acc, p->activation_min, p->activation_max);
        }
      }
    }
  }
}

void tfk_avg_pool2d_s16(const tfk_pool_params* params, const tfk_dims4* input_dims,
                        const int16_t* input, const tfk_dims4* output_dims, int16_t* output) {
  pool_s16(params, input_dims, input, output_dims, output, 1);
}

void tfk_max_pool2d_s16(const tfk_pool_params* params, const tfk_dims4* input_dims,
                        const int16_t* input, const tfk_dims4* output_dims, int16_t* output) {
  pool_s16(params, input_dims, input, output_dims, output, 0);
}

/* ADD / SUB int16: each operand shifted left by params->left_shift (15) and
 * rescaled, summed or subtracted, rescaled, clamped (TFLite AddElementwise /
 * SubElementwise on int16, broadcasting as BroadcastAdd6DSlow). */
static void add_or_sub_s16(const tfk_add_params* p, int is_sub, const tfk_shape* in1_shape,
                           const int16_t* in1, const tfk_shape* in2_shape, const int16_t* in2,
                           const tfk_shape* out_shape, int16_t* out) {
  tfk_bcast_iter it;
  tfk_bcast_run run;
  int32_t k;
  tfk_bcast_init(&it, in1_shape, in2_shape, out_shape);
  while (tfk_bcast_next(&it, &run)) {
    for (k = 0; k < run.len; ++k) {
      const int32_t a = tfk_requantize_below_one(
          tfk_wrap_shift_left(in1[run.off1 + (size_t)k * run.step1] + p->input1_offset, (int)p->left_shift),
          p->input1_multiplier, (int)p->input1_shift);
      const int32_t b = tfk_requantize_below_one(
          tfk_wrap_shift_left(in2[run.off2 + (size_t)k * run.step2] + p->input2_offset, (int)p->left_shift),
          p->input2_multiplier, (int)p->input2_shift);
      const int32_t raw = tfk_requantize_below_one(is_sub ? tfk_wrap_sub(a, b) : tfk_wrap_add(a, b),
                                                    p->output_multiplier, (int)p->output_shift) +
                          p->output_offset;
      out[run.out_off + (size_t)k] = (int16_t)tfk_clamp_i32(raw, p->activation_min, p->activation_max);
    }
  }
}

void tfk_add_s16(const tfk_add_params* params, const tfk_shape* in1_shape, const int16_t* in1,
                 const tfk_shape* in2_shape, const int16_t* in2, const tfk_shape* out_shape,
                 int16_t* out) {
  add_or_sub_s16(params, 0, in1_shape, in1, in2_shape, in2, out_shape, out);
}

void tfk_sub_s16(const tfk_add_params* params, const tfk_shape* in1_shape, const int16_t* in1,
                 const tfk_shape* in2_shape, const int16_t* in2, const tfk_shape* out_shape,
                 int16_t* out) {
  add_or_sub_s16(params, 1, in1_shape, in1, in2_shape, in2, out_shape, out);
}

/* MUL int16: the product of the offset operands rescaled once (TFLite
 * MulElementwise on int16; |product| <= 2^30 fits int32), broadcasting. */
void tfk_mul_s16(const tfk_mul_params* p, const tfk_shape* in1_shape, const int16_t* in1,
                 const tfk_shape* in2_shape, const int16_t* in2, const tfk_shape* out_shape,
                 int16_t* out) {
  tfk_bcast_iter it;
  tfk_bcast_run run;
  int32_t k;
  tfk_bcast_init(&it, in1_shape, in2_shape, out_shape);
  while (tfk_bcast_next(&it, &run)) {
    for (k = 0; k < run.len; ++k) {
      const int32_t a = in1[run.off1 + (size_t)k * run.step1] + p->input1_offset;
      const int32_t b = in2[run.off2 + (size_t)k * run.step2] + p->input2_offset;
      const int32_t v = p->output_offset + tfk_requantize(a * b, p->output_multiplier, (int)p->output_shift);
      out[run.out_off + (size_t)k] = (int16_t)tfk_clamp_i32(v, p->activation_min, p->activation_max);
    }
  }
}

/* MEAN int16: QuantizedMeanOrSum on int16 values with 1/count folded into
 * params->multiplier/shift by the compiler (params->folded_count = count);
 * each output sums its reduced sub-space in int32 (wrapping, as TFLM's int32
 * temp sum). */
void tfk_mean_s16(const tfk_mean_params* p, const tfk_shape* s, const int16_t* input,
                  int16_t* output) {
  int32_t reduced[TFK_MAX_DIMS] = {0};
  size_t stride[TFK_MAX_DIMS];
  size_t out_count = 1;
  size_t o;
  int32_t d;
  for (d = 0; d < p->num_axes; ++d) reduced[p->axes[d]] = 1;
  for (d = s->rank - 1; d >= 0; --d) {
    stride[d] = d == s->rank - 1 ? 1u : stride[d + 1] * (size_t)s->dims[d + 1];
    if (!reduced[d]) out_count *= (size_t)s->dims[d];
  }
  for (o = 0; o < out_count; ++o) {
    int32_t idx[TFK_MAX_DIMS] = {0};
    size_t base = 0, rem = o;
    int32_t sum = 0;
    int32_t v = 0;
    for (d = s->rank - 1; d >= 0; --d) {
      if (!reduced[d]) {
        base += (rem % (size_t)s->dims[d]) * stride[d];
        rem /= (size_t)s->dims[d];
      }
    }
    if (p->folded_count > 0) {
      for (;;) {
        size_t off = base;
        for (d = 0; d < s->rank; ++d) off += (size_t)idx[d] * stride[d];
        sum = tfk_wrap_add(sum, input[off]);
        for (d = s->rank - 1; d >= 0; --d) {
          if (reduced[d] && ++idx[d] < s->dims[d]) break;
          idx[d] = 0;
        }
        if (d < 0) break;
      }
      v = tfk_requantize((int32_t)((int64_t)sum - (int64_t)p->input_zero_point * p->folded_count),
                   p->multiplier, (int)p->shift) +
          p->output_zero_point;
      v = tfk_clamp_i32(v, INT16_MIN, INT16_MAX);
    }
    output[o] = (int16_t)v;
  }
}
