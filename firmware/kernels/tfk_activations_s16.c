/*
 * int16 (16x8) LOGISTIC, TANH and SOFTMAX: table lookups with linear
 * interpolation, bit-exact with TFLM's reference int16 kernels.  The tables
 * are compile-time constants written by the generator (Int16Luts in the Java
 * model); nothing is computed in float here.  Portable C.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"

/* The input on the table grid (1/(3*4096) per code, so that +-2^17 spans
 * +-10.7), rounded half up. */
static int32_t to_grid(const tfk_sigmoid_s16_params* p, int16_t x) {
  const int shift = (int)p->input_right_shift;
  const int32_t half = shift > 0 ? (int32_t)1 << (shift - 1) : 0;
  return ((int32_t)x * p->input_multiplier + half) >> shift;
}

void tfk_logistic_s16(const tfk_sigmoid_s16_params* p, int32_t size, const int16_t* input,
                      int16_t* output) {
  const uint16_t* table = p->sigmoid_table;
  int32_t i;
  for (i = 0; i < size; i++) {
    const int32_t x = to_grid(p, input[i]);
    const uint32_t magnitude = (uint32_t)(x < 0 ? -x : x);
    const uint32_t segment = magnitude >> 9; /* 9 fraction bits per table step */
    uint32_t q25; /* sigmoid(|x|) with 25 fraction bits */
    if (segment >= 255u) {
      q25 = (uint32_t)0x7FFF << 10;
    } else {
      const uint32_t lo = table[segment];
      const uint32_t hi = table[segment + 1];
      q25 = (lo << 9) + (magnitude & 0x1FFu) * (hi - lo);
    }
    /* sigmoid(-x) = 1 - sigmoid(x); round to 15 fraction bits */
    q25 = x >= 0 ? q25 + (1u << 9) : (1u << 25) - q25 + (1u << 9) - 1u;
    output[i] = (int16_t)(q25 >> 10);
  }
}

void tfk_tanh_s16(const tfk_sigmoid_s16_params* p, int32_t size, const int16_t* input,
                  int16_t* output) {
  const uint16_t* table = p->sigmoid_table;
  int32_t i;
  for (i = 0; i < size; i++) {
    const int32_t x = to_grid(p, input[i]);
    const uint32_t magnitude = (uint32_t)(x < 0 ? -x : x);
    /* 8 fraction bits per step: the table read at 2x, as tanh(x) = 2 sigmoid(2x) - 1 */
    const uint32_t segment = magnitude >> 8;
    int32_t q24;
    if (segment >= 255u) {
      q24 = (int32_t)0xFFFF << 8;
    } else {
      const uint32_t lo = table[segment];
      const uint32_t hi = table[segment + 1];
      q24 = (int32_t)((lo << 8) + (magnitude & 0xFFu) * (hi - lo));
    }
    /* subtract one half (2 sigmoid - 1 at this scale), mirror, round to Q0.15 */
    q24 = x >= 0 ? q24 - (1 << 23) + (1 << 7) : -q24 + (1 << 23) + (1 << 7) - 1;
    output[i] = (int16_t)(q24 >> 8);
  }
}

/* Interpolated lookup in a 513-entry Q0.15 table over the int16 range: the
 * top 9 bits of the value pick the segment, the low 7 the position in it. */
static int16_t lookup513(const int16_t* table, int32_t value) {
  const int32_t index = 256 + (value >> 7);
  const int32_t within = value & 0x7F;
  const int32_t base = table[index];
  const int32_t slope = (int16_t)(table[index + 1] - base); /* TFLM keeps the slope in 16 bits */
  return (int16_t)(base + ((slope * within + 64) >> 7));
}

void tfk_softmax_s16(const tfk_softmax_s16_params* p, int32_t outer_size, int32_t depth,
                     const int16_t* input, int16_t* output) {
  int32_t row, c;
  for (row = 0; row < outer_size; row++) {
    const int16_t* in = input + row * depth;
    int16_t* out = output + row * depth;
    int32_t max = -32768;
    int32_t sum = 0; /* Q16.15 */
    int headroom_plus_one, right_shift;
    int32_t normalised, reciprocal;
    int64_t half;
    for (c = 0; c < depth; c++) {
      max = in[c] > max ? in[c] : max;
    }
    /* first pass: exp of each difference, kept in the output row */
    for (c = 0; c < depth; c++) {
      const int32_t scaled = tfk_requantize((int32_t)in[c] - max, p->input_multiplier, (int)p->input_shift);
      /* [-65535, 0] -> the table's symmetric index range */
      out[c] = lookup513(p->exp_table, tfk_clamp_i32(scaled + 32767, -32768, 32767));
      sum += out[c];
    }
    /* the sum normalised to [1, 2) in Q1.15, minus one, re-centred: 1 / sum */
    headroom_plus_one = tfk_clz_u32((uint32_t)sum);
    normalised = (int32_t)((((int64_t)sum << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    reciprocal = lookup513(p->reciprocal_table,
                           tfk_clamp_i32(normalised - ((1 << 15) + (1 << 16)), -32768, 32767));
    right_shift = 31 - headroom_plus_one;
    half = (int64_t)1 << (right_shift - 1);
    for (c = 0; c < depth; c++) {
      const int32_t v = (int32_t)(((int64_t)out[c] * reciprocal + half) >> right_shift);
      out[c] = (int16_t)tfk_clamp_i32(v, 0, 32767);
    }
  }
}
