/*
 * CONV_2D with a 1x1 filter on cores with the DSP extension (Cortex-M4, M7,
 * M33): tfk_conv_1x1_s8_dsp.  Same bytes as tfk_conv2d_s8 (TFLite
 * ConvPerChannel); the code generator calls it only for depth % 4 == 0 and
 * depth <= TFK_CONV_1X1_DSP_DEPTH_MAX (see tfk_kernels.h).
 *
 * Where tfk_conv2d_1x1_s8 spent its instructions on person_detect (QEMU
 * -icount): ~1.25 per MAC in the dot products and ~28 per output around them
 * (requantization with its shift dispatch, bias adds, the call into the dot
 * product, per-pair tail checks); at 8 or 16 input channels the part around
 * the dot products was most of the layer.  This kernel:
 *
 *   - widens four pixels to int16 once (input offset added by SXTAB16) and
 *     then runs one output channel at a time over them: per eight input
 *     channels one LDRD of filter, four SXTB16, eight LDRD of widened input
 *     and sixteen SMLAD (32 MACs), four accumulators, no spills; sixteen
 *     input channels per loop trip when the depth allows;
 *   - starts the accumulators at the bias instead of adding it afterwards;
 *   - requantizes the channel's four outputs with one set of constants,
 *     prepared once per call and block of channels (channel_rq): the
 *     one-multiply form of tfk_requantize_rshift, five instructions per output, for
 *     shift <= -2 (nearly every conv layer); other channels take tfk_requantize;
 *   - for the usual depths (8, 16, 32) runs a dot product whose trip count is
 *     a compile-time constant;
 *   - runs a last lone pixel through the same code for one pixel, and two or
 *     three as four with the last pixel repeated (it stores the same bytes
 *     again), so no separate tail loop exists;
 *   - reads its biases once per call, so tfk_conv_1x1_s8_dsp_narrow_bias takes
 *     them in 2 or 3 bytes each where a layer's values fit (flash).
 *
 * In place: the memory planner may give a pointwise layer (stride 1, at most
 * 64 output channels) one buffer for input and output, the output starting
 * below the input (TensorGraph.Pointwise).  That is safe while this kernel
 * walks the pixels forward once, in blocks of at most four, storing a block's
 * outputs only after the block's input pixels are read or while they still
 * are, never reading a pixel of an earlier block again, and while `input` and
 * `output` are not declared restrict.  firmware/tests test_conv_1x1_in_place
 * runs it so.  Over 64 output channels it walks the pixels once per block of
 * channels: hence the cap.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

#if TFK_USE_DSP

/* GCC's first instruction-scheduling pass (before register allocation) moves
 * the epilogue's loads up into the dot products, where no register is free,
 * and the result spills: off for this file's functions. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-schedule-insns")
#endif

#include "tfk_conv_dsp_common.h"

/* Four widened pixels: 4 x depth int16 = 2 * depth words on the stack (2 KiB). */
#define TFK_CONV_1X1_DSP_DEPTH_MAX 256

/* Output channels per block of channel_rq entries (1 KiB of stack). */
#define TFK_CONV_1X1_DSP_CHANNEL_BLOCK 64

/* Widens the depth bytes (depth % 4 == 0) of pixels in[0 .. NPX-1] to int16
 * with the input offset added (x + off is in [-255, 255]).  For every input
 * word, 2 * NPX words: (x0, x2) and (x1, x3) of pixel 0, then of pixel 1, ...,
 * the order dot_npx reads them in. */
TFK_ALWAYS_INLINE void widen(const int8_t* const in[4], int npx, int32_t depth, uint32_t off2,
                             int32_t* xw) {
  int32_t k;
  int i;
  for (k = 0; k < depth; k += 4, xw += 2 * npx) {
    for (i = 0; i < npx; ++i) {
      const uint32_t v = tfk_load_s8x4(in[i] + k);
      xw[2 * i] = tfk_sxtab16(off2, v);
      xw[2 * i + 1] = tfk_sxtab16_ror8(off2, v);
    }
  }
}



/* Output channels 0 .. n-1 of a block (channel_rq entries c, filter rows from
 * w on, depth bytes each) for the four pixels widened into xw; channel oc of
 * pixel k goes to o + d[k] + oc (d[0] = 0).  One base pointer and three
 * distances: four running output pointers do not fit in the registers. */
TFK_ALWAYS_INLINE void channels_npx(const int32_t* xw, int npx, const int8_t* w, int32_t depth,
                                    int32_t n, const channel_rq* c, const int32_t* qm,
                                    const int8_t* qs, int32_t oo, int32_t lo, int32_t hi,
                                    int8_t* o, const ptrdiff_t d[4], const int8_t* lut) {
  const int i8range = lo == -128 && hi == 127;
  const ptrdiff_t d1 = d[1], d2 = d[2], d3 = d[3];
  int32_t oc;
  for (oc = 0; oc < n; ++oc, w += depth) {
    acc_4px a;
    int32_t v0, v1, v2, v3;
    a.a0 = a.a1 = a.a2 = a.a3 = c[oc].bias;
    dot_npx(xw, w, depth, npx, 1, &a);
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
      /* opaque: else GCC keeps four running output pointers (and one per quant
       * array of the rare path above) and spills them */
      int8_t* po = o + oc;
      TFK_OPAQUE(po);
      /* lut: the table of an int8 activation folded into this layer, in value
       * order and 128 entries past its start, so the signed byte indexes it:
       * one load per output instead of the activation's pass over the tensor */
      po[0] = lut ? lut[clamp_out(v0 + oo, i8range, lo, hi)] : clamp_out(v0 + oo, i8range, lo, hi);
      if (npx > 1) {
        po[d1] = lut ? lut[clamp_out(v1 + oo, i8range, lo, hi)] : clamp_out(v1 + oo, i8range, lo, hi);
      }
      if (npx > 2) {
        po[d2] = lut ? lut[clamp_out(v2 + oo, i8range, lo, hi)] : clamp_out(v2 + oo, i8range, lo, hi);
        po[d3] = lut ? lut[clamp_out(v3 + oo, i8range, lo, hi)] : clamp_out(v3 + oo, i8range, lo, hi);
      }
    }
  }
}

/* The narrow-bias and table entry points: the biases are bias_width bytes
 * each (tfk_bias_at); lut NULL or an activation's table, 128 entries past its
 * start.  Inlined into both, so the one without a table tests none. */
TFK_ALWAYS_INLINE void conv_1x1_dsp(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                                    const tfk_dims4* input_dims, const int8_t* input, const int8_t* filter,
                                    const uint8_t* bias, int32_t bias_width, const tfk_dims4* output_dims,
                                    int8_t* output, const int8_t* lut) {
  const int32_t depth = input_dims->c;
  const int32_t out_c = output_dims->c;
  const int32_t out_h = output_dims->h, out_w = output_dims->w;
  const int32_t pixels = output_dims->n * out_h * out_w;
  const uint32_t off2 = tfk_dup_i16(params->input_offset);
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int unit_stride = params->stride_h == 1 && params->stride_w == 1;
  int32_t xw[2 * TFK_CONV_1X1_DSP_DEPTH_MAX];
  channel_rq chan[TFK_CONV_1X1_DSP_CHANNEL_BLOCK];
  int32_t cb, p;

  for (cb = 0; cb < out_c; cb += TFK_CONV_1X1_DSP_CHANNEL_BLOCK) {
    const int32_t n = out_c - cb < TFK_CONV_1X1_DSP_CHANNEL_BLOCK ? out_c - cb
                                                                 : TFK_CONV_1X1_DSP_CHANNEL_BLOCK;
    const int8_t* const wblk = filter + (size_t)cb * depth;
    const int32_t* const qm = quant->multiplier + cb;
    const int8_t* const qs = quant->shift + cb;
    prepare_channels(quant->multiplier, quant->shift, bias, bias_width, cb, n, chan);
    for (p = 0; p < pixels; p += 4) {
      /* four pixels at a time; the last one alone, two or three as four with
       * the last pixel repeated (the same bytes stored again): a separate pair
       * path cost 680 bytes of code for at most two pixels' work per layer */
      const int32_t left = pixels - p;
      const int npx = left >= 2 ? 4 : 1;
      const int8_t* in[4];
      int8_t* const o = output + (size_t)p * out_c + cb;
      ptrdiff_t d[4];
      int k;
      for (k = 0; k < 4; ++k) {
        const int32_t q = p + k < pixels ? p + k : pixels - 1;
        d[k] = (ptrdiff_t)(q - p) * out_c;
        if (unit_stride) {
          in[k] = input + (size_t)q * depth;
        } else {
          const int32_t x = q % out_w, y = (q / out_w) % out_h, b = q / (out_w * out_h);
          in[k] = input + (((size_t)b * input_dims->h + (size_t)y * params->stride_h) *
                               input_dims->w + (size_t)x * params->stride_w) * depth;
        }
      }
      if (npx == 4) {
        widen(in, 4, depth, off2, xw);
        /* constant depths for the layer shapes of the usual MobileNet-style models:
         * the dot product's trip count is then known and its pointer arithmetic folds */
        switch (depth) {
          case 8:
            channels_npx(xw, 4, wblk, 8, n, chan, qm, qs, oo, lo, hi, o, d, lut);
            break;
          case 16:
            channels_npx(xw, 4, wblk, 16, n, chan, qm, qs, oo, lo, hi, o, d, lut);
            break;
          case 32:
            channels_npx(xw, 4, wblk, 32, n, chan, qm, qs, oo, lo, hi, o, d, lut);
            break;
          default:
            channels_npx(xw, 4, wblk, depth, n, chan, qm, qs, oo, lo, hi, o, d, lut);
            break;
        }
      } else {
        widen(in, 1, depth, off2, xw);
        channels_npx(xw, 1, wblk, depth, n, chan, qm, qs, oo, lo, hi, o, d, lut);
      }
    }
  }
}

void tfk_conv_1x1_s8_dsp(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                         const tfk_dims4* input_dims, const int8_t* input,
                         const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                         const tfk_dims4* output_dims, int8_t* output) {
  /* the narrow-bias entry with 4-byte biases: one copy of the loops for both */
  tfk_conv_1x1_s8_dsp_narrow_bias(params, quant, input_dims, input, filter_dims, filter, (const uint8_t*)bias, 4,
                                  output_dims, output);
}

void tfk_conv_1x1_s8_dsp_narrow_bias(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                                     const tfk_dims4* input_dims, const int8_t* input,
                                     const tfk_dims4* filter_dims, const int8_t* filter,
                                     const uint8_t* bias, int32_t bias_width,
                                     const tfk_dims4* output_dims, int8_t* output) {
  (void)filter_dims;
  conv_1x1_dsp(params, quant, input_dims, input, filter, bias, bias_width, output_dims, output, NULL);
}

void tfk_conv_1x1_s8_dsp_lut(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                             const tfk_dims4* input_dims, const int8_t* input,
                             const tfk_dims4* filter_dims, const int8_t* filter,
                             const uint8_t* bias, int32_t bias_width, const int8_t lut[256],
                             const tfk_dims4* output_dims, int8_t* output) {
  (void)filter_dims;
  conv_1x1_dsp(params, quant, input_dims, input, filter, bias, bias_width, output_dims, output, lut + 128);
}

#endif /* TFK_USE_DSP */
