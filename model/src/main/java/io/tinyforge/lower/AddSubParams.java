package io.tinyforge.lower;

/**
 * ADD / SUB int8 (TFLM reference AddFunc / BroadcastQuantSubSlow): each operand is offset, shifted left by
 * {@code leftShift} (20), scaled by its own multiplier (shift <= 0), summed or subtracted, rescaled by the output
 * multiplier, offset and clamped. Broadcasting is resolved into 6-D extents and element strides (0 = broadcast).
 * Arrays belong to the record and are never modified.
 */
public record AddSubParams(boolean subtract, int input1, int input2, int output,
    int[] outputDims, int[] input1Strides, int[] input2Strides,
    int leftShift,
    int input1Offset, int input1Multiplier, int input1Shift,
    int input2Offset, int input2Multiplier, int input2Shift,
    int outputOffset, int outputMultiplier, int outputShift,
    int activationMin, int activationMax) implements KernelParams {

  public AddSubParams {
    outputDims = outputDims.clone();
    input1Strides = input1Strides.clone();
    input2Strides = input2Strides.clone();
  }

  @Override
  public int[] inputTensors() {
    return new int[] {input1, input2};
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
