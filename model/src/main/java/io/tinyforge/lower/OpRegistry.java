package io.tinyforge.lower;

import io.tinyforge.model.BuiltinOp;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every operator tinyforge compiles, registered once: how many inputs and outputs TFLM's kernel takes, whether it
 * has a 16x8 (int16 activation) kernel, the rank its weights must have, and its lowering (TFLM's Prepare, which
 * also holds the op's own checks). The checker, lowering, inspect and the README op list read this table; the
 * simulator and the C emitter are made complete by {@link KernelParams.Visitor}, which every params record of a
 * lowering must accept. CONTRIBUTING.md gives the recipe for adding an op.
 */
public final class OpRegistry {

  /** One operator's registration. */
  public record OpSpec(BuiltinOp op, int minInputs, int maxInputs, boolean multiOutput, boolean int16,
      int weightRank, Function<OpContext, KernelParams> lowering) {

    /** Weight rank that means "2 or more" (FULLY_CONNECTED). */
    public static final int RANK_2_OR_MORE = -2;
    /** No weights to check. */
    public static final int NO_WEIGHTS = 0;

    OpSpec withInt16() {
      return new OpSpec(op, minInputs, maxInputs, multiOutput, true, weightRank, lowering);
    }

    OpSpec withSeveralOutputs() {
      return new OpSpec(op, minInputs, maxInputs, true, int16, weightRank, lowering);
    }

    OpSpec withWeights(int rank) {
      return new OpSpec(op, minInputs, maxInputs, multiOutput, int16, rank, lowering);
    }

    KernelParams lower(OpContext ctx) {
      return lowering.apply(ctx);
    }
  }

  private static final int MANY = Integer.MAX_VALUE;
  private static final Map<BuiltinOp, OpSpec> SPECS = build();

  private OpRegistry() {}

  private static Map<BuiltinOp, OpSpec> build() {
    Map<BuiltinOp, OpSpec> m = new EnumMap<>(BuiltinOp.class);
    // weighted ops: input, filter, optional bias (TRANSPOSE_CONV: output shape, filter, input, optional bias)
    add(m, op(BuiltinOp.CONV_2D, 2, 3, ConvLowering::lower).withInt16().withWeights(4));
    add(m, op(BuiltinOp.DEPTHWISE_CONV_2D, 2, 3, DepthwiseLowering::lower).withInt16().withWeights(4));
    add(m, op(BuiltinOp.FULLY_CONNECTED, 2, 3, FullyConnectedLowering::lower).withInt16()
        .withWeights(OpSpec.RANK_2_OR_MORE));
    add(m, op(BuiltinOp.TRANSPOSE_CONV, 3, 4, TransposeConvLowering::lower).withWeights(4));
    add(m, op(BuiltinOp.SVDF, 5, 5, SvdfLowering::lower));
    // pooling and reductions
    add(m, op(BuiltinOp.AVERAGE_POOL_2D, 1, 1, ctx -> PoolLowering.lower(ctx, PoolParams.Kind.AVERAGE)).withInt16());
    add(m, op(BuiltinOp.MAX_POOL_2D, 1, 1, ctx -> PoolLowering.lower(ctx, PoolParams.Kind.MAX)).withInt16());
    add(m, op(BuiltinOp.MEAN, 2, 2, MeanLowering::lower).withInt16());
    // element-wise
    add(m, op(BuiltinOp.ADD, 2, 2, ctx -> ElementwiseLowering.addSub(ctx, false)).withInt16());
    add(m, op(BuiltinOp.SUB, 2, 2, ctx -> ElementwiseLowering.addSub(ctx, true)).withInt16());
    add(m, op(BuiltinOp.MUL, 2, 2, ElementwiseLowering::mul).withInt16());
    add(m, op(BuiltinOp.MAXIMUM, 2, 2, ctx -> ElementwiseLowering.minMax(ctx, true)));
    add(m, op(BuiltinOp.MINIMUM, 2, 2, ctx -> ElementwiseLowering.minMax(ctx, false)));
    add(m, op(BuiltinOp.PRELU, 2, 2, ElementwiseLowering::prelu));
    // activations
    add(m, op(BuiltinOp.RELU, 1, 1, ActivationLowering::relu));
    add(m, op(BuiltinOp.RELU6, 1, 1, ActivationLowering::relu6));
    add(m, op(BuiltinOp.LEAKY_RELU, 1, 1, ActivationLowering::leakyRelu));
    add(m, op(BuiltinOp.HARD_SWISH, 1, 1, ActivationLowering::hardSwish));
    add(m, op(BuiltinOp.LOGISTIC, 1, 1, ctx -> ActivationLowering.logisticOrTanh(ctx, false)).withInt16());
    add(m, op(BuiltinOp.TANH, 1, 1, ctx -> ActivationLowering.logisticOrTanh(ctx, true)).withInt16());
    add(m, op(BuiltinOp.SOFTMAX, 1, 1, ActivationLowering::softmax).withInt16());
    // data movement (any element type the checker lets through: int8, int16)
    add(m, op(BuiltinOp.RESHAPE, 1, 2, CopyLowering::lower).withInt16());
    add(m, op(BuiltinOp.SQUEEZE, 1, 1, CopyLowering::lower).withInt16());
    add(m, op(BuiltinOp.EXPAND_DIMS, 2, 2, CopyLowering::lower).withInt16());
    add(m, op(BuiltinOp.CONCATENATION, 1, MANY, ConcatLowering::concatenation).withInt16());
    add(m, op(BuiltinOp.PACK, 1, MANY, ConcatLowering::pack).withInt16());
    add(m, op(BuiltinOp.SPLIT, 2, 2, SplitLowering::split).withInt16().withSeveralOutputs());
    add(m, op(BuiltinOp.SPLIT_V, 3, 3, SplitLowering::splitV).withInt16().withSeveralOutputs());
    add(m, op(BuiltinOp.UNPACK, 1, 1, SplitLowering::unpack).withInt16().withSeveralOutputs());
    add(m, op(BuiltinOp.PAD, 2, 3, PadLowering::lower).withInt16());
    add(m, op(BuiltinOp.PADV2, 2, 3, PadLowering::lower).withInt16());
    add(m, op(BuiltinOp.STRIDED_SLICE, 4, 4, StridedSliceLowering::lower).withInt16());
    add(m, op(BuiltinOp.TRANSPOSE, 2, 2, TransposeLowering::lower).withInt16());
    add(m, op(BuiltinOp.DEPTH_TO_SPACE, 1, 1, DepthSpaceLowering::depthToSpace));
    add(m, op(BuiltinOp.SPACE_TO_DEPTH, 1, 1, DepthSpaceLowering::spaceToDepth));
    add(m, op(BuiltinOp.RESIZE_NEAREST_NEIGHBOR, 2, 2, ResizeLowering::nearest));
    add(m, op(BuiltinOp.RESIZE_BILINEAR, 2, 2, ResizeLowering::bilinear));
    // type conversion (the checker allows their int16/int32/float sides by itself)
    add(m, op(BuiltinOp.QUANTIZE, 1, 1, QuantizeLowering::quantize).withInt16());
    add(m, op(BuiltinOp.DEQUANTIZE, 1, 1, QuantizeLowering::dequantize).withInt16());
    return Collections.unmodifiableMap(m);
  }

  private static OpSpec op(BuiltinOp op, int minInputs, int maxInputs, Function<OpContext, KernelParams> lowering) {
    return new OpSpec(op, minInputs, maxInputs, false, false, OpSpec.NO_WEIGHTS, lowering);
  }

  private static void add(Map<BuiltinOp, OpSpec> m, OpSpec spec) {
    if (m.put(spec.op(), spec) != null) {
      throw new IllegalStateException(spec.op() + " is registered twice");
    }
  }

  /** The registration of {@code op}, or null when tinyforge does not compile it. */
  public static OpSpec spec(BuiltinOp op) {
    return op == null ? null : SPECS.get(op);
  }

  /** Every compiled op. */
  public static Set<BuiltinOp> supported() {
    return SPECS.keySet();
  }
}
