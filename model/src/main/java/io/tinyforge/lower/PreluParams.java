package io.tinyforge.lower;

/**
 * PRELU int8 (TFLM reference_ops::BroadcastPrelu4DSlow): x = in + inputOffset; x >= 0 is rescaled by
 * multiplier 1, otherwise x * (alpha + alphaOffset) by multiplier 2; plus outputOffset, clamped to int8.
 * Alpha broadcasts against the input as in {@link AddSubParams} (input1 = input, input2 = alpha).
 */
public record PreluParams(int input, int alpha, int output,
    int[] outputDims, int[] inputStrides, int[] alphaStrides,
    int inputOffset, int alphaOffset, int outputOffset,
    int outputMultiplier1, int outputShift1, int outputMultiplier2, int outputShift2) implements KernelParams {

  public PreluParams {
    outputDims = outputDims.clone();
    inputStrides = inputStrides.clone();
    alphaStrides = alphaStrides.clone();
  }

  @Override
  public int[] inputTensors() {
    return new int[] {input, alpha};
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
