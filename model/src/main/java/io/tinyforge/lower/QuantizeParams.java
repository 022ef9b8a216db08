package io.tinyforge.lower;

/**
 * QUANTIZE (TFLM quantize_common.cc). {@link Kind#FROM_FLOAT}: float32 -> int8/int16 by
 * (int32) roundf(x / scale) + zeroPoint, clamped (reference_ops::AffineQuantize; the float to int32 conversion of
 * NaN or out-of-range values yields INT32_MIN on the x86 host the oracle runs on, and the zero-point addition
 * wraps). {@link Kind#REQUANTIZE}: int8/int16 -> int8/int16/int32 by MultiplyByQuantizedMultiplier(x - inputZeroPoint,
 * multiplier, shift) + zeroPoint, clamped to the output type (reference_ops::Requantize; for int32 the sum wraps). Input
 * elements are 1 or 2 bytes, output elements 1, 2 or 4.
 */
public record QuantizeParams(Kind kind, int input, int output, int count, int inputBytes, int outputBytes,
    float scale, int zeroPoint, int inputZeroPoint, int multiplier, int shift) implements KernelParams {

  public enum Kind { FROM_FLOAT, REQUANTIZE }

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
