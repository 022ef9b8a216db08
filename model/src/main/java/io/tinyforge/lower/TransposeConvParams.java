package io.tinyforge.lower;

/**
 * TRANSPOSE_CONV int8 (TFLM reference_integer_ops::TransposeConv): scatter into an int32 scratch of the output's
 * size, then bias, rescale and clamp. Filter is OHWI with I = inputDepth.
 */
public record TransposeConvParams(int input, int filter, int bias, int output,
    int batches, int inputHeight, int inputWidth, int inputDepth,
    int filterHeight, int filterWidth,
    int outputHeight, int outputWidth, int outputDepth,
    int strideHeight, int strideWidth, int padHeight, int padWidth,
    int inputOffset, int outputOffset,
    int[] outputMultiplier, int[] outputShift,
    int activationMin, int activationMax) implements KernelParams {

  public TransposeConvParams {
    outputMultiplier = outputMultiplier.clone();
    outputShift = outputShift.clone();
  }

  @Override
  public int[] outputMultiplier() {
    return outputMultiplier.clone();
  }

  @Override
  public int[] outputShift() {
    return outputShift.clone();
  }

  @Override
  public int[] inputTensors() {
    return bias >= 0 ? new int[] {input, filter, bias} : new int[] {input, filter};
  }

  @Override
  public int[] outputTensors() {
    return new int[] {output};
  }
}
