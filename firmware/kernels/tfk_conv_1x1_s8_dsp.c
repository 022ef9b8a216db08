/*
 * CONV_2D with a 1x1 filter on cores with the DSP extension (Cortex-M4, M7,
 * M33): tfk_conv_1x1_s8_dsp.  Same bytes as tfk_conv2d_s8 (TFLite
 * ConvPerChannel); the code generator calls it only for depth % 4 == 0 and
 * depth <= TFK_CONV_1X1_DSP_DEPTH_MAX (see tfk_kernels.h).
 *
 * Where tfk_conv2d_1x1_s8 spent its instructions on person_detect (QEMU
 * -icount): ~1.25 per MAC in the dot products and ~28 per output around
 * them (requantization with its shift dispatch, bias adds, the call into the
 * dot product, per-pair tail checks).  At 8 or 16 input channels the part
 * around the dot products is most of the layer.  This kernel:
 *
 *   - widens a pixel pair to int16 once (input offset added by SXTAB16), as
 *     before, and reads the widened words back with LDRD;
 *   - for the usual depths (8, 16, 32, 64, 128) runs a dot product whose trip
 *     count is a compile-time constant, so short ones unroll completely;
 *   - starts the accumulators at the bias instead of adding it afterwards;
 *   - requantizes with the one-multiply form of tfk_mbqm_rshift, the 64-bit
 *     rounding constant computed once per channel and pixel pair
 *     (rq_rshift below), when the channel's shift is negative (nearly every
 *     conv layer: multipliers below 0.5); other channels take tfk_mbqm;
 *   - handles an odd last pixel or channel by computing the pair with the
 *     pixel (channel) repeated and storing one of them, so no separate
 *     single-pixel or single-channel loop exists.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

#if TFK_USE_DSP

/* Two widened pixels: 2 x depth int16 = depth / 2 doublewords on the stack (1 KiB). */
#define TFK_CONV_1X1_DSP_DEPTH_MAX 256

/* Widens the depth bytes (depth % 4 == 0) of pixels in0 and in1 to int16 with
 * the input offset added (x + off is in [-255, 255]).  For every input word,
 * two 64-bit entries: (x0, x2 | x1, x3) of pixel 0, then the same of pixel 1,
 * the order dot_2px_2ch reads them in (one LDRD each). */
static void widen_pair(const int8_t* in0, const int8_t* in1, int32_t depth, uint32_t off2,
                       uint64_t* xw) {
  const int8_t* const end = in0 + depth;
  for (; in0 != end; in0 += 4, in1 += 4, xw += 2) {
    const uint32_t x = tfk_load_s8x4(in0), y = tfk_load_s8x4(in1);
    xw[0] = (uint32_t)tfk_sxtab16(off2, x) | (uint64_t)(uint32_t)tfk_sxtab16_ror8(off2, x) << 32;
    xw[1] = (uint32_t)tfk_sxtab16(off2, y) | (uint64_t)(uint32_t)tfk_sxtab16_ror8(off2, y) << 32;
  }
}

/* Forced inlining: the per-depth copies in tfk_conv_1x1_s8_dsp's switch only
 * exist if GCC inlines pixel_pair there (left to itself it calls one copy). */
#if defined(__GNUC__)
#define TFK_ALWAYS_INLINE static __inline__ __attribute__((always_inline))
#else
#define TFK_ALWAYS_INLINE static inline
#endif

/* The accumulators of two pixels (x, y) x two output channels (0, 1). */
typedef struct {
  int32_t x0, x1, y0, y1;
} acc_2x2;

/* LO, HI = the two words at byte offset BYTES from P, in one LDRD (only word
 * alignment needed on ARMv7E-M; GCC 12 loads a uint64_t it splits right away
 * with two LDRs).  The "m" operand tells GCC which memory the asm reads. */
#if defined(TFK_EMULATE_DSP) || !defined(__GNUC__)
#define TFK_LDRD(LO, HI, P, BYTES)                          \
  do {                                                      \
    uint32_t lo_, hi_;                                      \
    memcpy(&lo_, (const char*)(P) + (BYTES), 4);            \
    memcpy(&hi_, (const char*)(P) + (BYTES) + 4, 4);        \
    (LO) = lo_;                                             \
    (HI) = hi_;                                             \
  } while (0)
#else
#define TFK_LDRD(LO, HI, P, BYTES)                              \
  __asm__("ldrd %0, %1, [%2, %3]"                               \
          : "=r"(LO), "=r"(HI)                                  \
          : "r"(P), "i"(BYTES),                                 \
            "m"(*(const uint64_t*)(const void*)((const char*)(P) + (BYTES))))
#endif

/* Four input channels of both pixels and both channels of the pair: the
 * filter words of channels 0 and 1 (one LDRD at W + BYTES: the generator
 * interleaved the pair's rows per four input channels) against the widened
 * entries XW[IDX] (pixel 0) and XW[IDX + 1] (pixel 1): three LDRD, four
 * SXTB16, eight SMLAD (16 MACs).  One pixel's words are loaded after the
 * other's are used, which keeps the loop inside the 14 registers. */
#define TFK_STEP_2X2(W, BYTES, XW, IDX)                                \
  do {                                                                 \
    uint32_t f0, f1;                                                   \
    int32_t f0e, f0o, f1e, f1o, ve, vo;                                \
    TFK_LDRD(f0, f1, W, BYTES);                                        \
    f0e = tfk_sxtb16(f0);                                              \
    f0o = tfk_sxtb16_ror8(f0);                                         \
    f1e = tfk_sxtb16(f1);                                              \
    f1o = tfk_sxtb16_ror8(f1);                                         \
    TFK_LDRD(ve, vo, XW, (IDX) * 8);                                   \
    x0 = tfk_smlad(ve, f0e, x0);                                       \
    x0 = tfk_smlad(vo, f0o, x0);                                       \
    x1 = tfk_smlad(ve, f1e, x1);                                       \
    x1 = tfk_smlad(vo, f1o, x1);                                       \
    TFK_LDRD(ve, vo, XW, (IDX) * 8 + 8);                               \
    y0 = tfk_smlad(ve, f0e, y0);                                       \
    y0 = tfk_smlad(vo, f0o, y0);                                       \
    y1 = tfk_smlad(ve, f1e, y1);                                       \
    y1 = tfk_smlad(vo, f1o, y1);                                       \
  } while (0)

/* a += sum (x_p + off) * w_c over depth input channels for the two pixels
 * widened by widen_pair and the channel pair whose interleaved rows start at w
 * (2 * depth bytes).  Eight input channels per trip when depth allows: the
 * pointer steps and the branch are paid once per 32 MACs. */
TFK_ALWAYS_INLINE void dot_2px_2ch(const uint64_t* xw, const int8_t* w, int32_t depth,
                                   acc_2x2* a) {
  int32_t x0 = a->x0, x1 = a->x1, y0 = a->y0, y1 = a->y1;
  const int8_t* const end = w + 2 * depth;
  if (depth % 8 == 0) {
    for (; w != end; w += 16, xw += 4) {
      TFK_STEP_2X2(w, 0, xw, 0);
      TFK_STEP_2X2(w, 8, xw, 2);
    }
  } else {
    for (; w != end; w += 8, xw += 2) {
      TFK_STEP_2X2(w, 0, xw, 0);
    }
  }
  a->x0 = x0;
  a->x1 = x1;
  a->y0 = y0;
  a->y1 = y1;
}
#undef TFK_STEP_2X2
#undef TFK_LDRD

#if !TFK_SINGLE_ROUNDING
/* tfk_mbqm_rshift(x, m, rs1) with its rounding constant split off: kpos =
 * (kh << 32 | kl) = 2^(31 + rs1) + 2^30 is the constant for x >= 0 (computed
 * once per channel by rq_constant); for x < 0 it is 2^31 less, which is adding
 * the 64-bit value (x >> 31) * 2^31 (high word x >> 31, low word x << 31 of
 * the sign).  ASR, ADDS, ADC, SMLAL, ASR. */
TFK_ALWAYS_INLINE int32_t rq_rshift(int32_t x, int32_t m, int32_t rs1, uint32_t kl, uint32_t kh) {
  const int32_t sign = x >> 31;
#if defined(TFK_EMULATE_DSP)
  const int64_t k = (int64_t)(((uint64_t)kh << 32) | kl) + (int64_t)sign * ((int64_t)1 << 31);
  return (int32_t)(((int64_t)x * m + k) >> 32) >> rs1;
#else
  uint32_t lo;
  int32_t hi;
  __asm__("adds %0, %2, %4, lsl #31\n\t"
          "adc %1, %3, %4\n\t"
          "smlal %0, %1, %5, %6"
          : "=&r"(lo), "=&r"(hi)
          : "r"(kl), "r"(kh), "r"(sign), "r"(x), "r"(m)
          : "cc");
  (void)lo;
  return hi >> rs1;
#endif
}
#endif

/* Clamps v (output offset added) to the activation range: one SSAT when the
 * range is all of int8 (i8range). */
TFK_ALWAYS_INLINE int32_t clamp_out(int32_t v, int i8range, int32_t lo, int32_t hi) {
  if (TFK_LIKELY(i8range)) {
#if !defined(TFK_EMULATE_DSP)
    return __ssat(v, 8);
#else
    return tfk_clamp_i32(v, -128, 127);
#endif
  }
  return tfk_clamp_i32(v, lo, hi);
}

/* Requantizes the accumulators of one output channel (multiplier m, shift s)
 * for both pixels: *vx, *vy before the output offset and clamp. */
TFK_ALWAYS_INLINE void rq_channel(int32_t ax, int32_t ay, int32_t m, int32_t s, int32_t* vx,
                                  int32_t* vy) {
#if !TFK_SINGLE_ROUNDING
  if (TFK_LIKELY(s < 0 && m >= 0)) {
    const int32_t rs1 = -s - 1;
    const uint32_t c = (uint32_t)1 << rs1; /* 2^(rs1 + 31) + 2^30 = (c << 31) + 2^30 */
    const uint32_t kl = (c << 31) | 0x40000000u, kh = c >> 1;
    *vx = rq_rshift(ax, m, rs1, kl, kh);
    *vy = rq_rshift(ay, m, rs1, kl, kh);
    return;
  }
#endif
  *vx = tfk_mbqm(ax, m, (int)s);
  *vy = tfk_mbqm(ay, m, (int)s);
}

/* Every output channel of the pixel pair widened into xw, written to out0 and
 * out1.  The filter holds the channel pairs one after the other, 2 * depth
 * bytes each; an odd last channel is paired with itself, computed twice and
 * stored twice (same byte), as the odd last pixel is with out1 == out0. */
TFK_ALWAYS_INLINE void pixel_pair(const uint64_t* xw, const int8_t* filter, int32_t depth,
                                  int32_t out_c, const int32_t* bias, const int32_t* qm,
                                  const int32_t* qs, int32_t oo, int32_t lo, int32_t hi,
                                  int8_t* out0, int8_t* out1) {
  const int i8range = lo == -128 && hi == 127;
  const int8_t* w = filter;
  int32_t oc;
  for (oc = 0; oc < out_c; oc += 2, w += 2 * depth) {
    const int32_t oc1 = oc + 1 < out_c ? oc + 1 : oc;
    const int32_t b0 = bias ? bias[oc] : 0, b1 = bias ? bias[oc1] : 0;
    acc_2x2 a;
    int32_t vx0, vy0, vx1, vy1;
    a.x0 = b0;
    a.y0 = b0;
    a.x1 = b1;
    a.y1 = b1;
    dot_2px_2ch(xw, w, depth, &a);
    rq_channel(a.x0, a.y0, qm[oc], qs[oc], &vx0, &vy0);
    rq_channel(a.x1, a.y1, qm[oc1], qs[oc1], &vx1, &vy1);
    out0[oc] = (int8_t)clamp_out(vx0 + oo, i8range, lo, hi);
    out1[oc] = (int8_t)clamp_out(vy0 + oo, i8range, lo, hi);
    out0[oc1] = (int8_t)clamp_out(vx1 + oo, i8range, lo, hi);
    out1[oc1] = (int8_t)clamp_out(vy1 + oo, i8range, lo, hi);
  }
}

void tfk_conv_1x1_s8_dsp(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                         const tfk_dims4* input_dims, const int8_t* input,
                         const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                         const tfk_dims4* output_dims, int8_t* output) {
  const int32_t depth = input_dims->c;
  const int32_t out_c = output_dims->c;
  const int32_t out_h = output_dims->h, out_w = output_dims->w;
  const int32_t pixels = output_dims->n * out_h * out_w;
  const uint32_t off2 = tfk_dup_i16(params->input_offset);
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int32_t* const qm = quant->multiplier;
  const int32_t* const qs = quant->shift;
  const int unit_stride = params->stride_h == 1 && params->stride_w == 1;
  uint64_t xw[TFK_CONV_1X1_DSP_DEPTH_MAX / 2];
  int32_t p;
  (void)filter_dims;

  for (p = 0; p < pixels; p += 2) {
    const int two = p + 1 < pixels;
    const int8_t* in[2];
    int8_t* const out0 = output + (size_t)p * out_c;
    int8_t* const out1 = two ? out0 + out_c : out0;
    int i;
    for (i = 0; i < 2; ++i) { /* the input pixel of output pixel p + i (p itself if p is last) */
      const int32_t q = two ? p + i : p;
      if (unit_stride) {
        in[i] = input + (size_t)q * depth;
      } else {
        const int32_t x = q % out_w, y = (q / out_w) % out_h, b = q / (out_w * out_h);
        in[i] = input + (((size_t)b * input_dims->h + (size_t)y * params->stride_h) * input_dims->w +
                         (size_t)x * params->stride_w) * depth;
      }
    }
    widen_pair(in[0], in[1], depth, off2, xw);
    /* constant depths for the layer shapes of the usual MobileNet-style models, so the
     * dot product's loop unrolls (8, 16) or has no variable trip count */
    switch (depth) {
      case 8:
        pixel_pair(xw, filter, 8, out_c, bias, qm, qs, oo, lo, hi, out0, out1);
        break;
      case 16:
        pixel_pair(xw, filter, 16, out_c, bias, qm, qs, oo, lo, hi, out0, out1);
        break;
      case 32:
        pixel_pair(xw, filter, 32, out_c, bias, qm, qs, oo, lo, hi, out0, out1);
        break;
      default:
        pixel_pair(xw, filter, depth, out_c, bias, qm, qs, oo, lo, hi, out0, out1);
        break;
    }
  }
}

#endif /* TFK_USE_DSP */
