/*
 * Data movement kernels: copy (RESHAPE/SQUEEZE/EXPAND_DIMS when aliasing is
 * impossible), PAD/PADV2, STRIDED_SLICE, TRANSPOSE, CONCATENATION, SPLIT,
 * SPLIT_V, PACK, UNPACK.  Element-size generic where the op is a pure copy.
 * Semantics of TFLite reference_ops::PadImpl, StridedSlice, Transpose,
 * Concatenation, Split, Pack and Unpack.
 */
#include <string.h>

#include "tfk_kernels.h"
#include "tfk_math.h"

void tfk_copy(const void* input, void* output, size_t bytes) {
  if (input != output) memmove(output, input, bytes);
}

/* Dense element strides of a shape. */
static void dense_strides(const tfk_shape* shape, size_t* stride) {
  size_t s = 1;
  int32_t i;
  for (i = shape->rank - 1; i >= 0; --i) {
    stride[i] = s;
    s *= (size_t)shape->dims[i];
  }
}

static size_t element_count(const tfk_shape* shape) {
  size_t n = 1;
  int32_t i;
  for (i = 0; i < shape->rank; ++i) n *= (size_t)shape->dims[i];
  return n;
}

static void fill_elems(unsigned char* out, const void* value, size_t elem_size, size_t count) {
  size_t i;
  if (elem_size == 1) {
    memset(out, *(const unsigned char*)value, count);
    return;
  }
  for (i = 0; i < count; ++i) memcpy(out + i * elem_size, value, elem_size);
}

/* Writes the padded output row by row (rows = innermost dimension): a row
 * whose outer coordinates fall in the padding is all pad value, otherwise
 * it is [before pad | input row | after pad]. */
static void pad_generic(const tfk_pad_params* params, const tfk_shape* input_shape,
                        const unsigned char* input, const void* pad_value, size_t elem_size,
                        unsigned char* output) {
  const int32_t rank = input_shape->rank;
  size_t in_stride[TFK_MAX_DIMS];
  int32_t out_dims[TFK_MAX_DIMS] = {0};
  int32_t idx[TFK_MAX_DIMS] = {0};
  size_t rows = 1, row_len, in_row_len, r;
  int32_t i;

  if (rank == 0) {
    memcpy(output, input, elem_size);
    return;
  }
  dense_strides(input_shape, in_stride);
  for (i = 0; i < rank; ++i) {
    out_dims[i] = params->before[i] + input_shape->dims[i] + params->after[i];
    idx[i] = 0;
    if (i < rank - 1) rows *= (size_t)out_dims[i];
  }
  row_len = (size_t)out_dims[rank - 1];
  in_row_len = (size_t)input_shape->dims[rank - 1];
  for (r = 0; r < rows; ++r) {
    unsigned char* out_row = output + r * row_len * elem_size;
    int inside = in_row_len > 0;
    size_t in_off = 0;
    for (i = 0; i < rank - 1; ++i) {
      const int32_t j = idx[i] - params->before[i];
      if (j < 0 || j >= input_shape->dims[i]) {
        inside = 0;
        break;
      }
      in_off += (size_t)j * in_stride[i];
    }
    if (!inside) {
      fill_elems(out_row, pad_value, elem_size, row_len);
    } else {
      const size_t before = (size_t)params->before[rank - 1];
      fill_elems(out_row, pad_value, elem_size, before);
      memcpy(out_row + before * elem_size, input + in_off * elem_size, in_row_len * elem_size);
      fill_elems(out_row + (before + in_row_len) * elem_size, pad_value, elem_size,
                 (size_t)params->after[rank - 1]);
    }
    for (i = rank - 2; i >= 0; --i) {
      if (++idx[i] < out_dims[i]) break;
      idx[i] = 0;
    }
  }
}

void tfk_pad_s8(const tfk_pad_params* params, const tfk_shape* input_shape, const int8_t* input,
                int8_t pad_value, int8_t* output) {
  pad_generic(params, input_shape, (const unsigned char*)input, &pad_value, sizeof(int8_t),
              (unsigned char*)output);
}

void tfk_pad_s16(const tfk_pad_params* params, const tfk_shape* input_shape,
                 const int16_t* input, int16_t pad_value, int16_t* output) {
  pad_generic(params, input_shape, (const unsigned char*)input, &pad_value, sizeof(int16_t),
              (unsigned char*)output);
}

static int slice_done(int32_t i, int32_t stop, int32_t step) {
  return step > 0 ? i >= stop : i <= stop;
}

void tfk_strided_slice(const tfk_strided_slice_params* params, const tfk_shape* input_shape,
                       const void* input, size_t elem_size, void* output) {
  size_t stride[TFK_MAX_DIMS];
  int32_t idx[TFK_MAX_DIMS];
  const unsigned char* in = (const unsigned char*)input;
  unsigned char* out = (unsigned char*)output;
  const int32_t rank = params->rank;
  int32_t i;

  dense_strides(input_shape, stride);
  for (i = 0; i < rank; ++i) {
    if (slice_done(params->start[i], params->stop[i], params->step[i])) return; /* empty */
    idx[i] = params->start[i];
  }
  if (rank == 0) {
    memcpy(out, in, elem_size);
    return;
  }
  for (;;) {
    size_t off = 0;
    for (i = 0; i < rank; ++i) off += (size_t)idx[i] * stride[i];
    memcpy(out, in + off * elem_size, elem_size);
    out += elem_size;
    for (i = rank - 1; i >= 0; --i) {
      idx[i] += params->step[i];
      if (!slice_done(idx[i], params->stop[i], params->step[i])) break;
      idx[i] = params->start[i];
    }
    if (i < 0) break;
  }
}

void tfk_transpose(const tfk_shape* input_shape, const int32_t* perm, const void* input,
                   size_t elem_size, void* output) {
  size_t in_stride[TFK_MAX_DIMS];
  size_t walk_stride[TFK_MAX_DIMS]; /* input stride of each output dim */
  int32_t out_dims[TFK_MAX_DIMS];
  int32_t idx[TFK_MAX_DIMS];
  const unsigned char* in = (const unsigned char*)input;
  unsigned char* out = (unsigned char*)output;
  const int32_t rank = input_shape->rank;
  size_t total, n, off = 0;
  int32_t i;

  dense_strides(input_shape, in_stride);
  total = element_count(input_shape);
  for (i = 0; i < rank; ++i) {
    out_dims[i] = input_shape->dims[perm[i]];
    walk_stride[i] = in_stride[perm[i]];
    idx[i] = 0;
  }
  for (n = 0; n < total; ++n) {
    memcpy(out + n * elem_size, in + off * elem_size, elem_size);
    for (i = rank - 1; i >= 0; --i) {
      off += walk_stride[i];
      if (++idx[i] < out_dims[i]) break;
      off -= walk_stride[i] * (size_t)out_dims[i];
      idx[i] = 0;
    }
  }
}

void tfk_concatenation(int32_t num_inputs, const void* const* inputs,
                       const size_t* input_copy_bytes, size_t outer_size, void* output) {
  unsigned char* out = (unsigned char*)output;
  size_t k;
  int32_t i;
  for (k = 0; k < outer_size; ++k) {
    for (i = 0; i < num_inputs; ++i) {
      const unsigned char* in = (const unsigned char*)inputs[i];
      memcpy(out, in + k * input_copy_bytes[i], input_copy_bytes[i]);
      out += input_copy_bytes[i];
    }
  }
}

void tfk_copy_into_slice(const void* input, size_t outer_size, size_t copy_bytes,
                         size_t output_stride_bytes, void* output) {
  const unsigned char* in = (const unsigned char*)input;
  unsigned char* out = (unsigned char*)output;
  size_t k;
  for (k = 0; k < outer_size; ++k) {
    memcpy(out + k * output_stride_bytes, in + k * copy_bytes, copy_bytes);
  }
}

void tfk_split(const void* input, int32_t num_outputs, void* const* outputs,
               const size_t* output_copy_bytes, size_t outer_size) {
  const unsigned char* in = (const unsigned char*)input;
  size_t k;
  int32_t i;
  for (k = 0; k < outer_size; ++k) {
    for (i = 0; i < num_outputs; ++i) {
      unsigned char* out = (unsigned char*)outputs[i];
      memcpy(out + k * output_copy_bytes[i], in, output_copy_bytes[i]);
      in += output_copy_bytes[i];
    }
  }
}

void tfk_pack(int32_t num_inputs, const void* const* inputs, size_t copy_bytes, size_t outer_size,
              void* output) {
  unsigned char* out = (unsigned char*)output;
  size_t k;
  int32_t i;
  for (k = 0; k < outer_size; ++k) {
    for (i = 0; i < num_inputs; ++i) {
      memcpy(out, (const unsigned char*)inputs[i] + k * copy_bytes, copy_bytes);
      out += copy_bytes;
    }
  }
}

void tfk_unpack(const void* input, int32_t num_outputs, void* const* outputs, size_t copy_bytes,
                size_t outer_size) {
  const unsigned char* in = (const unsigned char*)input;
  size_t k;
  int32_t i;
  for (k = 0; k < outer_size; ++k) {
    for (i = 0; i < num_outputs; ++i) {
      memcpy((unsigned char*)outputs[i] + k * copy_bytes, in, copy_bytes);
      in += copy_bytes;
    }
  }
}
