package io.tinyforge.lower;

/**
 * LOGISTIC / TANH int16 -> int16 (16x8, TFLM reference_integer_ops::Logistic / Tanh on int16): each input is
 * rescaled to the sigmoid table's grid by x * inputMultiplier, rounded right shift by inputRightShift; |x| then
 * indexes {@link Int16Luts#sigmoid()} (LOGISTIC: 9 fraction bits, TANH: 8) with linear interpolation, and the
 * result is mirrored for negative inputs. Both zero points are 0; the output scale is 2^-15. TFLM's power-of-two
 * input scale case (its multiplier 0) is already resolved here into multiplier 3 << shift and no right shift.
 */
public record SigmoidTanh16Params(boolean tanh, int input, int output, int count, int inputMultiplier,
    int inputRightShift) implements KernelParams {
  @Override
  public int[] inputTensors() {
    return new int[] {input};
  }

  @Override
  public int[] outputTensors() {
    return new int[] {output};
  }

  /** The table the kernel interpolates in (the same for every op). */
  public int[] sigmoidTable() {
    return Int16Luts.sigmoid();
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
