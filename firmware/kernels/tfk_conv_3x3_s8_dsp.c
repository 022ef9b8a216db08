/*
 * CONV_2D with small windows (3x3 in practice: ic_resnet8's layers, the first
 * layers of MobileNet-style models) on cores with the DSP extension and
 * without Helium (Cortex-M4, M7, M33): tfk_conv_3x3_s8_dsp.  Same bytes as
 * tfk_conv2d_s8 (TFLite ConvPerChannel); the code generator (OpEmitter.
 * convKernel) calls it, nothing here chooses a path by core.
 *
 * The gathered-window kernel (tfk_conv_fast_s8_dsp.c) widens every input word
 * again for every output channel pair: 20 instructions per 16 MACs in its
 * two-pixel, two-channel dot product.  Here the window of each of four output
 * pixels is widened to int16 once (input offset added by SXTAB16, taps in the
 * padding written as 0, which is what the reference's skipped taps add), and
 * the output channels then run one at a time over the four widened windows,
 * the way tfk_conv_1x1_s8_dsp runs over four widened pixels: per sixteen
 * window bytes one LDRD of filter per eight bytes, four SXTB16, eight LDRD of
 * widened input and sixteen SMLAD for four pixels (64 MACs), and four outputs
 * requantized with one set of per-channel constants.
 *
 * Windows whose length kh * kw * Cin is not a multiple of four (a first layer
 * on 3 input channels: 27 bytes) are widened to the next multiple of four with
 * zeros; the filter row is then read with plain (unaligned) word loads, and its
 * last word takes the first bytes of the next row, which meet those zeros and
 * add nothing.  The last row has no next row: it is copied, zero-padded, to the
 * stack first.
 */
#include "tfk_conv_common.h"
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

#if TFK_USE_DSP

/* GCC's first scheduling pass moves the epilogue's loads into the dot product,
 * where no register is free (as in tfk_conv_1x1_s8_dsp.c): off for this file. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-schedule-insns")
#endif

#include "tfk_conv_dsp_common.h"

/* Longest window (kh * kw * Cin rounded up to four bytes, tfk_kernels.h): four
 * widened windows of 576 bytes (3x3x64, ResNet's widest) are 4.5 KiB of stack. */
#define TFK_CONV_3X3_DSP_WINDOW_MAX TFK_CONV_3X3_DSP_MAX

/* Longest window whose length is not a multiple of four (gathered as int8 into
 * a patch of this size first). */
#define TFK_CONV_3X3_DSP_ODD_WINDOW_MAX TFK_CONV_3X3_DSP_ODD_MAX

/* Output channels per block of channel_rq entries (1 KiB of stack); the
 * windows are widened again for every block. */
#define TFK_CONV_3X3_DSP_CHANNEL_BLOCK 64

/* Stores LO, HI as the two words at byte offset BYTES from P in one STRD
 * (GCC 12 stores the widened pairs with two STRs); BYTES a constant. */
#if defined(TFK_EMULATE_DSP) || !defined(__GNUC__) || !defined(__OPTIMIZE__)
#define TFK_STRD(LO, HI, P, BYTES)                   \
  do {                                               \
    (P)[(BYTES) / 4] = (LO);                         \
    (P)[(BYTES) / 4 + 1] = (HI);                     \
  } while (0)
#else
#define TFK_STRD(LO, HI, P, BYTES)                                   \
  __asm__("strd %1, %2, [%3, %4]"                                    \
          : "=m"(*(uint64_t*)(void*)((char*)(P) + (BYTES)))          \
          : "r"(LO), "r"(HI), "r"(P), "i"(BYTES))
#endif

/* The accumulators of one output channel, one per pixel (up to four). */

/* Where the window of one output pixel lies in the input. */
typedef struct {
  const int8_t* in_b; /* the pixel's batch in the input */
  int32_t iy0, ix0;   /* input row and column of the window's top-left tap */
} window_at;

/* Widens the four bytes at src into dst[0] = (x0, x2), dst[1] = (x1, x3), each
 * plus the input offset (in [-255, 255]). */
TFK_ALWAYS_INLINE void widen_word(int32_t* dst, const int8_t* src, uint32_t off2) {
  const uint32_t v = tfk_load_s8x4(src);
  dst[0] = tfk_sxtab16(off2, v);
  dst[1] = tfk_sxtab16_ror8(off2, v);
}

/* Widens the window of one pixel (at) into xw: word pair j of the window (its
 * bytes 4j .. 4j + 3) goes to xw[j * step], xw[j * step + 1], with step = 2 *
 * the number of pixels sharing the buffer (a constant where inlined for four
 * pixels, so that the stores take immediate offsets).  Taps outside the input
 * are 0.  Cin % 4 == 0: every word lies in one tap, and the valid taps of a
 * filter row are one contiguous run of the input row, widened two words per
 * trip (two LDR: the input need not be 8-byte aligned for an LDRD). */
TFK_ALWAYS_INLINE void widen_window(const window_at* at, int32_t in_h, int32_t in_w,
                                    int32_t depth, int32_t kh, int32_t kw, int32_t dh,
                                    uint32_t off2, int32_t step, int32_t* xw) {
  const int32_t ky_begin = first_valid_tap(at->iy0, dh, kh);
  const int32_t ky_end = end_valid_tap(at->iy0, dh, kh, in_h);
  const int32_t kx_begin = first_valid_tap(at->ix0, 1, kw);
  const int32_t kx_end = end_valid_tap(at->ix0, 1, kw, in_w);
  const int32_t row_words = kw * depth / 4;
  const int32_t pre = kx_begin * depth / 4;
  const int32_t valid = kx_end > kx_begin ? (kx_end - kx_begin) * depth / 4 : 0;
  const size_t row_bytes = (size_t)in_w * depth * dh; /* input bytes between filter rows */
  const int8_t* src = at->in_b +
                      ((size_t)(at->iy0 + dh * ky_begin) * in_w + (size_t)(at->ix0 + kx_begin)) * depth;
  int32_t ky, j;
  for (ky = 0; ky < kh; ++ky) {
    if (ky < ky_begin || ky >= ky_end || valid == 0) {
      for (j = 0; j < row_words; ++j, xw += step) xw[0] = xw[1] = 0;
      continue;
    }
    for (j = 0; j < pre; ++j, xw += step) xw[0] = xw[1] = 0;
    {
      const int8_t* s = src;
      for (j = 0; j + 2 <= valid; j += 2, xw += 2 * step, s += 8) {
        const uint32_t v = tfk_load_s8x4(s), u = tfk_load_s8x4(s + 4);
        xw[0] = tfk_sxtab16(off2, v);
        xw[1] = tfk_sxtab16_ror8(off2, v);
        xw[step] = tfk_sxtab16(off2, u);
        xw[step + 1] = tfk_sxtab16_ror8(off2, u);
      }
      if (j < valid) {
        widen_word(xw, s, off2);
        xw += step;
      }
    }
    src += row_bytes;
    for (j = pre + valid; j < row_words; ++j, xw += step) xw[0] = xw[1] = 0;
  }
}

/* widen_window for a window wholly inside the input (most pixels), four
 * pixels per buffer (word pairs 32 bytes apart): kh runs of row_words words,
 * row_bytes apart in the input, four words per trip when row_words allows. */
static void widen_interior_4px(const int8_t* src, size_t row_bytes, int32_t kh,
                               int32_t row_words, uint32_t off2, int32_t* xw) {
  int32_t ky, j;
  for (ky = 0; ky < kh; ++ky, src += row_bytes) {
    const int8_t* s = src;
    j = 0;
    for (; j + 4 <= row_words; j += 4, xw += 32, s += 16) {
      const uint32_t v0 = tfk_load_s8x4(s), v1 = tfk_load_s8x4(s + 4);
      const uint32_t v2 = tfk_load_s8x4(s + 8), v3 = tfk_load_s8x4(s + 12);
      TFK_STRD(tfk_sxtab16(off2, v0), tfk_sxtab16_ror8(off2, v0), xw, 0);
      TFK_STRD(tfk_sxtab16(off2, v1), tfk_sxtab16_ror8(off2, v1), xw, 32);
      TFK_STRD(tfk_sxtab16(off2, v2), tfk_sxtab16_ror8(off2, v2), xw, 64);
      TFK_STRD(tfk_sxtab16(off2, v3), tfk_sxtab16_ror8(off2, v3), xw, 96);
    }
    for (; j < row_words; ++j, xw += 8, s += 4) widen_word(xw, s, off2);
  }
}

/* n bytes (a few) from src to dst: words, then the last n % 4 bytes.  The
 * gathered rows of a first layer are short (9 bytes on 3 channels): memcpy's
 * call and dispatch cost more than the copy. */
TFK_ALWAYS_INLINE void copy_short(int8_t* dst, const int8_t* src, int32_t n) {
  for (; n >= 4; n -= 4, dst += 4, src += 4) {
    const uint32_t v = tfk_load_s8x4(src);
    TFK_OPAQUE(dst); /* else GCC turns the loop back into a memcpy call */
    memcpy(dst, &v, 4);
  }
  if (n > 0) dst[0] = src[0];
  if (n > 1) dst[1] = src[1];
  if (n > 2) dst[2] = src[2];
}

/* n bytes (a few) of dst set to pad4's byte. */
TFK_ALWAYS_INLINE void fill_short(int8_t* dst, uint32_t pad4, int32_t n) {
  for (; n >= 4; n -= 4, dst += 4) {
    TFK_OPAQUE(dst); /* else GCC turns the loop into a memset call */
    memcpy(dst, &pad4, 4);
  }
  if (n > 0) dst[0] = (int8_t)pad4;
  if (n > 1) dst[1] = (int8_t)pad4;
  if (n > 2) dst[2] = (int8_t)pad4;
}

/* widen_window for any Cin: the window is gathered as int8 first (the input
 * zero point at padded taps, which widens to 0), then padded to `words` words
 * with the zero point and widened. */
static void widen_window_gathered(const window_at* at, int32_t in_h, int32_t in_w, int32_t depth,
                                  int32_t kh, int32_t kw, int32_t dh, int32_t off, int32_t words,
                                  int32_t step, int32_t* xw) {
  int8_t patch[TFK_CONV_3X3_DSP_ODD_WINDOW_MAX];
  const uint32_t pad4 = ((uint32_t)-off & 0xFFu) * 0x01010101u;
  const uint32_t off2 = tfk_dup_i16(off);
  const int32_t ky_begin = first_valid_tap(at->iy0, dh, kh);
  const int32_t ky_end = end_valid_tap(at->iy0, dh, kh, in_h);
  const int32_t kx_begin = first_valid_tap(at->ix0, 1, kw);
  const int32_t kx_end = end_valid_tap(at->ix0, 1, kw, in_w);
  const int32_t row_len = kw * depth;
  const int32_t pre = kx_begin * depth;
  const int32_t valid = kx_end > kx_begin ? (kx_end - kx_begin) * depth : 0;
  int8_t* dst = patch;
  int32_t ky, j;
  for (ky = 0; ky < kh; ++ky, dst += row_len) {
    if (ky < ky_begin || ky >= ky_end || valid == 0) {
      fill_short(dst, pad4, row_len);
      continue;
    }
    fill_short(dst, pad4, pre);
    copy_short(dst + pre, at->in_b + ((size_t)(at->iy0 + dh * ky) * in_w +
                                      (size_t)(at->ix0 + kx_begin)) * depth,
               valid);
    fill_short(dst + pre + valid, pad4, row_len - pre - valid);
  }
  fill_short(dst, pad4, 4 * words - kh * row_len);
  for (j = 0; j < words; ++j, xw += step) widen_word(xw, patch + 4 * j, off2);
}



/* Output channels 0 .. n-1 of a block (channel_rq entries c; filter rows from
 * w on, row_stride bytes apart, len bytes read from each) for the npx windows
 * widened into xw; channel oc of pixel k goes to o + d[k] + oc. */
TFK_ALWAYS_INLINE void channels_npx(const int32_t* xw, int npx, const int8_t* w, int32_t len,
                                    int32_t row_stride, int aligned, int32_t n,
                                    const channel_rq* c, const int32_t* qm, const int8_t* qs,
                                    int32_t oo, int32_t lo, int32_t hi, int8_t* o,
                                    const ptrdiff_t d[4]) {
  const int i8range = lo == -128 && hi == 127;
  const ptrdiff_t d1 = d[1], d2 = d[2], d3 = d[3];
  int32_t oc;
  for (oc = 0; oc < n; ++oc, w += row_stride) {
    acc_4px a;
    int32_t v0, v1, v2, v3;
    a.a0 = a.a1 = a.a2 = a.a3 = c[oc].bias;
    dot_npx(xw, w, len, npx, aligned, &a);
#if !TFK_SINGLE_ROUNDING
    if (TFK_LIKELY(c[oc].rs1 != 0)) {
      const int32_t m = c[oc].m, half = c[oc].half, rs1 = c[oc].rs1;
      v0 = rq_rshift(a.a0, m, half, rs1);
      v1 = npx > 1 ? rq_rshift(a.a1, m, half, rs1) : 0;
      v2 = npx > 2 ? rq_rshift(a.a2, m, half, rs1) : 0;
      v3 = npx > 2 ? rq_rshift(a.a3, m, half, rs1) : 0;
    } else
#endif
    {
      acc_4px v;
      rq_general(a.a0, a.a1, a.a2, a.a3, qm, qs, oc, &v);
      v0 = v.a0;
      v1 = v.a1;
      v2 = v.a2;
      v3 = v.a3;
    }
    {
      int8_t* po = o + oc;
      TFK_OPAQUE(po); /* one base and three distances: four running pointers spill */
      po[0] = clamp_out(v0 + oo, i8range, lo, hi);
      if (npx > 1) po[d1] = clamp_out(v1 + oo, i8range, lo, hi);
      if (npx > 2) {
        po[d2] = clamp_out(v2 + oo, i8range, lo, hi);
        po[d3] = clamp_out(v3 + oo, i8range, lo, hi);
      }
    }
  }
}

/* The channels of one group of pixels: rows of `len` bytes (a multiple of 16
 * for ResNet's 3x3 x 16, 32, 64 windows: a constant trip count there). */
static void channels(const int32_t* xw, int npx, const int8_t* w, int32_t len, int32_t row_stride,
                     int32_t n, const channel_rq* c, const int32_t* qm, const int8_t* qs,
                     int32_t oo, int32_t lo, int32_t hi, int8_t* o, const ptrdiff_t d[4]) {
  const int aligned = row_stride == len;
  if (npx == 4) {
    if (aligned) {
      switch (len) {
        case 144:
          channels_npx(xw, 4, w, 144, 144, 1, n, c, qm, qs, oo, lo, hi, o, d);
          return;
        case 288:
          channels_npx(xw, 4, w, 288, 288, 1, n, c, qm, qs, oo, lo, hi, o, d);
          return;
        case 576:
          channels_npx(xw, 4, w, 576, 576, 1, n, c, qm, qs, oo, lo, hi, o, d);
          return;
        default:
          channels_npx(xw, 4, w, len, len, 1, n, c, qm, qs, oo, lo, hi, o, d);
          return;
      }
    }
    channels_npx(xw, 4, w, len, row_stride, 0, n, c, qm, qs, oo, lo, hi, o, d);
  } else if (npx == 2) {
    channels_npx(xw, 2, w, len, row_stride, aligned, n, c, qm, qs, oo, lo, hi, o, d);
  } else {
    channels_npx(xw, 1, w, len, row_stride, aligned, n, c, qm, qs, oo, lo, hi, o, d);
  }
}

/* channels for one row of a window not a multiple of four bytes, from its
 * zero-padded stack copy: no constant lengths (they cannot occur here, and GCC
 * would warn about reading the copy past its end in the copies for them). */
static void channels_padded_row(const int32_t* xw, int npx, const int8_t* w, int32_t len,
                                const channel_rq* c, const int32_t* qm, const int8_t* qs,
                                int32_t oo, int32_t lo, int32_t hi, int8_t* o,
                                const ptrdiff_t d[4]) {
  if (npx == 4) {
    channels_npx(xw, 4, w, len, len, 1, 1, c, qm, qs, oo, lo, hi, o, d);
  } else if (npx == 2) {
    channels_npx(xw, 2, w, len, len, 1, 1, c, qm, qs, oo, lo, hi, o, d);
  } else {
    channels_npx(xw, 1, w, len, len, 1, 1, c, qm, qs, oo, lo, hi, o, d);
  }
}

void tfk_conv_3x3_s8_dsp(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                         const tfk_dims4* input_dims, const int8_t* input,
                         const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                         const tfk_dims4* output_dims, int8_t* output) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w, depth = input_dims->c;
  const int32_t kh = filter_dims->h, kw = filter_dims->w;
  const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
  const int32_t pixels = output_dims->n * out_h * out_w;
  const int32_t row_stride = kh * kw * depth; /* filter bytes per output channel */
  const int32_t len = (row_stride + 3) & ~3;  /* window bytes widened per pixel */
  const int32_t words = len / 4;
  const int32_t off = params->input_offset;
  const uint32_t off2 = tfk_dup_i16(off);
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int32_t dh = params->dilation_h;
  int32_t xw[TFK_CONV_3X3_DSP_WINDOW_MAX * 4 / 2]; /* four windows, two int16 per word */
  int8_t last_row[TFK_CONV_3X3_DSP_ODD_WINDOW_MAX];
  channel_rq chan[TFK_CONV_3X3_DSP_CHANNEL_BLOCK];
  int32_t cb, p;

  for (cb = 0; cb < out_c; cb += TFK_CONV_3X3_DSP_CHANNEL_BLOCK) {
    const int32_t n = out_c - cb < TFK_CONV_3X3_DSP_CHANNEL_BLOCK ? out_c - cb
                                                                 : TFK_CONV_3X3_DSP_CHANNEL_BLOCK;
    const int8_t* const wblk = filter + (size_t)cb * row_stride;
    const int32_t* const qm = quant->multiplier + cb;
    const int8_t* const qs = quant->shift + cb;
    /* Rows shorter than the widened window read into the next row; the block
     * that holds the last row runs it from a zero-padded copy instead. */
    const int split_last = row_stride != len && cb + n == out_c;
    prepare_channels(quant->multiplier, quant->shift, (const uint8_t*)bias, 4, cb, n, chan);
    if (split_last) {
      int32_t j;
      for (j = 0; j < len; ++j) last_row[j] = j < row_stride ? wblk[(n - 1) * row_stride + j] : 0;
    }
    for (p = 0; p < pixels; p += 4) {
      /* four pixels at a time; the last one or two alone or as a pair, three as
       * four with the last pixel repeated (the same bytes stored twice) */
      const int32_t left = pixels - p;
      const int npx = left >= 3 ? 4 : (int)left;
      int8_t* const o = output + (size_t)p * out_c + cb;
      ptrdiff_t d[4];
      int k;
      for (k = 0; k < npx; ++k) {
        const int32_t q = p + k < pixels ? p + k : pixels - 1;
        const int32_t x = q % out_w, y = (q / out_w) % out_h, b = q / (out_w * out_h);
        window_at at;
        d[k] = (ptrdiff_t)(q - p) * out_c;
        at.in_b = input + (size_t)b * in_h * in_w * depth;
        at.iy0 = y * params->stride_h - params->pad_h;
        at.ix0 = x * params->stride_w - params->pad_w;
        if (depth % 4 == 0) {
          if (npx == 4 && at.iy0 >= 0 && at.iy0 + (kh - 1) * dh < in_h && at.ix0 >= 0 &&
              at.ix0 + kw <= in_w) {
            widen_interior_4px(at.in_b + ((size_t)at.iy0 * in_w + (size_t)at.ix0) * depth,
                               (size_t)in_w * depth * dh, kh, kw * depth / 4, off2, xw + 2 * k);
          } else if (npx == 4) {
            widen_window(&at, in_h, in_w, depth, kh, kw, dh, off2, 8, xw + 2 * k);
          } else {
            widen_window(&at, in_h, in_w, depth, kh, kw, dh, off2, 2 * npx, xw + 2 * k);
          }
        } else {
          widen_window_gathered(&at, in_h, in_w, depth, kh, kw, dh, off, words, 2 * npx,
                                xw + 2 * k);
        }
      }
      for (; k < 4; ++k) d[k] = 0;
      if (!split_last) {
        channels(xw, npx, wblk, len, row_stride, n, chan, qm, qs, oo, lo, hi, o, d);
      } else {
        if (n > 1) channels(xw, npx, wblk, len, row_stride, n - 1, chan, qm, qs, oo, lo, hi, o, d);
        channels_padded_row(xw, npx, last_row, len, chan + n - 1, qm + n - 1, qs + n - 1, oo, lo,
                            hi, o + n - 1, d);
      }
    }
  }
}

#endif /* TFK_USE_DSP */
