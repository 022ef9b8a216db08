package io.tinyforge.lower;

import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.util.ArrayList;
import java.util.List;

/** MEAN int8 Prepare (TFLM reduce_common.cc PrepareMeanOrSumHelper); keep_dims changes only the shape. */
final class MeanLowering {
  private MeanLowering() {}

  /** TFLM's index scratch holds this many dimensions. */
  static final int MAX_RANK = 5;

  static MeanParams lower(OpContext ctx) {
    ctx.requireInputCount(2, 2);
    Tensor input = ctx.input(0);
    Tensor axis = ctx.input(1);
    Tensor output = ctx.output(0);
    ctx.requireInt8OrInt16(input, output);
    int[] rawAxes = ctx.constantInts(axis, "axis");
    int[] dims = OpContext.dims(input);
    if (dims.length > MAX_RANK) {
      throw ctx.fail("input rank " + dims.length + " is above " + MAX_RANK);
    }
    int[] axes = resolveAxes(ctx, rawAxes, dims.length);
    long count = 1;
    for (int a : axes) {
      count *= dims[a];
    }
    int expected = 1;
    for (int d = 0; d < dims.length; d++) {
      boolean reduced = contains(axes, d);
      expected *= reduced ? 1 : dims[d];
    }
    if (output.shape().elementCount() != expected) {
      throw ctx.fail("output " + output.shape() + " should have " + expected + " elements after reducing axes "
          + java.util.Arrays.toString(axes) + " of " + input.shape());
    }
    float inScale = ctx.scale(input, "input");
    float outScale = ctx.scale(output, "output");
    int inZp = ctx.zeroPoint(input, "input");
    int outZp = ctx.zeroPoint(output, "output");
    QuantMath.Multiplier m = QuantMath.quantizeMultiplier((double) inScale / (double) outScale);
    int multiplier = m.multiplier();
    int shift = m.shift();
    if (count > 0) {
      // QuantizedMeanOrSum folds 1/count into the multiplier at run time; the result depends only on constants.
      int s = 63 - Long.numberOfLeadingZeros(count);
      s = Math.min(s, 32);
      s = Math.min(s, 31 + shift);
      multiplier = (int) ((((long) multiplier) << s) / count);
      shift = shift - s;
    }
    return new MeanParams(input.index(), output.index(), dims, axes, output.shape().elementCount(),
        multiplier, shift, inZp, outZp);
  }

  /** reference_ops::ResolveAxis: negative axes wrap, duplicates drop, order kept. */
  static int[] resolveAxes(OpContext ctx, int[] raw, int rank) {
    List<Integer> out = new ArrayList<>();
    for (int a : raw) {
      int c = a < 0 ? a + rank : a;
      if (c < 0 || c >= rank) {
        throw ctx.fail("axis " + a + " is out of range for rank " + rank);
      }
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }
}
