package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/**
 * Prepare of RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR (TFLM resize_*.cc): the source index maps of both
 * are fixed by the shapes and options, so they are computed here with TFLM's exact float / integer arithmetic.
 */
final class ResizeLowering {
  private ResizeLowering() {}

  static ResizeNearestParams nearest(OpContext ctx) {
    int[] s = check(ctx);
    OpOptions.Resize o = ctx.op().options(OpOptions.Resize.class);
    int[] rows = new int[s[4]];
    int[] cols = new int[s[5]];
    for (int y = 0; y < rows.length; y++) {
      rows[y] = nearestNeighbor(y, s[1], s[4], o.alignCorners(), o.halfPixelCenters());
    }
    for (int x = 0; x < cols.length; x++) {
      cols[x] = nearestNeighbor(x, s[2], s[5], o.alignCorners(), o.halfPixelCenters());
    }
    return new ResizeNearestParams(ctx.input(0).index(), ctx.output(0).index(), s[0], s[1], s[2], s[3], s[4],
        s[5], rows, cols);
  }

  /** reference_ops::GetNearestNeighbor, float arithmetic as in TFLite. */
  static int nearestNeighbor(int value, int inputSize, int outputSize, boolean alignCorners,
      boolean halfPixelCenters) {
    float scale = (alignCorners && outputSize > 1)
        ? (inputSize - 1) / (float) (outputSize - 1)
        : inputSize / (float) outputSize;
    float offset = halfPixelCenters ? 0.5f : 0.0f;
    float pos = (value + offset) * scale;
    int v = Math.min(alignCorners ? (int) QuantMath.roundf(pos) : (int) (float) Math.floor(pos), inputSize - 1);
    if (halfPixelCenters) {
      v = Math.max(0, v);
    }
    return v;
  }

  static ResizeBilinearParams bilinear(OpContext ctx) {
    int[] s = check(ctx);
    OpOptions.Resize o = ctx.op().options(OpOptions.Resize.class);
    if (o.alignCorners() && o.halfPixelCenters()) {
      throw ctx.fail("half_pixel_centers and align_corners are both set; TFLM requires align_corners false "
          + "when half_pixel_centers is true");
    }
    int[][] rows = interpolation(s[1], s[4], o.alignCorners(), o.halfPixelCenters());
    int[][] cols = interpolation(s[2], s[5], o.alignCorners(), o.halfPixelCenters());
    return new ResizeBilinearParams(ctx.input(0).index(), ctx.output(0).index(), s[0], s[1], s[2], s[3], s[4],
        s[5], rows[0], rows[1], rows[2], cols[0], cols[1], cols[2]);
  }

  /**
   * ResizeBilinearInteger's scale_10 and ComputeInterpolationValuesInteger per output index:
   * {lower bounds, upper bounds, scaled positions in 1/1024 units}. Divisions truncate toward zero as in C.
   */
  static int[][] interpolation(int inputSize, int outputSize, boolean alignCorners, boolean halfPixelCenters) {
    int scale10 = ((1 << 10) * inputSize + outputSize / 2) / outputSize;
    if (alignCorners && outputSize > 1) {
      scale10 = ((1 << 10) * (inputSize - 1) + (outputSize - 1) / 2) / (outputSize - 1);
    }
    int[] low = new int[outputSize];
    int[] high = new int[outputSize];
    int[] scaled = new int[outputSize];
    for (int v = 0; v < outputSize; v++) {
      int sv = halfPixelCenters ? v * scale10 + scale10 / 2 - (1 << 9) : v * scale10;
      scaled[v] = sv;
      low[v] = Math.max(sv / (1 << 10), 0);
      high[v] = Math.min((sv + (1 << 10) - 1) / (1 << 10), inputSize - 1);
    }
    return new int[][] {low, high, scaled};
  }

  /** Common checks; returns {batches, inH, inW, depth, outH, outW}. */
  private static int[] check(OpContext ctx) {
    ctx.requireInputCount(2, 2);
    Tensor in = ctx.input(0);
    Tensor size = ctx.input(1);
    Tensor out = ctx.output(0);
    ctx.requireType(in, "input", TensorType.INT8);
    ctx.requireType(out, "output", TensorType.INT8);
    ctx.requireRank(in, "input", 4);
    ctx.requireRank(size, "size", 1);
    int[] hw = ctx.constantInts(size, "size");
    if (hw.length != 2 || hw[0] < 1 || hw[1] < 1) {
      throw ctx.fail("size must hold two positive values (height, width)");
    }
    int[] d = OpContext.dims(in);
    int[] expected = {d[0], hw[0], hw[1], d[3]};
    if (!java.util.Arrays.equals(expected, OpContext.dims(out))) {
      throw ctx.fail("output shape " + out.shape() + " is not " + new io.tinyforge.model.Shape(expected));
    }
    if (d[1] < 1 || d[2] < 1) {
      throw ctx.fail("input " + in.shape() + " is empty");
    }
    return new int[] {d[0], d[1], d[2], d[3], hw[0], hw[1]};
  }
}
