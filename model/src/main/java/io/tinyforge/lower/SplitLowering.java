package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;

/** Prepare of SPLIT (split.cc), SPLIT_V (split_v.cc) and UNPACK (unpack.cc): one input cut along an axis. */
final class SplitLowering {
  private SplitLowering() {}

  /** SPLIT: inputs (axis, value); equal pieces, one per output. */
  static SplitParams split(OpContext ctx) {
    ctx.requireInputCount(2, 2);
    Tensor in = ctx.input(1);
    int axis = constantAxis(ctx, ctx.input(0), in);
    int n = ctx.op().outputs().size();
    int numSplits = ctx.op().options(OpOptions.Split.class).numSplits();
    if (numSplits != n) {
      throw ctx.fail("num_splits " + numSplits + " does not match its " + n + " outputs");
    }
    int dim = in.shape().dim(axis);
    if (n < 1 || dim % n != 0) {
      throw ctx.fail("axis " + axis + " of size " + dim + " does not split into " + n + " equal parts");
    }
    int[] sizes = new int[n];
    java.util.Arrays.fill(sizes, dim / n);
    return build(ctx, in, axis, sizes, false);
  }

  /** SPLIT_V: inputs (value, size_splits, axis); at most one size is -1 (the remainder). */
  static SplitParams splitV(OpContext ctx) {
    ctx.requireInputCount(3, 3);
    Tensor in = ctx.input(0);
    int axis = constantAxis(ctx, ctx.input(2), in);
    int[] sizes = ctx.constantInts(ctx.input(1), "size_splits");
    int n = ctx.op().outputs().size();
    if (sizes.length != n) {
      throw ctx.fail("size_splits has " + sizes.length + " entries for " + n + " outputs");
    }
    int dim = in.shape().dim(axis);
    int unknown = -1;
    int known = 0;
    for (int i = 0; i < n; i++) {
      if (sizes[i] == -1) {
        if (unknown >= 0) {
          throw ctx.fail("size_splits has more than one -1");
        }
        unknown = i;
      } else if (sizes[i] < 0) {
        throw ctx.fail("size_splits entry " + sizes[i] + " is negative");
      } else {
        known += sizes[i];
      }
    }
    sizes = sizes.clone();
    if (unknown >= 0) {
      sizes[unknown] = dim - known;
      known = dim;
    }
    if (known != dim || (unknown >= 0 && sizes[unknown] < 0)) {
      throw ctx.fail("size_splits add up to " + known + " but axis " + axis + " has size " + dim);
    }
    return build(ctx, in, axis, sizes, false);
  }

  /** UNPACK: num outputs of size 1 along axis, that axis removed from each output's shape. */
  static SplitParams unpack(OpContext ctx) {
    ctx.requireInputCount(1, 1);
    Tensor in = ctx.input(0);
    OpOptions.Unpack o = ctx.op().options(OpOptions.Unpack.class);
    int rank = in.shape().rank();
    int axis = o.axis() < 0 ? o.axis() + rank : o.axis();
    if (axis < 0 || axis >= rank) {
      throw ctx.fail("axis " + o.axis() + " is out of range for the input " + in.shape());
    }
    int n = ctx.op().outputs().size();
    if (o.num() != n || in.shape().dim(axis) != n) {
      throw ctx.fail("num " + o.num() + ", " + n + " outputs and axis size " + in.shape().dim(axis) + " disagree");
    }
    int[] sizes = new int[n];
    java.util.Arrays.fill(sizes, 1);
    return build(ctx, in, axis, sizes, true);
  }

  private static int constantAxis(OpContext ctx, Tensor axisTensor, Tensor in) {
    int[] v = ctx.constantInts(axisTensor, "axis");
    if (v.length != 1) {
      throw ctx.fail("axis tensor " + axisTensor.label() + " must hold one value");
    }
    int rank = in.shape().rank();
    int axis = v[0] < 0 ? v[0] + rank : v[0];
    if (axis < 0 || axis >= rank) {
      throw ctx.fail("axis " + v[0] + " is out of range for the input " + in.shape());
    }
    return axis;
  }

  /**
   * Checks every output against its piece and builds the copy plan. Like TFLM, raw values are copied whatever
   * the outputs' quantization (converters give them the input's).
   */
  private static SplitParams build(OpContext ctx, Tensor in, int axis, int[] sizes, boolean axisRemoved) {
    int[] d = OpContext.dims(in);
    int inner = ConcatLowering.product(d, axis + 1, d.length);
    int n = sizes.length;
    int[] outs = new int[n];
    int[] copy = new int[n];
    for (int i = 0; i < n; i++) {
      Tensor out = ctx.output(i);
      ConcatLowering.sameElementType(ctx, in, out, "input");
      int[] expected;
      if (axisRemoved) {
        expected = new int[d.length - 1];
        for (int k = 0, j = 0; k < d.length; k++) {
          if (k != axis) {
            expected[j++] = d[k];
          }
        }
      } else {
        expected = d.clone();
        expected[axis] = sizes[i];
      }
      if (!java.util.Arrays.equals(expected, OpContext.dims(out))) {
        throw ctx.fail("output " + i + " has shape " + out.shape() + ", expected "
            + new io.tinyforge.model.Shape(expected));
      }
      outs[i] = out.index();
      copy[i] = sizes[i] * inner;
    }
    return new SplitParams(in.index(), outs, in.type().bytes(), ConcatLowering.product(d, 0, axis), copy);
  }
}
