package io.tinyforge.lower;

/** A weighted op that slides a filter window over an NHWC input: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV. */
public sealed interface WindowedParams extends WeightedParams
    permits ConvParams, DepthwiseParams, TransposeConvParams {
  FeatureMaps maps();

  Window window();

  /** The same op reading {@code input} with other shapes and window placement (folded padding, row bands). */
  WindowedParams withGeometry(int input, FeatureMaps maps, Window window);

  default int batches() {
    return maps().batches();
  }

  default int inputHeight() {
    return maps().inputHeight();
  }

  default int inputWidth() {
    return maps().inputWidth();
  }

  default int inputDepth() {
    return maps().inputDepth();
  }

  default int outputHeight() {
    return maps().outputHeight();
  }

  default int outputWidth() {
    return maps().outputWidth();
  }

  default int outputDepth() {
    return maps().outputDepth();
  }

  default int filterHeight() {
    return window().filterHeight();
  }

  default int filterWidth() {
    return window().filterWidth();
  }

  default int strideHeight() {
    return window().strideHeight();
  }

  default int strideWidth() {
    return window().strideWidth();
  }

  default int dilationHeight() {
    return window().dilationHeight();
  }

  default int dilationWidth() {
    return window().dilationWidth();
  }

  default int padHeight() {
    return window().padHeight();
  }

  default int padWidth() {
    return window().padWidth();
  }
}
