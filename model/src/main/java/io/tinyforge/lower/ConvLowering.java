package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;

/** CONV_2D Prepare (TFLM conv_common.cc). */
final class ConvLowering {
  private ConvLowering() {}

  static ConvParams lower(OpContext ctx) {
    WeightedOperands t = WeightedOperands.read(ctx, 0, 1, 2, true).requireRank4(ctx);
    OpOptions.Conv2D o = ctx.op().options(OpOptions.Conv2D.class);
    Strides.check(ctx, o.strideH(), o.strideW(), o.dilationH(), o.dilationW());

    int[] in = OpContext.dims(t.input());
    int[] f = OpContext.dims(t.filter());
    int[] out = OpContext.dims(t.output());
    int outChannels = f[0];
    if (in[0] != out[0] || out[3] != outChannels) {
      throw t.shapesDisagree(ctx);
    }
    if (f[3] <= 0 || in[3] % f[3] != 0) {
      throw ctx.fail("input depth " + in[3] + " is not a multiple of the filter depth " + f[3]);
    }
    int groups = in[3] / f[3];
    if (outChannels % groups != 0) {
      throw ctx.fail(outChannels + " output channels do not split into " + groups + " groups");
    }
    int[] pad = Strides.windowPadding(ctx, o.padding(), in[1], in[2], f[1], f[2], o.strideH(), o.strideW(),
        o.dilationH(), o.dilationW(), out[1], out[2]);
    ChannelQuant.checkBias(ctx, t.bias(), outChannels);
    int[][] q = ChannelQuant.perChannel(ctx, t.input(), t.filter(), t.output(), outChannels, 0);
    return new ConvParams(t.input().index(), t.filter().index(), t.biasIndex(), t.output().index(),
        new FeatureMaps(in[0], in[1], in[2], in[3], out[1], out[2], out[3]), f[3],
        new Window(f[1], f[2], o.strideH(), o.strideW(), o.dilationH(), o.dilationW(), pad[0], pad[1]),
        t.inputOffset(ctx), t.requant(ctx, q, ctx.activationRange(o.activation(), t.output())));
  }
}
