/*
 * The body of the gathered-window CONV_2D kernel, shared by its portable and
 * DSP variants (tfk_conv_fast_s8.c, tfk_conv_fast_s8_dsp.c), which differ only
 * in the dot products and the requantization they call.  The including file
 * defines, before including this one:
 *   TFK_CONV_FAST_NAME    the function's name
 *   TFK_CONV_FAST_DOT1    one window row or patch against one filter (tfk_dot.h)
 *   TFK_CONV_FAST_DOT2    one input against two filters
 *   TFK_CONV_FAST_DOT2X2  two inputs against two filters
 *   TFK_CONV_FAST_RQ8     requantization with the full-range clamp (tfk_conv_common.h)
 * Included once per variant file, so each variant is compiled with its own
 * helpers inlined, exactly as if the body were written out in the file.
 */
/* Bytes of the stack patch the filter windows (kh * kw * Cin bytes) are
 * gathered into: two windows of up to 576 bytes (3x3x64, ResNet's widest), so
 * that two pixels can share each filter load, or one window of up to 1152 bytes.
 * Larger windows use the row-by-row dot products.  The Arm boards reserve 8 KiB
 * of stack; this is the kernels' largest frame. */
#define TFK_PATCH_MAX 1152

void TFK_CONV_FAST_NAME(const tfk_conv_params* params, const tfk_per_channel_quant* quant,
                        const tfk_dims4* input_dims, const int8_t* input,
                        const tfk_dims4* filter_dims, const int8_t* filter, const int32_t* bias,
                        const tfk_dims4* output_dims, int8_t* output) {
  const int32_t in_h = input_dims->h, in_w = input_dims->w, depth = input_dims->c;
  const int32_t kh = filter_dims->h, kw = filter_dims->w;
  const int32_t out_h = output_dims->h, out_w = output_dims->w, out_c = output_dims->c;
  const int32_t dh = params->dilation_h;
  const size_t filter_stride = (size_t)kh * kw * depth; /* bytes per output channel */
  const int32_t off = params->input_offset;
  const int32_t oo = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int i8range = lo == -128 && hi == 127; /* the full int8 range: TFK_CONV_FAST_RQ8 clamps once */
  /* locals, not quant->...: int8 output stores may alias anything, so the compiler
   * would reload the struct fields after every store */
  const int32_t* const qm = quant->multiplier;
  const int32_t* const qs = quant->shift;
  /* Windows up to TFK_PATCH_MAX bytes are gathered, pairs of them when both fit;
   * -off must be an int8 (it is the pad value). */
  const int gather = filter_stride <= TFK_PATCH_MAX && off >= -127 && off <= 128;
  const int pair = gather && 2 * filter_stride <= TFK_PATCH_MAX;
  const int8_t pad = (int8_t)(gather ? -off : 0);
  int8_t patch[TFK_PATCH_MAX];
  int32_t b, oy, ox, oc, ky;

  for (b = 0; b < output_dims->n; ++b) {
    int32_t oy_start = 0;
    for (oy = oy_start; oy < out_h; ++oy) {
      const int32_t iy0 = oy * params->stride_h - params->pad_h;
      const int32_t ky_begin = first_valid_tap(iy0, dh, kh);
      const int32_t ky_end = end_valid_tap(iy0, dh, kh, in_h);
      for (ox = 0; ox < out_w; ++ox) {
        const int32_t ix0 = ox * params->stride_w - params->pad_w;
        const int32_t kx_begin = first_valid_tap(ix0, 1, kw);
        const int32_t kx_end = end_valid_tap(ix0, 1, kw, in_w);
        /* The valid taps of one filter row: one contiguous run in input and filter. */
        const int32_t run = kx_end > kx_begin ? (kx_end - kx_begin) * depth : 0;
        const int32_t ky_stop = run > 0 ? ky_end : ky_begin; /* no valid column: no taps */
        const int8_t* in_b = input + (size_t)b * in_h * in_w * depth;
        int8_t* out = output + (((size_t)b * out_h + oy) * out_w + ox) * out_c;
        if (gather) {
          /* Gather the window once into one contiguous patch (the filter of one
           * channel is contiguous too), so every output channel pair is a single
           * long dot product instead of kh short ones (KWS's 10x4 first layer has
           * 4-byte rows). */
          gather_window(patch, in_b, in_w, depth, kh, kw, dh, iy0, ix0, ky_begin, ky_end, pad);
          if (pair && ox + 1 < out_w) {
            /* Two neighbouring pixels: each filter word loaded feeds both
             * (tfk_dot2x2_s8): fewer instructions per MAC than two tfk_dot2_s8
             * calls (ResNet's 3x3 convs). */
            int8_t* const patch1 = patch + filter_stride;
            int8_t* const out1 = out + out_c;
            gather_window(patch1, in_b, in_w, depth, kh, kw, dh, iy0, ix0 + params->stride_w,
                          ky_begin, ky_end, pad);
            for (oc = 0; oc + 1 < out_c; oc += 2) {
              const int8_t* f0 = filter + (size_t)oc * filter_stride;
              int32_t acc[4] = {0, 0, 0, 0};
              TFK_CONV_FAST_DOT2X2(patch, patch1, f0, f0 + filter_stride, (int32_t)filter_stride, off,
                            acc);
              if (bias) {
                acc[0] = tfk_wrap_add(acc[0], bias[oc]);
                acc[1] = tfk_wrap_add(acc[1], bias[oc + 1]);
                acc[2] = tfk_wrap_add(acc[2], bias[oc]);
                acc[3] = tfk_wrap_add(acc[3], bias[oc + 1]);
              }
              {
                const int32_t m0 = qm[oc], s0 = qs[oc], m1 = qm[oc + 1], s1 = qs[oc + 1];
                const int8_t r00 = TFK_CONV_FAST_RQ8(acc[0], m0, s0, oo, lo, hi, i8range);
                const int8_t r10 = TFK_CONV_FAST_RQ8(acc[2], m0, s0, oo, lo, hi, i8range);
                const int8_t r01 = TFK_CONV_FAST_RQ8(acc[1], m1, s1, oo, lo, hi, i8range);
                const int8_t r11 = TFK_CONV_FAST_RQ8(acc[3], m1, s1, oo, lo, hi, i8range);
                out[oc] = r00;
                out[oc + 1] = r01;
                out1[oc] = r10;
                out1[oc + 1] = r11;
              }
            }
            if (oc < out_c) {
              const int8_t* f0 = filter + (size_t)oc * filter_stride;
              int32_t a0 = TFK_CONV_FAST_DOT1(patch, f0, (int32_t)filter_stride, off, 0);
              int32_t a1 = TFK_CONV_FAST_DOT1(patch1, f0, (int32_t)filter_stride, off, 0);
              if (bias) {
                a0 = tfk_wrap_add(a0, bias[oc]);
                a1 = tfk_wrap_add(a1, bias[oc]);
              }
              out[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
              out1[oc] = tfk_rq(a1, qm[oc], qs[oc], oo, lo, hi);
            }
            ++ox; /* the loop's ++ox steps over the second pixel */
            continue;
          }
          for (oc = 0; oc + 1 < out_c; oc += 2) {
            const int8_t* f0 = filter + (size_t)oc * filter_stride;
            int32_t a0 = 0, a1 = 0;
            TFK_CONV_FAST_DOT2(patch, f0, f0 + filter_stride, (int32_t)filter_stride, off, &a0, &a1);
            if (bias) {
              a0 = tfk_wrap_add(a0, bias[oc]);
              a1 = tfk_wrap_add(a1, bias[oc + 1]);
            }
            out[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
            out[oc + 1] = tfk_rq(a1, qm[oc + 1], qs[oc + 1], oo, lo, hi);
          }
          if (oc < out_c) {
            int32_t a0 = TFK_CONV_FAST_DOT1(patch, filter + (size_t)oc * filter_stride,
                                     (int32_t)filter_stride, off, 0);
            if (bias) a0 = tfk_wrap_add(a0, bias[oc]);
            out[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
          }
          continue;
        }
        for (oc = 0; oc + 1 < out_c; oc += 2) {
          const int8_t* f0 = filter + (size_t)oc * filter_stride + (size_t)kx_begin * depth;
          int32_t a0 = 0, a1 = 0;
          for (ky = ky_begin; ky < ky_stop; ++ky) {
            const size_t row = ((size_t)(iy0 + dh * ky) * in_w + (size_t)(ix0 + kx_begin)) * depth;
            const size_t frow = (size_t)ky * kw * depth;
            TFK_CONV_FAST_DOT2(in_b + row, f0 + frow, f0 + filter_stride + frow, run, off, &a0, &a1);
          }
          if (bias) {
            a0 = tfk_wrap_add(a0, bias[oc]);
            a1 = tfk_wrap_add(a1, bias[oc + 1]);
          }
          out[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
          out[oc + 1] = tfk_rq(a1, qm[oc + 1], qs[oc + 1], oo, lo, hi);
        }
        if (oc < out_c) {
          const int8_t* f0 = filter + (size_t)oc * filter_stride + (size_t)kx_begin * depth;
          int32_t a0 = 0;
          for (ky = ky_begin; ky < ky_stop; ++ky) {
            a0 = TFK_CONV_FAST_DOT1(in_b + ((size_t)(iy0 + dh * ky) * in_w + (size_t)(ix0 + kx_begin)) * depth,
                             f0 + (size_t)ky * kw * depth, run, off, a0);
          }
          if (bias) a0 = tfk_wrap_add(a0, bias[oc]);
          out[oc] = tfk_rq(a0, qm[oc], qs[oc], oo, lo, hi);
        }
      }
    }
  }
}
