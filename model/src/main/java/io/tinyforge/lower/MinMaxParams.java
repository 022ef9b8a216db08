package io.tinyforge.lower;

/**
 * MAXIMUM / MINIMUM int8 (TFLM reference_ops::MaximumMinimumBroadcastSlow): the larger (smaller) of the two raw
 * int8 values; TFLM ignores the quantization parameters. Broadcasting as in {@link AddSubParams}.
 */
public record MinMaxParams(boolean maximum, int input1, int input2, int output,
    int[] outputDims, int[] input1Strides, int[] input2Strides) implements KernelParams {

  public MinMaxParams {
    outputDims = outputDims.clone();
    input1Strides = input1Strides.clone();
    input2Strides = input2Strides.clone();
  }

  @Override
  public int[] inputTensors() {
    return new int[] {input1, input2};
  }

  @Override
  public int[] outputTensors() {
    return new int[] {output};
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
