package io.tinyforge.lower;

/**
 * RESIZE_NEAREST_NEIGHBOR (TFLM reference_ops::ResizeNearestNeighbor), NHWC: output pixel (y, x) copies the
 * {@code depth} values of input pixel (sourceRows[y], sourceCols[x]); the index maps (GetNearestNeighbor with
 * align_corners / half_pixel_centers) are resolved at compile time. Raw values are copied.
 */
public record ResizeNearestParams(int input, int output, int batches, int inputHeight, int inputWidth, int depth,
    int outputHeight, int outputWidth, int[] sourceRows, int[] sourceCols) implements KernelParams {

  public ResizeNearestParams {
    sourceRows = sourceRows.clone();
    sourceCols = sourceCols.clone();
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
