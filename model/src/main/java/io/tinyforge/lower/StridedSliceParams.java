package io.tinyforge.lower;

/**
 * STRIDED_SLICE (TFLM reference_ops::StridedSlice) with begin/end/strides and the begin, end and shrink masks
 * resolved at compile time into a 5-D walk: for each axis, indices start[a], start[a] + stride[a], ... while
 * before stop[a] (after it for negative strides). Elements are written to the output in walk order.
 */
public record StridedSliceParams(int input, int output, int elementBytes, int[] inputDims, int[] start,
    int[] stop, int[] stride) implements KernelParams {

  public StridedSliceParams {
    inputDims = inputDims.clone();
    start = start.clone();
    stop = stop.clone();
    stride = stride.clone();
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
