/*
 * MEAN int8 over any set of axes: TFLite reference_ops::QuantizedMeanOrSum
 * (integer version, compute_sum = false), which is what TFLM's int8 MEAN
 * runs for every axis set and for equal or different input/output
 * quantization (verified against the oracle).
 *
 * out = clamp(MultiplyByQuantizedMultiplier(sum(x) - zp_in * count, M', s')
 *             + zp_out)
 * where (M', s') is the (input_scale / output_scale) multiplier with 1/count
 * folded in exactly as upstream does it.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"

/* Dense strides and reduced-axis flags of one MEAN call. */
typedef struct {
  int32_t rank;
  int32_t dims[TFK_MAX_DIMS];
  size_t stride[TFK_MAX_DIMS];
  int reduced[TFK_MAX_DIMS];
  int64_t count; /* input elements per output element */
} mean_layout;

static void mean_layout_init(mean_layout* l, const tfk_mean_params* p, const tfk_shape* shape) {
  int32_t i;
  size_t s = 1;
  l->rank = shape->rank;
  for (i = 0; i < TFK_MAX_DIMS; ++i) l->reduced[i] = 0;
  for (i = 0; i < p->num_axes; ++i) l->reduced[p->axes[i]] = 1;
  l->count = 1;
  for (i = shape->rank - 1; i >= 0; --i) {
    l->dims[i] = shape->dims[i];
    l->stride[i] = s;
    s *= (size_t)shape->dims[i];
    if (l->reduced[i]) l->count *= shape->dims[i];
  }
}

/* Sum of the input values reducing into the output element whose kept-axis
 * coordinates are in out_idx. */
static int32_t reduced_sum(const mean_layout* l, const int8_t* input, const int32_t* out_idx) {
  int32_t r_idx[TFK_MAX_DIMS];
  size_t base = 0;
  int32_t sum = 0;
  int32_t i;
  int32_t last_reduced = -1;
  for (i = 0; i < l->rank; ++i) {
    r_idx[i] = 0;
    if (l->reduced[i]) {
      last_reduced = i;
    } else {
      base += (size_t)out_idx[i] * l->stride[i];
    }
  }
  if (last_reduced < 0) return input[base];
  for (;;) {
    size_t off = base;
    for (i = 0; i < l->rank; ++i) {
      if (l->reduced[i]) off += (size_t)r_idx[i] * l->stride[i];
    }
    sum += input[off];
    for (i = last_reduced; i >= 0; --i) {
      if (!l->reduced[i]) continue;
      if (++r_idx[i] < l->dims[i]) break;
      r_idx[i] = 0;
    }
    if (i < 0) break;
  }
  return sum;
}

/* Requantization of one reduced sum (QuantizedMeanOrSum's final loop). */
typedef struct {
  int32_t multiplier;
  int shift;
  int32_t zp_times_count;
  int32_t output_zero_point;
} mean_requant;

static mean_requant mean_requant_init(const tfk_mean_params* p, int64_t count) {
  mean_requant r;
  int s;
  if (p->folded_count > 0) {
    r.multiplier = p->multiplier;
    r.shift = (int)p->shift;
    r.zp_times_count = (int32_t)(uint32_t)((int64_t)p->input_zero_point * p->folded_count);
    r.output_zero_point = p->output_zero_point;
    return r;
  }
  s = 63 - tfk_clz_u64((uint64_t)count);
  if (s > 32) s = 32;
  if (s > 31 + (int)p->shift) s = 31 + (int)p->shift;
  r.multiplier = (int32_t)(((int64_t)p->multiplier * ((int64_t)1 << s)) / count);
  r.shift = (int)p->shift - s;
  r.zp_times_count = (int32_t)((int64_t)p->input_zero_point * count);
  r.output_zero_point = p->output_zero_point;
  return r;
}

static int8_t mean_output(const mean_requant* r, int32_t sum) {
  const int32_t v = tfk_requantize(tfk_wrap_sub(sum, r->zp_times_count), r->multiplier, r->shift) +
                    r->output_zero_point;
  return (int8_t)tfk_clamp_i32(v, INT8_MIN, INT8_MAX);
}

/* Fast path for the common global pooling case: 4-D input reduced over
 * axes 1 and 2 (H and W).  Same arithmetic as the generic walk. */
static void mean_hw(const mean_layout* l, const mean_requant* r, const int8_t* input,
                    int8_t* output) {
  const int32_t n = l->dims[0], h = l->dims[1], w = l->dims[2], c = l->dims[3];
  const size_t plane = (size_t)h * w * c;
  int32_t b, ch;
  size_t k;
  for (b = 0; b < n; ++b) {
    const int8_t* in_b = input + (size_t)b * plane;
    for (ch = 0; ch < c; ++ch) {
      int32_t sum = 0;
      for (k = (size_t)ch; k < plane; k += (size_t)c) sum += in_b[k];
      output[(size_t)b * c + ch] = mean_output(r, sum);
    }
  }
}

void tfk_mean_s8(const tfk_mean_params* params, const tfk_shape* input_shape,
                 const int8_t* input, int8_t* output) {
  mean_layout l;
  mean_requant r;
  int32_t out_idx[TFK_MAX_DIMS];
  size_t n = 0;
  int32_t i;

  mean_layout_init(&l, params, input_shape);
  for (i = 0; i < l.rank; ++i) {
    out_idx[i] = 0;
    if (l.dims[i] == 0) return; /* empty input: TFLM writes nothing either */
  }
  r = mean_requant_init(params, l.count);
  if (l.rank == 4 && !l.reduced[0] && l.reduced[1] && l.reduced[2] && !l.reduced[3]) {
    mean_hw(&l, &r, input, output);
    return;
  }
  for (;;) {
    output[n++] = mean_output(&r, reduced_sum(&l, input, out_idx));
    /* next output element: odometer over the kept axes */
    for (i = l.rank - 1; i >= 0; --i) {
      if (l.reduced[i]) continue;
      if (++out_idx[i] < l.dims[i]) break;
      out_idx[i] = 0;
    }
    if (i < 0) break;
  }
}
