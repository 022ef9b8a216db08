package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Quantization;

/**
 * TRANSPOSE_CONV Prepare (TFLM transpose_conv.cc). Inputs: 0 output shape (ignored, the output tensor's shape is
 * used), 1 filter OHWI, 2 input, 3 optional bias. TFLM computes the padding by feeding the OUTPUT size to
 * ComputePaddingHeightWidth. Current TFLM applies the fused activation (checked against the oracle; older
 * releases passed kTfLiteActNone).
 */
final class TransposeConvLowering {
  private TransposeConvLowering() {}

  static TransposeConvParams lower(OpContext ctx) {
    WeightedOperands t = WeightedOperands.read(ctx, 2, 1, 3, false).requireRank4(ctx);
    OpOptions.TransposeConv o = ctx.op().options(OpOptions.TransposeConv.class);
    Strides.check(ctx, o.strideH(), o.strideW(), 1, 1);
    int[] in = OpContext.dims(t.input());
    int[] f = OpContext.dims(t.filter());
    int[] out = OpContext.dims(t.output());
    int outChannels = f[0];
    if (in[0] != out[0] || in[3] != f[3] || out[3] != outChannels) {
      throw t.shapesDisagree(ctx);
    }
    Quantization fq = ctx.quant(t.filter(), "filter");
    if (fq.zeroPoints().size() != fq.scales().size()) {
      throw ctx.fail("filter " + t.filter().label() + " has " + fq.scales().size() + " scales but "
          + fq.zeroPoints().size() + " zero points");
    }
    int unusedH = PaddingMath.outSize(o.padding(), out[1], f[1], o.strideH(), 1);
    int unusedW = PaddingMath.outSize(o.padding(), out[2], f[2], o.strideW(), 1);
    int padH = PaddingMath.padding(o.strideH(), 1, out[1], f[1], unusedH);
    int padW = PaddingMath.padding(o.strideW(), 1, out[2], f[2], unusedW);
    ChannelQuant.checkBias(ctx, t.bias(), outChannels);
    int[][] q = ChannelQuant.perChannel(ctx, t.input(), t.filter(), t.output(), outChannels, 0);
    return new TransposeConvParams(t.input().index(), t.filter().index(), t.biasIndex(), t.output().index(),
        new FeatureMaps(in[0], in[1], in[2], in[3], out[1], out[2], out[3]),
        new Window(f[1], f[2], o.strideH(), o.strideW(), 1, 1, padH, padW),
        t.inputOffset(ctx), t.requant(ctx, q, ctx.activationRangeInt8(o.activation(), t.output())));
  }
}
