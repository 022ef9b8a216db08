package io.tinyforge.lower;

/**
 * TRANSPOSE (TFLM reference_ops::Transpose): output element at coordinates (i0..in) reads the input element at
 * offset sum(ik * inputStrides[k]), where inputStrides[k] is the input stride of axis perm[k]. Output dimensions
 * and strides are resolved at compile time; raw elements are copied.
 */
public record TransposeParams(int input, int output, int elementBytes, int[] outputDims, int[] inputStrides)
    implements KernelParams {

  public TransposeParams {
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
