package io.tinyforge.lower;

/**
 * CONV_2D int8, per-channel (TFLM reference_integer_ops::ConvPerChannel). NHWC input/output, OHWI filter.
 * Groups = inputDepth / filterInputDepth. Offsets as TFLM: inputOffset = -input_zp, outputOffset = output_zp.
 * Shifts as QuantizeMultiplier returns them (positive = left).
 */
public record ConvParams(int input, int filter, int bias, int output,
    int batches, int inputHeight, int inputWidth, int inputDepth,
    int filterHeight, int filterWidth, int filterInputDepth,
    int outputHeight, int outputWidth, int outputDepth,
    int strideHeight, int strideWidth, int dilationHeight, int dilationWidth,
    int padHeight, int padWidth,
    int inputOffset, int outputOffset,
    int[] outputMultiplier, int[] outputShift,
    int activationMin, int activationMax) implements KernelParams {

  public ConvParams {
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
