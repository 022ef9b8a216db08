package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Quantization;

/** DEPTHWISE_CONV_2D Prepare (TFLM depthwise_conv_common.cc). */
final class DepthwiseLowering {
  private DepthwiseLowering() {}

  static DepthwiseParams lower(OpContext ctx) {
    WeightedOperands t = WeightedOperands.read(ctx, 0, 1, 2, true).requireRank4(ctx);
    OpOptions.DepthwiseConv2D o = ctx.op().options(OpOptions.DepthwiseConv2D.class);
    Strides.check(ctx, o.strideH(), o.strideW(), o.dilationH(), o.dilationW());

    int[] in = OpContext.dims(t.input());
    int[] f = OpContext.dims(t.filter());
    int[] out = OpContext.dims(t.output());
    int outChannels = f[3];
    int multiplier = o.depthMultiplier();
    if (f[0] != 1 || in[0] != out[0] || out[3] != outChannels) {
      throw t.shapesDisagree(ctx);
    }
    // The reference kernel loops over depth_multiplier from the options; it must match the shapes.
    if (multiplier < 1 || in[3] * multiplier != outChannels) {
      throw ctx.fail("depth_multiplier " + multiplier + " does not match input depth " + in[3] + " and "
          + outChannels + " output channels; re-export the model");
    }
    Quantization fq = ctx.quant(t.filter(), "filter");
    if (!fq.zeroPoints().isEmpty() && fq.zeroPoints().size() != fq.scales().size()) {
      throw ctx.fail("filter " + t.filter().label() + " has " + fq.scales().size() + " scales but "
          + fq.zeroPoints().size() + " zero points");
    }
    int[] pad = Strides.windowPadding(ctx, o.padding(), in[1], in[2], f[1], f[2], o.strideH(), o.strideW(),
        o.dilationH(), o.dilationW(), out[1], out[2]);
    ChannelQuant.checkBias(ctx, t.bias(), outChannels);
    int[][] q = ChannelQuant.perChannel(ctx, t.input(), t.filter(), t.output(), outChannels, 3);
    return new DepthwiseParams(t.input().index(), t.filter().index(), t.biasIndex(), t.output().index(),
        new FeatureMaps(in[0], in[1], in[2], in[3], out[1], out[2], out[3]), multiplier,
        new Window(f[1], f[2], o.strideH(), o.strideW(), o.dilationH(), o.dilationW(), pad[0], pad[1]),
        t.inputOffset(ctx), t.requant(ctx, q, ctx.activationRange(o.activation(), t.output())));
  }
}
