package io.tinyforge.lower;

/**
 * An op that multiplies its input by constant int8 weights, adds an optional int32/int64 bias and requantizes per
 * output channel: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED. What they share lives here once; the
 * records add only their own shapes.
 */
public sealed interface WeightedParams extends KernelParams
    permits WindowedParams, FullyConnectedParams {
  int input();

  int filter();

  /** The bias tensor, or -1 without one. */
  int bias();

  int output();

  /** Minus the input zero point (TFLM's input_offset). */
  int inputOffset();

  Requantization requant();

  /** The same op writing {@code output} through another epilogue. */
  WeightedParams withEpilogue(int output, Requantization requant);

  default int[] outputMultiplier() {
    return requant().multiplier();
  }

  default int[] outputShift() {
    return requant().shift();
  }

  default int outputOffset() {
    return requant().outputOffset();
  }

  default int activationMin() {
    return requant().activationMin();
  }

  default int activationMax() {
    return requant().activationMax();
  }

  @Override
  default int[] inputTensors() {
    return bias() >= 0 ? new int[] {input(), filter(), bias()} : new int[] {input(), filter()};
  }

  @Override
  default int[] outputTensors() {
    return new int[] {output()};
  }
}
