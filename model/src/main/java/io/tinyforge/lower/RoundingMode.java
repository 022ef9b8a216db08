package io.tinyforge.lower;

/**
 * How a 32-bit accumulator is rescaled by a quantized multiplier. TFLM builds with {@link #DOUBLE} unless
 * TFLITE_SINGLE_ROUNDING is defined; CMSIS-NN and some vendor kernels round once.
 */
public enum RoundingMode {
  /** SaturatingRoundingDoublingHighMul then RoundingDivideByPOT (gemmlowp; TFLM's default). */
  DOUBLE,
  /** One 64-bit multiply, add half, arithmetic shift (TFLITE_SINGLE_ROUNDING). */
  SINGLE
}
