package io.tinyforge.lower;

/**
 * Where a filter window sits on its input: filter size, strides, dilations and the top/left padding TFLM's
 * ComputePaddingHeightWidth gives (the bottom/right padding follows from the shapes).
 */
public record Window(int filterHeight, int filterWidth, int strideHeight, int strideWidth, int dilationHeight,
    int dilationWidth, int padHeight, int padWidth) {

  /** The same window with another top/left padding. */
  public Window withPadding(int height, int width) {
    return new Window(filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, height,
        width);
  }
}
