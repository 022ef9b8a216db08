package io.tinyforge.lower;

/**
 * RELU6 int8 (TFLM Relu6Quantized): clamps the raw input to [lower, upper] = [input zero point, quantized 6.0]
 * in the input's quantization; the output's quantization is not used (TFLM assumes it equals the input's).
 */
public record Relu6Params(int input, int output, int count, int lower, int upper) implements KernelParams {
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
