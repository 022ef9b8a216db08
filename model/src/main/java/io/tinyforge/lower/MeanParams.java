package io.tinyforge.lower;

/**
 * MEAN int8 as current TFLM evaluates it for every axis choice (reduce_common.cc EvalIntegerMean ->
 * reference_ops::QuantizedMeanOrSum): int32 (wrapping) sums of the raw values over the reduced axes, minus
 * inputZeroPoint * count, rescaled by {@code multiplier}/{@code shift} (input/output scale with 1/count already
 * folded in, as the kernel folds it), plus outputZeroPoint, clamped to int8.
 * {@code inputDims} is the input shape; {@code axes} the resolved (non-negative, de-duplicated) axes.
 */
public record MeanParams(int input, int output, int[] inputDims, int[] axes, int outputElements,
    int multiplier, int shift, int inputZeroPoint, int outputZeroPoint) implements KernelParams {

  public MeanParams {
    inputDims = inputDims.clone();
    axes = axes.clone();
  }

  @Override
  public int[] inputDims() {
    return inputDims.clone();
  }

  @Override
  public int[] axes() {
    return axes.clone();
  }

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
