package io.tinyforge.lower;

/**
 * DEPTHWISE_CONV_2D int8 or 16x8, per-channel (TFLM reference_integer_ops::DepthwiseConvPerChannel). Filter is
 * 1 x H x W x (inputDepth * depthMultiplier); output channel = inputChannel * depthMultiplier + m.
 */
public record DepthwiseParams(int input, int filter, int bias, int output, FeatureMaps maps, int depthMultiplier,
    Window window, int inputOffset, Requantization requant) implements WindowedParams {

  @Override
  public DepthwiseParams withEpilogue(int output, Requantization requant) {
    return new DepthwiseParams(input, filter, bias, output, maps, depthMultiplier, window, inputOffset, requant);
  }

  @Override
  public DepthwiseParams withGeometry(int input, FeatureMaps maps, Window window) {
    return new DepthwiseParams(input, filter, bias, output, maps, depthMultiplier, window, inputOffset, requant);
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
