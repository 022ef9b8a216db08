/*
 * DEPTHWISE_CONV_2D int8, 3x3 filter, depth multiplier 1, dilation 1, on Helium
 * (Cortex-M55).  The code generator calls it only on MVE cores and passes the
 * layer's constants already arranged for the vector loop (see tfk_kernels.h):
 *
 *   - weights: per block of eight channels, the nine taps' eight weights one
 *     after another (72 bytes; lanes past the last channel hold 0), so the
 *     block's weights are read by one running pointer;
 *   - per block, a tfk_dw8_requant: the folded bias, the multipliers, the left
 *     shifts and the right shifts (bytes), each as four even-channel then four
 *     odd-channel lanes (the order in which VMULLB / VMULLT leave the sums).  The folded bias is
 *     bias + input_offset * (sum of the channel's nine weights), modulo 2^32:
 *     sum (x + off) * w = sum x * w + off * sum w, so the taps multiply the raw
 *     int8 input and the offset costs nothing per tap.
 *
 * Taps outside the input read the input zero point (-input_offset) instead: such
 * a tap adds -off * w, which cancels its share off * w of the folded bias, so it
 * contributes exactly 0 like the reference's skipped tap.  Every pixel thus runs
 * the same nine-tap code; a nine-bit mask says which taps load the input and
 * which take the zero-point vector.
 *
 * Loop order: each output row is cut into runs (the pixels whose windows lie
 * inside the input's columns, and single pixels at the left and right edges);
 * for each block of eight channels the run's pixels are computed one after the
 * other, so the block's constants are addressed from one base and the mask is
 * the same for the whole run (the interior, mask 0x1FF, has its own copy of the
 * tap code without tests).  Per tap and eight channels: two widening loads
 * (VLDRB.S16), VMULLB and VMULLT into even / odd int32 sums, two adds.  Requantization is TFLite's double
 * rounding (tfk_requantize) as VSHL, VQRDMULH and a VRSHL whose round-half-up is
 * turned into round-half-away-from-zero by decrementing negative lanes first (the
 * argument is in tfk_simd.h at tfk_requantize4_mve).  The output offset and clamp run
 * on int16 lanes after a saturating narrowing, which is exact: a sum beyond
 * int16 ends beyond int8 after the offset (|offset| <= 128) and clamps the same.
 *
 * Without Helium (host tests, single rounding) the same packed data runs through
 * plain C with tfk_requantize, so the packing is checked on every build.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

#include <string.h>

/* The caller's scratch: in builds without Helium (the host tests), the plain C
 * loop's row of zero points, one byte per channel, read by the taps outside
 * the input; the Helium loop, the only one the generator calls, keeps them in
 * a vector register and needs none. */
size_t tfk_dw_conv_3x3_s8_mve_scratch_bytes(const tfk_dims4* input_dims) {
#if TFK_MVE_RQ
  (void)input_dims;
  return 0;
#else
  return (size_t)input_dims->c;
#endif
}

#if !TFK_MVE_RQ
/* Tap pointers of one output pixel: taps inside the input point at its bytes
 * (channel 0), the others at zp, a row of zero points as long as the channels. */
static void dw3x3_taps(const int8_t* in_b, int32_t in_h, int32_t in_w, int32_t ch, int32_t iy0,
                       int32_t ix0, const int8_t* zp, const int8_t* tap[9]) {
  int32_t ky, kx;
  for (ky = 0; ky < 3; ++ky) {
    const int32_t iy = iy0 + ky;
    for (kx = 0; kx < 3; ++kx) {
      const int32_t ix = ix0 + kx;
      tap[ky * 3 + kx] = iy >= 0 && iy < in_h && ix >= 0 && ix < in_w
                             ? in_b + ((size_t)iy * in_w + (size_t)ix) * ch
                             : zp;
    }
  }
}

#endif

#if TFK_MVE_RQ
/* tfk_requantize of four lanes with the left and right shifts given apart
 * (left = max(shift, 0), right = min(shift, 0)). */
TFK_INLINE int32x4_t dw3x3_mbqm(int32x4_t acc, int32x4_t mult, int32x4_t left, int32x4_t right) {
  int32x4_t x = vqrdmulhq_s32(vshlq_s32(acc, left), mult);
  x = vqaddq_s32(x, vshrq_n_s32(vandq_s32(x, right), 31));
  return vrshlq_s32(x, right);
}

/* One tap of eight channels: even and odd channels' products added to ae / ao.
 * On the M55 the four instructions are one asm statement: GCC 12 otherwise
 * computes all nine taps' products first and spills them to the stack. */
#if defined(TFK_EMULATE_MVE)
#define TFK_DW3_MAC(XV, WV)                          \
  do {                                               \
    ae = vaddq_s32(ae, vmullbq_int_s16((XV), (WV))); \
    ao = vaddq_s32(ao, vmulltq_int_s16((XV), (WV))); \
  } while (0)
#else
#define TFK_DW3_MAC(XV, WV)                                 \
  do {                                                      \
    int32x4_t p_;                                           \
    __asm__("vmullb.s16 %q2, %q3, %q4\n\t"                  \
            "vadd.i32 %q0, %q0, %q2\n\t"                    \
            "vmullt.s16 %q2, %q3, %q4\n\t"                  \
            "vadd.i32 %q1, %q1, %q2"                        \
            : "+w"(ae), "+w"(ao), "=&w"(p_)                 \
            : "w"(XV), "w"(WV));                            \
  } while (0)
#endif

/* Tap t (ky * 3 + kx) of the pixel whose window starts at byte pos of in: its
 * eight input values when the tap lies inside the input (bit t of mask), else
 * the zero points.  The address is formed only for taps inside the input (the
 * window's origin itself may lie outside). */
#define TFK_DW3_TAP(T)                                                            \
  do {                                                                            \
    const int16x8_t wv_ = vldrbq_s16(w + 8 * (T));                                \
    if ((mask >> (T)) & 1u) {                                                     \
      const int8_t* xp_ = in + (pos + (ptrdiff_t)(((T) / 3) * row + ((T) % 3) * col)); \
      const int16x8_t xv_ = full ? vldrbq_s16(xp_) : vldrbq_z_s16(xp_, pred);     \
      TFK_DW3_MAC(xv_, wv_);                                                      \
    } else {                                                                      \
      TFK_DW3_MAC(zpv, wv_);                                                      \
    }                                                                             \
  } while (0)

/* Eight channels (one block: w its 72 weights, rq its requantization) of n output
 * pixels of a row: the first window starts at byte pos of in (channel c of the
 * block), each next one `step` bytes later; the outputs are ch bytes apart.
 * mask says which taps lie inside the input (the same for the whole run).
 * `mask` and `full` are constants at every call, so each call compiles to its
 * own straight-line tap code; only the last, partial block is VCTP-predicated. */
/* GCC: compiled into each caller with the caller's constants (always_inline), and
 * without pre-RA scheduling, which hoists all nine taps' loads and spills them. */
#if defined(__GNUC__) && !defined(TFK_EMULATE_MVE)
#define TFK_DW3_CODEGEN __attribute__((always_inline, optimize("no-schedule-insns")))
#else
#define TFK_DW3_CODEGEN
#endif

TFK_DW3_CODEGEN TFK_INLINE void dw3x3_block_run(const int8_t* in, ptrdiff_t pos, ptrdiff_t step, int32_t n,
                                uint32_t mask, size_t row, size_t col, const int8_t* w,
                                const tfk_dw8_requant* rq, int16x8_t zpv, int16x8_t lo, int16x8_t hi,
                                int16_t oo, int8_t* out, size_t out_step, mve_pred16_t pred,
                                int full) {
  for (; n > 0; --n, pos += step, out += out_step) {
    int32x4_t ae, ao;
    /* opaque: GCC otherwise hoists w + 8, w + 16, ... out of the loop as
     * separate pointers and spills them, instead of immediate offsets */
    TFK_OPAQUE(w);
    TFK_OPAQUE(rq);
    ae = vldrwq_s32(rq->bias);
    ao = vldrwq_s32(rq->bias + 4);
    TFK_DW3_TAP(0);
    TFK_DW3_TAP(1);
    TFK_DW3_TAP(2);
    TFK_DW3_TAP(3);
    TFK_DW3_TAP(4);
    TFK_DW3_TAP(5);
    TFK_DW3_TAP(6);
    TFK_DW3_TAP(7);
    TFK_DW3_TAP(8);
    {
      const int32x4_t re =
          dw3x3_mbqm(ae, vldrwq_s32(rq->multiplier), vldrbq_s32(rq->left_shift), vldrbq_s32(rq->right_shift));
      const int32x4_t ro = dw3x3_mbqm(ao, vldrwq_s32(rq->multiplier + 4), vldrbq_s32(rq->left_shift + 4),
                                      vldrbq_s32(rq->right_shift + 4));
      int16x8_t v = vqmovntq_s32(vqmovnbq_s32(vdupq_n_s16(0), re), ro);
      v = vminq_s16(vmaxq_s16(vqaddq_n_s16(v, oo), lo), hi);
      if (full) {
        vstrbq_s16(out, v);
      } else {
        vstrbq_p_s16(out, v, pred);
      }
    }
  }
}
#undef TFK_DW3_TAP
#undef TFK_DW3_MAC

#if defined(__GNUC__) && !defined(TFK_EMULATE_MVE)
#define TFK_DW3_CODEGEN_RUN __attribute__((optimize("no-schedule-insns")))
#else
#define TFK_DW3_CODEGEN_RUN
#endif

/* All blocks of a run (see dw3x3_block_run); the interior (every tap inside the
 * input) gets its own copy of the tap code, without the tap tests. */
TFK_DW3_CODEGEN_RUN TFK_NOINLINE static void dw3x3_run_mve(const int8_t* in, ptrdiff_t pos, ptrdiff_t step, int32_t n,
                                       uint32_t mask, int32_t ch, size_t row, const int8_t* w,
                                       const tfk_dw8_requant* rq, int16x8_t zpv, int16x8_t lo,
                                       int16x8_t hi, int16_t oo, int8_t* out) {
  int32_t c;
  for (c = 0; c + 8 <= ch; c += 8, w += 72, ++rq) {
#define TFK_DW3_RUN(MASK)                                                                   \
  dw3x3_block_run(in + c, pos, step, n, (MASK), row, (size_t)ch, w, rq, zpv, lo, hi, oo, out + c, \
                  (size_t)ch, 0xFFFFu, 1)
    /* the interior, the four edges and the four corners of a padded map each get
     * tap code without tests (on a 6x6 map most pixels are on the border) */
    switch (mask) {
      case 0x1FFu: TFK_DW3_RUN(0x1FFu); break;
      case 0x1F8u: TFK_DW3_RUN(0x1F8u); break; /* top row outside */
      case 0x03Fu: TFK_DW3_RUN(0x03Fu); break; /* bottom row outside */
      case 0x1B6u: TFK_DW3_RUN(0x1B6u); break; /* left column outside */
      case 0x0DBu: TFK_DW3_RUN(0x0DBu); break; /* right column outside */
      case 0x1B0u: TFK_DW3_RUN(0x1B0u); break; /* corners */
      case 0x0D8u: TFK_DW3_RUN(0x0D8u); break;
      case 0x036u: TFK_DW3_RUN(0x036u); break;
      case 0x01Bu: TFK_DW3_RUN(0x01Bu); break;
      default: TFK_DW3_RUN(mask); break;
    }
#undef TFK_DW3_RUN
  }
  if (c < ch) {
    dw3x3_block_run(in + c, pos, step, n, mask, row, (size_t)ch, w, rq, zpv, lo, hi, oo, out + c,
                    (size_t)ch, vctp16q((uint32_t)(ch - c)), 0);
  }
}
#else
/* The same computation in plain C on the same packed constants. */
static void dw3x3_run(const int8_t** tap, const int32_t* step, int32_t px, int32_t ch,
                      const int8_t* weights, const tfk_dw8_requant* rq, int32_t lo, int32_t hi, int32_t oo,
                      int8_t* out) {
  int32_t c, k;
  for (; px > 0; --px, out += ch) {
    for (c = 0; c < ch; ++c) {
      /* channel c is lane c % 8 of block c / 8: even lanes first, then odd */
      const int8_t* w = weights + (size_t)(c / 8) * 72 + c % 8;
      const tfk_dw8_requant* r = rq + c / 8;
      const int32_t lane = (c % 2) * 4 + (c % 8) / 2;
      int32_t acc = r->bias[lane];
      for (k = 0; k < 9; ++k) acc = tfk_wrap_add(acc, (int32_t)tap[k][c] * w[8 * k]);
      acc = tfk_requantize(acc, r->multiplier[lane], r->left_shift[lane] + r->right_shift[lane]) + oo;
      out[c] = (int8_t)tfk_clamp_i32(acc, lo, hi);
    }
    for (k = 0; k < 9; ++k) tap[k] += step[k];
  }
}
#endif

void tfk_dw_conv_3x3_s8_mve(const tfk_dw_conv_params* params, const tfk_dims4* input_dims,
                            const int8_t* input, const tfk_dims4* output_dims, int8_t* output,
                            const int8_t* weights, const tfk_dw8_requant* rq, void* scratch,
                            size_t scratch_bytes) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w, ch = input_dims->c;
  const int32_t out_h = output_dims->h, out_w = output_dims->w;
  const int32_t sh = params->stride_h, sw = params->stride_w;
  const int32_t off = params->input_offset;
  /* output pixels whose window lies inside the input's columns: first .. last */
  const int32_t first = (params->pad_w + sw - 1) / sw;
  int32_t last = (in_w - 3 + params->pad_w) / sw;
  int32_t b, oy, ox, k;
#if TFK_MVE_RQ
  const int16x8_t zpv = vdupq_n_s16((int16_t)-off);
  const int16x8_t lo = vdupq_n_s16((int16_t)params->activation_min);
  const int16x8_t hi = vdupq_n_s16((int16_t)params->activation_max);
  const int16_t oo = (int16_t)params->output_offset;
  const size_t row = (size_t)in_w * ch;
#else
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int32_t oo = params->output_offset;
  int8_t* const zp = (int8_t*)scratch;
  const int8_t* tap[9];
  int32_t step[9];
  memset(zp, (int)(int8_t)-off, (size_t)ch);
#endif
  TFK_CHECK_SCRATCH(scratch_bytes, tfk_dw_conv_3x3_s8_mve_scratch_bytes(input_dims));
  (void)scratch;
  if (in_w - 3 + params->pad_w < 0) last = -1; /* no window fits (C division truncates) */
  if (last > out_w - 1) last = out_w - 1;
  for (b = 0; b < output_dims->n; ++b) {
    const int8_t* in_b = input + (size_t)b * in_h * in_w * ch;
    for (oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * sh - params->pad_h;
      int8_t* out_row = output + ((size_t)b * out_h + oy) * out_w * ch;
      uint32_t rows = 0; /* taps of the filter rows inside the input: bits 3ky..3ky+2 */
      for (k = 0; k < 3; ++k) {
        if (iy0 + k >= 0 && iy0 + k < in_h) rows |= 7u << (3 * k);
      }
      for (ox = 0; ox < out_w;) {
        const int32_t ix0 = ox * sw - params->pad_w;
        /* a run of pixels whose windows lie inside the input's columns (rows
         * may still be clipped), or one pixel clipped at the left or right */
        const int32_t n = ox >= first && ox <= last ? last - ox + 1 : 1;
#if TFK_MVE_RQ
        uint32_t cols = 0; /* taps of the filter columns inside the input: bits kx, kx+3, kx+6 */
        for (k = 0; k < 3; ++k) {
          if (ix0 + k >= 0 && ix0 + k < in_w) cols |= 0x49u << k;
        }
        dw3x3_run_mve(in_b, ((ptrdiff_t)iy0 * in_w + ix0) * ch, (ptrdiff_t)sw * ch, n, rows & cols,
                      ch, row, weights, rq, zpv, lo, hi, oo, out_row + (size_t)ox * ch);
#else
        (void)rows;
        dw3x3_taps(in_b, in_h, in_w, ch, iy0, ix0, zp, tap);
        for (k = 0; k < 9; ++k) step[k] = tap[k] == zp ? 0 : sw * ch;
        dw3x3_run(tap, step, n, ch, weights, rq, lo, hi, oo, out_row + (size_t)ox * ch);
#endif
        ox += n;
      }
    }
  }
}
