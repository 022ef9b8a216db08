/*
 * ADD, SUB and MUL int8 without broadcasting: both inputs have the output's
 * shape, so the tensors are one flat run (the code generator calls these only
 * then; tfk_add_s8 & co. handle broadcasting).  Same bytes as tfk_add_s8,
 * tfk_sub_s8 and tfk_mul_s8 (TFLite reference_integer_ops::Add / Sub / Mul).
 *
 * ADD / SUB: each input's rescaled value (offset, left shift, multiplier)
 * depends on its int8 value alone, so for long tensors it is computed once
 * per possible value into a 256-entry table on the stack (2 KiB for both
 * inputs) and looked up per element; only the output rescaling runs per
 * element.  TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp (shift
 * <= 0) is tfk_requantize, so tfk_requantize_fast gives its bytes.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

/* Below this many elements the two tables cost more than they save. */
#define FLAT_TABLE_MIN 512

/* Input value rescaled onto the common ADD/SUB scale (TFLite AddElementwise). */
static int32_t scaled_input(int32_t raw, int32_t offset, int32_t left_shift, int32_t multiplier,
                            int32_t shift) {
  const int32_t shifted = tfk_wrap_shift_left(raw + offset, (int)left_shift);
  return tfk_requantize_below_one(shifted, multiplier, (int)shift);
}

TFK_INLINE int8_t add_output(const tfk_add_params* p, int32_t raw_sum) {
  const int32_t raw_output =
      tfk_requantize_fast(raw_sum, p->output_multiplier, (int)p->output_shift) + p->output_offset;
  return (int8_t)tfk_clamp_i32(raw_output, p->activation_min, p->activation_max);
}

/* Clamp to int8: one SSAT on a DSP core. */
#if TFK_USE_DSP && !defined(TFK_EMULATE_DSP)
#define FLAT_SAT8(x) __ssat((x), 8)
#else
#define FLAT_SAT8(x) tfk_clamp_i32((x), INT8_MIN, INT8_MAX)
#endif

#if !TFK_SINGLE_ROUNDING
/* out = clamp(rescale(t1[a] + t2[b])) over a run, tfk_requantize_fast's one-multiply
 * case.  Inlined twice, once with the int8 range as constants (no activation:
 * the clamp is one SSAT, which GCC does not find on its own). */
TFK_INLINE void add_rshift_run(const int32_t* t1, const int32_t* t2, int32_t count,
                               const int8_t* in1, const int8_t* in2, int8_t* out, int32_t mult,
                               int32_t rs1, int32_t off, int32_t lo, int32_t hi) {
  int32_t i;
  for (i = 0; i < count; ++i) {
    const int32_t sum = tfk_wrap_add(t1[in1[i]], t2[in2[i]]);
    const int32_t r = tfk_requantize_rshift(sum, mult, (int)rs1) + off;
    out[i] = (int8_t)(lo == INT8_MIN && hi == INT8_MAX ? FLAT_SAT8(r) : tfk_clamp_i32(r, lo, hi));
  }
}
#endif

static void add_or_sub_flat(const tfk_add_params* p, int is_sub, int32_t count, const int8_t* in1,
                            const int8_t* in2, int8_t* out) {
  int32_t i;
  if (count >= FLAT_TABLE_MIN) {
    int32_t table1[256], table2[256];
    /* indexed by the signed value: entry v is at [128 + v] */
    const int32_t* t1 = table1 + 128;
    const int32_t* t2 = table2 + 128;
    int32_t v;
    for (v = -128; v < 128; ++v) {
      table1[128 + v] =
          scaled_input(v, p->input1_offset, p->left_shift, p->input1_multiplier, p->input1_shift);
      table2[128 + v] =
          scaled_input(v, p->input2_offset, p->left_shift, p->input2_multiplier, p->input2_shift);
    }
#if !TFK_SINGLE_ROUNDING
    if (p->output_shift < 0 && p->output_multiplier >= 0) {
      /* tfk_requantize_fast's one-multiply case, decided once; the parameters live in
       * locals because every int8 store could alias *p for the compiler */
      const int32_t mult = p->output_multiplier, rs1 = -p->output_shift - 1;
      const int32_t off = p->output_offset, lo = p->activation_min, hi = p->activation_max;
      if (is_sub) { /* a - b = a + (-b) modulo 2^32 */
        for (v = 0; v < 256; ++v) table2[v] = tfk_wrap_sub(0, table2[v]);
      }
      if (lo == INT8_MIN && hi == INT8_MAX) {
        add_rshift_run(t1, t2, count, in1, in2, out, mult, rs1, off, INT8_MIN, INT8_MAX);
      } else {
        add_rshift_run(t1, t2, count, in1, in2, out, mult, rs1, off, lo, hi);
      }
      return;
    }
#endif
    if (is_sub) {
      for (i = 0; i < count; ++i) out[i] = add_output(p, tfk_wrap_sub(t1[in1[i]], t2[in2[i]]));
    } else {
      for (i = 0; i < count; ++i) out[i] = add_output(p, tfk_wrap_add(t1[in1[i]], t2[in2[i]]));
    }
    return;
  }
  for (i = 0; i < count; ++i) {
    const int32_t a =
        scaled_input(in1[i], p->input1_offset, p->left_shift, p->input1_multiplier, p->input1_shift);
    const int32_t b =
        scaled_input(in2[i], p->input2_offset, p->left_shift, p->input2_multiplier, p->input2_shift);
    out[i] = add_output(p, is_sub ? tfk_wrap_sub(a, b) : tfk_wrap_add(a, b));
  }
}

void tfk_add_flat_s8(const tfk_add_params* params, int32_t count, const int8_t* in1,
                     const int8_t* in2, int8_t* out) {
  add_or_sub_flat(params, 0, count, in1, in2, out);
}

void tfk_sub_flat_s8(const tfk_add_params* params, int32_t count, const int8_t* in1,
                     const int8_t* in2, int8_t* out) {
  add_or_sub_flat(params, 1, count, in1, in2, out);
}

void tfk_mul_flat_s8(const tfk_mul_params* params, int32_t count, const int8_t* in1,
                     const int8_t* in2, int8_t* out) {
  const int32_t off1 = params->input1_offset, off2 = params->input2_offset;
  const int32_t mult = params->output_multiplier, shift = params->output_shift;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  int32_t i;
  for (i = 0; i < count; ++i) {
    const int32_t a = (int32_t)in1[i] + off1;
    const int32_t b = (int32_t)in2[i] + off2;
    const int32_t r = params->output_offset + tfk_requantize_fast(a * b, mult, (int)shift);
    out[i] = (int8_t)tfk_clamp_i32(r, lo, hi);
  }
}
