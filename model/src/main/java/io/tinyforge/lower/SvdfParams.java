package io.tinyforge.lower;

/**
 * SVDF with int8 input, int8 feature weights and int8 output; time weights and the activation state both int16
 * ({@code stateBytes} 2) or both int8 ({@code stateBytes} 1) (TFLM svdf_common.cc EvalIntegerSvdfReference).
 * Per invoke: the state ({@code batches} x {@code filters} x {@code memory}) shifts left by one value; each
 * filter's feature dot product, rescaled by (featureMultiplier, featureShift), clamped to the state type and then
 * offset by the state zero point (narrowed with wrap-around, as the pinned TFLM does), becomes the newest value of
 * its row; each filter's time dot product against
 * (state - stateZeroPoint) is summed over {@code rank} filters per unit onto the bias, rescaled by
 * (outputMultiplier, outputShift), offset and clamped to int8. The fused activation is not applied (TFLM's integer
 * SVDF ignores it). {@code state} is a variable tensor: it lives across invokes and is zeroed only by a reset.
 */
public record SvdfParams(int input, int weightsFeature, int weightsTime, int bias, int state, int output,
    int batches, int inputSize, int filters, int units, int rank, int memory, int stateBytes,
    int inputZeroPoint, int stateZeroPoint, int outputZeroPoint, int featureMultiplier, int featureShift,
    int outputMultiplier, int outputShift) implements KernelParams {

  @Override
  public int[] inputTensors() {
    return bias < 0 ? new int[] {input, weightsFeature, weightsTime, state}
        : new int[] {input, weightsFeature, weightsTime, bias, state};
  }

  /** The output and the state, which the op rewrites. */
  @Override
  public int[] outputTensors() {
    return new int[] {output, state};
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
