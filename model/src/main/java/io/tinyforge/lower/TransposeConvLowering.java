package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/**
 * TRANSPOSE_CONV Prepare (TFLM transpose_conv.cc). Inputs: 0 output shape (ignored, the output tensor's shape is
 * used), 1 filter OHWI, 2 input, 3 optional bias. TFLM computes the padding by feeding the OUTPUT size to
 * ComputePaddingHeightWidth. Current TFLM applies the fused activation (checked against the oracle; older
 * releases passed kTfLiteActNone).
 */
final class TransposeConvLowering {
  private TransposeConvLowering() {}

  static TransposeConvParams lower(OpContext ctx) {
    ctx.requireInputCount(3, 4);
    OpOptions.TransposeConv o = ctx.op().options(OpOptions.TransposeConv.class);
    Tensor filter = ctx.input(1);
    Tensor input = ctx.input(2);
    Tensor bias = ctx.optionalInput(3);
    Tensor output = ctx.output(0);
    ctx.requireType(input, "input", TensorType.INT8);
    ctx.requireType(filter, "filter", TensorType.INT8);
    ctx.requireType(output, "output", TensorType.INT8);
    ctx.requireRank(input, "input", 4);
    ctx.requireRank(filter, "filter", 4);
    ctx.requireRank(output, "output", 4);
    Strides.check(ctx, o.strideH(), o.strideW(), 1, 1);
    int[] in = OpContext.dims(input);
    int[] f = OpContext.dims(filter);
    int[] out = OpContext.dims(output);
    int outChannels = f[0];
    if (in[0] != out[0] || in[3] != f[3] || out[3] != outChannels) {
      throw ctx.fail("shapes disagree: input " + input.shape() + ", filter " + filter.shape() + ", output "
          + output.shape());
    }
    Quantization fq = ctx.quant(filter, "filter");
    if (fq.zeroPoints().size() != fq.scales().size()) {
      throw ctx.fail("filter " + filter.label() + " has " + fq.scales().size() + " scales but "
          + fq.zeroPoints().size() + " zero points");
    }
    int unusedH = PaddingMath.outSize(o.padding(), out[1], f[1], o.strideH(), 1);
    int unusedW = PaddingMath.outSize(o.padding(), out[2], f[2], o.strideW(), 1);
    int padH = PaddingMath.padding(o.strideH(), 1, out[1], f[1], unusedH);
    int padW = PaddingMath.padding(o.strideW(), 1, out[2], f[2], unusedW);
    ChannelQuant.checkBias(ctx, bias, outChannels);
    int[][] q = ChannelQuant.perChannel(ctx, input, filter, output, outChannels, 0);
    int[] act = ctx.activationRangeInt8(o.activation(), output);
    return new TransposeConvParams(input.index(), filter.index(), bias == null ? -1 : bias.index(),
        output.index(), in[0], in[1], in[2], in[3], f[1], f[2], out[1], out[2], out[3],
        o.strideH(), o.strideW(), padH, padW,
        -ctx.zeroPoint(input, "input"), ctx.zeroPoint(output, "output"), q[0], q[1], act[0], act[1]);
  }
}
