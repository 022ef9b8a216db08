package io.tinyforge.lower;

/**
 * PAD / PADV2 int8 (TFLM reference_ops::PadImpl): shapes extended to 5-D; an output element is the pad value when
 * any coordinate lies in the left or right padding of its dimension, else the next input element. The pad value
 * is the output zero point for PAD, the constant_values scalar for PADV2 (read at run time from
 * {@code padValueTensor} when that tensor is not a constant, else baked into {@code padValue}; -1 = baked).
 */
public record PadParams(int input, int output, int[] outputDims, int[] leftPadding, int[] rightPadding,
    int padValue, int padValueTensor) implements KernelParams {

  public PadParams {
    outputDims = outputDims.clone();
    leftPadding = leftPadding.clone();
    rightPadding = rightPadding.clone();
  }

  @Override
  public int[] inputTensors() {
    return padValueTensor >= 0 ? new int[] {input, padValueTensor} : new int[] {input};
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
