package io.tinyforge.lower;

import io.tinyforge.model.Tensor;

/** Prepare of TRANSPOSE (TFLM transpose_common.cc): a constant permutation of up to 5 dimensions. */
final class TransposeLowering {
  private TransposeLowering() {}

  /** TFLM: "Transpose op only supports 1D-5D input arrays". */
  static final int MAX_RANK = 5;

  static TransposeParams lower(OpContext ctx) {
    ctx.requireInputCount(2, 2);
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    ConcatLowering.sameElementType(ctx, in, out, "input");
    int[] d = OpContext.dims(in);
    int rank = d.length;
    if (rank > MAX_RANK) {
      throw ctx.fail("input " + in.shape() + " has more than " + MAX_RANK
          + " dimensions (TFLM's TRANSPOSE supports 1 to " + MAX_RANK + ")");
    }
    int[] perm = ctx.constantInts(ctx.input(1), "perm");
    if (perm.length != rank) {
      throw ctx.fail("perm has " + perm.length + " entries for an input of rank " + rank);
    }
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < rank; i++) {
      int p = perm[i] < 0 ? perm[i] + rank : perm[i];
      if (p < 0 || p >= rank || seen[p]) {
        throw ctx.fail("perm " + java.util.Arrays.toString(perm) + " is not a permutation of 0.." + (rank - 1));
      }
      seen[p] = true;
      perm[i] = p;
    }
    int[] inStride = new int[rank];
    int s = 1;
    for (int i = rank - 1; i >= 0; i--) {
      inStride[i] = s;
      s *= d[i];
    }
    int[] outDims = new int[rank];
    int[] strides = new int[rank];
    for (int k = 0; k < rank; k++) {
      outDims[k] = d[perm[k]];
      strides[k] = inStride[perm[k]];
    }
    if (!java.util.Arrays.equals(outDims, OpContext.dims(out))) {
      throw ctx.fail("output shape " + out.shape() + " is not the input " + in.shape() + " permuted by "
          + java.util.Arrays.toString(perm));
    }
    return new TransposeParams(in.index(), out.index(), in.type().bytes(), d, outDims, strides);
  }
}
