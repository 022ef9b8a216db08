/*
 * QUANTIZE and DEQUANTIZE: TFLite reference_ops::AffineQuantize (float ->
 * int8/int16), reference_ops::Requantize (integer -> integer) and
 * reference_ops::Dequantize (int8/int16 -> float).
 *
 * Float is used only where the op itself is defined in float.  The float
 * expressions are written so that no multiply-add can be contracted into an
 * FMA, keeping the result identical to TFLM's on any IEEE-754 target.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"

/* roundf without libm (FirmwareBuild-style builds do not link -lm): round
 * half away from zero, like TfLiteRound.  Below 2^23 in magnitude x - trunc(x)
 * is exact, so the comparison with 0.5 decides exactly as roundf does; larger
 * values, infinities and NaN are already integral (or NaN) and come back
 * unchanged. */
static float round_half_away(float x) {
  float t;
  if (!(x > -8388608.0f && x < 8388608.0f)) return x;
  t = (float)(int32_t)x;
  if (x - t >= 0.5f) return t + 1.0f;
  if (t - x >= 0.5f) return t - 1.0f;
  return t;
}

/* round(val / scale) + zero_point clamped to [lo, hi], as TFLM computes it on
 * the x86-64 host the oracle runs on: static_cast<int32_t> of NaN, an infinity
 * or a value outside the int32 range gives INT32_MIN there (cvttss2si), and
 * adding the zero point wraps.  Both are reproduced explicitly (in C they would
 * be undefined), so every target gives the oracle's bytes. */
static int32_t quantize_one(float val, float scale, int32_t zero_point, int32_t lo, int32_t hi) {
  const float r = round_half_away(val / scale);
  int32_t q;
  if (r != r || r >= 2147483648.0f || r < -2147483648.0f) {
    q = INT32_MIN;
  } else {
    q = (int32_t)r;
  }
  return tfk_clamp_i32((int32_t)((uint32_t)q + (uint32_t)zero_point), lo, hi);
}

void tfk_quantize_f32_s8(float scale, int32_t zero_point, int32_t size, const float* input,
                         int8_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    output[i] = (int8_t)quantize_one(input[i], scale, zero_point, INT8_MIN, INT8_MAX);
  }
}

void tfk_quantize_f32_s16(float scale, int32_t zero_point, int32_t size, const float* input,
                          int16_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    output[i] = (int16_t)quantize_one(input[i], scale, zero_point, INT16_MIN, INT16_MAX);
  }
}

static int32_t requantize_one(const tfk_requantize_params* p, int32_t v, int32_t lo, int32_t hi) {
  const int32_t out = tfk_requantize(v - p->input_zero_point, p->multiplier, (int)p->shift) +
                      p->output_zero_point;
  return tfk_clamp_i32(out, lo, hi);
}

void tfk_requantize_s8_s8(const tfk_requantize_params* params, int32_t size, const int8_t* input,
                          int8_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    output[i] = (int8_t)requantize_one(params, input[i], INT8_MIN, INT8_MAX);
  }
}

void tfk_requantize_s8_s16(const tfk_requantize_params* params, int32_t size,
                           const int8_t* input, int16_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    output[i] = (int16_t)requantize_one(params, input[i], INT16_MIN, INT16_MAX);
  }
}

void tfk_requantize_s16_s8(const tfk_requantize_params* params, int32_t size,
                           const int16_t* input, int8_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    output[i] = (int8_t)requantize_one(params, input[i], INT8_MIN, INT8_MAX);
  }
}

void tfk_requantize_s16_s16(const tfk_requantize_params* params, int32_t size,
                            const int16_t* input, int16_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    output[i] = (int16_t)requantize_one(params, input[i], INT16_MIN, INT16_MAX);
  }
}

/* The int32 output cannot saturate, so the zero point is added with wrap-around
 * as the reference's int32 sum does on every target. */
void tfk_requantize_s8_s32(const tfk_requantize_params* params, int32_t size,
                           const int8_t* input, int32_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    output[i] = tfk_wrap_add(tfk_requantize((int32_t)input[i] - params->input_zero_point,
                                      params->multiplier, (int)params->shift),
                             params->output_zero_point);
  }
}

void tfk_requantize_s16_s32(const tfk_requantize_params* params, int32_t size,
                            const int16_t* input, int32_t* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    output[i] = tfk_wrap_add(tfk_requantize((int32_t)input[i] - params->input_zero_point,
                                      params->multiplier, (int)params->shift),
                             params->output_zero_point);
  }
}

/* TFLite computes double(scale) * (v - zp) and rounds to float once.  The
 * exact product of a float scale (24-bit significand) and an integer below
 * 2^17 fits in a double, so the float multiply below, which also rounds the
 * exact product once, gives the same float. */
void tfk_dequantize_s8_f32(float scale, int32_t zero_point, int32_t size, const int8_t* input,
                           float* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    output[i] = scale * (float)((int32_t)input[i] - zero_point);
  }
}

void tfk_dequantize_s16_f32(float scale, int32_t zero_point, int32_t size, const int16_t* input,
                            float* output) {
  int32_t i;
  for (i = 0; i < size; ++i) {
    output[i] = scale * (float)((int32_t)input[i] - zero_point);
  }
}
