package io.tinyforge.lower;

/**
 * DEQUANTIZE int8/int16 -> float32 (TFLM reference_ops::Dequantize): out = scale * (float) (q - zeroPoint),
 * one float multiplication, no rounding.
 */
public record DequantizeParams(int input, int output, int count, int inputBytes, float scale, int zeroPoint)
    implements KernelParams {
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
