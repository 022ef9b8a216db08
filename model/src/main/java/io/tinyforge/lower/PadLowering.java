package io.tinyforge.lower;

import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.util.Arrays;

/** Prepare of PAD and PADV2 (TFLM pad_common.cc): constant padding of up to 5 dimensions. */
final class PadLowering {
  private PadLowering() {}

  /** PadKernelMaxDimensionCount. */
  static final int RANK = 5;

  static PadParams lower(OpContext ctx) {
    ctx.requireInputCount(2, 3);
    Tensor in = ctx.input(0);
    Tensor paddings = ctx.input(1);
    Tensor constant = ctx.optionalInput(2);
    Tensor out = ctx.output(0);
    ctx.requireInt8OrInt16(in, out);
    int[] d = OpContext.dims(in);
    int[] od = OpContext.dims(out);
    if (d.length > RANK) {
      throw ctx.fail("input " + in.shape() + " has more than " + RANK + " dimensions");
    }
    if (od.length != d.length) {
      throw ctx.fail("input " + in.shape() + " and output " + out.shape() + " differ in rank");
    }
    int[] p = ctx.constantInts(paddings, "paddings");
    if (p.length != od.length * 2) {
      throw ctx.fail("paddings hold " + p.length + " values; expected " + (od.length * 2) + " (a pair per "
          + "dimension)");
    }
    int[] left = new int[RANK];
    int[] right = new int[RANK];
    int[] dims = new int[RANK];
    Arrays.fill(dims, 1);
    int lead = RANK - d.length;
    for (int i = 0; i < d.length; i++) {
      if (p[2 * i] < 0 || p[2 * i + 1] < 0) {
        throw ctx.fail("negative padding " + p[2 * i] + ", " + p[2 * i + 1] + " on dimension " + i
            + " is not supported");
      }
      if (od[i] != d[i] + p[2 * i] + p[2 * i + 1]) {
        throw ctx.fail("output dimension " + i + " is " + od[i] + ", expected " + d[i] + " + " + p[2 * i] + " + "
            + p[2 * i + 1]);
      }
      left[lead + i] = p[2 * i];
      right[lead + i] = p[2 * i + 1];
      dims[lead + i] = od[i];
    }
    int padValue;
    int padTensor = -1;
    if (constant == null) {
      padValue = out.type() == TensorType.INT16 ? (short) ctx.zeroPoint(out, "output")
          : (byte) ctx.zeroPoint(out, "output");
    } else {
      ctx.requireType(constant, "constant_values", out.type());
      if (constant.shape().elementCount() != 1) {
        throw ctx.fail("constant_values " + constant.label() + " must be a scalar");
      }
      if (ctx.zeroPoint(constant, "constant_values") != ctx.zeroPoint(out, "output")
          || (double) ctx.scale(constant, "constant_values") != (double) ctx.scale(out, "output")) {
        throw ctx.fail("constant_values " + constant.label() + " must share the output's scale and zero point "
            + "(TFLM refuses this model)");
      }
      if (constant.isConstant()) {
        padValue = out.type() == TensorType.INT16
            ? constant.constantData().order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort(0)
            : constant.constantData().get(0);
      } else {
        padValue = 0;
        padTensor = constant.index();
      }
    }
    return new PadParams(in.index(), out.index(), dims, left, right, padValue, padTensor);
  }
}
