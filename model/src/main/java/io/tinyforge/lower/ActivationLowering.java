package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/**
 * Prepare of the int8 activation functions: RELU, RELU6, LEAKY_RELU, HARD_SWISH (activations_common.cc,
 * leaky_relu_common.cc, hard_swish_common.cc), LOGISTIC, TANH (logistic_common.cc, tanh.cc) and SOFTMAX
 * (softmax_common.cc).
 */
final class ActivationLowering {
  private ActivationLowering() {}

  /** Integer bits of the Q4.27 input format of LOGISTIC and TANH. */
  static final int SIGMOID_INPUT_INTEGER_BITS = 4;
  /** kScaledDiffIntegerBits of the int8 softmax (Q5.26 differences). */
  static final int SOFTMAX_SCALED_DIFF_INTEGER_BITS = 5;

  static ReluParams relu(OpContext ctx) {
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    int count = sameCount(ctx, in, out);
    float si = ctx.scale(in, "input");
    float so = ctx.scale(out, "output");
    ElementwiseLowering.requirePositive(ctx, si, so);
    QuantMath.Multiplier m = QuantMath.quantizeMultiplier((double) si / (double) so);
    int outZp = ctx.zeroPoint(out, "output");
    // act_min = zero_point + roundf(0 / scale) = zero_point; act_max = int8 max (act_max is +infinity).
    int actMin = Math.max(-128, outZp);
    return new ReluParams(in.index(), out.index(), count, ctx.zeroPoint(in, "input"), outZp, m.multiplier(),
        m.shift(), actMin, 127);
  }

  static Relu6Params relu6(OpContext ctx) {
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    int count = sameCount(ctx, in, out);
    float si = ctx.scale(in, "input");
    ElementwiseLowering.requirePositive(ctx, si);
    int zp = ctx.zeroPoint(in, "input");
    int six = floatToQuantizedInt8(6.0f, si, zp);
    return new Relu6Params(in.index(), out.index(), count, (byte) zp, six);
  }

  /**
   * micro_utils FloatToQuantizedType&lt;int8_t&gt;: round(value / scale) + zero_point converted to int32 and
   * clamped. An out-of-range conversion yields INT32_MIN on the x86 host the oracle runs on.
   */
  static int floatToQuantizedInt8(float value, float scale, int zeroPoint) {
    double r = QuantMath.round(value / scale) + zeroPoint;
    int result = (r >= -2147483648.0 && r < 2147483648.0) ? (int) r : Integer.MIN_VALUE;
    return Math.max(-128, Math.min(127, result));
  }

  static LeakyReluParams leakyRelu(OpContext ctx) {
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    int count = sameCount(ctx, in, out);
    float alpha = ctx.op().options(OpOptions.LeakyRelu.class).alpha();
    float si = ctx.scale(in, "input");
    float so = ctx.scale(out, "output");
    ElementwiseLowering.requirePositive(ctx, si, so);
    // Both ratios are formed in float and only then widened, exactly as leaky_relu_common.cc does.
    QuantMath.Multiplier ma = QuantMath.quantizeMultiplier((double) (si * alpha / so));
    QuantMath.Multiplier mi = QuantMath.quantizeMultiplier((double) (si / so));
    // A float alpha keeps |multiplier| below 2^31 (24-bit mantissa), so the negation cannot overflow.
    boolean negative = ma.multiplier() < 0;
    return new LeakyReluParams(in.index(), out.index(), count, ctx.zeroPoint(in, "input"),
        ctx.zeroPoint(out, "output"), negative ? -ma.multiplier() : ma.multiplier(), ma.shift(), negative,
        mi.multiplier(), mi.shift());
  }

  static HardSwishParams hardSwish(OpContext ctx) {
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    int count = sameCount(ctx, in, out);
    float si = ctx.scale(in, "input");
    float so = ctx.scale(out, "output");
    ElementwiseLowering.requirePositive(ctx, si, so);
    float hiresInputScale = (1.0f / 128.0f) * si;
    float reluishScale = 3.0f / 32768.0f;
    QuantMath.Multiplier mo = QuantMath.quantizeMultiplier((double) (hiresInputScale / so));
    if (mo.shift() > 0) {
      throw ctx.fail("input scale / output scale = " + (si / so) + " is too large: the output multiplier "
          + "exponent must be <= 0 (TFLM refuses this model)");
    }
    QuantMath.Multiplier mr = QuantMath.quantizeMultiplier((double) (hiresInputScale / reluishScale));
    return new HardSwishParams(in.index(), out.index(), count, ctx.zeroPoint(in, "input"),
        ctx.zeroPoint(out, "output"), downScaleToInt16(mr.multiplier()), mr.shift(),
        downScaleToInt16(mo.multiplier()), mo.shift());
  }

  /** common.h DownScaleInt32ToInt16Multiplier: round the Q31 multiplier to Q15, saturating. */
  static int downScaleToInt16(int multiplierInt32) {
    int roundingOffset = 1 << 15;
    if (multiplierInt32 >= Integer.MAX_VALUE - roundingOffset) {
      return Short.MAX_VALUE;
    }
    return (multiplierInt32 + roundingOffset) >> 16;
  }

  static KernelParams logisticOrTanh(OpContext ctx, boolean tanh) {
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    if (in.type() == TensorType.INT16) {
      return logisticOrTanh16(ctx, tanh);
    }
    int count = sameCount(ctx, in, out);
    float si = ctx.scale(in, "input");
    ElementwiseLowering.requirePositive(ctx, si);
    if (!tanh && ctx.zeroPoint(out, "output") != -128) {
      throw ctx.fail("output zero point is " + ctx.zeroPoint(out, "output")
          + "; TFLM's int8 LOGISTIC needs -128 (scale 1/256): re-quantize the model");
    }
    double real = (double) si * (double) (1 << (31 - SIGMOID_INPUT_INTEGER_BITS));
    int shift = QuantMath.frexpExponent(real);
    double q = QuantMath.frexpMantissa(real);
    if (shift < 0 || shift > 62) {
      throw ctx.fail("input scale " + si + " is outside the range TFLM's int8 " + (tanh ? "TANH" : "LOGISTIC")
          + " handles (about 4e-9 to 2e10)");
    }
    // static_cast<int32_t>(TfLiteRound(q * 2^31)): q < 1 and a float scale keeps this below 2^31.
    int multiplier = (int) (long) QuantMath.round(q * (double) (1L << 31));
    int radius = inputRadius(SIGMOID_INPUT_INTEGER_BITS, shift);
    return new SigmoidTanhParams(tanh, in.index(), out.index(), count, ctx.zeroPoint(in, "input"), radius,
        multiplier, shift);
  }

  /** quantization_util CalculateInputRadius(integerBits, leftShift, 31), computed in double as TFLite does. */
  static int inputRadius(int integerBits, int leftShift) {
    double maxInputRescaled = 1.0 * ((1 << integerBits) - 1) * (double) (1L << (31 - integerBits))
        / (double) (1L << leftShift);
    return (int) Math.floor(maxInputRescaled);
  }

  static KernelParams softmax(OpContext ctx) {
    ctx.requireInputCount(1, 1);
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    if (in.type() == TensorType.INT16) {
      return softmax16(ctx);
    }
    ctx.requireType(in, "input", TensorType.INT8);
    ctx.requireType(out, "output", TensorType.INT8, TensorType.INT16);
    int[] dims = OpContext.dims(in);
    if (dims.length < 1) {
      throw ctx.fail("input " + in.label() + " must have at least one dimension");
    }
    if (!in.shape().equals(out.shape())) {
      throw ctx.fail("input shape " + in.shape() + " and output shape " + out.shape() + " differ");
    }
    if (out.type() == TensorType.INT8
        && (ctx.zeroPoint(out, "output") != -128 || ctx.scale(out, "output") != 1.0f / 256)) {
      throw ctx.fail("output quantization is " + ctx.quant(out, "output").describe()
          + "; TFLM's int8 SOFTMAX needs scale 1/256 and zero point -128: re-quantize the model");
    }
    // TFLM's int8 -> int16 softmax allows the output scale within 0.1% of 1/65536 (TF_LITE_ENSURE_NEAR).
    if (out.type() == TensorType.INT16 && (ctx.zeroPoint(out, "output") != -32768
        || Math.abs(ctx.scale(out, "output") - 1.0f / 65536) > 0.001f * 1.0f / 65536)) {
      throw ctx.fail("output quantization is " + ctx.quant(out, "output").describe()
          + "; TFLM's int8 -> int16 SOFTMAX needs scale 1/65536 and zero point -32768: re-quantize the model");
    }
    float si = ctx.scale(in, "input");
    ElementwiseLowering.requirePositive(ctx, si);
    double beta = ctx.op().options(OpOptions.Softmax.class).beta();
    // PreprocessSoftmaxScaling: beta * input_scale * 2^(31 - 5), capped at 2^31 - 1.
    double real = Math.min(beta * (double) si * (double) (1 << (31 - SOFTMAX_SCALED_DIFF_INTEGER_BITS)),
        (double) ((1L << 31) - 1));
    if (!(real > 1.0)) {
      throw ctx.fail("beta " + beta + " x input scale " + si + " is too small: TFLM's int8 SOFTMAX needs "
          + "beta * scale * 2^26 > 1 (it aborts otherwise)");
    }
    QuantMath.Multiplier m = QuantMath.quantizeMultiplierGreaterThanOne(real);
    int diffMin = -inputRadius(SOFTMAX_SCALED_DIFF_INTEGER_BITS, m.shift());
    int depth = dims[dims.length - 1];
    int outer = depth == 0 ? 0 : in.shape().elementCount() / depth;
    return new SoftmaxParams(in.index(), out.index(), outer, depth, m.multiplier(), m.shift(), diffMin,
        out.type().bytes());
  }

  /** Integer bits of the int16 LOGISTIC / TANH input (Q3.12: the table's grid, stretched by 3/4 to +-10.7). */
  static final int SIGMOID16_INPUT_INTEGER_BITS = 3;

  /**
   * LogisticPrepare / TanhPrepare for int16: zero points 0, output scale 2^-15, and the input rescaled onto the
   * table's grid, 1/(3 * 4096) per step. A power-of-two input scale that is already that grid (Q3.12; TANH also
   * Q2.13) is a multiply by 3 (or 6); any other scale gets a 15-bit multiplier with as many fraction bits as fit.
   */
  static SigmoidTanh16Params logisticOrTanh16(OpContext ctx, boolean tanh) {
    ctx.requireInputCount(1, 1);
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    String name = tanh ? "TANH" : "LOGISTIC";
    requireInt16Pair(ctx, in, out, name);
    if (in.shape().elementCount() != out.shape().elementCount()) {
      throw ctx.fail("input " + in.shape() + " and output " + out.shape() + " differ in size");
    }
    float si = ctx.scale(in, "input");
    float so = ctx.scale(out, "output");
    ElementwiseLowering.requirePositive(ctx, si, so);
    Integer outLog2 = checkedLog2(so);
    if (outLog2 == null || outLog2 != -15) {
      throw ctx.fail("output tensor " + out.label() + " has scale " + so + "; TFLM's int16 " + name
          + " needs 2^-15 (1/32768): re-quantize the model");
    }
    Integer inLog2 = checkedLog2(si);
    int leftShift = (15 - SIGMOID16_INPUT_INTEGER_BITS) + (inLog2 == null ? 0 : inLog2);
    boolean onGrid = inLog2 != null && (leftShift == 0 || (tanh && leftShift == 1));
    if (onGrid) {
      // TFLM's kernel turns its "multiplier 0" marker into 3 << shift with no shift at all
      return new SigmoidTanh16Params(tanh, in.index(), out.index(), in.shape().elementCount(), 3 << leftShift, 0);
    }
    double multiplier = (double) si * 4096.0 * 3.0;
    int shift = 0;
    while (multiplier <= 32767.0 / 2.0 && shift <= 30) {
      shift++;
      multiplier *= 2.0;
    }
    if (multiplier > 32767.0) {
      throw ctx.fail("input tensor " + in.label() + " has scale " + si + "; TFLM's int16 " + name
          + " handles input scales up to 32767 / 12288 (about 2.67): re-quantize the model");
    }
    return new SigmoidTanh16Params(tanh, in.index(), out.index(), in.shape().elementCount(), (int) multiplier,
        shift);
  }

  /**
   * quantization_util CheckedLog2 in float: log2 of x rounded to the nearest integer when x is within 0.1% of an
   * exponent of a power of two, else null.
   */
  static Integer checkedLog2(float x) {
    float log2 = (float) Math.log(x) * (1.0f / (float) Math.log(2.0f));
    float rounded = QuantMath.roundf(log2);
    return Math.abs(log2 - rounded) < 1e-3f ? (int) rounded : null;
  }

  /**
   * SoftmaxPrepare for int16 in and out: the input difference scale beta * input_scale is mapped so that 10
   * (where exp is negligible) is 65535 codes; the tables come from {@link Int16Luts}.
   */
  static Softmax16Params softmax16(OpContext ctx) {
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    requireInt16Pair(ctx, in, out, "SOFTMAX");
    int[] dims = OpContext.dims(in);
    if (dims.length < 1) {
      throw ctx.fail("input " + in.label() + " must have at least one dimension");
    }
    if (!in.shape().equals(out.shape())) {
      throw ctx.fail("input shape " + in.shape() + " and output shape " + out.shape() + " differ");
    }
    float so = ctx.scale(out, "output");
    // TF_LITE_ENSURE_NEAR(scale, 1/32768, 0.1% of it), in float as TFLM compares
    if (Math.abs(so - 1.0f / 32768) > 0.001f * 1.0f / 32768) {
      throw ctx.fail("output tensor " + out.label() + " has scale " + so + "; TFLM's int16 SOFTMAX needs 1/32768 "
          + "and zero point 0: re-quantize the model");
    }
    float si = ctx.scale(in, "input");
    ElementwiseLowering.requirePositive(ctx, si);
    float beta = ctx.op().options(OpOptions.Softmax.class).beta();
    double real = (double) si * (double) beta / (10.0 / 65535.0);
    if (!(real > 0) || Double.isInfinite(real)) {
      throw ctx.fail("beta " + beta + " x input scale " + si + " must be finite and > 0 for TFLM's int16 SOFTMAX");
    }
    QuantMath.Multiplier m = QuantMath.quantizeMultiplier(real);
    if (m.shift() > 30 || m.shift() < -31) {
      throw ctx.fail("beta " + beta + " x input scale " + si + " is outside the range TFLM's int16 SOFTMAX "
          + "rescales: re-quantize the model");
    }
    int depth = dims[dims.length - 1];
    int outer = depth == 0 ? 0 : in.shape().elementCount() / depth;
    return new Softmax16Params(in.index(), out.index(), outer, depth, m.multiplier(), m.shift());
  }

  /** An int16 input needs an int16 output and zero point 0 on both sides (TFLM's int16 activation kernels). */
  private static void requireInt16Pair(OpContext ctx, Tensor in, Tensor out, String name) {
    if (out.type() != TensorType.INT16) {
      throw ctx.fail("output tensor " + out.label() + " is " + out.type() + "; TFLM's " + name
          + " with an INT16 input writes INT16: re-quantize the model");
    }
    for (Tensor t : new Tensor[] {in, out}) {
      int zp = ctx.zeroPoint(t, t == in ? "input" : "output");
      if (zp != 0) {
        throw ctx.fail((t == in ? "input" : "output") + " tensor " + t.label() + " is INT16 with zero point " + zp
            + "; TFLM's int16 " + name + " needs zero point 0 (16x8 quantization): re-quantize the model");
      }
    }
  }

  /** Checks the int8 input/output pair of a unary op and returns the element count. */
  private static int sameCount(OpContext ctx, Tensor in, Tensor out) {
    ctx.requireInputCount(1, 1);
    ctx.requireType(in, "input", TensorType.INT8);
    ctx.requireType(out, "output", TensorType.INT8);
    if (in.shape().elementCount() != out.shape().elementCount()) {
      throw ctx.fail("input " + in.shape() + " and output " + out.shape() + " differ in size");
    }
    return in.shape().elementCount();
  }
}
