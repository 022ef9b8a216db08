package io.tinyforge.lower;

/**
 * SPLIT, SPLIT_V and UNPACK (TFLM SplitImpl / UnpackImpl): for each of {@code outerSize} outer positions, the
 * input's next {@code copySizes[i]} elements go to output i, outputs in order. Raw bytes are copied.
 */
public record SplitParams(int input, int[] outputs, int elementBytes, int outerSize, int[] copySizes)
    implements KernelParams {

  public SplitParams {
    outputs = outputs.clone();
    copySizes = copySizes.clone();
  }

  @Override
  public int[] inputTensors() {
    return new int[] {input};
  }

  @Override
  public int[] outputTensors() {
    return outputs.clone();
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
