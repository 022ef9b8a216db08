package io.tinyforge.model;

import java.util.List;

/**
 * The builtin options of an operator, one record per options table of the TFLite schema that tinyforge reads.
 * Ops without options (or whose options carry nothing the int8 kernels use) get {@link None}.
 * The numeric comment on each record is its BuiltinOptions union index in the flatbuffer.
 */
public sealed interface OpOptions {

  /** No options table, or one with nothing the kernels need. */
  record None() implements OpOptions {}

  /** 1: Conv2DOptions. */
  record Conv2D(Padding padding, int strideW, int strideH, Activation activation, int dilationW, int dilationH)
      implements OpOptions {}

  /** 2: DepthwiseConv2DOptions. */
  record DepthwiseConv2D(Padding padding, int strideW, int strideH, int depthMultiplier, Activation activation,
      int dilationW, int dilationH) implements OpOptions {}

  /** 5: Pool2DOptions (AVERAGE_POOL_2D, MAX_POOL_2D). */
  record Pool2D(Padding padding, int strideW, int strideH, int filterW, int filterH, Activation activation)
      implements OpOptions {}

  /** 6: SVDFOptions (read so it can be named; SVDF itself is not supported). */
  record Svdf(int rank, Activation activation) implements OpOptions {}

  /** 8: FullyConnectedOptions; weightsFormat 0 = DEFAULT, 1 = SHUFFLED4x16INT8. */
  record FullyConnected(Activation activation, int weightsFormat, boolean keepNumDims) implements OpOptions {}

  /** 9: SoftmaxOptions. */
  record Softmax(float beta) implements OpOptions {}

  /** 10: ConcatenationOptions. */
  record Concatenation(int axis, Activation activation) implements OpOptions {}

  /** 11 AddOptions, 21 MulOptions, 28 SubOptions, 29 DivOptions: only the fused activation matters for int8. */
  record Arithmetic(Activation activation) implements OpOptions {}

  /** 15: ResizeBilinearOptions; 74: ResizeNearestNeighborOptions. */
  record Resize(boolean alignCorners, boolean halfPixelCenters) implements OpOptions {}

  /** 17: ReshapeOptions (new_shape may be absent; the shape tensor or the output shape then decides). */
  record Reshape(List<Integer> newShape) implements OpOptions {}

  /** 19: SpaceToDepthOptions; 94: DepthToSpaceOptions. */
  record BlockSize(int blockSize) implements OpOptions {}

  /** 27: ReducerOptions (MEAN, SUM, REDUCE_MAX...). */
  record Reducer(boolean keepDims) implements OpOptions {}

  /** 30: SqueezeOptions. */
  record Squeeze(List<Integer> squeezeDims) implements OpOptions {}

  /** 32: StridedSliceOptions. */
  record StridedSlice(int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask,
      boolean offset) implements OpOptions {}

  /** 35: SplitOptions; 79: SplitVOptions. */
  record Split(int numSplits) implements OpOptions {}

  /** 49: TransposeConvOptions. */
  record TransposeConv(Padding padding, int strideW, int strideH, Activation activation) implements OpOptions {}

  /** 59: PackOptions. */
  record Pack(int valuesCount, int axis) implements OpOptions {}

  /** 64: UnpackOptions. */
  record Unpack(int num, int axis) implements OpOptions {}

  /** 75: LeakyReluOptions. */
  record LeakyRelu(float alpha) implements OpOptions {}
}
