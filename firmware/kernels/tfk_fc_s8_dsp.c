/*
 * FULLY_CONNECTED int8 with symmetric weights, for cores with the DSP
 * extension (Cortex-M4/M7/M33).  Same bytes as tfk_fully_connected_s8 and
 * _per_channel_s8, on weights and bias that the code generator prepared
 * (codegen FcLayout):
 *
 * - the filter is re-laid out in groups of four output rows: for every four
 *   input bytes, the four rows' four bytes follow each other (16 bytes), so
 *   one running pointer feeds all four rows and each input word is widened
 *   once for four rows; the group's last depth % 4 bytes follow row by row
 *   (row 0's tail, row 1's, ...).  Rows past the last full group stay as they
 *   were, one after the other.
 * - the bias holds bias + input_offset * (sum of the row's weights), so the
 *   dot products are plain sum(x * w): exact, because
 *   sum((x + off) * w) = sum(x * w) + off * sum(w) modulo 2^32, and the
 *   kernels' int32 sums wrap modulo 2^32 too.  The bias is always given
 *   (the generator emits the folded array also for a layer without bias).
 *
 * The body uses SXTB16 / SMLAD; without them (host builds, Cortex-M0+) the
 * same loops run in portable C, so every build links and the oracle check
 * runs the layout on the host as well.  The generator calls this function
 * only for DSP cores.
 */
#include "tfk_kernels.h"
#include "tfk_math.h"
#include "tfk_simd.h"

/* The caller's scratch: the input words widened once per batch row, the even
 * and odd bytes of each word as two int16 pairs (what SMLAD takes), so that
 * the four rows of a group share one LDRD instead of a load and two SXTB16;
 * layers of fewer than eight rows widen on the fly and need none.  It is
 * optional: without it (NULL) every group of rows widens the input again in
 * registers, which the planner chooses where the scratch would raise the
 * arena's peak or break a RAM limit. */
size_t tfk_fc_s8_dsp_scratch_bytes(const tfk_fc_dims* dims) {
  return dims->output_depth >= 8 ? (size_t)(dims->accum_depth >> 2) * 2 * sizeof(int32_t) : 0;
}

#if TFK_USE_DSP

/* One widened input word (xp[0], xp[1]) against the next four weights of
 * four rows (w[0..15]); both pointers advance.  On Arm one asm block: 21
 * instructions for 16 MACs (LDRD, and per row LDR, two SXTB16, two SMLAD).
 * GCC 12 given the same in C schedules all sixteen weight extractions first
 * and spills half of them. */
#if defined(TFK_EMULATE_DSP)
#define FC_WORD4(xp, w, a0, a1, a2, a3)                                    \
  do {                                                                     \
    const int32_t xe_ = (xp)[0], xo_ = (xp)[1];                            \
    FC_MAC4(w, xe_, xo_, a0, a1, a2, a3);                                  \
    (xp) += 2;                                                             \
    (w) += 16;                                                             \
  } while (0)
#else
#define FC_ROW_ASM(acc)                 \
  "ldr %[t], [%[w]], #4\n\t"             \
  "sxtb16 %[u], %[t]\n\t"                \
  "smlad %[" acc "], %[u], %[xe], %[" acc "]\n\t" \
  "sxtb16 %[t], %[t], ror #8\n\t"        \
  "smlad %[" acc "], %[t], %[xo], %[" acc "]\n\t"
/* Without the scratch: two input words loaded and widened in registers, each
 * against the next four weights of four rows; 46 instructions for 32 MACs
 * against 42 from the scratch (x must be word-aligned for LDRD). */
#define FC_ROW_FLY_ASM(acc, xe, xo)     \
  "ldr %[t], [%[w]], #4\n\t"             \
  "sxtb16 %[u], %[t]\n\t"                \
  "smlad %[" acc "], %[u], %[" xe "], %[" acc "]\n\t" \
  "sxtb16 %[t], %[t], ror #8\n\t"        \
  "smlad %[" acc "], %[t], %[" xo "], %[" acc "]\n\t"
#define FC_FLY8(x, w, a0, a1, a2, a3)                                        \
  do {                                                                       \
    int32_t xa_, xb_, o_, t_, u_;                                            \
    __asm__("ldrd %[xa], %[xb], [%[x]], #8\n\t"                              \
            "sxtb16 %[o], %[xa], ror #8\n\t"                                 \
            "sxtb16 %[xa], %[xa]\n\t"                                        \
            FC_ROW_FLY_ASM("a0", "xa", "o") FC_ROW_FLY_ASM("a1", "xa", "o")   \
            FC_ROW_FLY_ASM("a2", "xa", "o") FC_ROW_FLY_ASM("a3", "xa", "o")   \
            "sxtb16 %[o], %[xb], ror #8\n\t"                                 \
            "sxtb16 %[xb], %[xb]\n\t"                                        \
            FC_ROW_FLY_ASM("a0", "xb", "o") FC_ROW_FLY_ASM("a1", "xb", "o")   \
            FC_ROW_FLY_ASM("a2", "xb", "o") FC_ROW_FLY_ASM("a3", "xb", "o")   \
            : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),    \
              [x] "+r"(x), [w] "+r"(w), [xa] "=&r"(xa_), [xb] "=&r"(xb_),    \
              [o] "=&r"(o_), [t] "=&r"(t_), [u] "=&r"(u_)                    \
            :                                                                \
            : "memory");                                                     \
  } while (0)
#define FC_WORD4(xp, w, a0, a1, a2, a3)                                      \
  do {                                                                       \
    int32_t xe_, xo_, t_, u_;                                                \
    __asm__("ldrd %[xe], %[xo], [%[xp]], #8\n\t" FC_ROW_ASM("a0") FC_ROW_ASM("a1") \
            FC_ROW_ASM("a2") FC_ROW_ASM("a3")                                \
            : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),    \
              [xp] "+r"(xp), [w] "+r"(w), [xe] "=&r"(xe_), [xo] "=&r"(xo_),  \
              [t] "=&r"(t_), [u] "=&r"(u_)                                   \
            :                                                                \
            : "memory");                                                     \
  } while (0)
#endif

/* Four rows' next four weights at w, w + 4, w + 8, w + 12 against one input
 * word (xe, xo: its widened even and odd bytes). */
#define FC_MAC4(w, xe, xo, a0, a1, a2, a3)                   \
  do {                                                       \
    uint32_t w_ = tfk_load_s8x4(w);                          \
    a0 = tfk_smlad(tfk_sxtb16(w_), xe, a0);                  \
    a0 = tfk_smlad(tfk_sxtb16_ror8(w_), xo, a0);             \
    w_ = tfk_load_s8x4((w) + 4);                             \
    a1 = tfk_smlad(tfk_sxtb16(w_), xe, a1);                  \
    a1 = tfk_smlad(tfk_sxtb16_ror8(w_), xo, a1);             \
    w_ = tfk_load_s8x4((w) + 8);                             \
    a2 = tfk_smlad(tfk_sxtb16(w_), xe, a2);                  \
    a2 = tfk_smlad(tfk_sxtb16_ror8(w_), xo, a2);             \
    w_ = tfk_load_s8x4((w) + 12);                            \
    a3 = tfk_smlad(tfk_sxtb16(w_), xe, a3);                  \
    a3 = tfk_smlad(tfk_sxtb16_ror8(w_), xo, a3);             \
  } while (0)

/* The whole-word part of one group: returns w advanced past it. */
static const int8_t* group_words(const int8_t* in_row, const int32_t* wide, int32_t words,
                                 const int8_t* w, int32_t* acc) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int32_t k;
  if (wide) {
    /* two words per trip: the compare and branch count once per 32 MACs */
    const int32_t* xp = wide;
    const int32_t* const x_end = wide + 2 * (words & ~1);
    while (xp != x_end) {
      FC_WORD4(xp, w, a0, a1, a2, a3);
      FC_WORD4(xp, w, a0, a1, a2, a3);
    }
    if (words & 1) FC_WORD4(xp, w, a0, a1, a2, a3);
  } else {
    const int8_t* x = in_row;
    k = words;
#if !defined(TFK_EMULATE_DSP)
    if (((uintptr_t)x & 3u) == 0) {
      const int8_t* const x_end = x + 4 * (size_t)(words & ~1);
      while (x != x_end) FC_FLY8(x, w, a0, a1, a2, a3);
      k = words & 1;
    }
#endif
    for (; k > 0; --k) {
      const uint32_t xw = tfk_load_s8x4(x);
      const int32_t xe = tfk_sxtb16(xw), xo = tfk_sxtb16_ror8(xw);
      FC_MAC4(w, xe, xo, a0, a1, a2, a3);
      x += 4;
      w += 16;
    }
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
  return w;
}
#else
static const int8_t* group_words(const int8_t* in_row, const int32_t* wide, int32_t words,
                                 const int8_t* w, int32_t* acc) {
  int32_t k, r, j;
  (void)wide;
  for (k = 0; k < words; ++k) {
    for (r = 0; r < 4; ++r) {
      for (j = 0; j < 4; ++j) {
        acc[r] = tfk_wrap_add(acc[r], (int32_t)in_row[4 * k + j] * w[4 * r + j]);
      }
    }
    w += 16;
  }
  return w;
}
#endif

/* Requantizes one sum and clamps it to the activation range.  The output
 * parameters come as values: read through params after a byte store, the
 * compiler would have to reload them for every output. */
TFK_INLINE int8_t fc_out(int32_t acc, int32_t multiplier, int32_t shift, int32_t out_off,
                         int32_t lo, int32_t hi) {
  acc = tfk_requantize_fast(acc, multiplier, (int)shift) + out_off;
  return (int8_t)tfk_clamp_i32(acc, lo, hi);
}

void tfk_fc_s8_dsp(const tfk_fc_params* params, const tfk_per_channel_quant* quant,
                   const tfk_fc_dims* dims, const int8_t* input, const int8_t* filter_grouped,
                   const int32_t* folded_bias, int8_t* output, void* scratch,
                   size_t scratch_bytes) {
  const int32_t depth = dims->accum_depth;
  const int32_t rows = dims->output_depth;
  const int32_t words = depth >> 2;
  const int32_t tail = depth & 3;
  const int32_t out_off = params->output_offset;
  const int32_t lo = params->activation_min, hi = params->activation_max;
  const int32_t m = params->output_multiplier, s = params->output_shift;
  const int32_t* wide = NULL;
  int32_t b;
#if TFK_USE_DSP
  int32_t* const wide_buf = (int32_t*)scratch;
#endif
  if (scratch != NULL) TFK_CHECK_SCRATCH(scratch_bytes, tfk_fc_s8_dsp_scratch_bytes(dims));
  (void)scratch;
  for (b = 0; b < dims->batches; ++b) {
    const int8_t* in_row = input + (size_t)b * depth;
    const int8_t* x_tail = in_row + 4 * (size_t)words;
    int8_t* out_row = output + (size_t)b * rows;
    const int8_t* w = filter_grouped;
    int32_t r = 0, k;
#if TFK_USE_DSP
    if (rows >= 8 && scratch != NULL) {
      for (k = 0; k < words; ++k) {
        const uint32_t xw = tfk_load_s8x4(in_row + 4 * k);
        wide_buf[2 * k] = tfk_sxtb16(xw);
        wide_buf[2 * k + 1] = tfk_sxtb16_ror8(xw);
      }
      wide = wide_buf;
    }
#endif
    for (; r + 3 < rows; r += 4) {
      int32_t acc[4];
      acc[0] = folded_bias[r];
      acc[1] = folded_bias[r + 1];
      acc[2] = folded_bias[r + 2];
      acc[3] = folded_bias[r + 3];
      w = group_words(in_row, wide, words, w, acc);
      for (k = 0; k < tail; ++k) {
        const int32_t xv = x_tail[k];
        acc[0] = tfk_wrap_add(acc[0], xv * w[k]);
        acc[1] = tfk_wrap_add(acc[1], xv * w[tail + k]);
        acc[2] = tfk_wrap_add(acc[2], xv * w[2 * tail + k]);
        acc[3] = tfk_wrap_add(acc[3], xv * w[3 * tail + k]);
      }
      w += 4 * tail;
      if (quant) {
        for (k = 0; k < 4; ++k) {
          out_row[r + k] =
              fc_out(acc[k], quant->multiplier[r + k], quant->shift[r + k], out_off, lo, hi);
        }
      } else {
        for (k = 0; k < 4; ++k) out_row[r + k] = fc_out(acc[k], m, s, out_off, lo, hi);
      }
    }
    /* the last rows % 4 rows, stored as in the model */
    for (; r < rows; ++r) {
#if TFK_USE_DSP
      const int32_t acc = tfk_dot1_s8_dsp(in_row, w, depth, 0, folded_bias[r]);
#else
      const int32_t acc = tfk_dot1_s8_portable(in_row, w, depth, 0, folded_bias[r]);
#endif
      w += depth;
      out_row[r] = quant ? fc_out(acc, quant->multiplier[r], quant->shift[r], out_off, lo, hi)
                         : fc_out(acc, m, s, out_off, lo, hi);
    }
  }
}
