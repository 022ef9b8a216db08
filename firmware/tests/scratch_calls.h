/*
 * scratch_calls.h - the kernels that take scratch from their caller, called
 * the way the generated code calls them: with a heap block of exactly the size
 * their *_scratch_bytes function gives (AddressSanitizer reports a byte read
 * or written past it), under the signature of the scratch-free kernel of the
 * same op, so the tests can keep one table of variants.  Shared by
 * test_kernels.c and oracle_driver.c.
 */
#ifndef TFK_TESTS_SCRATCH_CALLS_H
#define TFK_TESTS_SCRATCH_CALLS_H

#include <stdio.h>
#include <stdlib.h>

#include "tfk_dot.h"
#include "tfk_kernels.h"

static void* scratch_alloc(size_t bytes) {
  void* p = malloc(bytes ? bytes : 1);
  if (!p) {
    fprintf(stderr, "out of memory for %lu bytes of kernel scratch\n", (unsigned long)bytes);
    exit(2);
  }
  return p;
}

/* A CONV_2D kernel FN with a scratch size function SIZE of (params, in, filter, out). */
#define TFK_CONV_SCRATCH_CALL(NAME, FN, SIZE_ARGS, SIZE)                                         \
  static inline void NAME(const tfk_conv_params* p, const tfk_per_channel_quant* q,              \
                          const tfk_dims4* in_d, const int8_t* in, const tfk_dims4* f_d,         \
                          const int8_t* f, const int32_t* bias, const tfk_dims4* out_d,          \
                          int8_t* out) {                                                         \
    const size_t bytes = SIZE SIZE_ARGS;                                                         \
    void* s = scratch_alloc(bytes);                                                              \
    FN(p, q, in_d, in, f_d, f, bias, out_d, out, s, bytes);                                      \
    free(s);                                                                                     \
  }

#define TFK_DW_SCRATCH_CALL(NAME, FN, SIZE_ARGS, SIZE)                                           \
  static inline void NAME(const tfk_dw_conv_params* p, const tfk_per_channel_quant* q,           \
                          const tfk_dims4* in_d, const int8_t* in, const tfk_dims4* f_d,         \
                          const int8_t* f, const int32_t* bias, const tfk_dims4* out_d,          \
                          int8_t* out) {                                                         \
    const size_t bytes = SIZE SIZE_ARGS;                                                         \
    void* s = scratch_alloc(bytes);                                                              \
    (void)f_d;                                                                                   \
    FN(p, q, in_d, in, f_d, f, bias, out_d, out, s, bytes);                                      \
    free(s);                                                                                     \
  }

#if TFK_USE_DSP
TFK_CONV_SCRATCH_CALL(call_conv2d_1x1_s8_smlad, tfk_conv2d_1x1_s8_smlad, (in_d, out_d),
                      tfk_conv2d_1x1_s8_smlad_scratch_bytes)
#endif
#if TFK_MVE_RQ
TFK_CONV_SCRATCH_CALL(call_conv2d_fast_s8_mve, tfk_conv2d_fast_s8_mve, (p, in_d, f_d, out_d),
                      tfk_conv2d_fast_s8_mve_scratch_bytes)
#endif

/* tfk_dw_conv_3x3_s8_mve with its packed constants. */
static inline void call_dw_conv_3x3_s8_mve(const tfk_dw_conv_params* p, const tfk_dims4* in_d,
                                           const int8_t* in, const tfk_dims4* out_d, int8_t* out,
                                           const int8_t* weights, const tfk_dw8_requant* rq) {
  const size_t bytes = tfk_dw_conv_3x3_s8_mve_scratch_bytes(in_d);
  void* s = scratch_alloc(bytes);
  tfk_dw_conv_3x3_s8_mve(p, in_d, in, out_d, out, weights, rq, s, bytes);
  free(s);
}

/* tfk_fc_s8_dsp on its re-laid weights. */
static inline void call_fc_s8_dsp(const tfk_fc_params* p, const tfk_per_channel_quant* q,
                                  const tfk_fc_dims* d, const int8_t* in, const int8_t* grouped,
                                  const int32_t* folded, int8_t* out) {
  const size_t bytes = tfk_fc_s8_dsp_scratch_bytes(d);
  void* s = scratch_alloc(bytes);
  tfk_fc_s8_dsp(p, q, d, in, grouped, folded, out, s, bytes);
  free(s);
}

#endif /* TFK_TESTS_SCRATCH_CALLS_H */
