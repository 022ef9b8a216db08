package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;

/** FULLY_CONNECTED Prepare (TFLM fully_connected_common.cc CalculateOpDataFullyConnected). */
final class FullyConnectedLowering {
  private FullyConnectedLowering() {}

  static FullyConnectedParams lower(OpContext ctx) {
    WeightedOperands t = WeightedOperands.read(ctx, 0, 1, 2, true);
    OpOptions.FullyConnected o = ctx.op().options(OpOptions.FullyConnected.class);
    Tensor input = t.input();
    Tensor filter = t.filter();
    Tensor bias = t.bias();
    Tensor output = t.output();
    if (o.weightsFormat() != 0) {
      throw ctx.fail("shuffled weights format " + o.weightsFormat() + " is not supported; export with DEFAULT");
    }
    int[] f = OpContext.dims(filter);
    int[] out = OpContext.dims(output);
    if (f.length < 2 || out.length < 1) {
      throw ctx.fail("filter " + filter.shape() + " must have rank 2 or more and the output rank 1 or more");
    }
    int accumDepth = f[f.length - 1];
    Quantization fq = ctx.quant(filter, "filter");
    boolean perChannel = fq.isPerChannel();
    int batches;
    int outputDepth;
    if (perChannel) {
      // FullyConnectedPerChannel reads the output as [batches, depth] (Dims(0), Dims(1)).
      if (out.length != 2) {
        throw ctx.fail("per-channel weights need a rank-2 output (TFLM's per-channel kernel reads only "
            + "Dims(0) and Dims(1)); output is " + output.shape());
      }
      batches = out[0];
      outputDepth = out[1];
      if (fq.quantizedDimension() < 0 || fq.quantizedDimension() >= f.length) {
        throw ctx.fail("filter " + filter.label() + " is quantized along dimension " + fq.quantizedDimension()
            + " of a rank-" + f.length + " tensor");
      }
      if (fq.channelCount() != f[fq.quantizedDimension()]) {
        throw ctx.fail("filter " + filter.label() + " has " + fq.channelCount() + " scales but dimension "
            + fq.quantizedDimension() + " is " + f[fq.quantizedDimension()]);
      }
      if (fq.channelCount() < outputDepth) {
        throw ctx.fail("filter " + filter.label() + " has " + fq.channelCount() + " scales for " + outputDepth
            + " outputs");
      }
    } else {
      outputDepth = out[out.length - 1];
      batches = output.shape().elementCount() / Math.max(1, outputDepth);
    }
    if (outputDepth > f[f.length - 2]) {
      throw ctx.fail(outputDepth + " outputs but the filter " + filter.shape() + " has " + f[f.length - 2] + " rows");
    }
    if ((long) batches * accumDepth > input.shape().elementCount()) {
      throw ctx.fail("input " + input.shape() + " has fewer than " + batches + " x " + accumDepth
          + " values the filter needs");
    }
    if (bias != null) {
      ChannelQuant.requireBiasType(ctx, bias);
    }
    if (bias != null && bias.shape().elementCount() < outputDepth) {
      throw ctx.fail("bias " + bias.label() + " has " + bias.shape().elementCount() + " values for " + outputDepth
          + " outputs");
    }
    float inputScale = ctx.scale(input, "input");
    float outputScale = ctx.scale(output, "output");
    int[] mult;
    int[] shift;
    int filterOffset;
    if (perChannel) {
      int n = fq.channelCount();
      mult = new int[n];
      shift = new int[n];
      for (int c = 0; c < n; c++) {
        double effective = (double) inputScale * (double) fq.scales().get(c) / (double) outputScale;
        QuantMath.Multiplier m = QuantMath.quantizeMultiplier(effective);
        mult[c] = m.multiplier();
        shift[c] = m.shift();
      }
      filterOffset = 0;
    } else {
      float filterScale = fq.scale();
      double productScale = (double) inputScale * (double) filterScale;
      if (bias != null) {
        // GetQuantizedConvolutionMultipler's sanity check of the bias scale (0 when the bias has none).
        double biasScale = bias.quantization() == null || bias.quantization().scales().isEmpty()
            ? 0.0 : (double) bias.quantization().scale();
        if (Math.abs(productScale - biasScale) / (double) outputScale > 0.02) {
          throw ctx.fail("bias scale " + biasScale + " differs from input scale x filter scale " + productScale
              + " (TFLM refuses this model)");
        }
      }
      // The multiplier itself uses the float product, widened afterwards (as TFLM does).
      double floatProduct = (double) (inputScale * filterScale);
      if (floatProduct < 0) {
        throw ctx.fail("input scale x filter scale is negative");
      }
      QuantMath.Multiplier m = QuantMath.quantizeMultiplier(floatProduct / (double) outputScale);
      mult = new int[] {m.multiplier()};
      shift = new int[] {m.shift()};
      filterOffset = -fq.zeroPoint();
    }
    return new FullyConnectedParams(input.index(), filter.index(), t.biasIndex(), output.index(), batches,
        accumDepth, outputDepth, perChannel, t.inputOffset(ctx), filterOffset,
        t.requant(ctx, new int[][] {mult, shift}, ctx.activationRange(o.activation(), output)));
  }
}
