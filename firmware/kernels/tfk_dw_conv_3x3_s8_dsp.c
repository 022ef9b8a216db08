/*
 * DEPTHWISE_CONV_2D, int8, 3x3 filter, dilation 1, depth multiplier 1 (any
 * stride, any padding), on the Cortex-M DSP extension (M4, M7, M33).  The code
 * generator calls it instead of tfk_depthwise_conv2d_fast_s8 on DSP cores
 * without Helium; the bytes are those of tfk_depthwise_conv2d_s8 (TFLite's
 * DepthwiseConvPerChannel).
 *
 * What makes it faster than the four-channel SMLABB/SMLATT loop (one MAC per
 * multiply instruction):
 *
 *   - Taps are taken in pairs so that every multiply is an SMLAD (two MACs).
 *     SMLAD needs two taps of the SAME channel in one word, while NHWC puts
 *     four channels of one tap in a word.  Two words of two taps, a = [a0 a1 a2
 *     a3] and b = [b0 b1 b2 b3], are interleaved by PKHBT / PKHTB into
 *     [a0 a1 b0 b1] and [a2 a3 b2 b3]; SXTAB16 (and its ROR #8 form) then gives
 *     (a0, b0), (a1, b1), (a2, b2), (a3, b3), each with the input offset added
 *     on the way (exact: x + offset lies in [-255, 255]).  Per two taps of four
 *     channels: 2 loads, 2 packs, 4 extends, 4 SMLAD for 8 MACs.  The ninth tap
 *     keeps SMLABB / SMLATT.
 *   - Channels are the outer loop: for each group of four channels the filter
 *     is widened once into a small stack table (nine word pairs, already paired for
 *     SMLAD) and so is the requantization (bias, multiplier and shift, with the
 *     rounding constant of tfk_requantize_rshift prepared), then every output pixel
 *     of the group reads them.  Nothing is re-laid out in flash.
 *   - A window clipped by the input's border is gathered into a 3x3 stack
 *     window whose missing taps hold the input zero point: x + offset is then
 *     0 there, so they add exactly nothing, like the reference's skipped taps,
 *     and the same unrolled code runs every pixel.
 *
 * All sums wrap modulo 2^32 like the reference's, so the summation order does
 * not matter.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

#if TFK_USE_DSP

/* Requantization of one output channel, prepared once per call.  With shift
 * in [-22, -1] and multiplier >= 0 (every channel of the shared models)
 * dw_scale applies it with the output offset folded in; a group of four
 * channels with any other shift runs the scalar dw_channel with tfk_requantize_fast.
 * Word pairs as uint64_t: one LDRD each. */
typedef struct {
  uint64_t k0;       /* 2^30 + 2^(31 + rs1) + output_offset * 2^(32 + rs1) (dw_scale) */
  uint64_t mult_rs1; /* multiplier (low word) and rs1 = -shift - 1 */
  int32_t shift;
} dw_rq;

/* How an output is requantized: dw_scale and one SSAT (the activation range
 * is all of int8), dw_scale and a clamp, or tfk_requantize_fast and a clamp (the
 * scalar loop).  Decided once per call, so that each pixel loop is compiled
 * without the other cases' branches. */
enum { DW_RQ_SSAT, DW_RQ_CLAMP, DW_RQ_GENERIC };

/* PKHBT / PKHTB: [a0 a1 b0 b1] and [a2 a3 b2 b3] from a = [a0 a1 a2 a3] and
 * b = [b0 b1 b2 b3] (bytes, lowest first).  Inline asm on Arm: GCC 12 spells
 * the C form as two or three instructions. */
#if defined(TFK_EMULATE_DSP)
TFK_INLINE uint32_t dw_pack_lo(uint32_t a, uint32_t b) { return (a & 0xFFFFu) | (b << 16); }
TFK_INLINE uint32_t dw_pack_hi(uint32_t a, uint32_t b) { return (b & 0xFFFF0000u) | (a >> 16); }
#else
TFK_INLINE uint32_t dw_pack_lo(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
TFK_INLINE uint32_t dw_pack_hi(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(b), "r"(a));
  return r;
}
#endif

/* Two words of the group table kept as one uint64_t (low word first), so that
 * GCC reads them with one LDRD (for word-by-word reads it issues two LDRs). */
TFK_INLINE void dw_ld2(const uint64_t* p, uint32_t* a, uint32_t* b) {
  const uint64_t v = *p;
  *a = (uint32_t)v;
  *b = (uint32_t)(v >> 32);
}

TFK_INLINE uint64_t dw_two(uint32_t a, uint32_t b) { return (uint64_t)a | ((uint64_t)b << 32); }

/* Two int16 values in one word, lo in the bottom half (SMLAD's operand). */
TFK_INLINE uint32_t dw_pair16(int32_t lo, int32_t hi) {
  return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
}

/* tfk_requantize_rshift(acc, mult, rs1) + output_offset for 0 <= rs1 <= 21.  Its
 * rounding constant c * 2^31 + 2^30 with c = 2^rs1 - [acc < 0] is
 * 2^30 + 2^(31 + rs1) - [acc < 0] * 2^31: a per-channel 64-bit constant plus
 * (acc >> 31, acc & 2^31) as a 64-bit (high, low) pair, one ADDS and one ADC.
 * The output offset rides in the constant as output_offset * 2^(32 + rs1):
 * floor(v / 2^rs1) + o = floor((v + o * 2^rs1) / 2^rs1), and the high word
 * stays inside int32 (|v| <= 2^30 + 2^20 + 1, |o * 2^rs1| <= 2^28). */
TFK_INLINE int32_t dw_scale(int32_t acc, const dw_rq* q) {
  const uint64_t sign = ((uint64_t)(uint32_t)(acc >> 31) << 32) | ((uint32_t)acc & 0x80000000u);
  const int64_t k = (int64_t)(q->k0 + sign);
  uint32_t mult, rs1;
  dw_ld2(&q->mult_rs1, &mult, &rs1);
  return (int32_t)(((int64_t)acc * (int32_t)mult + k) >> 32) >> rs1;
}

TFK_INLINE int8_t dw_out(int32_t acc, const dw_rq* q, int32_t oo, int32_t lo, int32_t hi,
                         int mode) {
  if (mode == DW_RQ_GENERIC) {
    return (int8_t)tfk_clamp_i32(tfk_requantize_fast(acc, (int32_t)q->mult_rs1, (int)q->shift) + oo, lo,
                                 hi);
  }
  acc = dw_scale(acc, q);
  if (mode == DW_RQ_SSAT) {
#if defined(TFK_EMULATE_DSP)
    return (int8_t)tfk_clamp_i32(acc, -128, 127);
#else
    return (int8_t)__ssat(acc, 8);
#endif
  }
  return (int8_t)tfk_clamp_i32(acc, lo, hi);
}

/* Two taps (input words at PA and PB, four channels each, raw: the input
 * offset is in the bias) times their filter words W[0..3] (pair16(w_a[c],
 * w_b[c]) for the four channels). */
#define DW_TAP_PAIR(PA, PB, W)                                            \
  do {                                                                    \
    const uint32_t xa_ = tfk_load_s8x4(PA), xb_ = tfk_load_s8x4(PB);      \
    const uint32_t lo_ = dw_pack_lo(xa_, xb_), hi_ = dw_pack_hi(xa_, xb_); \
    uint32_t w0_, w1_;                                                    \
    dw_ld2((W), &w0_, &w1_);                                              \
    a0 = tfk_smlad(tfk_sxtb16(lo_), (int32_t)w0_, a0);                    \
    a1 = tfk_smlad(tfk_sxtb16_ror8(lo_), (int32_t)w1_, a1);               \
    dw_ld2((W) + 1, &w0_, &w1_);                                          \
    a2 = tfk_smlad(tfk_sxtb16(hi_), (int32_t)w0_, a2);                    \
    a3 = tfk_smlad(tfk_sxtb16_ror8(hi_), (int32_t)w1_, a3);               \
  } while (0)

/* GCC would otherwise keep the pixel routine out of line and pass `mode` at
 * run time. */
#if defined(__GNUC__)
#define DW_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define DW_ALWAYS_INLINE TFK_INLINE
#endif

/* What every pixel of a group of four channels reads, in one stack block so
 * that one base register addresses all of it. */
typedef struct {
  uint64_t wt[9];   /* filter (dw_widen_filter), words in pairs */
  uint64_t bias[2]; /* bias + input_offset * (sum of the channel's nine weights), in pairs */
  dw_rq q[4];       /* requantization of the four channels */
  int32_t oo, lo, hi;
} dw_group_ctx;

/* Four channels of n output pixels: x points at the first window's top-left
 * tap (channel c), window rows `row` bytes apart, columns `col` bytes apart,
 * consecutive windows `xstep` bytes apart; outputs `ostep` bytes apart. */
DW_ALWAYS_INLINE void dw_run(const dw_group_ctx* g, const int8_t* x, size_t row, size_t col,
                             size_t xstep, int32_t n, int8_t* out, size_t ostep, int mode) {
  const uint64_t* const wt = g->wt;
  int8_t* const out_end = out + (size_t)n * ostep;
  for (; out != out_end; x += xstep, out += ostep) {
    const dw_rq* const q = g->q;
    uint32_t b0, b1, b2, b3;
    int32_t a0, a1, a2, a3;
    dw_ld2(g->bias, &b0, &b1);
    dw_ld2(g->bias + 1, &b2, &b3);
    a0 = (int32_t)b0;
    a1 = (int32_t)b1;
    a2 = (int32_t)b2;
    a3 = (int32_t)b3;
    const int8_t* r = x;
    /* opaque: GCC otherwise keeps each of the nine tap addresses in its own
     * (spilled) register instead of base + register offset */
    TFK_OPAQUE(r);
    DW_TAP_PAIR(r, r + col, wt);            /* taps 0, 1 */
    {
      const int8_t* r1 = r + row;
      TFK_OPAQUE(r1);
      DW_TAP_PAIR(r + 2 * col, r1, wt + 2); /* taps 2, 3 */
      r = r1;
    }
    DW_TAP_PAIR(r + col, r + 2 * col, wt + 4); /* taps 4, 5 */
    r += row;
    TFK_OPAQUE(r);
    DW_TAP_PAIR(r, r + col, wt + 6);          /* taps 6, 7 */
    {                                          /* tap 8: channels (0, 2) and (1, 3) */
      const uint32_t xv = tfk_load_s8x4(r + 2 * col);
      const int32_t xe = tfk_sxtb16(xv), xo = tfk_sxtb16_ror8(xv);
      uint32_t w8e, w8o;
      dw_ld2(wt + 8, &w8e, &w8o);
      a0 = tfk_smlabb(xe, (int32_t)w8e, a0);
      a2 = tfk_smlatt(xe, (int32_t)w8e, a2);
      a1 = tfk_smlabb(xo, (int32_t)w8o, a1);
      a3 = tfk_smlatt(xo, (int32_t)w8o, a3);
    }
    out[0] = dw_out(a0, &q[0], g->oo, g->lo, g->hi, mode);
    out[1] = dw_out(a1, &q[1], g->oo, g->lo, g->hi, mode);
    out[2] = dw_out(a2, &q[2], g->oo, g->lo, g->hi, mode);
    out[3] = dw_out(a3, &q[3], g->oo, g->lo, g->hi, mode);
  }
}

/* dw_run compiled once per requantization mode.  Without the first
 * scheduling pass: it interleaves the four tap pairs to hide load latency and
 * then spills the extra live values to the stack (about 20 more instructions
 * per pixel on the M7). */
#if defined(__GNUC__) && !defined(__clang__)
#define DW_NO_SCHED static __attribute__((optimize("no-schedule-insns")))
#else
#define DW_NO_SCHED static
#endif
typedef void (*dw_run_fn)(const dw_group_ctx*, const int8_t*, size_t, size_t, size_t, int32_t,
                          int8_t*, size_t);
#define DW_RUN_VARIANT(NAME, MODE)                                                  \
  DW_NO_SCHED void NAME(const dw_group_ctx* g, const int8_t* x, size_t row, size_t col,  \
                   size_t xstep, int32_t n, int8_t* out, size_t ostep) {            \
    dw_run(g, x, row, col, xstep, n, out, ostep, MODE);                             \
  }
DW_RUN_VARIANT(dw_run_ssat, DW_RQ_SSAT)
DW_RUN_VARIANT(dw_run_clamp, DW_RQ_CLAMP)

/* The filter of channels c..c+3 as SMLAD operands: taps (0,1), (2,3), (4,5),
 * (6,7) as pair16(w[t][c+k], w[t+1][c+k]) for k = 0..3, then tap 8 as
 * pair16(w[8][c], w[8][c+2]) and pair16(w[8][c+1], w[8][c+3]) (SMLABB/SMLATT). */
static void dw_widen_filter(const int8_t* filter, size_t ch, uint64_t wt[9]) {
  int32_t p;
  for (p = 0; p < 4; ++p) {
    const int8_t* ta = filter + (size_t)(2 * p) * ch;
    const int8_t* tb = ta + ch;
    wt[2 * p] = dw_two(dw_pair16(ta[0], tb[0]), dw_pair16(ta[1], tb[1]));
    wt[2 * p + 1] = dw_two(dw_pair16(ta[2], tb[2]), dw_pair16(ta[3], tb[3]));
  }
  wt[8] = dw_two(dw_pair16(filter[8 * ch], filter[8 * ch + 2]),
                 dw_pair16(filter[8 * ch + 1], filter[8 * ch + 3]));
}

/* Clipped windows gathered per dw_run call (16 x 36 bytes of stack). */
#define DW_GATHER_MAX 16

/* Windows of output pixels ox_first .. ox_first + n - 1 (n <= DW_GATHER_MAX)
 * of output row `iy0` (top input row of the windows) gathered into win, nine
 * words per window, the taps outside the input at the zero point. */
static void dw_gather(const int8_t* in_b, int32_t in_h, int32_t in_w, size_t ch, int32_t sw,
                      int32_t pw, int32_t iy0, int32_t ox_first, int32_t n, uint32_t zp4,
                      uint32_t* win) {
  const size_t row = (size_t)in_w * ch;
  const int32_t ky0 = iy0 < 0 ? -iy0 : 0, ky1 = in_h - iy0 < 3 ? in_h - iy0 : 3;
  int32_t i, k, ky, kx;
  for (i = 0; i < n; ++i, win += 9) {
    const int32_t ix0 = (ox_first + i) * sw - pw;
    const int32_t kx0 = ix0 < 0 ? -ix0 : 0, kx1 = in_w - ix0 < 3 ? in_w - ix0 : 3;
    for (k = 0; k < 9; ++k) win[k] = zp4;
    for (ky = ky0; ky < ky1; ++ky) {
      const int8_t* src = in_b + (size_t)(iy0 + ky) * row + (size_t)(ix0 + kx0) * ch;
      for (kx = kx0; kx < kx1; ++kx, src += ch) win[3 * ky + kx] = tfk_load_s8x4(src);
    }
  }
}

/* Every output pixel of one group of four channels (input and output already
 * offset to channel c) when not even three padded rows fit dw_group's band
 * (maps wider than TFK_DW_BAND_WORDS / 3 - 2 pixels): per output row, the run
 * of pixels whose window lies inside the input in one dw_run call, the clipped
 * windows before and after it gathered and run in blocks of up to
 * DW_GATHER_MAX. */
static void dw_group_gather(const tfk_dw_conv_params* params, const tfk_dims4* input_dims,
                            const int8_t* input, const tfk_dims4* output_dims,
                            const dw_group_ctx* g, uint32_t zp4, dw_run_fn run, int8_t* output) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w;
  const size_t ch = (size_t)input_dims->c, row = (size_t)in_w * ch;
  const int32_t out_h = output_dims->h, out_w = output_dims->w;
  const int32_t sh = params->stride_h, sw = params->stride_w;
  const int32_t ph = params->pad_h, pw = params->pad_w;
  /* output columns whose window lies inside the input's columns:
   * ox_begin <= ox < ox_end with ox * sw - pw >= 0 and ox * sw - pw + 3 <= in_w */
  int32_t ox_begin = (pw + sw - 1) / sw;
  int32_t ox_end = in_w - 3 + pw >= 0 ? (in_w - 3 + pw) / sw + 1 : 0;
  uint32_t win[9 * DW_GATHER_MAX];
  int32_t b, oy, ox;
  if (ox_end > out_w) ox_end = out_w;
  if (ox_begin > ox_end) ox_begin = ox_end;
  for (b = 0; b < output_dims->n; ++b) {
    const int8_t* in_b = input + (size_t)b * in_h * row;
    for (oy = 0; oy < out_h; ++oy) {
      const int32_t iy0 = oy * sh - ph;
      const int rows_inside = iy0 >= 0 && iy0 + 3 <= in_h;
      int8_t* out_row = output + ((size_t)b * out_h + (size_t)oy) * out_w * ch;
      ox = 0;
      while (ox < out_w) {
        /* the next run: interior, or clipped up to the interior or the row's end */
        int32_t end = rows_inside && ox >= ox_begin && ox < ox_end ? ox_end
                      : rows_inside && ox < ox_begin                ? ox_begin
                                                                    : out_w;
        if (rows_inside && ox >= ox_begin && ox < ox_end) {
          run(g, in_b + (size_t)iy0 * row + (size_t)(ox * sw - pw) * ch, row, ch,
              (size_t)sw * ch, end - ox, out_row + (size_t)ox * ch, ch);
        } else {
          if (end - ox > DW_GATHER_MAX) end = ox + DW_GATHER_MAX;
          dw_gather(in_b, in_h, in_w, ch, sw, pw, iy0, ox, end - ox, zp4, win);
          run(g, (const int8_t*)win, 12, 4, 36, end - ox, out_row + (size_t)ox * ch, ch);
        }
        ox = end;
      }
    }
  }
}

/* Words of the zero-point-padded band of dw_group (3 KiB of stack). */
#define TFK_DW_BAND_WORDS 768

/* Every output pixel of one group of four channels (input and output already
 * offset to channel c).  The group's four channels of a band of input rows are
 * first copied, one word per pixel, into a stack buffer framed by the padding
 * at the input zero point (x + offset = 0 there, so a padded tap adds nothing,
 * like the reference's skipped taps): then every window lies inside the
 * buffer and each output row is one dw_run call, border pixels included.  The
 * copy costs about one load and one store per input pixel and band overlap. */
static void dw_group(const tfk_dw_conv_params* params, const tfk_dims4* input_dims,
                     const int8_t* input, const tfk_dims4* output_dims, const dw_group_ctx* g,
                     uint32_t zp4, dw_run_fn run, int8_t* output) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w;
  const size_t ch = (size_t)input_dims->c, row = (size_t)in_w * ch;
  const int32_t out_h = output_dims->h, out_w = output_dims->w;
  const int32_t sh = params->stride_h, sw = params->stride_w;
  const int32_t ph = params->pad_h, pw = params->pad_w;
  /* buffer columns j <-> input columns j - pw, all that the windows touch */
  const int32_t bw = (out_w - 1) * sw + 3;
  const size_t brow = (size_t)bw * 4;
  /* output rows per band: (rows - 1) * sh + 3 buffer rows */
  const int32_t band = bw * 3 > TFK_DW_BAND_WORDS ? 0 : (TFK_DW_BAND_WORDS / bw - 3) / sh + 1;
  uint32_t buf[TFK_DW_BAND_WORDS];
  int32_t b, oy0, oy, r, j;
  if (band < 1) {
    dw_group_gather(params, input_dims, input, output_dims, g, zp4, run, output);
    return;
  }
  for (b = 0; b < output_dims->n; ++b) {
    const int8_t* in_b = input + (size_t)b * in_h * row;
    for (oy0 = 0; oy0 < out_h; oy0 += band) {
      const int32_t rows = out_h - oy0 < band ? out_h - oy0 : band;
      const int32_t iy_first = oy0 * sh - ph, brows = (rows - 1) * sh + 3;
      /* valid buffer columns [j0, j1) */
      const int32_t j0 = pw < bw ? pw : bw, j1 = in_w + pw < bw ? in_w + pw : bw;
      for (r = 0; r < brows; ++r) {
        const int32_t iy = iy_first + r;
        uint32_t* dst = buf + (size_t)r * bw;
        if (iy < 0 || iy >= in_h) {
          for (j = 0; j < bw; ++j) dst[j] = zp4;
        } else {
          const int8_t* src = in_b + (size_t)iy * row;
          for (j = 0; j < j0; ++j) dst[j] = zp4;
          for (; j < j1; ++j, src += ch) dst[j] = tfk_load_s8x4(src);
          for (; j < bw; ++j) dst[j] = zp4;
        }
      }
      for (oy = 0; oy < rows; ++oy) {
        run(g, (const int8_t*)(buf + (size_t)oy * sh * bw), brow, 4, (size_t)sw * 4, out_w,
            output + ((size_t)b * out_h + (size_t)(oy0 + oy)) * out_w * ch, ch);
      }
    }
  }
}

/* One channel of every pixel, scalar (channel counts that are not multiples
 * of four leave up to three), on the same folded bias. */
static void dw_channel(const tfk_dw_conv_params* params, const tfk_dims4* input_dims,
                       const int8_t* input, const tfk_dims4* output_dims, const int8_t* filter,
                       int32_t bias, const dw_rq* q, int8_t* output) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w, ch = input_dims->c;
  const int32_t out_h = output_dims->h, out_w = output_dims->w;
  const int32_t off = params->input_offset;
  int32_t b, oy, ox, ky, kx;
  for (b = 0; b < output_dims->n; ++b) {
    for (oy = 0; oy < out_h; ++oy) {
      for (ox = 0; ox < out_w; ++ox) {
        const int32_t iy0 = oy * params->stride_h - params->pad_h;
        const int32_t ix0 = ox * params->stride_w - params->pad_w;
        int32_t acc = bias;
        for (ky = 0; ky < 3; ++ky) {
          for (kx = 0; kx < 3; ++kx) {
            const int32_t iy = iy0 + ky, ix = ix0 + kx;
            /* the bias holds off * sum w, so a missing tap counts as x = -off */
            const int32_t x =
                iy >= 0 && iy < in_h && ix >= 0 && ix < in_w
                    ? input[(((size_t)b * in_h + (size_t)iy) * in_w + (size_t)ix) * ch]
                    : -off;
            acc = tfk_wrap_add(acc, x * filter[(size_t)(3 * ky + kx) * ch]);
          }
        }
        output[(((size_t)b * out_h + (size_t)oy) * out_w + (size_t)ox) * ch] =
            dw_out(acc, q, params->output_offset, params->activation_min,
                   params->activation_max, DW_RQ_GENERIC);
      }
    }
  }
}

/* Channel c's requantization and its bias with the input offset folded in:
 * sum (x + off) * w = sum x * w + off * sum w modulo 2^32, exact also for the
 * gathered border windows, whose missing taps hold x = -off. */
static int32_t dw_folded_bias(const tfk_dw_conv_params* params, const int8_t* filter, size_t ch,
                              int32_t bias, int32_t c) {
  int32_t t, sum_w = 0;
  for (t = 0; t < 9; ++t) sum_w += filter[(size_t)t * ch + (size_t)c];
  return tfk_wrap_add(bias, params->input_offset * sum_w);
}

/* Biases c .. c + n - 1 (n <= 4) of bias_width bytes each (tfk_bias_at): one
 * test of the width per group, the loads of a constant width. */
static void dw_biases(const uint8_t* bias, int32_t bias_width, int32_t c, int32_t n, int32_t* b) {
  int32_t k;
  if (bias_width == 2) {
    for (k = 0; k < n; ++k) b[k] = tfk_bias_at(bias, 2, c + k);
  } else if (bias_width == 3) {
    for (k = 0; k < n; ++k) b[k] = tfk_bias_at(bias, 3, c + k);
  } else {
    for (k = 0; k < n; ++k) b[k] = tfk_bias_at(bias, 4, c + k);
  }
}

/* Channel c's requantization; returns whether dw_scale applies to it. */
static int dw_prepare_rq(const tfk_dw_conv_params* params, const tfk_per_channel_quant* quant,
                         int32_t c, dw_rq* q) {
  const int32_t mult = quant->multiplier[c], rs1 = -quant->shift[c] - 1;
  q->mult_rs1 = dw_two((uint32_t)mult, (uint32_t)rs1);
  q->shift = quant->shift[c];
  if (mult < 0 || rs1 < 0 || rs1 > 21) {
    q->k0 = 0;
    return 0;
  }
  /* built from its two words (a variable 64-bit shift is a library call):
   * low 2^30 + (rs1 == 0) * 2^31, high (rs1 >= 1) * 2^(rs1-1) + output_offset * 2^rs1 */
  q->k0 = dw_two(rs1 == 0 ? 0xC0000000u : 0x40000000u,
                 (rs1 >= 1 ? 1u << (rs1 - 1) : 0u) + (uint32_t)params->output_offset * (1u << rs1));
  return 1;
}

/* Both entry points: the biases are bias_width bytes each (tfk_bias_at). */
static void dw_conv_3x3_dsp(const tfk_dw_conv_params* params, const tfk_per_channel_quant* quant,
                            const tfk_dims4* input_dims, const int8_t* input, const int8_t* filter,
                            const uint8_t* bias, int32_t bias_width, const tfk_dims4* output_dims,
                            int8_t* output) {
  const int32_t ch = output_dims->c;
  const int i8range = params->activation_min == -128 && params->activation_max == 127;
  /* four bytes of the input zero point: a gathered tap that adds 0 */
  const uint32_t zp4 = ((uint32_t)(-params->input_offset) & 0xFFu) * 0x01010101u;
  int32_t c, k;
  for (c = 0; c + 4 <= ch; c += 4) {
    dw_group_ctx g;
    int fast = 1;
    int32_t b[4];
    dw_widen_filter(filter + c, (size_t)ch, g.wt);
    for (k = 0; k < 4; ++k) fast &= dw_prepare_rq(params, quant, c + k, &g.q[k]);
    dw_biases(bias, bias_width, c, 4, b);
    g.bias[0] = dw_two((uint32_t)dw_folded_bias(params, filter, (size_t)ch, b[0], c),
                       (uint32_t)dw_folded_bias(params, filter, (size_t)ch, b[1], c + 1));
    g.bias[1] = dw_two((uint32_t)dw_folded_bias(params, filter, (size_t)ch, b[2], c + 2),
                       (uint32_t)dw_folded_bias(params, filter, (size_t)ch, b[3], c + 3));
    if (!fast) {
      /* a shift outside [-22, -1] (a multiplier of at least 1/2 or below 2^-22):
       * the scalar loop, with tfk_requantize_fast */
      for (k = 0; k < 4; ++k) {
        dw_channel(params, input_dims, input + c + k, output_dims, filter + c + k,
                   dw_folded_bias(params, filter, (size_t)ch, b[k], c + k), &g.q[k],
                   output + c + k);
      }
      continue;
    }
    g.oo = params->output_offset;
    g.lo = params->activation_min;
    g.hi = params->activation_max;
    dw_group(params, input_dims, input + c, output_dims, &g, zp4,
             i8range ? dw_run_ssat : dw_run_clamp, output + c);
  }
  for (; c < ch; ++c) {
    dw_rq q;
    int32_t b;
    dw_prepare_rq(params, quant, c, &q);
    dw_biases(bias, bias_width, c, 1, &b);
    dw_channel(params, input_dims, input + c, output_dims, filter + c,
               dw_folded_bias(params, filter, (size_t)ch, b, c), &q, output + c);
  }
}

void tfk_dw_conv_3x3_s8_dsp(const tfk_dw_conv_params* params, const tfk_per_channel_quant* quant,
                            const tfk_dims4* input_dims, const int8_t* input,
                            const tfk_dims4* filter_dims, const int8_t* filter,
                            const int32_t* bias, const tfk_dims4* output_dims, int8_t* output) {
  (void)filter_dims;
  dw_conv_3x3_dsp(params, quant, input_dims, input, filter, (const uint8_t*)bias, 4, output_dims, output);
}

void tfk_dw_conv_3x3_s8_dsp_narrow_bias(const tfk_dw_conv_params* params,
                                        const tfk_per_channel_quant* quant,
                                        const tfk_dims4* input_dims, const int8_t* input,
                                        const tfk_dims4* filter_dims, const int8_t* filter,
                                        const uint8_t* bias, int32_t bias_width,
                                        const tfk_dims4* output_dims, int8_t* output) {
  (void)filter_dims;
  dw_conv_3x3_dsp(params, quant, input_dims, input, filter, bias, bias_width, output_dims, output);
}

#else
/* No DSP extension: the generator never calls this kernel (ISO C wants a
 * declaration in every translation unit). */
typedef int tfk_dw_conv_3x3_s8_dsp_needs_dsp;
#endif
