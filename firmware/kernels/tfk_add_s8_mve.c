/*
 * ADD and SUB int8 with broadcasting (TFLite reference_integer_ops::Add /
 * BroadcastAdd6DSlow, reference_ops::Sub), Helium variant (MVE: Cortex-M55):
 * contiguous runs rescaled four elements per vector.  Same bytes as tfk_add_s8 /
 * tfk_sub_s8; the generator (OpEmitter.elementwiseKernel) calls them only on
 * Helium cores.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

#if TFK_MVE_RQ

#include "tfk_add_common.h"

/* Helium: `len` contiguous elements, four per vector.  tfk_requantize_below_one
 * (shift <= 0) is tfk_requantize, so each of the three rescalings is tfk_requantize4_mve (equal
 * to tfk_requantize, see tfk_simd.h); the left shift wraps like tfk_wrap_shift_left; the
 * last group is VCTP-predicated. */
static void add_or_sub_run_mve(const tfk_add_params* p, int is_sub, const int8_t* in1,
                               const int8_t* in2, int8_t* out, int32_t len) {
  const int32x4_t m1 = vdupq_n_s32(p->input1_multiplier), s1 = vdupq_n_s32(p->input1_shift);
  const int32x4_t m2 = vdupq_n_s32(p->input2_multiplier), s2 = vdupq_n_s32(p->input2_shift);
  const int32x4_t mo = vdupq_n_s32(p->output_multiplier), so = vdupq_n_s32(p->output_shift);
  const int32x4_t ls = vdupq_n_s32(p->left_shift);
  int32_t k;
  for (k = 0; k < len; k += 4) {
    const mve_pred16_t pr = vctp32q((uint32_t)(len - k));
    const int32x4_t x1 = vldrbq_z_s32(in1 + k, pr);
    const int32x4_t x2 = vldrbq_z_s32(in2 + k, pr);
    const int32x4_t a = tfk_requantize4_mve(vshlq_s32(vaddq_n_s32(x1, p->input1_offset), ls), m1, s1);
    const int32x4_t b = tfk_requantize4_mve(vshlq_s32(vaddq_n_s32(x2, p->input2_offset), ls), m2, s2);
    const int32x4_t r = vaddq_n_s32(
        tfk_requantize4_mve(is_sub ? vsubq_s32(a, b) : vaddq_s32(a, b), mo, so), p->output_offset);
    vstrbq_p_s32(out + k,
                 vminq_s32(vmaxq_s32(r, vdupq_n_s32(p->activation_min)),
                           vdupq_n_s32(p->activation_max)),
                 pr);
  }
}

/* Number of elements of a shape. */
static size_t shape_count(const tfk_shape* s) {
  size_t n = 1;
  int32_t i;
  for (i = 0; i < s->rank; ++i) n *= (size_t)s->dims[i];
  return n;
}

static void add_or_sub_mve(const tfk_add_params* p, int is_sub, const tfk_shape* in1_shape,
                           const int8_t* in1, const tfk_shape* in2_shape, const int8_t* in2,
                           const tfk_shape* out_shape, int8_t* out) {
  tfk_bcast_iter it;
  tfk_bcast_run run;
  /* No broadcasting (each input has as many elements as the output, which with
   * broadcast rules means the same layout): one run over the whole tensor. */
  if (shape_count(in1_shape) == shape_count(out_shape) &&
      shape_count(in2_shape) == shape_count(out_shape)) {
    add_or_sub_run_mve(p, is_sub, in1, in2, out, (int32_t)shape_count(out_shape));
    return;
  }
  tfk_bcast_init(&it, in1_shape, in2_shape, out_shape);
  while (tfk_bcast_next(&it, &run)) {
    if (run.step1 == 1 && run.step2 == 1) {
      add_or_sub_run_mve(p, is_sub, in1 + run.off1, in2 + run.off2, out + run.out_off, run.len);
      continue;
    }
    add_or_sub_run(p, is_sub, in1, in2, out, &run);
  }
}

void tfk_add_s8_mve(const tfk_add_params* params, const tfk_shape* in1_shape, const int8_t* in1,
                    const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                    int8_t* out) {
  add_or_sub_mve(params, 0, in1_shape, in1, in2_shape, in2, out_shape, out);
}

void tfk_sub_s8_mve(const tfk_add_params* params, const tfk_shape* in1_shape, const int8_t* in1,
                    const tfk_shape* in2_shape, const int8_t* in2, const tfk_shape* out_shape,
                    int8_t* out) {
  add_or_sub_mve(params, 1, in1_shape, in1, in2_shape, in2, out_shape, out);
}

#endif /* TFK_MVE_RQ */
