/*
 * Binary elementwise int8 ops with broadcasting: ADD, SUB, MUL, MAXIMUM,
 * MINIMUM, PRELU.  Semantics of TFLite reference_integer_ops::Add /
 * BroadcastAdd6DSlow, reference_ops::Sub (int8), reference_integer_ops::Mul /
 * BroadcastMul6DSlow, reference_ops::MaximumMinimumBroadcastSlow and
 * reference_ops::BroadcastPrelu4DSlow.  Portable C (any core); on Helium cores
 * the generator calls tfk_add_s8_mve / tfk_sub_s8_mve (tfk_add_s8_mve.c).
 */
#include "tfk_add_common.h"
#include "tfk_broadcast.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

static void add_or_sub(const tfk_add_params* p, int is_sub, const tfk_shape* in1_shape,
                       const int8_t* in1, const tfk_shape* in2_shape, const int8_t* in2,
                       const tfk_shape* out_shape, int8_t* out) {
  tfk_bcast_iter it;
  tfk_bcast_run run;
  tfk_bcast_init(&it, in1_shape, in2_shape, out_shape);
  while (tfk_bcast_next(&it, &run)) {
    add_or_sub_run(p, is_sub, in1, in2, out, &run);
  }
}

void tfk_add_s8(const tfk_add_params* params, const tfk_shape* in1_shape, const int8_t* in1,
                const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                int8_t* out) {
  add_or_sub(params, 0, in1_shape, in1, in2_shape, in2, out_shape, out);
}

void tfk_sub_s8(const tfk_add_params* params, const tfk_shape* in1_shape, const int8_t* in1,
                const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                int8_t* out) {
  add_or_sub(params, 1, in1_shape, in1, in2_shape, in2, out_shape, out);
}

void tfk_mul_s8(const tfk_mul_params* params, const tfk_shape* in1_shape, const int8_t* in1,
                const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                int8_t* out) {
  tfk_bcast_iter it;
  tfk_bcast_run run;
  int32_t k;
  tfk_bcast_init(&it, in1_shape, in2_shape, out_shape);
  while (tfk_bcast_next(&it, &run)) {
    for (k = 0; k < run.len; ++k) {
      const int32_t a = (int32_t)in1[run.off1 + (size_t)k * run.step1] + params->input1_offset;
      const int32_t b = (int32_t)in2[run.off2 + (size_t)k * run.step2] + params->input2_offset;
      const int32_t r = params->output_offset +
                        tfk_requantize(a * b, params->output_multiplier, (int)params->output_shift);
      out[run.out_off + (size_t)k] =
          (int8_t)tfk_clamp_i32(r, params->activation_min, params->activation_max);
    }
  }
}

static void max_or_min(int is_min, const tfk_shape* in1_shape, const int8_t* in1,
                       const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                       int8_t* out) {
  tfk_bcast_iter it;
  tfk_bcast_run run;
  int32_t k;
  tfk_bcast_init(&it, in1_shape, in2_shape, out_shape);
  while (tfk_bcast_next(&it, &run)) {
    for (k = 0; k < run.len; ++k) {
      const int8_t a = in1[run.off1 + (size_t)k * run.step1];
      const int8_t b = in2[run.off2 + (size_t)k * run.step2];
      out[run.out_off + (size_t)k] = is_min ? (a < b ? a : b) : (a > b ? a : b);
    }
  }
}

void tfk_maximum_s8(const tfk_shape* in1_shape, const int8_t* in1, const tfk_shape* in2_shape,
                    const int8_t* in2, const tfk_shape* out_shape, int8_t* out) {
  max_or_min(0, in1_shape, in1, in2_shape, in2, out_shape, out);
}

void tfk_minimum_s8(const tfk_shape* in1_shape, const int8_t* in1, const tfk_shape* in2_shape,
                    const int8_t* in2, const tfk_shape* out_shape, int8_t* out) {
  max_or_min(1, in1_shape, in1, in2_shape, in2, out_shape, out);
}

void tfk_prelu_s8(const tfk_prelu_params* params, const tfk_shape* input_shape,
                  const int8_t* input, const tfk_shape* alpha_shape, const int8_t* alpha,
                  const tfk_shape* out_shape, int8_t* out) {
  tfk_bcast_iter it;
  tfk_bcast_run run;
  int32_t k;
  tfk_bcast_init(&it, input_shape, alpha_shape, out_shape);
  while (tfk_bcast_next(&it, &run)) {
    for (k = 0; k < run.len; ++k) {
      const int32_t x = params->input_offset + input[run.off1 + (size_t)k * run.step1];
      int32_t r;
      if (x >= 0) {
        r = tfk_requantize(x, params->output_multiplier_1, (int)params->output_shift_1);
      } else {
        const int32_t a = params->alpha_offset + alpha[run.off2 + (size_t)k * run.step2];
        r = tfk_requantize(x * a, params->output_multiplier_2, (int)params->output_shift_2);
      }
      r += params->output_offset;
      out[run.out_off + (size_t)k] = (int8_t)tfk_clamp_i32(r, INT8_MIN, INT8_MAX);
    }
  }
}
