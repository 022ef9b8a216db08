package io.tinyforge.lower;

/**
 * LEAKY_RELU int8 (TFLM QuantizeLeakyRelu): x = in - inputZeroPoint; x >= 0 is rescaled by the identity
 * multiplier (input/output scale), x < 0 by the alpha multiplier (input scale * alpha / output scale, formed in
 * float then widened, as TFLM does); plus the output zero point, clamped to int8.
 *
 * <p>For a negative alpha the oracle (TFLM as shipped in tflite-micro on PyPI) computes
 * -MultiplyByQuantizedMultiplier(x, |multiplier|, shift), not MultiplyByQuantizedMultiplier(x, multiplier, shift):
 * the two differ on exact halves (e.g. x = -7, alpha = -0.5 gives 3, not 4). Found by probing the oracle over all
 * 256 inputs of 60 random configurations. So {@code multiplierAlpha} holds the magnitude and {@code negateAlpha}
 * says whether to negate the rescaled value.
 */
public record LeakyReluParams(int input, int output, int count, int inputZeroPoint, int outputZeroPoint,
    int multiplierAlpha, int shiftAlpha, boolean negateAlpha, int multiplierIdentity, int shiftIdentity)
    implements KernelParams {
  @Override
  public int[] inputTensors() {
    return new int[] {input};
  }

  @Override
  public int[] outputTensors() {
    return new int[] {output};
  }

  /**
   * The int8 output for one int8 input value: the arithmetic above, in one place for the simulator and for the
   * code generator's 256-entry lookup table.
   */
  public int apply(int in) {
    int x = in - inputZeroPoint;
    int v;
    if (x >= 0) {
      v = QuantMath.multiplyByQuantizedMultiplier(x, multiplierIdentity, shiftIdentity);
    } else {
      v = QuantMath.multiplyByQuantizedMultiplier(x, multiplierAlpha, shiftAlpha);
      if (negateAlpha) {
        v = -v;
      }
    }
    return Math.max(-128, Math.min(127, outputZeroPoint + v));
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
