package io.tinyforge.lower;

/**
 * CONCATENATION and PACK (TFLM reference_ops::Concatenation / PackImpl): for each of {@code outerSize} outer
 * positions, input i contributes {@code copySizes[i]} consecutive elements, inputs in order. Raw bytes are copied
 * (CONCATENATION requires every input to share the output's quantization; PACK, like TFLM, does not check).
 * Arrays are never modified.
 */
public record ConcatParams(int[] inputs, int output, int elementBytes, int outerSize, int[] copySizes)
    implements KernelParams {

  public ConcatParams {
    inputs = inputs.clone();
    copySizes = copySizes.clone();
  }

  @Override
  public int[] inputTensors() {
    return inputs.clone();
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
