package io.tinyforge.lower;

/** AVERAGE_POOL_2D / MAX_POOL_2D int8 (TFLM reference_integer_ops::AveragePool / MaxPool). NHWC. */
public record PoolParams(Kind kind, int input, int output,
    int batches, int inputHeight, int inputWidth, int depth,
    int outputHeight, int outputWidth,
    int filterHeight, int filterWidth, int strideHeight, int strideWidth,
    int padHeight, int padWidth,
    int activationMin, int activationMax) implements KernelParams {

  public enum Kind { AVERAGE, MAX }

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
