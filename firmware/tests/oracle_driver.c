/*
 * oracle_driver - runs tfk kernels on cases written by oracle_check.py.
 *
 * Input file: a sequence of cases.  Each case is
 *   int32 name_len, name bytes, int32 num_arrays,
 *   then per array: int32 dtype (0 int32, 1 int8, 2 float32, 3 int16),
 *                   int32 count, count elements (little endian).
 * Output file: per case, int32 byte count followed by the output bytes.
 * The array order of each op is documented next to its runner below and
 * mirrored in oracle_check.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfk_dot.h" /* TFK_USE_DSP, TFK_USE_MVE, TFK_MVE_RQ: which variants this build has */
#include "tfk_kernels.h"
#include "tfk_simd.h" /* TFK_USE_DSP: whether the DSP-only kernels exist in this build */
#include "scratch_calls.h"

#define MAX_ARRAYS 16

typedef struct {
  int32_t dtype;
  int32_t count;
  void* data;
} array_t;

typedef struct {
  char name[64];
  int32_t num_arrays;
  array_t a[MAX_ARRAYS];
} case_t;

static void die(const char* msg) {
  fprintf(stderr, "oracle_driver: %s\n", msg);
  exit(2);
}

static int32_t read_i32(FILE* f, int* eof) {
  int32_t v;
  if (fread(&v, sizeof v, 1, f) != 1) {
    *eof = 1;
    return 0;
  }
  return v;
}

static size_t dtype_size(int32_t dtype) {
  switch (dtype) {
    case 0: return 4;
    case 1: return 1;
    case 2: return 4;
    case 3: return 2;
    default: die("bad dtype in case file; regenerate it with oracle_check.py");
  }
  return 0;
}

static int read_case(FILE* f, case_t* c) {
  int eof = 0;
  int32_t len = read_i32(f, &eof);
  int32_t i;
  if (eof) return 0;
  if (len <= 0 || len >= (int32_t)sizeof c->name) die("bad op name length in case file");
  if (fread(c->name, 1, (size_t)len, f) != (size_t)len) die("truncated case file");
  c->name[len] = 0;
  c->num_arrays = read_i32(f, &eof);
  if (eof || c->num_arrays < 0 || c->num_arrays > MAX_ARRAYS) die("bad array count in case file");
  for (i = 0; i < c->num_arrays; ++i) {
    array_t* a = &c->a[i];
    size_t bytes;
    a->dtype = read_i32(f, &eof);
    a->count = read_i32(f, &eof);
    if (eof || a->count < 0) die("truncated case file");
    bytes = (size_t)a->count * dtype_size(a->dtype);
    a->data = malloc(bytes ? bytes : 1);
    if (!a->data) die("out of memory");
    if (bytes && fread(a->data, 1, bytes, f) != bytes) die("truncated case file");
  }
  return 1;
}

static void free_case(case_t* c) {
  int32_t i;
  for (i = 0; i < c->num_arrays; ++i) free(c->a[i].data);
}

static const int32_t* I32(case_t* c, int i) { return (const int32_t*)c->a[i].data; }
static const int8_t* I8(case_t* c, int i) { return (const int8_t*)c->a[i].data; }
static const float* F32(case_t* c, int i) { return (const float*)c->a[i].data; }
static const int32_t* BIAS(case_t* c, int i) { return c->a[i].count ? I32(c, i) : NULL; }

/* Per-channel shifts: the case file holds them as int32 (TFLM's type), the
 * kernels read one int8 each; narrowed in place, so call it once per array. */
static const int8_t* SHIFTS(case_t* c, int i) {
  const int32_t* wide = I32(c, i);
  int8_t* narrow = (int8_t*)c->a[i].data;
  int32_t k;
  for (k = 0; k < c->a[i].count; ++k) {
    const int32_t s = wide[k];
    if (s < -31 || s > 31) die("per-channel shift outside [-31, 31] in case file");
    narrow[k] = (int8_t)s;
  }
  return narrow;
}

static tfk_dims4 dims4(const int32_t* p) {
  tfk_dims4 d;
  d.n = p[0];
  d.h = p[1];
  d.w = p[2];
  d.c = p[3];
  return d;
}

static size_t dims4_count(const tfk_dims4* d) { return (size_t)d->n * d->h * d->w * d->c; }

/* Shape arrays are [rank, d0, d1, ...]. */
static tfk_shape shape_of(const int32_t* p) {
  tfk_shape s;
  int32_t i;
  memset(&s, 0, sizeof s);
  s.rank = p[0];
  for (i = 0; i < s.rank; ++i) s.dims[i] = p[1 + i];
  return s;
}

static size_t shape_count(const tfk_shape* s) {
  size_t n = 1;
  int32_t i;
  for (i = 0; i < s->rank; ++i) n *= (size_t)s->dims[i];
  return n;
}

/* Set by check_same when a variant differs from the reference kernel in the
 * current case; emit then spoils the case's output (reset per case). */
static int variant_differs;

static void emit(FILE* out, const void* data, size_t bytes) {
  int32_t n = (int32_t)bytes;
  fwrite(&n, sizeof n, 1, out);
  if (bytes && variant_differs) {
    /* the reference kernel's bytes with the first one inverted: the oracle
     * comparison of this case fails even though `data` is right */
    const uint8_t first = (uint8_t)~*(const uint8_t*)data;
    fwrite(&first, 1, 1, out);
    if (bytes > 1) fwrite((const uint8_t*)data + 1, 1, bytes - 1, out);
  } else if (bytes) {
    fwrite(data, 1, bytes, out);
  }
}

/* A fast kernel's output must equal the reference kernel's; a difference is
 * reported and the case's output spoilt (emit), so that the oracle comparison
 * of this case fails.  The reference output is left as it is: a variant
 * checked after a wrong one is compared with the right bytes. */
static void check_same(const char* what, int8_t* ref, const int8_t* fast, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) {
    if (ref[i] != fast[i]) {
      fprintf(stderr, "oracle_driver: %s differs from the reference kernel at %u (%d vs %d)\n",
              what, (unsigned)i, fast[i], ref[i]);
      variant_differs = 1;
      return;
    }
  }
}

#if TFK_USE_DSP
/* The biases b[0..n) at `width` bytes each, little-endian, as the code
 * generator stores them for the _narrow_bias kernels (OpEmitter.narrowBias);
 * NULL when a value does not fit that width (the generator then takes a wider
 * one) or there is no bias. */
static uint8_t* narrow_bias(const int32_t* b, int32_t n, int32_t width) {
  uint8_t* out;
  int32_t i, k;
  const int64_t lim = (int64_t)1 << (8 * width - 1);
  if (b == NULL) return NULL;
  for (i = 0; i < n; ++i) {
    if (b[i] < -lim || b[i] >= lim) return NULL;
  }
  out = (uint8_t*)malloc((size_t)n * (size_t)width + 1);
  if (out == NULL) die("out of memory");
  for (i = 0; i < n; ++i) {
    for (k = 0; k < width; ++k) out[i * width + k] = (uint8_t)((uint32_t)b[i] >> (8 * k));
  }
  return out;
}
#endif

/* The packing the code generator does at compile time for tfk_dw_conv_3x3_s8_mve
 * (OpEmitter.packDepthwise3x3Mve), written again here so that the kernel can run
 * and tfk_dw_conv_one_input_s8_mve on the oracle's cases: per block of eight
 * channels the nine taps' weights (even channels first for the one-input
 * kernel), then folded bias, multiplier, left and right shift in even / odd lane
 * order. */
static void pack_dw3x3_mve(const tfk_dw_conv_params* dp, const tfk_per_channel_quant* q, int32_t ch,
                           const int8_t* filter, const int32_t* bias, int even_odd_weights,
                           int8_t** pw, tfk_dw8_requant** prq) {
  const int32_t blocks = (ch + 7) / 8;
  int32_t c, t;
  *pw = (int8_t*)calloc((size_t)blocks * 72, 1);
  *prq = (tfk_dw8_requant*)calloc((size_t)blocks, sizeof(tfk_dw8_requant));
  for (c = 0; c < ch; ++c) {
    const int32_t blk = c / 8, lane = c % 8, slot = (lane % 2) * 4 + lane / 2;
    tfk_dw8_requant* r = *prq + blk;
    uint32_t sum = 0;
    for (t = 0; t < 9; ++t) {
      (*pw)[blk * 72 + t * 8 + (even_odd_weights ? (lane % 2) * 4 + lane / 2 : lane)] =
          filter[t * ch + c];
      sum += (uint32_t)(int32_t)filter[t * ch + c];
    }
    r->bias[slot] = (int32_t)((uint32_t)(bias ? bias[c] : 0) + (uint32_t)dp->input_offset * sum);
    r->multiplier[slot] = q->multiplier[c];
    r->left_shift[slot] = (int8_t)(q->shift[c] > 0 ? q->shift[c] : 0);
    r->right_shift[slot] = (int8_t)(q->shift[c] < 0 ? q->shift[c] : 0);
  }
}

#if TFK_USE_DSP
/* The packing the code generator does for tfk_dw_conv_one_input_s8_dsp
 * (OpEmitter.packDwOneInputDsp), written again here: per output channel the
 * folded bias, the five weight pairs (the ninth tap paired with 0), the
 * multiplier and -shift - 1.  Returns NULL when some shift is not negative (the
 * generator then picks another kernel). */
static int32_t* pack_dw_one_input_dsp(const tfk_dw_conv_params* dp, const tfk_per_channel_quant* q,
                                      int32_t ch, const int8_t* filter, const int32_t* bias) {
  int32_t* packed = (int32_t*)calloc((size_t)ch * TFK_DW1_DSP_WORDS, sizeof(int32_t));
  int32_t c, t;
  for (c = 0; c < ch; ++c) {
    int32_t* r = packed + (size_t)c * TFK_DW1_DSP_WORDS;
    int32_t w[10] = {0};
    uint32_t sum = 0;
    if (q->shift[c] >= 0 || q->multiplier[c] < 0) {
      free(packed);
      return NULL;
    }
    for (t = 0; t < 9; ++t) {
      w[t] = filter[t * ch + c];
      sum += (uint32_t)w[t];
    }
    r[0] = (int32_t)((uint32_t)(bias ? bias[c] : 0) + (uint32_t)dp->input_offset * sum);
    for (t = 0; t < 5; ++t) {
      r[1 + t] = (int32_t)(((uint32_t)w[2 * t] & 0xFFFFu) | ((uint32_t)w[2 * t + 1] << 16));
    }
    r[6] = q->multiplier[c];
    r[7] = -q->shift[c] - 1;
  }
  return packed;
}
#endif

/* conv2d / depthwise / transpose_conv:
 *  a0 = [in n h w c, filter n h w c, out n h w c, input_offset, output_offset,
 *        stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w, act_min,
 *        act_max, depth_multiplier]
 *  a1 = multipliers, a2 = shifts, a3 = input, a4 = filter, a5 = bias */
static void run_conv_family(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  tfk_dims4 in = dims4(p), fl = dims4(p + 4), od = dims4(p + 8);
  tfk_per_channel_quant q;
  size_t n = dims4_count(&od);
  int8_t* o = (int8_t*)malloc(n ? n : 1);
  int8_t* o2 = (int8_t*)malloc(n ? n : 1);
  q.multiplier = I32(c, 1);
  q.shift = SHIFTS(c, 2);
  if (!strcmp(c->name, "conv2d")) {
    tfk_conv_params cp;
    cp.input_offset = p[12];
    cp.output_offset = p[13];
    cp.stride_h = p[14];
    cp.stride_w = p[15];
    cp.dilation_h = p[16];
    cp.dilation_w = p[17];
    cp.pad_h = p[18];
    cp.pad_w = p[19];
    cp.activation_min = p[20];
    cp.activation_max = p[21];
    tfk_conv2d_s8(&cp, &q, &in, I8(c, 3), &fl, I8(c, 4), BIAS(c, 5), &od, o);
    /* Every variant of the fast paths the code generator may pick for this shape
     * must give the same bytes: portable C always, the DSP and Helium ones in the
     * builds that have (or emulate) those instructions. */
#define TFK_CHECK_CONV(FN)                                                  \
  do {                                                                      \
    memset(o2, 0x5A, n);                                                    \
    FN(&cp, &q, &in, I8(c, 3), &fl, I8(c, 4), BIAS(c, 5), &od, o2);        \
    check_same(#FN, o, o2, n);                                              \
  } while (0)
    if (fl.c == in.c && cp.dilation_w == 1) {
      TFK_CHECK_CONV(tfk_conv2d_fast_s8);
#if TFK_USE_DSP
      TFK_CHECK_CONV(tfk_conv2d_fast_s8_dsp);
      {
        /* the window limits of tfk_conv_3x3_s8_dsp (tfk_kernels.h) */
        const int32_t win = fl.h * fl.w * fl.c, len = (win + 3) & ~3;
        if (win >= 4 && len <= (win % 4 ? TFK_CONV_3X3_DSP_ODD_MAX : TFK_CONV_3X3_DSP_MAX)) {
          TFK_CHECK_CONV(tfk_conv_3x3_s8_dsp);
        }
      }
#endif
#if TFK_MVE_RQ
      TFK_CHECK_CONV(call_conv2d_fast_s8_mve);
#endif
    }
    if (fl.c == in.c && fl.h == 1 && fl.w == 1 && cp.pad_h == 0 && cp.pad_w == 0) {
      TFK_CHECK_CONV(tfk_conv2d_1x1_s8);
#if TFK_USE_DSP
      TFK_CHECK_CONV(call_conv2d_1x1_s8_smlad);
      if (in.c % 4 == 0 && in.c <= 256) {
        int32_t width;
        TFK_CHECK_CONV(tfk_conv_1x1_s8_dsp);
        for (width = 2; width <= 4; ++width) {
          uint8_t* nb = narrow_bias(BIAS(c, 5), od.c, width);
          if (nb == NULL) continue;
          memset(o2, 0x5A, n);
          tfk_conv_1x1_s8_dsp_narrow_bias(&cp, &q, &in, I8(c, 3), &fl, I8(c, 4), nb, width, &od, o2);
          check_same(width == 2 ? "tfk_conv_1x1_s8_dsp_narrow_bias (2 bytes)"
                                : "tfk_conv_1x1_s8_dsp_narrow_bias (3-4 bytes)", o, o2, n);
          free(nb);
        }
        {
          /* with an activation's table folded in: the reference output mapped
           * through a table that scrambles every value (value order, v + 128) */
          int8_t lut[256];
          int8_t* mapped = (int8_t*)malloc(n + 1);
          uint8_t* nb = narrow_bias(BIAS(c, 5), od.c, 4);
          size_t i;
          if (mapped == NULL) die("out of memory");
          for (i = 0; i < 256; ++i) lut[i] = (int8_t)(uint8_t)(i * 73u + 41u);
          for (i = 0; i < n; ++i) mapped[i] = lut[o[i] + 128];
          memset(o2, 0x5A, n);
          tfk_conv_1x1_s8_dsp_lut(&cp, &q, &in, I8(c, 3), &fl, I8(c, 4), nb, 4, lut, &od, o2);
          check_same("tfk_conv_1x1_s8_dsp_lut", mapped, o2, n);
          free(nb);
          free(mapped);
        }
      }
#endif
#if TFK_MVE_RQ
      TFK_CHECK_CONV(tfk_conv2d_1x1_s8_mve);
#endif
    }
#undef TFK_CHECK_CONV
  } else if (!strcmp(c->name, "depthwise_conv2d")) {
    tfk_dw_conv_params dp;
    dp.input_offset = p[12];
    dp.output_offset = p[13];
    dp.stride_h = p[14];
    dp.stride_w = p[15];
    dp.dilation_h = p[16];
    dp.dilation_w = p[17];
    dp.pad_h = p[18];
    dp.pad_w = p[19];
    dp.activation_min = p[20];
    dp.activation_max = p[21];
    dp.depth_multiplier = p[22];
    tfk_depthwise_conv2d_s8(&dp, &q, &in, I8(c, 3), &fl, I8(c, 4), BIAS(c, 5), &od, o);
#define TFK_CHECK_DW(FN)                                                    \
  do {                                                                      \
    memset(o2, 0x5A, n);                                                    \
    FN(&dp, &q, &in, I8(c, 3), &fl, I8(c, 4), BIAS(c, 5), &od, o2);        \
    check_same(#FN, o, o2, n);                                              \
  } while (0)
    TFK_CHECK_DW(tfk_depthwise_conv2d_fast_s8);
#if TFK_USE_DSP
    TFK_CHECK_DW(tfk_depthwise_conv2d_fast_s8_dsp);
#endif
#if TFK_MVE_RQ
    TFK_CHECK_DW(tfk_depthwise_conv2d_fast_s8_mve);
#endif
#undef TFK_CHECK_DW
#if TFK_USE_DSP
    if (fl.h == 3 && fl.w == 3 && dp.dilation_h == 1 && dp.dilation_w == 1 &&
        dp.depth_multiplier == 1) {
      int32_t width;
      tfk_dw_conv_3x3_s8_dsp(&dp, &q, &in, I8(c, 3), &fl, I8(c, 4), BIAS(c, 5), &od, o2);
      check_same("tfk_dw_conv_3x3_s8_dsp", o, o2, n);
      for (width = 2; width <= 4; ++width) {
        uint8_t* nb = narrow_bias(BIAS(c, 5), od.c, width);
        if (nb == NULL) continue;
        memset(o2, 0x5A, n);
        tfk_dw_conv_3x3_s8_dsp_narrow_bias(&dp, &q, &in, I8(c, 3), &fl, I8(c, 4), nb, width, &od, o2);
        check_same(width == 2 ? "tfk_dw_conv_3x3_s8_dsp_narrow_bias (2 bytes)"
                              : "tfk_dw_conv_3x3_s8_dsp_narrow_bias (3-4 bytes)", o, o2, n);
        free(nb);
      }
    }
#endif
    if (fl.h == 3 && fl.w == 3 && dp.depth_multiplier == 1 && dp.dilation_h == 1 &&
        dp.dilation_w == 1) {
      int8_t* pw;
      tfk_dw8_requant* prq;
      pack_dw3x3_mve(&dp, &q, in.c, I8(c, 4), BIAS(c, 5), 0, &pw, &prq);
      call_dw_conv_3x3_s8_mve(&dp, &in, I8(c, 3), &od, o2, pw, prq);
      check_same("tfk_dw_conv_3x3_s8_mve", o, o2, n);
      free(pw);
      free(prq);
    }
    if (fl.h == 3 && fl.w == 3 && in.c == 1 && dp.depth_multiplier % 8 == 0 &&
        dp.dilation_h == 1 && dp.dilation_w == 1) {
      int8_t* pw;
      tfk_dw8_requant* prq;
      pack_dw3x3_mve(&dp, &q, od.c, I8(c, 4), BIAS(c, 5), 1, &pw, &prq);
      tfk_dw_conv_one_input_s8_mve(&dp, &in, I8(c, 3), &od, o2, pw, prq);
      check_same("tfk_dw_conv_one_input_s8_mve", o, o2, n);
      free(pw);
      free(prq);
    }
#if TFK_USE_DSP
    if (fl.h == 3 && fl.w == 3 && in.c == 1 && dp.depth_multiplier == od.c &&
        dp.dilation_h == 1 && dp.dilation_w == 1) {
      int32_t* packed = pack_dw_one_input_dsp(&dp, &q, od.c, I8(c, 4), BIAS(c, 5));
      if (packed) {
        memset(o2, 0x5A, n);
        tfk_dw_conv_one_input_s8_dsp(&dp, &in, I8(c, 3), &od, o2, packed);
        check_same("tfk_dw_conv_one_input_s8_dsp", o, o2, n);
        free(packed);
      }
    }
#endif
  } else {
    tfk_transpose_conv_params tp;
    int32_t* scratch = (int32_t*)malloc((n ? n : 1) * sizeof(int32_t));
    tp.input_offset = p[12];
    tp.output_offset = p[13];
    tp.stride_h = p[14];
    tp.stride_w = p[15];
    tp.pad_h = p[18];
    tp.pad_w = p[19];
    tp.activation_min = p[20];
    tp.activation_max = p[21];
    tfk_transpose_conv_s8(&tp, &q, &in, I8(c, 3), &fl, I8(c, 4), BIAS(c, 5), &od, o, scratch);
    free(scratch);
  }
  emit(out, o, n);
  free(o);
  free(o2);
}

/* fully_connected: a0 = [batches, accum, out_depth, input_offset,
 *   filter_offset, output_offset, mult, shift, act_min, act_max, per_channel]
 *   a1 = multipliers, a2 = shifts, a3 = input, a4 = filter, a5 = bias */
static void run_fc(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  tfk_fc_dims d;
  tfk_fc_params fp;
  tfk_per_channel_quant q;
  size_t n;
  int8_t* o;
  d.batches = p[0];
  d.accum_depth = p[1];
  d.output_depth = p[2];
  fp.input_offset = p[3];
  fp.filter_offset = p[4];
  fp.output_offset = p[5];
  fp.output_multiplier = p[6];
  fp.output_shift = p[7];
  fp.activation_min = p[8];
  fp.activation_max = p[9];
  n = (size_t)d.batches * d.output_depth;
  o = (int8_t*)malloc(n ? n : 1);
  if (p[10]) {
    q.multiplier = I32(c, 1);
    q.shift = SHIFTS(c, 2);
    tfk_fully_connected_per_channel_s8(&fp, &q, &d, I8(c, 3), I8(c, 4), BIAS(c, 5), o);
  } else {
    tfk_fully_connected_s8(&fp, &d, I8(c, 3), I8(c, 4), BIAS(c, 5), o);
  }
  /* the generic kernel's DSP and Helium variants, where this build has them */
  {
    int8_t* o2 = (int8_t*)malloc(n ? n : 1);
#if TFK_USE_DSP
    if (p[10]) {
      tfk_fully_connected_per_channel_s8_dsp(&fp, &q, &d, I8(c, 3), I8(c, 4), BIAS(c, 5), o2);
    } else {
      tfk_fully_connected_s8_dsp(&fp, &d, I8(c, 3), I8(c, 4), BIAS(c, 5), o2);
    }
    check_same("tfk_fully_connected_s8_dsp", o, o2, n);
#endif
#if TFK_MVE_RQ
    if (p[10]) {
      tfk_fully_connected_per_channel_s8_mve(&fp, &q, &d, I8(c, 3), I8(c, 4), BIAS(c, 5), o2);
    } else {
      tfk_fully_connected_s8_mve(&fp, &d, I8(c, 3), I8(c, 4), BIAS(c, 5), o2);
    }
    check_same("tfk_fully_connected_s8_mve", o, o2, n);
#endif
    free(o2);
  }
  /* The DSP variant reads the filter in groups of four rows and the input
   * offset folded into the bias, prepared at compile time by the code
   * generator (FcLayout); prepared here the same way. */
  if (fp.filter_offset == 0) {
    const int32_t rows = d.output_depth, depth = d.accum_depth;
    const int8_t* f = I8(c, 4);
    const int32_t* bias = BIAS(c, 5);
    int8_t* grouped = (int8_t*)malloc((size_t)rows * depth + 1);
    int32_t* folded = (int32_t*)malloc(sizeof(int32_t) * (size_t)(rows ? rows : 1));
    int8_t* o2 = (int8_t*)malloc(n ? n : 1);
    size_t at = 0;
    int32_t r, k, g, j;
    for (r = 0; r + 3 < rows; r += 4) {
      for (k = 0; k + 3 < depth; k += 4) {
        for (g = 0; g < 4; ++g) {
          for (j = 0; j < 4; ++j) grouped[at++] = f[(size_t)(r + g) * depth + k + j];
        }
      }
      for (g = 0; g < 4; ++g) {
        for (j = depth & ~3; j < depth; ++j) grouped[at++] = f[(size_t)(r + g) * depth + j];
      }
    }
    for (; r < rows; ++r) {
      for (j = 0; j < depth; ++j) grouped[at++] = f[(size_t)r * depth + j];
    }
    for (r = 0; r < rows; ++r) {
      uint32_t sum = 0;
      for (j = 0; j < depth; ++j) sum += (uint32_t)(int32_t)f[(size_t)r * depth + j];
      folded[r] = (int32_t)((bias ? (uint32_t)bias[r] : 0u) + (uint32_t)fp.input_offset * sum);
    }
    call_fc_s8_dsp(&fp, p[10] ? &q : NULL, &d, I8(c, 3), grouped, folded, o2);
    check_same("tfk_fc_s8_dsp", o, o2, n);
    /* without its optional scratch (the planner's choice under a RAM limit) */
    memset(o2, 0x5A, n);
    tfk_fc_s8_dsp(&fp, p[10] ? &q : NULL, &d, I8(c, 3), grouped, folded, o2, NULL, 0);
    check_same("tfk_fc_s8_dsp without scratch", o, o2, n);
    free(grouped);
    free(folded);
    free(o2);
  }
  emit(out, o, n);
  free(o);
}

/* The _strided kernels write a channel slice of a wider tensor (a
 * concatenation's output).  Each runs with STRIDE_EXTRA more channels per
 * pixel than it writes, starting STRIDE_LEAD channels in; its slice, gathered,
 * must equal the reference kernel's output (check_same makes a difference
 * fail the oracle comparison), and the bytes around it must stay untouched. */
#define STRIDE_LEAD 3
#define STRIDE_EXTRA 7
#define STRIDE_GUARD ((int8_t)0x5A)

static int8_t* strided_buffer(size_t pixels, int32_t depth) {
  const size_t total = pixels * (size_t)(depth + STRIDE_EXTRA);
  int8_t* wide = (int8_t*)malloc(total ? total : 1);
  memset(wide, (unsigned char)STRIDE_GUARD, total ? total : 1);
  return wide;
}

static void gather_strided(const char* what, const int8_t* wide, size_t pixels, int32_t depth,
                           int8_t* ref) {
  const int32_t stride = depth + STRIDE_EXTRA;
  int8_t* slice = (int8_t*)malloc(pixels * (size_t)depth + 1);
  size_t k;
  int32_t c;
  for (k = 0; k < pixels; ++k) {
    for (c = 0; c < stride; ++c) {
      const int8_t v = wide[k * (size_t)stride + (size_t)c];
      if (c >= STRIDE_LEAD && c < STRIDE_LEAD + depth) {
        slice[k * (size_t)depth + (size_t)(c - STRIDE_LEAD)] = v;
      } else if (v != STRIDE_GUARD) {
        fprintf(stderr, "oracle_driver: %s wrote outside its slice (pixel %u, channel %d)\n", what,
                (unsigned)k, (int)c);
        ref[k * (size_t)depth] ^= 1; /* make the comparison fail */
      }
    }
  }
  check_same(what, ref, slice, pixels * (size_t)depth);
  free(slice);
}

static void check_strided_max_pool(const tfk_pool_params* pp, const tfk_dims4* in,
                                   const int8_t* input, const tfk_dims4* od, int8_t* ref) {
  const size_t pixels = (size_t)od->n * od->h * od->w;
  int8_t* wide = strided_buffer(pixels, od->c);
  tfk_max_pool2d_s8_strided(pp, in, input, od, od->c + STRIDE_EXTRA, wide + STRIDE_LEAD);
  gather_strided("tfk_max_pool2d_s8_strided", wide, pixels, od->c, ref);
  free(wide);
}

static void check_strided_resize_nearest(const tfk_dims4* in, const int8_t* input,
                                         const tfk_dims4* od, int align_corners,
                                         int half_pixel_centers, int8_t* ref) {
  const size_t pixels = (size_t)od->n * od->h * od->w;
  int8_t* wide = strided_buffer(pixels, od->c);
  tfk_resize_nearest_strided(in, input, od, align_corners, half_pixel_centers, 1,
                             od->c + STRIDE_EXTRA, wide + STRIDE_LEAD);
  gather_strided("tfk_resize_nearest_strided", wide, pixels, od->c, ref);
  free(wide);
}

/* avg_pool2d / max_pool2d: a0 = [in dims4, out dims4, stride_h, stride_w,
 *   filter_h, filter_w, pad_h, pad_w, act_min, act_max], a1 = input */
static void run_pool(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  tfk_dims4 in = dims4(p), od = dims4(p + 4);
  tfk_pool_params pp;
  size_t n = dims4_count(&od);
  int8_t* o = (int8_t*)malloc(n ? n : 1);
  pp.stride_h = p[8];
  pp.stride_w = p[9];
  pp.filter_h = p[10];
  pp.filter_w = p[11];
  pp.pad_h = p[12];
  pp.pad_w = p[13];
  pp.activation_min = p[14];
  pp.activation_max = p[15];
  if (!strcmp(c->name, "avg_pool2d")) {
    tfk_avg_pool2d_s8(&pp, &in, I8(c, 1), &od, o);
#if TFK_USE_MVE
    {
      int8_t* o2 = (int8_t*)malloc(n ? n : 1);
      tfk_avg_pool2d_s8_mve(&pp, &in, I8(c, 1), &od, o2);
      check_same("tfk_avg_pool2d_s8_mve", o, o2, n);
      free(o2);
    }
#endif
  } else {
    tfk_max_pool2d_s8(&pp, &in, I8(c, 1), &od, o);
    check_strided_max_pool(&pp, &in, I8(c, 1), &od, o);
  }
  emit(out, o, n);
  free(o);
}

/* add / sub / mul / maximum / minimum / prelu:
 *   a0 = op params (op specific, see below), a1 = shape1, a2 = shape2,
 *   a3 = out shape, a4 = in1, a5 = in2 */
static void run_binary(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  tfk_shape s1 = shape_of(I32(c, 1)), s2 = shape_of(I32(c, 2)), so = shape_of(I32(c, 3));
  size_t n = shape_count(&so);
  int8_t* o = (int8_t*)malloc(n ? n : 1);
  if (!strcmp(c->name, "add") || !strcmp(c->name, "sub")) {
    tfk_add_params ap;
    ap.input1_offset = p[0];
    ap.input2_offset = p[1];
    ap.output_offset = p[2];
    ap.left_shift = p[3];
    ap.input1_multiplier = p[4];
    ap.input1_shift = p[5];
    ap.input2_multiplier = p[6];
    ap.input2_shift = p[7];
    ap.output_multiplier = p[8];
    ap.output_shift = p[9];
    ap.activation_min = p[10];
    ap.activation_max = p[11];
    if (!strcmp(c->name, "add")) {
      tfk_add_s8(&ap, &s1, I8(c, 4), &s2, I8(c, 5), &so, o);
    } else {
      tfk_sub_s8(&ap, &s1, I8(c, 4), &s2, I8(c, 5), &so, o);
    }
#if TFK_MVE_RQ
    {
      int8_t* o2 = (int8_t*)malloc(n ? n : 1);
      if (!strcmp(c->name, "add")) {
        tfk_add_s8_mve(&ap, &s1, I8(c, 4), &s2, I8(c, 5), &so, o2);
        check_same("tfk_add_s8_mve", o, o2, n);
      } else {
        tfk_sub_s8_mve(&ap, &s1, I8(c, 4), &s2, I8(c, 5), &so, o2);
        check_same("tfk_sub_s8_mve", o, o2, n);
      }
      free(o2);
    }
#endif
    /* without broadcasting the code generator calls the flat kernels */
    if (shape_count(&s1) == n && shape_count(&s2) == n) {
      int8_t* o2 = (int8_t*)malloc(n ? n : 1);
      if (!strcmp(c->name, "add")) {
        tfk_add_flat_s8(&ap, (int32_t)n, I8(c, 4), I8(c, 5), o2);
        check_same("tfk_add_flat_s8", o, o2, n);
      } else {
        tfk_sub_flat_s8(&ap, (int32_t)n, I8(c, 4), I8(c, 5), o2);
        check_same("tfk_sub_flat_s8", o, o2, n);
      }
      free(o2);
    }
  } else if (!strcmp(c->name, "mul")) {
    tfk_mul_params mp;
    mp.input1_offset = p[0];
    mp.input2_offset = p[1];
    mp.output_offset = p[2];
    mp.output_multiplier = p[3];
    mp.output_shift = p[4];
    mp.activation_min = p[5];
    mp.activation_max = p[6];
    tfk_mul_s8(&mp, &s1, I8(c, 4), &s2, I8(c, 5), &so, o);
    if (shape_count(&s1) == n && shape_count(&s2) == n) {
      int8_t* o2 = (int8_t*)malloc(n ? n : 1);
      tfk_mul_flat_s8(&mp, (int32_t)n, I8(c, 4), I8(c, 5), o2);
      check_same("tfk_mul_flat_s8", o, o2, n);
      free(o2);
    }
  } else if (!strcmp(c->name, "maximum")) {
    tfk_maximum_s8(&s1, I8(c, 4), &s2, I8(c, 5), &so, o);
  } else if (!strcmp(c->name, "minimum")) {
    tfk_minimum_s8(&s1, I8(c, 4), &s2, I8(c, 5), &so, o);
  } else {
    tfk_prelu_params pp;
    pp.input_offset = p[0];
    pp.alpha_offset = p[1];
    pp.output_offset = p[2];
    pp.output_multiplier_1 = p[3];
    pp.output_shift_1 = p[4];
    pp.output_multiplier_2 = p[5];
    pp.output_shift_2 = p[6];
    tfk_prelu_s8(&pp, &s1, I8(c, 4), &s2, I8(c, 5), &so, o);
  }
  emit(out, o, n);
  free(o);
}

/* Unary int8 ops: a0 = params, a1 = input. */
static void run_unary(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  const int32_t size = c->a[1].count;
  const int8_t* in = I8(c, 1);
  int8_t* o = (int8_t*)malloc(size ? (size_t)size : 1);
  if (!strcmp(c->name, "logistic") || !strcmp(c->name, "tanh")) {
    tfk_logistic_params lp;
    lp.input_zero_point = p[0];
    lp.input_range_radius = p[1];
    lp.input_multiplier = p[2];
    lp.input_left_shift = p[3];
    if (!strcmp(c->name, "logistic")) {
      tfk_logistic_s8(&lp, size, in, o);
    } else {
      tfk_tanh_s8(&lp, size, in, o);
    }
  } else if (!strcmp(c->name, "relu")) {
    tfk_relu_params rp;
    rp.input_offset = p[0];
    rp.output_offset = p[1];
    rp.output_multiplier = p[2];
    rp.output_shift = p[3];
    rp.activation_min = p[4];
    rp.activation_max = p[5];
    tfk_relu_s8(&rp, size, in, o);
  } else if (!strcmp(c->name, "relu6")) {
    tfk_relu6_s8((int8_t)p[0], (int8_t)p[1], size, in, o);
  } else if (!strcmp(c->name, "leaky_relu")) {
    tfk_leaky_relu_params lp;
    lp.input_offset = p[0];
    lp.output_offset = p[1];
    lp.output_multiplier_alpha = p[2];
    lp.output_shift_alpha = p[3];
    lp.output_multiplier_identity = p[4];
    lp.output_shift_identity = p[5];
    tfk_leaky_relu_s8(&lp, size, in, o);
  } else if (!strcmp(c->name, "hard_swish")) {
    tfk_hard_swish_params hp;
    hp.input_zero_point = (int16_t)p[0];
    hp.output_zero_point = (int16_t)p[1];
    hp.reluish_multiplier_fixedpoint_int16 = (int16_t)p[2];
    hp.reluish_multiplier_exponent = p[3];
    hp.output_multiplier_fixedpoint_int16 = (int16_t)p[4];
    hp.output_multiplier_exponent = p[5];
    tfk_hard_swish_s8(&hp, size, in, o);
  } else if (!strcmp(c->name, "requantize")) {
    tfk_requantize_params rq;
    rq.input_zero_point = p[0];
    rq.output_zero_point = p[1];
    rq.multiplier = p[2];
    rq.shift = p[3];
    tfk_requantize_s8_s8(&rq, size, in, o);
  } else {
    die("unknown unary op");
  }
  emit(out, o, (size_t)size);
  free(o);
}

/* softmax: a0 = [input_multiplier, input_left_shift, diff_min, outer, depth,
 *   out16], a1 = input */
static void run_softmax(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  tfk_softmax_params sp;
  const size_t n = (size_t)p[3] * p[4];
  sp.input_multiplier = p[0];
  sp.input_left_shift = p[1];
  sp.diff_min = p[2];
  if (p[5]) {
    int16_t* o = (int16_t*)malloc((n ? n : 1) * sizeof(int16_t));
    tfk_softmax_s8_s16(&sp, p[3], p[4], I8(c, 1), o);
    emit(out, o, n * sizeof(int16_t));
    free(o);
  } else {
    int8_t* o = (int8_t*)malloc(n ? n : 1);
    tfk_softmax_s8(&sp, p[3], p[4], I8(c, 1), o);
    emit(out, o, n);
    free(o);
  }
}

/* mean: a0 = [in_zp, out_zp, mult, shift, num_axes, axes...],
 *   a1 = input shape, a2 = input */
static void run_mean(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  tfk_mean_params mp;
  tfk_shape s = shape_of(I32(c, 1));
  size_t n = 1;
  int32_t i;
  int8_t* o;
  memset(&mp, 0, sizeof mp);
  mp.input_zero_point = p[0];
  mp.output_zero_point = p[1];
  mp.multiplier = p[2];
  mp.shift = p[3];
  mp.num_axes = p[4];
  for (i = 0; i < mp.num_axes; ++i) mp.axes[i] = p[5 + i];
  for (i = 0; i < s.rank; ++i) {
    int32_t k, reduced = 0;
    for (k = 0; k < mp.num_axes; ++k) reduced |= mp.axes[k] == i;
    if (!reduced) n *= (size_t)s.dims[i];
  }
  o = (int8_t*)malloc(n ? n : 1);
  tfk_mean_s8(&mp, &s, I8(c, 2), o);
  emit(out, o, n);
  free(o);
}

/* resize_bilinear / resize_nearest: a0 = [in dims4, out_h, out_w,
 *   align_corners, half_pixel_centers], a1 = input */
static void run_resize(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  tfk_dims4 in = dims4(p), od = in;
  size_t n;
  int8_t* o;
  od.h = p[4];
  od.w = p[5];
  n = dims4_count(&od);
  o = (int8_t*)malloc(n ? n : 1);
  if (!strcmp(c->name, "resize_bilinear")) {
    tfk_resize_bilinear_s8(&in, I8(c, 1), &od, p[6], p[7], o);
  } else {
    tfk_resize_nearest(&in, I8(c, 1), &od, p[6], p[7], 1, o);
    check_strided_resize_nearest(&in, I8(c, 1), &od, p[6], p[7], o);
  }
  emit(out, o, n);
  free(o);
}

/* quantize: a0 = [zp], a1 = [scale], a2 = float input
 * dequantize: a0 = [zp], a1 = [scale], a2 = int8 input */
static void run_quant(case_t* c, FILE* out) {
  const int32_t zp = I32(c, 0)[0];
  const float scale = F32(c, 1)[0];
  const int32_t size = c->a[2].count;
  if (!strcmp(c->name, "quantize")) {
    int8_t* o = (int8_t*)malloc(size ? (size_t)size : 1);
    tfk_quantize_f32_s8(scale, zp, size, F32(c, 2), o);
    emit(out, o, (size_t)size);
    free(o);
  } else {
    float* o = (float*)malloc((size ? (size_t)size : 1) * sizeof(float));
    tfk_dequantize_s8_f32(scale, zp, size, I8(c, 2), o);
    emit(out, o, (size_t)size * sizeof(float));
    free(o);
  }
}

/* convert (QUANTIZE / DEQUANTIZE with int16 on one side):
 *   a0 = [kind, in_zp, out_zp, multiplier, shift, zero_point], a1 = [scale],
 *   a2 = input; kind 0: f32->s16, 1: s8->s16, 2: s16->s8, 3: s16->f32 */
static void run_convert(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  const float scale = F32(c, 1)[0];
  const int32_t size = c->a[2].count;
  tfk_requantize_params rq;
  void* o = malloc((size ? (size_t)size : 1) * 4);
  size_t bytes = 0;
  rq.input_zero_point = p[1];
  rq.output_zero_point = p[2];
  rq.multiplier = p[3];
  rq.shift = p[4];
  switch (p[0]) {
    case 0:
      tfk_quantize_f32_s16(scale, p[5], size, F32(c, 2), (int16_t*)o);
      bytes = (size_t)size * 2;
      break;
    case 1:
      tfk_requantize_s8_s16(&rq, size, I8(c, 2), (int16_t*)o);
      bytes = (size_t)size * 2;
      break;
    case 2:
      tfk_requantize_s16_s8(&rq, size, (const int16_t*)c->a[2].data, (int8_t*)o);
      bytes = (size_t)size;
      break;
    default:
      tfk_dequantize_s16_f32(scale, p[5], size, (const int16_t*)c->a[2].data, (float*)o);
      bytes = (size_t)size * 4;
      break;
  }
  emit(out, o, bytes);
  free(o);
}

/* pad: a0 = [rank, before[rank], after[rank], pad_value], a1 = input shape,
 *   a2 = input
 * strided_slice: a0 = [rank, start[rank], stop[rank], step[rank], out_count],
 *   a1 = input shape, a2 = input
 * transpose: a0 = perm, a1 = input shape, a2 = input */
static void run_layout(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  tfk_shape s = shape_of(I32(c, 1));
  int32_t i;
  if (!strcmp(c->name, "pad")) {
    tfk_pad_params pp;
    size_t n = 1;
    int8_t* o;
    memset(&pp, 0, sizeof pp);
    pp.rank = p[0];
    for (i = 0; i < pp.rank; ++i) {
      pp.before[i] = p[1 + i];
      pp.after[i] = p[1 + pp.rank + i];
      n *= (size_t)(pp.before[i] + s.dims[i] + pp.after[i]);
    }
    o = (int8_t*)malloc(n ? n : 1);
    tfk_pad_s8(&pp, &s, I8(c, 2), (int8_t)p[1 + 2 * pp.rank], o);
    emit(out, o, n);
    free(o);
  } else if (!strcmp(c->name, "strided_slice")) {
    tfk_strided_slice_params sp;
    size_t n;
    int8_t* o;
    memset(&sp, 0, sizeof sp);
    sp.rank = p[0];
    for (i = 0; i < sp.rank; ++i) {
      sp.start[i] = p[1 + i];
      sp.stop[i] = p[1 + sp.rank + i];
      sp.step[i] = p[1 + 2 * sp.rank + i];
    }
    n = (size_t)p[1 + 3 * sp.rank];
    o = (int8_t*)malloc(n ? n : 1);
    tfk_strided_slice(&sp, &s, I8(c, 2), 1, o);
    emit(out, o, n);
    free(o);
  } else {
    size_t n = shape_count(&s);
    int8_t* o = (int8_t*)malloc(n ? n : 1);
    tfk_transpose(&s, p, I8(c, 2), 1, o);
    emit(out, o, n);
    free(o);
  }
}

/* concatenation / pack: a0 = [num_inputs, outer_size], a1 = per-input copy
 *   sizes in bytes (pack: all equal), a2.. = inputs
 * split (SPLIT, SPLIT_V) / unpack: a0 = [num_outputs, outer_size],
 *   a1 = per-output copy sizes in bytes (unpack: all equal), a2 = input;
 *   the outputs are emitted back to back. */
static void run_copies(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  const int32_t num = p[0];
  const size_t outer = (size_t)p[1];
  size_t copy[MAX_ARRAYS];
  size_t total = 0;
  unsigned char* o;
  int32_t i;
  for (i = 0; i < num; ++i) {
    copy[i] = (size_t)I32(c, 1)[i];
    total += copy[i] * outer;
  }
  o = (unsigned char*)malloc(total ? total : 1);
  if (!strcmp(c->name, "split") || !strcmp(c->name, "unpack")) {
    void* outs[MAX_ARRAYS];
    size_t off = 0;
    for (i = 0; i < num; ++i) {
      outs[i] = o + off;
      off += copy[i] * outer;
    }
    if (!strcmp(c->name, "unpack")) {
      tfk_unpack(I8(c, 2), num, outs, copy[0], outer);
    } else {
      tfk_split(I8(c, 2), num, outs, copy, outer);
    }
  } else {
    const void* ins[MAX_ARRAYS];
    for (i = 0; i < num; ++i) ins[i] = c->a[2 + i].data;
    if (!strcmp(c->name, "pack")) {
      tfk_pack(num, ins, copy[0], outer, o);
    } else {
      tfk_concatenation(num, ins, copy, outer, o);
    }
  }
  emit(out, o, total);
  free(o);
}

static const int16_t* I16(case_t* c, int i) { return (const int16_t*)c->a[i].data; }

/* logistic16 / tanh16: a0 = [input_multiplier, input_right_shift],
 *   a1 = sigmoid table (256 int32), a2 = input (int16) */
static void run_sigmoid16(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  const int32_t* t = I32(c, 1);
  const int32_t n = c->a[2].count;
  uint16_t table[256];
  tfk_sigmoid_s16_params sp;
  int16_t* o = (int16_t*)malloc((size_t)(n ? n : 1) * sizeof(int16_t));
  int i;
  if (c->a[1].count != 256) die("logistic16/tanh16: the sigmoid table needs 256 entries");
  for (i = 0; i < 256; ++i) table[i] = (uint16_t)t[i];
  sp.input_multiplier = p[0];
  sp.input_right_shift = p[1];
  sp.sigmoid_table = table;
  if (!strcmp(c->name, "tanh16")) {
    tfk_tanh_s16(&sp, n, I16(c, 2), o);
  } else {
    tfk_logistic_s16(&sp, n, I16(c, 2), o);
  }
  emit(out, o, (size_t)n * sizeof(int16_t));
  free(o);
}

/* softmax16: a0 = [input_multiplier, input_shift, outer, depth],
 *   a1 = exp table (513 int16), a2 = 1/(1+x) table (513 int16), a3 = input */
static void run_softmax16(case_t* c, FILE* out) {
  const int32_t* p = I32(c, 0);
  const size_t n = (size_t)p[2] * p[3];
  tfk_softmax_s16_params sp;
  int16_t* o = (int16_t*)malloc((n ? n : 1) * sizeof(int16_t));
  if (c->a[1].count != 513 || c->a[2].count != 513) die("softmax16: the tables need 513 entries");
  sp.input_multiplier = p[0];
  sp.input_shift = p[1];
  sp.exp_table = I16(c, 1);
  sp.reciprocal_table = I16(c, 2);
  tfk_softmax_s16(&sp, p[2], p[3], I16(c, 3), o);
  emit(out, o, n * sizeof(int16_t));
  free(o);
}

int main(int argc, char** argv) {
  FILE *in, *out;
  case_t c;
  if (argc != 3) die("usage: oracle_driver CASES_FILE OUTPUT_FILE");
  in = fopen(argv[1], "rb");
  if (!in) die("cannot open the cases file");
  out = fopen(argv[2], "wb");
  if (!out) die("cannot open the output file");
  while (read_case(in, &c)) {
    const char* n = c.name;
    variant_differs = 0;
    if (!strcmp(n, "conv2d") || !strcmp(n, "depthwise_conv2d") || !strcmp(n, "transpose_conv")) {
      run_conv_family(&c, out);
    } else if (!strcmp(n, "fully_connected")) {
      run_fc(&c, out);
    } else if (!strcmp(n, "avg_pool2d") || !strcmp(n, "max_pool2d")) {
      run_pool(&c, out);
    } else if (!strcmp(n, "add") || !strcmp(n, "sub") || !strcmp(n, "mul") ||
               !strcmp(n, "maximum") || !strcmp(n, "minimum") || !strcmp(n, "prelu")) {
      run_binary(&c, out);
    } else if (!strcmp(n, "softmax")) {
      run_softmax(&c, out);
    } else if (!strcmp(n, "logistic16") || !strcmp(n, "tanh16")) {
      run_sigmoid16(&c, out);
    } else if (!strcmp(n, "softmax16")) {
      run_softmax16(&c, out);
    } else if (!strcmp(n, "mean")) {
      run_mean(&c, out);
    } else if (!strcmp(n, "resize_bilinear") || !strcmp(n, "resize_nearest")) {
      run_resize(&c, out);
    } else if (!strcmp(n, "quantize") || !strcmp(n, "dequantize")) {
      run_quant(&c, out);
    } else if (!strcmp(n, "convert_int16")) {
      run_convert(&c, out);
    } else if (!strcmp(n, "pad") || !strcmp(n, "strided_slice") || !strcmp(n, "transpose")) {
      run_layout(&c, out);
    } else if (!strcmp(n, "concatenation") || !strcmp(n, "split") || !strcmp(n, "pack") ||
               !strcmp(n, "unpack")) {
      run_copies(&c, out);
    } else {
      run_unary(&c, out);
    }
    free_case(&c);
  }
  fclose(in);
  if (fclose(out) != 0) die("cannot write the output file");
  return 0;
}
