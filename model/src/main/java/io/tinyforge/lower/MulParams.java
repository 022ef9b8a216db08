package io.tinyforge.lower;

/**
 * MUL int8 (TFLM reference_integer_ops::MulElementwise): (in1 + input1Offset) * (in2 + input2Offset) rescaled by
 * one multiplier/shift (QuantizeMultiplier convention, positive = left), plus the output zero point, clamped.
 * Broadcasting as in {@link AddSubParams}.
 */
public record MulParams(int input1, int input2, int output,
    int[] outputDims, int[] input1Strides, int[] input2Strides,
    int input1Offset, int input2Offset, int outputOffset,
    int outputMultiplier, int outputShift,
    int activationMin, int activationMax) implements KernelParams {

  public MulParams {
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
