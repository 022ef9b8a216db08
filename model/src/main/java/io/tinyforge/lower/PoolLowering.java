package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;

/** AVERAGE_POOL_2D / MAX_POOL_2D Prepare (TFLM pooling_common.cc). */
final class PoolLowering {
  private PoolLowering() {}

  static PoolParams lower(OpContext ctx, PoolParams.Kind kind) {
    ctx.requireInputCount(1, 1);
    OpOptions.Pool2D o = ctx.op().options(OpOptions.Pool2D.class);
    Tensor input = ctx.input(0);
    Tensor output = ctx.output(0);
    ctx.requireInt8OrInt16(input, output);
    ctx.requireRank(input, "input", 4);
    ctx.requireRank(output, "output", 4);
    Strides.check(ctx, o.strideH(), o.strideW(), 1, 1);
    if (o.filterH() < 1 || o.filterW() < 1) {
      throw ctx.fail("filter " + o.filterH() + "x" + o.filterW() + " must be at least 1x1");
    }
    int[] in = OpContext.dims(input);
    int[] out = OpContext.dims(output);
    if (in[0] != out[0] || in[3] != out[3]) {
      throw ctx.fail("shapes disagree: input " + input.shape() + ", output " + output.shape());
    }
    // Pooling does not rescale: TFLM requires the same quantization on both sides.
    double scaleDiff = Math.abs((double) ctx.scale(input, "input") - (double) ctx.scale(output, "output"));
    if (scaleDiff > 1.0e-6 || ctx.zeroPoint(input, "input") != ctx.zeroPoint(output, "output")) {
      throw ctx.fail("input and output quantization differ (" + input.quantization().describe() + " vs "
          + output.quantization().describe() + "); pooling needs them equal");
    }
    int[] pad = Strides.windowPadding(ctx, o.padding(), in[1], in[2], o.filterH(), o.filterW(), o.strideH(),
        o.strideW(), 1, 1, out[1], out[2]);
    int[] act = ctx.activationRange(o.activation(), output);
    return new PoolParams(kind, input.index(), output.index(), in[0], in[1], in[2], in[3], out[1], out[2],
        o.filterH(), o.filterW(), o.strideH(), o.strideW(), pad[0], pad[1], act[0], act[1]);
  }
}
