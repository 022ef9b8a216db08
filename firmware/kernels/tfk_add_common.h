/*
 * tfk_add_common.h - private to the ADD / SUB kernel files (tfk_elementwise.c,
 * tfk_add_s8_mve.c): the reference's rescaling steps.  Static functions, one
 * copy per file that uses them.
 */
#ifndef TFK_ADD_COMMON_H
#define TFK_ADD_COMMON_H

#include "tfk_broadcast.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

/* Input value rescaled onto the common ADD/SUB scale (TFLite AddElementwise). */
static int32_t add_scaled_input(int32_t raw, int32_t offset, int32_t left_shift,
                                int32_t multiplier, int32_t shift) {
  const int32_t shifted = tfk_wrap_shift_left(raw + offset, (int)left_shift);
  return tfk_requantize_below_one(shifted, multiplier, (int)shift);
}

static int8_t add_output(const tfk_add_params* p, int32_t raw_sum) {
  const int32_t raw_output =
      tfk_requantize_below_one(raw_sum, p->output_multiplier, (int)p->output_shift) +
      p->output_offset;
  return (int8_t)tfk_clamp_i32(raw_output, p->activation_min, p->activation_max);
}

/* One run of the broadcast iterator, element by element (any steps). */
static void add_or_sub_run(const tfk_add_params* p, int is_sub, const int8_t* in1, const int8_t* in2,
                           int8_t* out, const tfk_bcast_run* run) {
  int32_t k;
  for (k = 0; k < run->len; ++k) {
    const int32_t a = add_scaled_input(in1[run->off1 + (size_t)k * run->step1], p->input1_offset,
                                       p->left_shift, p->input1_multiplier, p->input1_shift);
    const int32_t b = add_scaled_input(in2[run->off2 + (size_t)k * run->step2], p->input2_offset,
                                       p->left_shift, p->input2_multiplier, p->input2_shift);
    out[run->out_off + (size_t)k] = add_output(p, is_sub ? tfk_wrap_sub(a, b) : tfk_wrap_add(a, b));
  }
}

#endif /* TFK_ADD_COMMON_H */
