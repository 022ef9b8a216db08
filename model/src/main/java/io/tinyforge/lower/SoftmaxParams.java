package io.tinyforge.lower;

/**
 * SOFTMAX int8 -> int8 (TFLM reference_ops::Softmax, gemmlowp fixed point, no lookup table): over each of
 * {@code outerSize} rows of {@code depth} values, differences to the row maximum below {@code diffMin} contribute
 * nothing; the rest are scaled to Q5.26 by MultiplyByQuantizedMultiplierGreaterThanOne(diff, inputMultiplier,
 * inputLeftShift), exponentiated, summed in Q12.19 and normalised. An int8 output ({@code outputBytes} 1) is fixed at
 * scale 1/256, zero point -128; an int16 output ({@code outputBytes} 2, TFLM's int8 -> int16 softmax) at scale
 * 1/65536, zero point -32768.
 */
public record SoftmaxParams(int input, int output, int outerSize, int depth, int inputMultiplier,
    int inputLeftShift, int diffMin, int outputBytes) implements KernelParams {
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
