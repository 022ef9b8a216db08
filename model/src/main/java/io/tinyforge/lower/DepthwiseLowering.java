package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/** DEPTHWISE_CONV_2D Prepare (TFLM depthwise_conv_common.cc). */
final class DepthwiseLowering {
  private DepthwiseLowering() {}

  static DepthwiseParams lower(OpContext ctx) {
    ctx.requireInputCount(2, 3);
    OpOptions.DepthwiseConv2D o = ctx.op().options(OpOptions.DepthwiseConv2D.class);
    Tensor input = ctx.input(0);
    Tensor filter = ctx.input(1);
    Tensor bias = ctx.optionalInput(2);
    Tensor output = ctx.output(0);
    ctx.requireInt8OrInt16(input, output);
    ctx.requireType(filter, "filter", TensorType.INT8);
    ctx.requireRank(input, "input", 4);
    ctx.requireRank(filter, "filter", 4);
    ctx.requireRank(output, "output", 4);
    Strides.check(ctx, o.strideH(), o.strideW(), o.dilationH(), o.dilationW());

    int[] in = OpContext.dims(input);
    int[] f = OpContext.dims(filter);
    int[] out = OpContext.dims(output);
    int outChannels = f[3];
    int multiplier = o.depthMultiplier();
    if (f[0] != 1 || in[0] != out[0] || out[3] != outChannels) {
      throw ctx.fail("shapes disagree: input " + input.shape() + ", filter " + filter.shape() + ", output "
          + output.shape());
    }
    // The reference kernel loops over depth_multiplier from the options; it must match the shapes.
    if (multiplier < 1 || in[3] * multiplier != outChannels) {
      throw ctx.fail("depth_multiplier " + multiplier + " does not match input depth " + in[3] + " and "
          + outChannels + " output channels; re-export the model");
    }
    Quantization fq = ctx.quant(filter, "filter");
    if (!fq.zeroPoints().isEmpty() && fq.zeroPoints().size() != fq.scales().size()) {
      throw ctx.fail("filter " + filter.label() + " has " + fq.scales().size() + " scales but "
          + fq.zeroPoints().size() + " zero points");
    }
    int[] pad = Strides.windowPadding(ctx, o.padding(), in[1], in[2], f[1], f[2], o.strideH(), o.strideW(),
        o.dilationH(), o.dilationW(), out[1], out[2]);
    ChannelQuant.checkBias(ctx, bias, outChannels);
    int[][] q = ChannelQuant.perChannel(ctx, input, filter, output, outChannels, 3);
    int[] act = ctx.activationRange(o.activation(), output);
    return new DepthwiseParams(input.index(), filter.index(), bias == null ? -1 : bias.index(), output.index(),
        in[0], in[1], in[2], in[3], f[1], f[2], out[1], out[2], out[3], multiplier,
        o.strideH(), o.strideW(), o.dilationH(), o.dilationW(), pad[0], pad[1],
        -ctx.zeroPoint(input, "input"), ctx.zeroPoint(output, "output"), q[0], q[1], act[0], act[1]);
  }
}
