/*
 * The body of the generic FULLY_CONNECTED int8 kernels, shared by their
 * portable, DSP and Helium variants (tfk_fully_connected.c,
 * tfk_fully_connected_dsp.c, tfk_fully_connected_mve.c), which differ only in
 * the dot products they call and the Helium block.  The including file
 * defines, before including this one:
 *   TFK_FC_DOT1  one input row against one weight row (tfk_dot.h)
 *   TFK_FC_DOT2  one input row against two weight rows
 *   TFK_FC_MVE   1 for the Helium block: four rows requantized as one vector
 * and then the two entry points call fc_s8.
 */
static int32_t dot_s8(const tfk_fc_params* params, const int8_t* in_row, const int8_t* w_row,
                      int32_t depth) {
  int32_t acc = 0;
  int32_t d;
  if (params->filter_offset == 0) return TFK_FC_DOT1(in_row, w_row, depth, params->input_offset, 0);
  for (d = 0; d < depth; ++d) {
    acc += ((int32_t)w_row[d] + params->filter_offset) * ((int32_t)in_row[d] + params->input_offset);
  }
  return acc;
}

/* Requantizes with (multiplier, shift) and clamps. */
static int8_t fc_out(const tfk_fc_params* params, int32_t acc, int32_t multiplier, int32_t shift) {
  acc = tfk_requantize_fast(acc, multiplier, (int)shift);
  acc += params->output_offset;
  return (int8_t)tfk_clamp_i32(acc, params->activation_min, params->activation_max);
}

/* Shared body: quant == NULL selects the per-tensor multiplier in params. */
static void fc_s8(const tfk_fc_params* params, const tfk_per_channel_quant* quant,
                  const tfk_fc_dims* dims, const int8_t* input, const int8_t* filter,
                  const int32_t* bias, int8_t* output) {
  const int32_t depth = dims->accum_depth;
  int32_t b, oc;
  for (b = 0; b < dims->batches; ++b) {
    const int8_t* in_row = input + (size_t)b * depth;
    int8_t* out_row = output + (size_t)b * dims->output_depth;
    oc = 0;
#if TFK_FC_MVE
    /* Helium: four output channels' sums requantized as one vector (tfk_rq4_mve,
     * or tfk_rq4s_mve with the per-tensor multiplier) and stored by one VSTRB */
    if (params->filter_offset == 0) {
      for (; oc + 3 < dims->output_depth; oc += 4) {
        const int8_t* w0 = filter + (size_t)oc * depth;
        int32_t a[4] = {0, 0, 0, 0};
        int32x4_t acc;
        TFK_FC_DOT2(in_row, w0, w0 + depth, depth, params->input_offset, &a[0], &a[1]);
        TFK_FC_DOT2(in_row, w0 + 2 * (size_t)depth, w0 + 3 * (size_t)depth, depth,
                    params->input_offset, &a[2], &a[3]);
        acc = vldrwq_s32(a);
        if (bias) acc = vaddq_s32(acc, vldrwq_s32(bias + oc));
        acc = quant ? tfk_rq4_mve(acc, vldrwq_s32(quant->multiplier + oc),
                                  vldrbq_s32(quant->shift + oc), params->output_offset,
                                  params->activation_min, params->activation_max)
                    : tfk_rq4s_mve(acc, params->output_multiplier, params->output_shift,
                                   params->output_offset, params->activation_min,
                                   params->activation_max);
        vstrbq_s32(out_row + oc, acc);
      }
    }
#endif
    if (params->filter_offset == 0) {
      for (; oc + 1 < dims->output_depth; oc += 2) {
        const int8_t* w0 = filter + (size_t)oc * depth;
        int32_t a0 = 0, a1 = 0;
        TFK_FC_DOT2(in_row, w0, w0 + depth, depth, params->input_offset, &a0, &a1);
        if (bias) {
          a0 = tfk_wrap_add(a0, bias[oc]);
          a1 = tfk_wrap_add(a1, bias[oc + 1]);
        }
        if (quant) {
          out_row[oc] = fc_out(params, a0, quant->multiplier[oc], quant->shift[oc]);
          out_row[oc + 1] = fc_out(params, a1, quant->multiplier[oc + 1], quant->shift[oc + 1]);
        } else {
          out_row[oc] = fc_out(params, a0, params->output_multiplier, params->output_shift);
          out_row[oc + 1] = fc_out(params, a1, params->output_multiplier, params->output_shift);
        }
      }
    }
    for (; oc < dims->output_depth; ++oc) {
      int32_t acc = dot_s8(params, in_row, filter + (size_t)oc * depth, depth);
      if (bias) acc += bias[oc];
      out_row[oc] = quant ? fc_out(params, acc, quant->multiplier[oc], quant->shift[oc])
                          : fc_out(params, acc, params->output_multiplier, params->output_shift);
    }
  }
}
