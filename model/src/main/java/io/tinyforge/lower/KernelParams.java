package io.tinyforge.lower;

/**
 * The compile-time result of one op's Prepare: plain data (ints, int arrays, tensor indices) that a kernel
 * executes and the C generator prints as constants. One immutable record per kernel; records carry no behaviour
 * beyond copies of themselves. Sealed: a new record must be listed here and get a {@link Visitor} method, so every
 * consumer that visits params (simulator, C emitter) fails to compile until it handles the new kernel.
 */
public sealed interface KernelParams permits WeightedParams, StageParams, AddSubParams, ConcatParams, CopyParams,
    DequantizeParams, HardSwishParams, LeakyReluParams, MeanParams, MinMaxParams, MulParams, PadParams, PoolParams,
    PreluParams, QuantizeParams, Relu6Params, ReluParams, ResizeBilinearParams, ResizeNearestParams,
    SigmoidTanhParams, SigmoidTanh16Params, SoftmaxParams, Softmax16Params, SplitParams, StridedSliceParams, SvdfParams, TransposeParams {
  /** Tensor indices this kernel reads (constants included; -1 never appears). */
  int[] inputTensors();

  /** Tensor indices this kernel writes. */
  int[] outputTensors();

  /** Calls the visitor's method for this record's type. */
  <R> R accept(Visitor<R> visitor);

  /** One method per kernel params record: what a consumer does for each kernel, checked complete by javac. */
  interface Visitor<R> {
    R visit(AddSubParams p);

    R visit(ConcatParams p);

    R visit(ConvParams p);

    R visit(CopyParams p);

    R visit(DepthwiseParams p);

    R visit(DequantizeParams p);

    R visit(FullyConnectedParams p);

    R visit(HardSwishParams p);

    R visit(LeakyReluParams p);

    R visit(MeanParams p);

    R visit(MinMaxParams p);

    R visit(MulParams p);

    R visit(PadParams p);

    R visit(PoolParams p);

    R visit(PreluParams p);

    R visit(QuantizeParams p);

    R visit(Relu6Params p);

    R visit(ReluParams p);

    R visit(ResizeBilinearParams p);

    R visit(ResizeNearestParams p);

    R visit(SigmoidTanhParams p);

    R visit(SigmoidTanh16Params p);

    R visit(SoftmaxParams p);

    R visit(Softmax16Params p);

    R visit(SplitParams p);

    R visit(StridedSliceParams p);

    R visit(SvdfParams p);

    R visit(TransposeConvParams p);

    R visit(TransposeParams p);

    /** A step a schedule adds beyond the model's own ops (the planner's patch stages). */
    R visit(StageParams p);
  }
}
