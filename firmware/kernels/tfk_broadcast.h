/*
 * tfk_broadcast.h - private helper of the binary elementwise kernels.
 *
 * Walks an output tensor of up to TFK_MAX_DIMS dims in row-major order and
 * yields "runs" along the innermost dimension together with the matching
 * offsets into two inputs broadcast to that output with numpy/TFLite rules
 * (shapes right-aligned, a dim of 1 is repeated).  The result of every
 * elementwise op is independent of visiting order, so this matches TFLite's
 * BroadcastXXX4DSlow / 6DSlow loops element for element.
 */
#ifndef TFK_BROADCAST_H
#define TFK_BROADCAST_H

#include <stddef.h>
#include <stdint.h>

#include "tfk_math.h"
#include "tfk_types.h"

typedef struct {
  int32_t rank;
  int32_t dims[TFK_MAX_DIMS];
  size_t stride1[TFK_MAX_DIMS]; /* element strides of input 1, 0 where broadcast */
  size_t stride2[TFK_MAX_DIMS];
  int32_t idx[TFK_MAX_DIMS];    /* current position (outer dims only) */
  size_t off1, off2, out_off;   /* offsets of the current run */
  size_t total;                 /* number of output elements */
} tfk_bcast_iter;

/* One run: `len` outputs at out_off, inputs at off1 + k*step1, off2 + k*step2. */
typedef struct {
  size_t off1, off2, out_off;
  size_t step1, step2;
  int32_t len;
} tfk_bcast_run;

TFK_INLINE void tfk_bcast_strides(const tfk_shape* in, const tfk_shape* out, int32_t rank,
                              size_t* stride) {
  size_t s = 1;
  int32_t i;
  for (i = rank - 1; i >= 0; --i) {
    const int32_t j = i - (rank - in->rank);
    const int32_t d = j >= 0 ? in->dims[j] : 1;
    (void)out;
    stride[i] = d == 1 ? 0 : s;
    s *= (size_t)d;
  }
}

TFK_INLINE void tfk_bcast_init(tfk_bcast_iter* it, const tfk_shape* in1, const tfk_shape* in2,
                           const tfk_shape* out) {
  int32_t i;
  it->rank = out->rank > 0 ? out->rank : 1;
  it->total = 1;
  for (i = 0; i < it->rank; ++i) {
    it->dims[i] = out->rank > 0 ? out->dims[i] : 1;
    it->idx[i] = 0;
    it->total *= (size_t)it->dims[i];
  }
  if (out->rank > 0) {
    tfk_bcast_strides(in1, out, it->rank, it->stride1);
    tfk_bcast_strides(in2, out, it->rank, it->stride2);
  } else {
    it->stride1[0] = 0;
    it->stride2[0] = 0;
  }
  it->off1 = it->off2 = it->out_off = 0;
}

/* Returns 0 when the walk is over, else fills *run and advances. */
TFK_INLINE int tfk_bcast_next(tfk_bcast_iter* it, tfk_bcast_run* run) {
  const int32_t last = it->rank - 1;
  int32_t d;
  if (it->out_off >= it->total || it->dims[last] == 0) return 0;
  run->off1 = it->off1;
  run->off2 = it->off2;
  run->out_off = it->out_off;
  run->step1 = it->stride1[last];
  run->step2 = it->stride2[last];
  run->len = it->dims[last];
  it->out_off += (size_t)it->dims[last];
  for (d = last - 1; d >= 0; --d) {
    it->idx[d]++;
    it->off1 += it->stride1[d];
    it->off2 += it->stride2[d];
    if (it->idx[d] < it->dims[d]) break;
    it->off1 -= it->stride1[d] * (size_t)it->dims[d];
    it->off2 -= it->stride2[d] * (size_t)it->dims[d];
    it->idx[d] = 0;
  }
  return 1;
}

#endif /* TFK_BROADCAST_H */
