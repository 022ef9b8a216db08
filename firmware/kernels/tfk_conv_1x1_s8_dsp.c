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

/* An empty asm that GCC must assume reads and writes memory: loads written
 * after it stay after it. */
#if defined(__GNUC__)
#define TFK_SCHEDULE_BARRIER() __asm__ volatile("" ::: "memory")
#else
#define TFK_SCHEDULE_BARRIER() ((void)0)
#endif

/* What one output channel's epilogue needs, prepared once per call and block
 * of channels (prepare_channels) instead of once per pixel pair. */
typedef struct {
  int32_t bias; /* the accumulators' start (0 without bias) */
  int32_t m;    /* the channel's multiplier */
  uint32_t kl;  /* rq_rshift's rounding constant for x >= 0, low word */
  uint32_t kh;  /* ... high word */
  int32_t rs1;  /* -shift - 1 (>= 0); -1 when the channel takes tfk_mbqm instead */
  int32_t shift;
} channel_rq;

/* Output channels per block of channel_rq entries: 1.5 KiB of stack, next to
 * the 1 KiB of widened pixels.  Wider layers widen each pixel pair once per
 * block (for 256 channels twice, a few percent of the layer). */
#define TFK_CONV_1X1_DSP_CHANNEL_BLOCK 64

/* Fills c[0..n) for output channels first .. first + n - 1.  The one-multiply
 * form (rq_rshift) is exact for shift < 0 with a non-negative multiplier under
 * double rounding (tfk_mbqm_rshift); every other channel keeps tfk_mbqm. */
static void prepare_channels(const int32_t* qm, const int32_t* qs, const int32_t* bias,
                             int32_t first, int32_t n, channel_rq* c) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    const int32_t m = qm[first + i], s = qs[first + i];
    c[i].bias = bias ? bias[first + i] : 0;
    c[i].m = m;
    c[i].shift = s;
#if !TFK_SINGLE_ROUNDING
    if (s < 0 && m >= 0) {
      /* 2^(rs1 + 31) + 2^30 = cpow * 2^31 + 2^30 with cpow = 2^rs1 */
      const uint32_t cpow = (uint32_t)1 << (-s - 1);
      c[i].rs1 = -s - 1;
      c[i].kl = (cpow << 31) | 0x40000000u;
      c[i].kh = cpow >> 1;
      continue;
    }
#endif
    c[i].rs1 = -1;
    c[i].kl = 0;
    c[i].kh = 0;
  }
}

#if !TFK_SINGLE_ROUNDING
/* tfk_mbqm_rshift(x, m, rs1) with its rounding constant prepared per channel:
 * kpos = (kh << 32 | kl) = 2^(31 + rs1) + 2^30 is the constant for x >= 0; for
 * x < 0 it is 2^31 less, which is adding the 64-bit value (x >> 31) * 2^31
 * (high word x >> 31, low word (x >> 31) << 31).  ASR, ADDS, ADC, SMLAL, ASR. */
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

/* Requantizes the accumulators of channels c0 (a->x0, a->y0) and c1 (a->x1,
 * a->y1): the values before the output offset and clamp. */
TFK_ALWAYS_INLINE void rq_pair(const acc_2x2* a, const channel_rq* c0, const channel_rq* c1,
                               acc_2x2* v) {
#if !TFK_SINGLE_ROUNDING
  if (TFK_LIKELY((c0->rs1 | c1->rs1) >= 0)) {
    v->x0 = rq_rshift(a->x0, c0->m, c0->rs1, c0->kl, c0->kh);
    v->y0 = rq_rshift(a->y0, c0->m, c0->rs1, c0->kl, c0->kh);
    v->x1 = rq_rshift(a->x1, c1->m, c1->rs1, c1->kl, c1->kh);
    v->y1 = rq_rshift(a->y1, c1->m, c1->rs1, c1->kl, c1->kh);
    return;
  }
#endif
  v->x0 = tfk_mbqm(a->x0, c0->m, (int)c0->shift);
  v->y0 = tfk_mbqm(a->y0, c0->m, (int)c0->shift);
  v->x1 = tfk_mbqm(a->x1, c1->m, (int)c1->shift);
  v->y1 = tfk_mbqm(a->y1, c1->m, (int)c1->shift);
}

/* Output channels 0 .. n-1 of a block (channel_rq entries c, filter pairs from
 * w on, outputs from out0 / out1 on) for the pixel pair widened into xw.  The
 * filter holds the channel pairs one after the other, 2 * depth bytes each; an
 * odd last channel is paired with itself, computed twice and stored twice
 * (same byte), as the odd last pixel is with out1 == out0. */
TFK_ALWAYS_INLINE void pixel_pair(const uint64_t* xw, const int8_t* w, int32_t depth, int32_t n,
                                  const channel_rq* c, int32_t oo, int32_t lo, int32_t hi,
                                  int8_t* out0, int8_t* out1) {
  const int i8range = lo == -128 && hi == 127;
  int32_t oc;
  for (oc = 0; oc < n; oc += 2, w += 2 * depth) {
    const int32_t oc1 = oc + 1 < n ? oc + 1 : oc;
    acc_2x2 a, v;
    a.x0 = c[oc].bias;
    a.y0 = c[oc].bias;
    a.x1 = c[oc1].bias;
    a.y1 = c[oc1].bias;
    dot_2px_2ch(xw, w, depth, &a);
    /* GCC 12 otherwise hoists the epilogue's loads into the dot product, where
     * they have no registers and spill its operands */
    TFK_SCHEDULE_BARRIER();
    rq_pair(&a, &c[oc], &c[oc1], &v);
    out0[oc] = (int8_t)clamp_out(v.x0 + oo, i8range, lo, hi);
    out1[oc] = (int8_t)clamp_out(v.y0 + oo, i8range, lo, hi);
    out0[oc1] = (int8_t)clamp_out(v.x1 + oo, i8range, lo, hi);
    out1[oc1] = (int8_t)clamp_out(v.y1 + oo, i8range, lo, hi);
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
  const int unit_stride = params->stride_h == 1 && params->stride_w == 1;
  uint64_t xw[TFK_CONV_1X1_DSP_DEPTH_MAX / 2];
  channel_rq chan[TFK_CONV_1X1_DSP_CHANNEL_BLOCK];
  int32_t cb, p;
  (void)filter_dims;

  for (cb = 0; cb < out_c; cb += TFK_CONV_1X1_DSP_CHANNEL_BLOCK) {
    const int32_t n = out_c - cb < TFK_CONV_1X1_DSP_CHANNEL_BLOCK ? out_c - cb
                                                                 : TFK_CONV_1X1_DSP_CHANNEL_BLOCK;
    const int8_t* const wblk = filter + (size_t)cb * depth; /* cb is even: a pair boundary */
    prepare_channels(quant->multiplier, quant->shift, bias, cb, n, chan);
    for (p = 0; p < pixels; p += 2) {
      const int two = p + 1 < pixels;
      const int8_t* in[2];
      int8_t* const out0 = output + (size_t)p * out_c + cb;
      int8_t* const out1 = two ? out0 + out_c : out0;
      int i;
      for (i = 0; i < 2; ++i) { /* the input pixel of output pixel p + i (p itself if p is last) */
        const int32_t q = two ? p + i : p;
        if (unit_stride) {
          in[i] = input + (size_t)q * depth;
        } else {
          const int32_t x = q % out_w, y = (q / out_w) % out_h, b = q / (out_w * out_h);
          in[i] = input + (((size_t)b * input_dims->h + (size_t)y * params->stride_h) *
                               input_dims->w + (size_t)x * params->stride_w) * depth;
        }
      }
      widen_pair(in[0], in[1], depth, off2, xw);
      /* constant depths for the layer shapes of the usual MobileNet-style models: the
       * dot product's trip count is then known and its pointer arithmetic folds */
      switch (depth) {
        case 8:
          pixel_pair(xw, wblk, 8, n, chan, oo, lo, hi, out0, out1);
          break;
        case 16:
          pixel_pair(xw, wblk, 16, n, chan, oo, lo, hi, out0, out1);
          break;
        case 32:
          pixel_pair(xw, wblk, 32, n, chan, oo, lo, hi, out0, out1);
          break;
        default:
          pixel_pair(xw, wblk, depth, n, chan, oo, lo, hi, out0, out1);
          break;
      }
    }
  }
}

#endif /* TFK_USE_DSP */
