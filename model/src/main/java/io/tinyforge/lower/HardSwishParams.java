package io.tinyforge.lower;

/**
 * HARD_SWISH int8 (TFLM reference_ops::HardSwish, 16-bit fixed point): multipliers are int16 fixed-point values
 * (DownScaleInt32ToInt16Multiplier of QuantizeMultiplier's result) with their exponents; the output exponent is
 * always <= 0.
 */
public record HardSwishParams(int input, int output, int count, int inputZeroPoint, int outputZeroPoint,
    int reluishMultiplierFixedpointInt16, int reluishMultiplierExponent,
    int outputMultiplierFixedpointInt16, int outputMultiplierExponent) implements KernelParams {
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
