package io.tinyforge.lower;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * Compile-time Prepare for every operator: turns the graph into kernel parameters (multipliers, shifts, padding,
 * clamps) computed exactly as TFLM's Prepare does. One {@code XxxLowering} class per op family; to add an op,
 * add a case below.
 */
public final class Lowering {
  private Lowering() {}

  public static LoweredModel lower(Model model) {
    List<LoweredOp> ops = new ArrayList<>(model.operators().size());
    for (Operator op : model.operators()) {
      OpContext ctx = new OpContext(model, op);
      ops.add(new LoweredOp(op, lowerOne(ctx)));
    }
    return new LoweredModel(model, ops);
  }

  /**
   * Lowers the ops up to (not including) the first one that cannot be lowered, for debugging a model that is
   * only partly supported: running the prefix still checks every tensor it produces.
   */
  public static LoweredModel lowerSupportedPrefix(Model model) {
    List<LoweredOp> ops = new ArrayList<>();
    for (Operator op : model.operators()) {
      try {
        ops.add(new LoweredOp(op, lowerOne(new OpContext(model, op))));
      } catch (RuntimeException e) {
        break;
      }
    }
    return new LoweredModel(model, ops);
  }

  static KernelParams lowerOne(OpContext ctx) {
    BuiltinOp op = ctx.op().op();
    if (op == null) {
      throw unsupported(ctx);
    }
    return switch (op) {
      case CONV_2D -> ConvLowering.lower(ctx);
      case DEPTHWISE_CONV_2D -> DepthwiseLowering.lower(ctx);
      case FULLY_CONNECTED -> FullyConnectedLowering.lower(ctx);
      case TRANSPOSE_CONV -> TransposeConvLowering.lower(ctx);
      case AVERAGE_POOL_2D -> PoolLowering.lower(ctx, PoolParams.Kind.AVERAGE);
      case MAX_POOL_2D -> PoolLowering.lower(ctx, PoolParams.Kind.MAX);
      case MEAN -> MeanLowering.lower(ctx);
      case RESHAPE, SQUEEZE, EXPAND_DIMS -> CopyLowering.lower(ctx);
      case ADD -> ElementwiseLowering.addSub(ctx, false);
      case SUB -> ElementwiseLowering.addSub(ctx, true);
      case MUL -> ElementwiseLowering.mul(ctx);
      case MAXIMUM -> ElementwiseLowering.minMax(ctx, true);
      case MINIMUM -> ElementwiseLowering.minMax(ctx, false);
      case PRELU -> ElementwiseLowering.prelu(ctx);
      case RELU -> ActivationLowering.relu(ctx);
      case RELU6 -> ActivationLowering.relu6(ctx);
      case LEAKY_RELU -> ActivationLowering.leakyRelu(ctx);
      case HARD_SWISH -> ActivationLowering.hardSwish(ctx);
      case LOGISTIC -> ActivationLowering.logisticOrTanh(ctx, false);
      case TANH -> ActivationLowering.logisticOrTanh(ctx, true);
      case SOFTMAX -> ActivationLowering.softmax(ctx);
      case CONCATENATION -> ConcatLowering.concatenation(ctx);
      case PACK -> ConcatLowering.pack(ctx);
      case SPLIT -> SplitLowering.split(ctx);
      case SPLIT_V -> SplitLowering.splitV(ctx);
      case UNPACK -> SplitLowering.unpack(ctx);
      case PAD, PADV2 -> PadLowering.lower(ctx);
      case RESIZE_NEAREST_NEIGHBOR -> ResizeLowering.nearest(ctx);
      case RESIZE_BILINEAR -> ResizeLowering.bilinear(ctx);
      case QUANTIZE -> QuantizeLowering.quantize(ctx);
      case DEQUANTIZE -> QuantizeLowering.dequantize(ctx);
      case STRIDED_SLICE -> StridedSliceLowering.lower(ctx);
      case TRANSPOSE -> TransposeLowering.lower(ctx);
      case SVDF -> SvdfLowering.lower(ctx);
      default -> throw unsupported(ctx);
    };
  }

  private static RuntimeException unsupported(OpContext ctx) {
    return ctx.fail("operator is not supported by tinyforge; convert the model without it or file a request");
  }
}
