package io.tinyforge.lower;

/**
 * TRANSPOSE (TFLM reference_ops::Transpose): output element at coordinates (i0..in) reads the input element at
 * offset sum(ik * inputStrides[k]), where inputStrides[k] is the input stride of axis perm[k]. Output dimensions
 * and strides are resolved at compile time; raw elements are copied. {@code inputDims} is the shape the strides
 * refer to: the input tensor's own shape for TRANSPOSE, a 4-D view of it for DEPTH_TO_SPACE and SPACE_TO_DEPTH.
 */
public record TransposeParams(int input, int output, int elementBytes, int[] inputDims, int[] outputDims,
    int[] inputStrides) implements KernelParams {

  public TransposeParams {
    inputDims = inputDims.clone();
    outputDims = outputDims.clone();
    inputStrides = inputStrides.clone();
  }

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
