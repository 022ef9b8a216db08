package io.tinyforge.lower;

/**
 * SOFTMAX int16 -> int16 (16x8, TFLM reference_ops::SoftmaxInt16): over each of {@code outerSize} rows of
 * {@code depth} values, the difference to the row maximum is rescaled by MultiplyByQuantizedMultiplier(diff,
 * inputMultiplier, inputShift) so that beta * [-10, 0] spans [-65535, 0], moved to the symmetric int16 range and
 * looked up in {@link Int16Luts#exp()}; the row sum is normalised to [1, 2), looked up in
 * {@link Int16Luts#oneOverOnePlusX()} and every exp multiplied by that reciprocal. Input zero point 0; output
 * zero point 0 and scale 2^-15.
 */
public record Softmax16Params(int input, int output, int outerSize, int depth, int inputMultiplier,
    int inputShift) implements KernelParams {
  @Override
  public int[] inputTensors() {
    return new int[] {input};
  }

  @Override
  public int[] outputTensors() {
    return new int[] {output};
  }

  /** The exp table (513 Q0.15 entries). */
  public short[] expTable() {
    return Int16Luts.exp();
  }

  /** The 1 / (1 + x) table (513 Q0.15 entries). */
  public short[] reciprocalTable() {
    return Int16Luts.oneOverOnePlusX();
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
