package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;
import java.util.Arrays;

/**
 * Prepare of STRIDED_SLICE (TFLM strided_slice_common.cc) and the index arithmetic of its Eval
 * (reference_ops::StridedSlice), resolved to a 5-D walk at compile time.
 *
 * <p>TFLM reads exactly rank-many begin/end/stride values, honours begin_mask, end_mask and shrink_axis_mask, and
 * ignores ellipsis_mask, new_axis_mask and offset (its StridedSliceParams never receives them); this lowering
 * reproduces that so the simulator matches the oracle bit for bit.
 */
final class StridedSliceLowering {
  private StridedSliceLowering() {}

  /** TFLM's STRIDED_SLICE accepts inputs of up to 4 dimensions. */
  static final int MAX_RANK = 4;
  /** The reference kernel works on shapes extended to 5 dimensions. */
  static final int RANK = 5;

  static StridedSliceParams lower(OpContext ctx) {
    ctx.requireInputCount(4, 4);
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    ConcatLowering.sameElementType(ctx, in, out, "input");
    OpOptions.StridedSlice o = ctx.op().options(OpOptions.StridedSlice.class);
    int[] d = OpContext.dims(in);
    int rank = d.length;
    if (rank > MAX_RANK) {
      throw ctx.fail("input " + in.shape() + " has " + rank + " dimensions; TFLM's STRIDED_SLICE supports at most "
          + MAX_RANK);
    }
    int[] begin = indices(ctx, ctx.input(1), "begin", rank);
    int[] end = indices(ctx, ctx.input(2), "end", rank);
    int[] strides = indices(ctx, ctx.input(3), "strides", rank);
    checkOutputShape(ctx, o, d, begin, end, strides, OpContext.dims(out));

    // StridedSlicePadIndices: prepend full-range axes so every shape is 5-D.
    int pad = RANK - rank;
    int[] dims = new int[RANK];
    int[] b = new int[RANK];
    int[] e = new int[RANK];
    int[] s = new int[RANK];
    for (int i = 0; i < pad; i++) {
      dims[i] = 1;
      b[i] = 0;
      e[i] = 1;
      s[i] = 1;
    }
    for (int i = 0; i < rank; i++) {
      dims[pad + i] = d[i];
      b[pad + i] = begin[i];
      e[pad + i] = end[i];
      s[pad + i] = strides[i];
    }
    int beginMask = (o.beginMask() << pad) | ((1 << pad) - 1);
    int endMask = (o.endMask() << pad) | ((1 << pad) - 1);
    int shrinkMask = o.shrinkAxisMask() << pad;
    int[] start = new int[RANK];
    int[] stop = new int[RANK];
    long count = 1;
    for (int a = 0; a < RANK; a++) {
      start[a] = startForAxis(dims[a], b[a], s[a], (beginMask & (1 << a)) != 0);
      stop[a] = endForAxis(dims[a], e[a], s[a], (endMask & (1 << a)) != 0, (shrinkMask & (1 << a)) != 0,
          start[a]);
      count *= steps(start[a], stop[a], s[a]);
    }
    if (count != out.shape().elementCount()) {
      throw ctx.fail("the slice walks " + count + " elements but the output " + out.shape() + " holds "
          + out.shape().elementCount() + " (TFLM would leave the rest of the output unwritten; e.g. a shrunk axis "
          + "with a negative stride or a begin past the end)");
    }
    return new StridedSliceParams(in.index(), out.index(), in.type().bytes(), dims, start, stop, s);
  }

  private static int[] indices(OpContext ctx, Tensor t, String role, int rank) {
    int[] v = ctx.constantInts(t, role);
    if (v.length < rank) {
      throw ctx.fail(role + " holds " + v.length + " values for an input of rank " + rank
          + " (TFLM reads one per dimension)");
    }
    return Arrays.copyOf(v, rank);
  }

  /** CheckOutputSize: StartForAxis / StopForAxis and a float ceil per axis; shrunk axes vanish. */
  private static void checkOutputShape(OpContext ctx, OpOptions.StridedSlice o, int[] d, int[] begin, int[] end,
      int[] strides, int[] outDims) {
    int[] expected = new int[d.length];
    int n = 0;
    for (int i = 0; i < d.length; i++) {
      if (strides[i] == 0) {
        throw ctx.fail("stride value has to be non-zero (axis " + i + ")");
      }
      boolean shrink = (o.shrinkAxisMask() & (1 << i)) != 0;
      int st = checkStart(d[i], begin[i], strides[i], (o.beginMask() & (1 << i)) != 0);
      int en = shrink ? st + 1 : checkStop(d[i], end[i], strides[i], (o.endMask() & (1 << i)) != 0);
      int dim = (int) Math.ceil((en - st) / (float) strides[i]);
      if (dim < 0) {
        dim = 0;
      }
      if (!shrink) {
        expected[n++] = dim;
      }
    }
    int[] exp = Arrays.copyOf(expected, n);
    if (!Arrays.equals(exp, outDims)) {
      throw ctx.fail("output shape " + new io.tinyforge.model.Shape(outDims) + " does not match the slice "
          + new io.tinyforge.model.Shape(exp) + " (TFLM refuses this model; note it ignores ellipsis_mask, "
          + "new_axis_mask and offset)");
    }
  }

  /** strided_slice::StartForAxis (used by Prepare's shape check). */
  private static int checkStart(int size, int begin, int stride, boolean masked) {
    if (size == 0) {
      return 0;
    }
    long start = begin;
    if (masked) {
      start = stride > 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    }
    if (start < 0) {
      start = (int) (start + size);
    }
    return stride > 0 ? clamp((int) start, 0, size) : clamp((int) start, -1, size - 1);
  }

  /** strided_slice::StopForAxis for a non-shrunk axis. */
  private static int checkStop(int size, int end, int stride, boolean masked) {
    if (size == 0) {
      return 0;
    }
    long stop = end;
    if (masked) {
      stop = stride > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    }
    if (stop < 0) {
      stop = (int) (stop + size);
    }
    return stride > 0 ? clamp((int) stop, 0, size) : clamp((int) stop, -1, size - 1);
  }

  /** strided_slice::StridedSliceStartForAxis (used by Eval): clamp first, then the mask. */
  private static int startForAxis(int size, int begin, int stride, boolean masked) {
    int start = begin < 0 ? begin + size : begin;
    start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
    if (masked) {
      start = stride > 0 ? 0 : size - 1;
    }
    return start;
  }

  /** strided_slice::StridedSliceEndForAxis (offset is never set in TFLM). */
  private static int endForAxis(int size, int end, int stride, boolean masked, boolean shrink, int start) {
    if (shrink) {
      return start >= size ? start : start + 1;
    }
    int stop = end < 0 ? end + size : end;
    stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
    if (masked) {
      stop = stride > 0 ? size : -1;
    }
    return stop;
  }

  /** How many indices the loop start, start + stride, ... visits before reaching stop. */
  static long steps(int start, int stop, int stride) {
    long n = 0;
    for (long i = start; stride > 0 ? i < stop : i > stop; i += stride) {
      n++;
    }
    return n;
  }

  private static int clamp(int v, int lo, int hi) {
    if (hi < v) {
      return hi;
    }
    return v < lo ? lo : v;
  }
}
