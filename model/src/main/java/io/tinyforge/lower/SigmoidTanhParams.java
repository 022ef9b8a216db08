package io.tinyforge.lower;

/**
 * LOGISTIC / TANH int8 (TFLM reference_integer_ops::Logistic / Tanh): inputs beyond +-inputRangeRadius (in
 * zero-point-relative units) saturate; the rest are rescaled to Q4.27 by MultiplyByQuantizedMultiplier(x,
 * inputMultiplier, inputLeftShift) and fed to gemmlowp's fixed-point logistic / tanh. LOGISTIC writes
 * round(p * 256) - 128 (output zero point -128, scale 1/256); TANH writes round(t * 128) (zero point 0,
 * scale 1/128): TFLM never reads the output's own quantization.
 */
public record SigmoidTanhParams(boolean tanh, int input, int output, int count, int inputZeroPoint,
    int inputRangeRadius, int inputMultiplier, int inputLeftShift) implements KernelParams {
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
