package io.tinyforge.lower;

/** The NHWC input and output shapes of a windowed op (the batch count is shared). */
public record FeatureMaps(int batches, int inputHeight, int inputWidth, int inputDepth, int outputHeight,
    int outputWidth, int outputDepth) {

  /** The same maps with another batch count and input/output heights (a band of rows). */
  public FeatureMaps withRows(int batches, int inputHeight, int outputHeight) {
    return new FeatureMaps(batches, inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth);
  }

  /** The same maps with another input height and width (the output unchanged). */
  public FeatureMaps withInputSize(int inputHeight, int inputWidth) {
    return new FeatureMaps(batches, inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth);
  }
}
