package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/** CONV_2D Prepare (TFLM conv_common.cc). */
final class ConvLowering {
  private ConvLowering() {}

  static ConvParams lower(OpContext ctx) {
    ctx.requireInputCount(2, 3);
    OpOptions.Conv2D o = ctx.op().options(OpOptions.Conv2D.class);
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
    int outChannels = f[0];
    if (in[0] != out[0] || out[3] != outChannels) {
      throw ctx.fail("shapes disagree: input " + input.shape() + ", filter " + filter.shape() + ", output "
          + output.shape());
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
    ChannelQuant.checkBias(ctx, bias, outChannels);
    int[][] q = ChannelQuant.perChannel(ctx, input, filter, output, outChannels, 0);
    int[] act = ctx.activationRange(o.activation(), output);
    return new ConvParams(input.index(), filter.index(), bias == null ? -1 : bias.index(), output.index(),
        in[0], in[1], in[2], in[3], f[1], f[2], f[3], out[1], out[2], out[3],
        o.strideH(), o.strideW(), o.dilationH(), o.dilationW(), pad[0], pad[1],
        -ctx.zeroPoint(input, "input"), ctx.zeroPoint(output, "output"), q[0], q[1], act[0], act[1]);
  }
}
