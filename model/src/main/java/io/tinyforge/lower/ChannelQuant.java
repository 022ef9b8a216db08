package io.tinyforge.lower;

import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;

/**
 * PopulateConvolutionQuantizationParams' per-channel part: one multiplier/shift per output channel from
 * (double) input_scale * (double) filter_scale / (double) output_scale, a per-tensor filter scale broadcast.
 */
final class ChannelQuant {
  private ChannelQuant() {}

  /** {multipliers, shifts}. */
  static int[][] perChannel(OpContext ctx, Tensor input, Tensor filter, Tensor output, int channels,
      int quantizedDimension) {
    float inputScale = ctx.scale(input, "input");
    float outputScale = ctx.scale(output, "output");
    Quantization fq = ctx.quant(filter, "filter");
    boolean perChannel = fq.isPerChannel();
    if (perChannel) {
      if (fq.channelCount() != channels) {
        throw ctx.fail("filter " + filter.label() + " has " + fq.channelCount() + " scales for " + channels
            + " output channels");
      }
      if (fq.quantizedDimension() != quantizedDimension) {
        throw ctx.fail("filter " + filter.label() + " is quantized along dimension " + fq.quantizedDimension()
            + ", expected " + quantizedDimension);
      }
    }
    int[] mult = new int[channels];
    int[] shift = new int[channels];
    for (int c = 0; c < channels; c++) {
      double filterScale = perChannel ? fq.scales().get(c) : fq.scales().get(0);
      double effective = (double) inputScale * filterScale / (double) outputScale;
      QuantMath.Multiplier m = QuantMath.quantizeMultiplier(effective);
      mult[c] = m.multiplier();
      shift[c] = m.shift();
    }
    return new int[][] {mult, shift};
  }

  /**
   * The bias type the kernels take: int32 for int8 activations, int64 for int16 activations (what TensorFlow's
   * 16x8 converter writes; TFLM's int32-bias variant of the 16x8 kernels is not generated).
   */
  static void requireBiasType(OpContext ctx, Tensor bias) {
    if (ctx.input(0).type() == io.tinyforge.model.TensorType.INT16) {
      ctx.requireType(bias, "bias", io.tinyforge.model.TensorType.INT64);
    } else {
      ctx.requireType(bias, "bias", io.tinyforge.model.TensorType.INT32);
    }
  }

  /** Bias checks shared by the conv family: int32 (int64 for 16x8), one value per output channel. */
  static void checkBias(OpContext ctx, Tensor bias, int channels) {
    if (bias == null) {
      return;
    }
    requireBiasType(ctx, bias);
    if (bias.shape().elementCount() != channels) {
      throw ctx.fail("bias " + bias.label() + " has " + bias.shape().elementCount() + " values for " + channels
          + " output channels");
    }
  }
}
