package io.tinyforge.lower;

/**
 * RESIZE_BILINEAR int8 (TFLM reference_ops::ResizeBilinearInteger, no floating point), NHWC. Per output row y:
 * the two source rows {@code rowLow[y]}, {@code rowHigh[y]} and the source position {@code rowScaled[y]} in
 * 1/1024 units; likewise per output column. The kernel weights the four neighbours by the 10-bit fractions and
 * rounds the 20-bit sum half away from zero.
 */
public record ResizeBilinearParams(int input, int output, int batches, int inputHeight, int inputWidth,
    int depth, int outputHeight, int outputWidth,
    int[] rowLow, int[] rowHigh, int[] rowScaled,
    int[] colLow, int[] colHigh, int[] colScaled) implements KernelParams {

  public ResizeBilinearParams {
    rowLow = rowLow.clone();
    rowHigh = rowHigh.clone();
    rowScaled = rowScaled.clone();
    colLow = colLow.clone();
    colHigh = colHigh.clone();
    colScaled = colScaled.clone();
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
