package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/** Prepare of the two-operand elementwise ops: ADD, SUB, MUL, MAXIMUM, MINIMUM, PRELU (TFLM *_common.cc). */
final class ElementwiseLowering {
  private ElementwiseLowering() {}

  /** TFLM's left shift for int8 ADD/SUB: operands are scaled up by 2^20 so the sum keeps precision. */
  static final int INT8_LEFT_SHIFT = 20;
  /** The same for int16 ADD/SUB. */
  static final int INT16_LEFT_SHIFT = 15;

  /**
   * CalculateOpDataAdd / CalculateOpDataSub. ADD derives its multipliers in double; SUB (sub_common.cc) forms
   * twice_max_input_scale and the ratios in float first and widens afterwards: the two differ in the last bits.
   */
  static AddSubParams addSub(OpContext ctx, boolean subtract) {
    ctx.requireInputCount(2, 2);
    Tensor a = ctx.input(0);
    Tensor b = ctx.input(1);
    Tensor out = ctx.output(0);
    // int16 (16x8, zero points 0) scales the operands up by 2^15 instead of 2^20
    int leftShift = ctx.requireInt8OrInt16(a, out) == TensorType.INT16 ? INT16_LEFT_SHIFT : INT8_LEFT_SHIFT;
    ctx.requireInt8OrInt16(b, out);
    OpOptions.Arithmetic o = ctx.op().options(OpOptions.Arithmetic.class);
    float s1 = ctx.scale(a, "input 1");
    float s2 = ctx.scale(b, "input 2");
    float so = ctx.scale(out, "output");
    requirePositive(ctx, s1, s2, so);
    double r1;
    double r2;
    double ro;
    if (subtract) {
      float twiceMax = 2 * Math.max(s1, s2);
      r1 = (double) (s1 / twiceMax);
      r2 = (double) (s2 / twiceMax);
      ro = (double) (twiceMax / ((float) (1 << leftShift) * so));
    } else {
      double twiceMax = 2 * (double) Math.max(s1, s2);
      r1 = (double) s1 / twiceMax;
      r2 = (double) s2 / twiceMax;
      ro = twiceMax / ((1 << leftShift) * (double) so);
    }
    QuantMath.Multiplier m1 = smallerThanOne(ctx, r1, "input 1 scale / (2 x max input scale)");
    QuantMath.Multiplier m2 = smallerThanOne(ctx, r2, "input 2 scale / (2 x max input scale)");
    QuantMath.Multiplier mo = smallerThanOne(ctx, ro,
        "2 x max input scale / (2^" + leftShift + " x output scale): the output scale is too small for the "
        + "input scales");
    int[] act = ctx.activationRange(o.activation(), out);
    int[][] plan = BroadcastPlan.plan(ctx, a, b, out);
    return new AddSubParams(subtract, a.index(), b.index(), out.index(), plan[0], plan[1], plan[2],
        leftShift,
        -ctx.zeroPoint(a, "input 1"), m1.multiplier(), m1.shift(),
        -ctx.zeroPoint(b, "input 2"), m2.multiplier(), m2.shift(),
        ctx.zeroPoint(out, "output"), mo.multiplier(), mo.shift(), act[0], act[1]);
  }

  /** CalculateOpDataMul: one multiplier from (double) s1 * (double) s2 / (double) so. */
  static MulParams mul(OpContext ctx) {
    ctx.requireInputCount(2, 2);
    Tensor a = ctx.input(0);
    Tensor b = ctx.input(1);
    Tensor out = ctx.output(0);
    ctx.requireInt8OrInt16(a, out);
    ctx.requireInt8OrInt16(b, out);
    OpOptions.Arithmetic o = ctx.op().options(OpOptions.Arithmetic.class);
    float s1 = ctx.scale(a, "input 1");
    float s2 = ctx.scale(b, "input 2");
    float so = ctx.scale(out, "output");
    requirePositive(ctx, s1, s2, so);
    QuantMath.Multiplier m = QuantMath.quantizeMultiplier((double) s1 * (double) s2 / (double) so);
    int[] act = ctx.activationRange(o.activation(), out);
    int[][] plan = BroadcastPlan.plan(ctx, a, b, out);
    return new MulParams(a.index(), b.index(), out.index(), plan[0], plan[1], plan[2],
        -ctx.zeroPoint(a, "input 1"), -ctx.zeroPoint(b, "input 2"), ctx.zeroPoint(out, "output"),
        m.multiplier(), m.shift(), act[0], act[1]);
  }

  /** MAXIMUM / MINIMUM: no Prepare in TFLM; raw values compared, quantization ignored. */
  static MinMaxParams minMax(OpContext ctx, boolean maximum) {
    ctx.requireInputCount(2, 2);
    Tensor a = ctx.input(0);
    Tensor b = ctx.input(1);
    Tensor out = ctx.output(0);
    requireInt8(ctx, a, b, out);
    int[][] plan = BroadcastPlan.plan(ctx, a, b, out);
    return new MinMaxParams(maximum, a.index(), b.index(), out.index(), plan[0], plan[1], plan[2]);
  }

  /** CalculatePreluParams: input/output and input*alpha/output multipliers in double. */
  static PreluParams prelu(OpContext ctx) {
    ctx.requireInputCount(2, 2);
    Tensor in = ctx.input(0);
    Tensor alpha = ctx.input(1);
    Tensor out = ctx.output(0);
    requireInt8(ctx, in, alpha, out);
    float si = ctx.scale(in, "input");
    float sa = ctx.scale(alpha, "alpha");
    float so = ctx.scale(out, "output");
    requirePositive(ctx, si, sa, so);
    QuantMath.Multiplier m1 = QuantMath.quantizeMultiplier((double) si / (double) so);
    QuantMath.Multiplier m2 = QuantMath.quantizeMultiplier((double) si * (double) sa / (double) so);
    int[][] plan = BroadcastPlan.plan(ctx, in, alpha, out);
    return new PreluParams(in.index(), alpha.index(), out.index(), plan[0], plan[1], plan[2],
        -ctx.zeroPoint(in, "input"), -ctx.zeroPoint(alpha, "alpha"), ctx.zeroPoint(out, "output"),
        m1.multiplier(), m1.shift(), m2.multiplier(), m2.shift());
  }

  private static void requireInt8(OpContext ctx, Tensor a, Tensor b, Tensor out) {
    ctx.requireType(a, "input 1", TensorType.INT8);
    ctx.requireType(b, "input 2", TensorType.INT8);
    ctx.requireType(out, "output", TensorType.INT8);
  }

  static void requirePositive(OpContext ctx, float... scales) {
    for (float s : scales) {
      if (!(s > 0) || Float.isInfinite(s)) {
        throw ctx.fail("quantization scale " + s + " is not a positive finite number; re-quantize the model");
      }
    }
  }

  /** QuantizeMultiplierSmallerThanOneExp; TFLM aborts (TFLITE_CHECK) outside (0, 1) or on a positive shift. */
  static QuantMath.Multiplier smallerThanOne(OpContext ctx, double real, String what) {
    if (!(real > 0.0 && real < 1.0)) {
      throw ctx.fail(what + " = " + real + " must lie in (0, 1) (TFLM refuses this model)");
    }
    QuantMath.Multiplier m = QuantMath.quantizeMultiplier(real);
    if (m.shift() > 0) {
      throw ctx.fail(what + " = " + real + " rounds up to 1.0 (TFLM refuses this model)");
    }
    return m;
  }
}
