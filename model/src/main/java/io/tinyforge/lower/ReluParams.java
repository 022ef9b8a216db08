package io.tinyforge.lower;

/**
 * RELU int8 (TFLM ReluQuantized): out = clamp(outputOffset + MultiplyByQuantizedMultiplier(in - inputZeroPoint,
 * multiplier, shift), activationMin, activationMax), i.e. requantize to the output scale, then clamp at its zero.
 */
public record ReluParams(int input, int output, int count, int inputZeroPoint, int outputOffset,
    int outputMultiplier, int outputShift, int activationMin, int activationMax) implements KernelParams {
  @Override
  public int[] inputTensors() {
    return new int[] {input};
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
