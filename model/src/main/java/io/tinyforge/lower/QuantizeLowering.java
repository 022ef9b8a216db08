package io.tinyforge.lower;

import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/** Prepare of QUANTIZE (quantize_common.cc) and DEQUANTIZE (dequantize_common.cc). */
final class QuantizeLowering {
  private QuantizeLowering() {}

  static QuantizeParams quantize(OpContext ctx) {
    ctx.requireInputCount(1, 1);
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    ctx.requireType(in, "input", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
    if (in.type() == TensorType.FLOAT32) {
      ctx.requireType(out, "output", TensorType.INT8, TensorType.INT16);
    } else {
      // TFLM requantizes int8/int16 into int32 too (e.g. the int32 output of TFLM's keyword benchmark model).
      ctx.requireType(out, "output", TensorType.INT8, TensorType.INT16, TensorType.INT32);
    }
    int count = in.shape().elementCount();
    if (count != out.shape().elementCount()) {
      throw ctx.fail("input " + in.shape() + " and output " + out.shape() + " differ in size");
    }
    float so = ctx.scale(out, "output");
    int zo = ctx.zeroPoint(out, "output");
    ElementwiseLowering.requirePositive(ctx, so);
    if (in.type() == TensorType.FLOAT32) {
      return new QuantizeParams(QuantizeParams.Kind.FROM_FLOAT, in.index(), out.index(), count, 4,
          out.type().bytes(), so, zo, 0, 0, 0);
    }
    float si = ctx.scale(in, "input");
    ElementwiseLowering.requirePositive(ctx, si);
    QuantMath.Multiplier m = QuantMath.quantizeMultiplier((double) si / (double) so);
    return new QuantizeParams(QuantizeParams.Kind.REQUANTIZE, in.index(), out.index(), count, in.type().bytes(),
        out.type().bytes(), so, zo, ctx.zeroPoint(in, "input"), m.multiplier(), m.shift());
  }

  static DequantizeParams dequantize(OpContext ctx) {
    ctx.requireInputCount(1, 1);
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    ctx.requireType(in, "input", TensorType.INT8, TensorType.INT16);
    ctx.requireType(out, "output", TensorType.FLOAT32);
    int count = in.shape().elementCount();
    if (count != out.shape().elementCount()) {
      throw ctx.fail("input " + in.shape() + " and output " + out.shape() + " differ in size");
    }
    return new DequantizeParams(in.index(), out.index(), count, in.type().bytes(), ctx.scale(in, "input"),
        ctx.zeroPoint(in, "input"));
  }
}
