package io.tinyforge.lower;

import io.tinyforge.model.ModelException;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/**
 * The input, filter, optional bias and output of a weighted op, read at the operator's own input positions and
 * given the checks all of them need, so that each lowering states only what is particular to its op.
 */
record WeightedOperands(Tensor input, Tensor filter, Tensor bias, Tensor output) {

  /**
   * Reads the operands (the bias is the last, optional input) and checks their types: int8 weights, int8 or
   * int16 activations when {@code int16Activations}, else int8 only.
   */
  static WeightedOperands read(OpContext ctx, int inputAt, int filterAt, int biasAt, boolean int16Activations) {
    ctx.requireInputCount(biasAt, biasAt + 1);
    Tensor input = ctx.input(inputAt);
    Tensor filter = ctx.input(filterAt);
    Tensor bias = ctx.optionalInput(biasAt);
    Tensor output = ctx.output(0);
    if (int16Activations) {
      ctx.requireInt8OrInt16(input, output);
    } else {
      ctx.requireType(input, "input", TensorType.INT8);
      ctx.requireType(output, "output", TensorType.INT8);
    }
    ctx.requireType(filter, "filter", TensorType.INT8);
    return new WeightedOperands(input, filter, bias, output);
  }

  /** Checks that input, filter and output are 4-D (NHWC activations), as every windowed op needs. */
  WeightedOperands requireRank4(OpContext ctx) {
    ctx.requireRank(input, "input", 4);
    ctx.requireRank(filter, "filter", 4);
    ctx.requireRank(output, "output", 4);
    return this;
  }

  int biasIndex() {
    return bias == null ? -1 : bias.index();
  }

  /** TFLM's input_offset: minus the input zero point. */
  int inputOffset(OpContext ctx) {
    return -ctx.zeroPoint(input, "input");
  }

  /** The epilogue from the per-channel multipliers {@code {multiplier[], shift[]}} and the activation range. */
  Requantization requant(OpContext ctx, int[][] multipliers, int[] activationRange) {
    return new Requantization(multipliers[0], multipliers[1], ctx.zeroPoint(output, "output"), activationRange[0],
        activationRange[1]);
  }

  /** The error for shapes that do not fit together, naming all three. */
  ModelException shapesDisagree(OpContext ctx) {
    return ctx.fail("shapes disagree: input " + input.shape() + ", filter " + filter.shape() + ", output "
        + output.shape());
  }
}
