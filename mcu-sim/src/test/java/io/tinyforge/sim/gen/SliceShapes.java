package io.tinyforge.sim.gen;

/**
 * The output shape TFLM's STRIDED_SLICE Prepare demands for given begin/end/strides/masks (strided_slice_common
 * CheckOutputSize), used by the generator to build valid models. Returns null when TFLM's Eval would visit a
 * different number of elements than that shape holds (it would leave output bytes unwritten), which happens for
 * shrunk axes with a negative stride or a begin past the end.
 */
final class SliceShapes {
  private SliceShapes() {}

  static int[] tflmOutputShape(int[] dims, int[] begin, int[] end, int[] strides, int beginMask, int endMask,
      int shrinkMask) {
    int rank = dims.length;
    int[] out = new int[rank];
    int n = 0;
    long prepareCount = 1;
    long evalCount = 1;
    for (int i = 0; i < rank; i++) {
      int size = dims[i];
      int stride = strides[i];
      boolean shrink = (shrinkMask >> i & 1) != 0;
      // Prepare: mask first, then wrap negatives, then clamp.
      long start = (beginMask >> i & 1) != 0 ? (stride > 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE) : begin[i];
      if (start < 0) {
        start += size;
      }
      start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
      long stop;
      if (shrink) {
        stop = start + 1;
      } else {
        stop = (endMask >> i & 1) != 0 ? (stride > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE) : end[i];
        if (stop < 0) {
          stop += size;
        }
        stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
      }
      int dim = Math.max(0, (int) Math.ceil((stop - start) / (float) stride));
      if (!shrink) {
        out[n++] = dim;
        prepareCount *= dim;
      }
      // Eval: wrap and clamp first, then the masks.
      long es = begin[i] < 0 ? begin[i] + size : begin[i];
      es = stride > 0 ? clamp(es, 0, size) : clamp(es, -1, size - 1);
      if ((beginMask >> i & 1) != 0) {
        es = stride > 0 ? 0 : size - 1;
      }
      long ee;
      if (shrink) {
        ee = es >= size ? es : es + 1;
      } else {
        ee = end[i] < 0 ? end[i] + size : end[i];
        ee = stride > 0 ? clamp(ee, 0, size) : clamp(ee, -1, size - 1);
        if ((endMask >> i & 1) != 0) {
          ee = stride > 0 ? size : -1;
        }
      }
      long steps = 0;
      for (long k = es; stride > 0 ? k < ee : k > ee; k += stride) {
        steps++;
      }
      evalCount *= steps;
    }
    if (evalCount != prepareCount || prepareCount == 0) {
      return null;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static long clamp(long v, long lo, long hi) {
    return hi < v ? hi : (v < lo ? lo : v);
  }
}
