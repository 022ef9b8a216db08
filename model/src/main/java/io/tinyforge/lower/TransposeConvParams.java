package io.tinyforge.lower;

/**
 * TRANSPOSE_CONV int8 (TFLM reference_integer_ops::TransposeConv): scatter into an int32 scratch of the output's
 * size, then bias, rescale and clamp. Filter is OHWI with I = inputDepth; the window has no dilation.
 */
public record TransposeConvParams(int input, int filter, int bias, int output, FeatureMaps maps, Window window,
    int inputOffset, Requantization requant) implements WindowedParams {

  @Override
  public TransposeConvParams withEpilogue(int output, Requantization requant) {
    return new TransposeConvParams(input, filter, bias, output, maps, window, inputOffset, requant);
  }

  @Override
  public TransposeConvParams withGeometry(int input, FeatureMaps maps, Window window) {
    return new TransposeConvParams(input, filter, bias, output, maps, window, inputOffset, requant);
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
