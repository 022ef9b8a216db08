/*
 * CONV_2D with a 1x1 filter, no padding and one group (any stride): an int8
 * matrix multiply.  Variant for the Cortex-M DSP extension (SXTAB16 / SMLAD:
 * Cortex-M4, M7, M33).
 *
 * Same bytes as the reference kernel (tfk_conv.c) for every layer the
 * generator gives it (see tfk_kernels.h for the preconditions); the generator
 * (OpEmitter) chooses this variant from the board's core, nothing here does.
 *
 * In place: the memory planner may give a pointwise layer (stride 1, at most
 * 64 output channels) one buffer for input and output, the output starting
 * below the input (TensorGraph.Pointwise).  That is safe while this kernel
 * walks the pixels forward once, in blocks of at most four, storing a block's
 * outputs only after the block's input pixels are read or while they still
 * are, never reading a pixel of an earlier block again, and while `input` and
 * `output` are not declared restrict.  firmware/tests test_conv_1x1_in_place
 * runs it so.
 */
#include "tfk_conv_common.h"
#include "tfk_dot.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

/* The caller's scratch: when the input depth is a multiple of 4, each pixel
 * pair widened once (widen_2px: 2 x depth int16 = depth words); other depths
 * keep the on-the-fly SXTAB16 loop and need none. */
size_t tfk_conv2d_1x1_s8_smlad_scratch_bytes(const tfk_dims4* input_dims,
                                             const tfk_dims4* output_dims) {
  (void)output_dims;
  return input_dims->c % 4 == 0 ? (size_t)input_dims->c * sizeof(int32_t) : 0;
}

#if TFK_USE_DSP

/* Widens the first n4 * 4 input bytes of two pixels to int16 with the input
 * offset added (x + off is in [-255, 255]): for every input word k, the four
 * words (x0, x2), (x1, x3) of pixel 0 and the same of pixel 1, in the order
 * dot2x2_wide reads them.  Done once per pixel pair instead of once per output
 * channel pair: the SXTAB16s leave the inner loop. */
static void widen_2px(const int8_t* in0, const int8_t* in1, int32_t n4, uint32_t off2,
                      int32_t* xw) {
  int32_t k;
  for (k = 0; k < n4; ++k, in0 += 4, in1 += 4, xw += 4) {
    const uint32_t x = tfk_load_s8x4(in0), y = tfk_load_s8x4(in1);
    xw[0] = tfk_sxtab16(off2, x);
    xw[1] = tfk_sxtab16_ror8(off2, x);
    xw[2] = tfk_sxtab16(off2, y);
    xw[3] = tfk_sxtab16_ror8(off2, y);
  }
}

/* Two pixels (widened by widen_2px) x two output channels (filter rows f0 and
 * f0 + depth), depth a multiple of 4: acc[2*p + c] += sum (x_p + off) * f_c.
 * Per four input channels: two filter loads, four SXTB16, two LDRD of widened
 * input and eight SMLAD (16 MACs). */
TFK_INLINE void dot2x2_wide(const int32_t* xw, const int8_t* f0, int32_t depth,
                            int32_t acc[4]) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  const int8_t* wp = f0;
  const int8_t* const wend = f0 + depth;
#define TFK_WIDE_STEP(K)                                                        \
  do {                                                                          \
    const uint32_t w0 = tfk_load_s8x4(wp + (K)), w1 = tfk_load_s8x4(wp + (K) + depth); \
    const int32_t w0e = tfk_sxtb16(w0), w0o = tfk_sxtb16_ror8(w0);              \
    const int32_t w1e = tfk_sxtb16(w1), w1o = tfk_sxtb16_ror8(w1);              \
    const int32_t xe = xw[(K) + 0], xo = xw[(K) + 1];                           \
    const int32_t ye = xw[(K) + 2], yo = xw[(K) + 3];                           \
    a00 = tfk_smlad(xe, w0e, a00);                                              \
    a00 = tfk_smlad(xo, w0o, a00);                                              \
    a01 = tfk_smlad(xe, w1e, a01);                                              \
    a01 = tfk_smlad(xo, w1o, a01);                                              \
    a10 = tfk_smlad(ye, w0e, a10);                                              \
    a10 = tfk_smlad(yo, w0o, a10);                                              \
    a11 = tfk_smlad(ye, w1e, a11);                                              \
    a11 = tfk_smlad(yo, w1o, a11);                                              \
  } while (0)
  /* eight input channels per trip when the depth allows (the loop's own
   * pointer steps and branch paid half as often) */
  if (depth % 8 == 0) {
    for (; wp != wend; wp += 8, xw += 8) {
      TFK_WIDE_STEP(0);
      TFK_WIDE_STEP(4);
    }
  } else {
    for (; wp != wend; wp += 4, xw += 4) TFK_WIDE_STEP(0);
  }
#undef TFK_WIDE_STEP
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = a10;
  acc[3] = a11;
}

void tfk_conv2d_1x1_s8_smlad(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                       const tfk_dims4* input_dims, const int8_t* input,
                       const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                       const tfk_dims4* output_dims, int8_t* output, void* scratch,
                       size_t scratch_bytes) {
  const int32_t depth = input_dims->c;
  const int32_t out_c = output_dims->c;
  const int32_t pixels = output_dims->n * output_dims->h * output_dims->w;
  const int32_t off = params->input_offset;
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int i8range = lo == -128 && hi == 127; /* clamp = one SSAT (tfk_rq8_dsp) */
  /* locals, not quant->...: int8 output stores may alias anything, so the compiler
   * would reload the struct fields after every store */
  const int32_t* const qm = quant->multiplier;
  const int8_t* const qs = quant->shift;
  int32_t p, oc;
  int32_t* const xw = (int32_t*)scratch; /* two widened pixels */
  (void)filter_dims;

  TFK_CHECK_SCRATCH(scratch_bytes, tfk_conv2d_1x1_s8_smlad_scratch_bytes(input_dims, output_dims));
  p = 0;
  /* Two pixels at a time: every filter word loaded feeds two pixels. */
  for (; p + 1 < pixels; p += 2) {
    const int8_t* in0 = pixel_1x1(params, input_dims, output_dims, input, p);
    const int8_t* in1 = pixel_1x1(params, input_dims, output_dims, input, p + 1);
    int8_t* out0 = output + (size_t)p * out_c;
    int8_t* out1 = out0 + out_c;
    const int wide = depth % 4 == 0;
    if (wide) widen_2px(in0, in1, depth / 4, tfk_dup_i16(off), xw);
    for (oc = 0; oc + 1 < out_c; oc += 2) {
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t acc[4] = {0, 0, 0, 0};
      if (wide) {
        dot2x2_wide(xw, f0, depth, acc);
      } else {
        tfk_dot2x2_s8_dsp(in0, in1, f0, f0 + depth, depth, off, acc);
      }
      if (bias) {
        acc[0] = tfk_wrap_add(acc[0], bias[oc]);
        acc[1] = tfk_wrap_add(acc[1], bias[oc + 1]);
        acc[2] = tfk_wrap_add(acc[2], bias[oc]);
        acc[3] = tfk_wrap_add(acc[3], bias[oc + 1]);
      }
      {
        /* both pixels' results before the stores, so each channel's multiplier and
         * shift are loaded once */
        const int32_t m0 = qm[oc], s0 = qs[oc], m1 = qm[oc + 1], s1 = qs[oc + 1];
        const int8_t r00 = tfk_rq8_dsp(acc[0], m0, s0, oo, lo, hi, i8range);
        const int8_t r10 = tfk_rq8_dsp(acc[2], m0, s0, oo, lo, hi, i8range);
        const int8_t r01 = tfk_rq8_dsp(acc[1], m1, s1, oo, lo, hi, i8range);
        const int8_t r11 = tfk_rq8_dsp(acc[3], m1, s1, oo, lo, hi, i8range);
        out0[oc] = r00;
        out0[oc + 1] = r01;
        out1[oc] = r10;
        out1[oc + 1] = r11;
      }
    }
    if (oc < out_c) { /* odd channel count: the last channel for both pixels */
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t a0 = tfk_dot1_s8_dsp(in0, f0, depth, off, 0);
      int32_t a1 = tfk_dot1_s8_dsp(in1, f0, depth, off, 0);
      if (bias) {
        a0 = tfk_wrap_add(a0, bias[oc]);
        a1 = tfk_wrap_add(a1, bias[oc]);
      }
      out0[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
      out1[oc] = tfk_rq(a1, qm[oc], qs[oc], oo, lo, hi);
    }
  }
  if (p < pixels) { /* odd pixel count: the last pixel alone */
    const int8_t* in0 = pixel_1x1(params, input_dims, output_dims, input, p);
    int8_t* out0 = output + (size_t)p * out_c;
    for (oc = 0; oc + 1 < out_c; oc += 2) {
      const int8_t* f0 = filter + (size_t)oc * depth;
      int32_t a0 = 0, a1 = 0;
      tfk_dot2_s8_dsp(in0, f0, f0 + depth, depth, off, &a0, &a1);
      if (bias) {
        a0 = tfk_wrap_add(a0, bias[oc]);
        a1 = tfk_wrap_add(a1, bias[oc + 1]);
      }
      out0[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
      out0[oc + 1] = tfk_rq(a1, qm[oc + 1], qs[oc + 1], oo, lo, hi);
    }
    if (oc < out_c) {
      int32_t a0 = tfk_dot1_s8_dsp(in0, filter + (size_t)oc * depth, depth, off, 0);
      if (bias) a0 = tfk_wrap_add(a0, bias[oc]);
      out0[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
    }
  }
}

#endif /* TFK_USE_DSP */
