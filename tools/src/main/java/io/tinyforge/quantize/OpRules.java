package io.tinyforge.quantize;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Quantization;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** What the int8 kernels require of each op the quantizer supports, and the op versions the converter writes. */
final class OpRules {
  private OpRules() {}

  /**
   * Output shares the input's (and, for CONCATENATION, every input's) scale and zero point. RELU6 belongs here:
   * TFLM's int8 RELU6 clamps the input's integers to its quantized 0 and 6 and does not rescale.
   */
  static final Set<BuiltinOp> SAME_SCALE = EnumSet.of(BuiltinOp.MAX_POOL_2D, BuiltinOp.AVERAGE_POOL_2D,
      BuiltinOp.RELU6,
      BuiltinOp.RESHAPE, BuiltinOp.SQUEEZE, BuiltinOp.EXPAND_DIMS, BuiltinOp.TRANSPOSE, BuiltinOp.STRIDED_SLICE,
      BuiltinOp.PAD, BuiltinOp.PADV2, BuiltinOp.PACK, BuiltinOp.UNPACK, BuiltinOp.SPLIT, BuiltinOp.SPLIT_V,
      BuiltinOp.CONCATENATION, BuiltinOp.RESIZE_BILINEAR, BuiltinOp.RESIZE_NEAREST_NEIGHBOR, BuiltinOp.MAXIMUM,
      BuiltinOp.MINIMUM);

  /**
   * Output quantized from its own calibrated range (the kernel requantizes). PRELU's alpha, like any other float
   * constant that is not a weight or bias, gets per-tensor parameters from its own values.
   */
  static final Set<BuiltinOp> OWN_SCALE = EnumSet.of(BuiltinOp.CONV_2D, BuiltinOp.DEPTHWISE_CONV_2D,
      BuiltinOp.FULLY_CONNECTED, BuiltinOp.TRANSPOSE_CONV, BuiltinOp.ADD, BuiltinOp.SUB, BuiltinOp.MUL,
      BuiltinOp.MEAN, BuiltinOp.RELU, BuiltinOp.HARD_SWISH, BuiltinOp.LEAKY_RELU, BuiltinOp.PRELU);

  /** Outputs TFLite fixes: SOFTMAX and LOGISTIC in [0, 1) at 1/256 from -128, TANH in [-1, 1) at 1/128 from 0. */
  static final Map<BuiltinOp, Quantization> FIXED = new EnumMap<>(Map.of(
      BuiltinOp.SOFTMAX, Quantization.perTensor(1f / 256, -128),
      BuiltinOp.LOGISTIC, Quantization.perTensor(1f / 256, -128),
      BuiltinOp.TANH, Quantization.perTensor(1f / 128, 0)));

  static boolean supported(BuiltinOp op) {
    return op != null && (SAME_SCALE.contains(op) || OWN_SCALE.contains(op) || FIXED.containsKey(op));
  }

  static String supportedList() {
    Set<BuiltinOp> all = EnumSet.noneOf(BuiltinOp.class);
    all.addAll(SAME_SCALE);
    all.addAll(OWN_SCALE);
    all.addAll(FIXED.keySet());
    return all.toString();
  }

  /** The quantized dimension of a weight tensor: output channels (dim 0), or dim 3 for depthwise filters. */
  static int channelDimension(BuiltinOp op) {
    return op == BuiltinOp.DEPTHWISE_CONV_2D ? 3 : 0;
  }

  /** Op versions of the int8 forms (the versions TensorFlow's converter writes), never below the float model's. */
  static int version(BuiltinOp op, int floatVersion, boolean perChannelFc) {
    int v = switch (op) {
      case CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV -> 3;
      case FULLY_CONNECTED -> perChannelFc ? 12 : 4;
      case ADD, SUB, MUL, AVERAGE_POOL_2D, MAX_POOL_2D, SOFTMAX, LOGISTIC, TANH, CONCATENATION, MEAN, PAD, PADV2,
          RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR, RELU, RELU6, LEAKY_RELU, MAXIMUM, MINIMUM, TRANSPOSE,
          STRIDED_SLICE, SPLIT, SPLIT_V, PACK, UNPACK, DEQUANTIZE, PRELU -> 2;
      default -> 1;
    };
    return Math.max(v, floatVersion);
  }
}
