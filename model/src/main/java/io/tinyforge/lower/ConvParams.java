package io.tinyforge.lower;

/**
 * CONV_2D int8 or 16x8, per-channel (TFLM reference_integer_ops::ConvPerChannel). NHWC input/output, OHWI filter.
 * Groups = inputDepth / filterInputDepth. Offsets as TFLM: inputOffset = -input_zp, outputOffset = output_zp.
 */
public record ConvParams(int input, int filter, int bias, int output, FeatureMaps maps, int filterInputDepth,
    Window window, int inputOffset, Requantization requant) implements WindowedParams {

  @Override
  public ConvParams withEpilogue(int output, Requantization requant) {
    return new ConvParams(input, filter, bias, output, maps, filterInputDepth, window, inputOffset, requant);
  }

  @Override
  public ConvParams withGeometry(int input, FeatureMaps maps, Window window) {
    return new ConvParams(input, filter, bias, output, maps, filterInputDepth, window, inputOffset, requant);
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
