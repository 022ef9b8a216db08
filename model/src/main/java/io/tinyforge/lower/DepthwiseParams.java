package io.tinyforge.lower;

/**
 * DEPTHWISE_CONV_2D int8, per-channel (TFLM reference_integer_ops::DepthwiseConvPerChannel). Filter is
 * 1 x H x W x (inputDepth * depthMultiplier); output channel = inputChannel * depthMultiplier + m.
 */
public record DepthwiseParams(int input, int filter, int bias, int output,
    int batches, int inputHeight, int inputWidth, int inputDepth,
    int filterHeight, int filterWidth,
    int outputHeight, int outputWidth, int outputDepth, int depthMultiplier,
    int strideHeight, int strideWidth, int dilationHeight, int dilationWidth,
    int padHeight, int padWidth,
    int inputOffset, int outputOffset,
    int[] outputMultiplier, int[] outputShift,
    int activationMin, int activationMax) implements KernelParams {

  public DepthwiseParams {
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
