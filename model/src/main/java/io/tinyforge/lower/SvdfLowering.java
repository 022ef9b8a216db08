package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/** SVDF Prepare for the integer kernel (TFLM svdf_common.cc PrepareSvdf). */
final class SvdfLowering {
  private SvdfLowering() {}

  static SvdfParams lower(OpContext ctx) {
    ctx.requireInputCount(5, 5);
    OpOptions.Svdf o = ctx.op().options(OpOptions.Svdf.class);
    Tensor input = ctx.input(0);
    Tensor weightsFeature = ctx.input(1);
    Tensor weightsTime = ctx.input(2);
    Tensor bias = ctx.optionalInput(3);
    Tensor state = ctx.input(4);
    Tensor output = ctx.output(0);
    ctx.requireType(input, "input", TensorType.INT8);
    ctx.requireType(weightsFeature, "feature weights", TensorType.INT8);
    ctx.requireType(weightsTime, "time weights", TensorType.INT8, TensorType.INT16);
    ctx.requireType(state, "state", weightsTime.type());
    ctx.requireType(output, "output", TensorType.INT8);
    ctx.requireConstant(weightsFeature, "feature weights");
    ctx.requireConstant(weightsTime, "time weights");
    if (!state.isVariable()) {
      throw ctx.fail("state tensor " + state.label() + " is not a variable tensor; re-export the model");
    }
    ctx.requireRank(input, "input", 2);
    ctx.requireRank(weightsFeature, "feature weights", 2);
    ctx.requireRank(weightsTime, "time weights", 2);
    ctx.requireRank(state, "state", 2);
    ctx.requireRank(output, "output", 2);
    int rank = o.rank();
    int batches = input.shape().dim(0);
    int inputSize = input.shape().dim(1);
    int filters = weightsFeature.shape().dim(0);
    if (rank <= 0 || filters % rank != 0) {
      throw ctx.fail("rank " + rank + " does not divide the " + filters + " filters");
    }
    int units = filters / rank;
    int memory = weightsTime.shape().dim(1);
    if (weightsFeature.shape().dim(1) != inputSize) {
      throw ctx.fail("feature weights " + weightsFeature.shape() + " do not match input " + input.shape());
    }
    if (weightsTime.shape().dim(0) != filters) {
      throw ctx.fail("time weights " + weightsTime.shape() + " do not have " + filters + " rows");
    }
    if (state.shape().dim(0) != batches || state.shape().dim(1) != memory * filters) {
      throw ctx.fail("state " + state.shape() + " is not " + batches + "x" + (memory * filters));
    }
    if (output.shape().dim(0) != batches || output.shape().dim(1) != units) {
      throw ctx.fail("output " + output.shape() + " is not " + batches + "x" + units);
    }
    if (bias == null) {
      // PrepareSvdf reads the bias scale unconditionally (TFLM issue 1751).
      throw ctx.fail("has no bias; TFLM's SVDF needs one: re-export the model with a bias");
    }
    ctx.requireType(bias, "bias", TensorType.INT32);
    ctx.requireConstant(bias, "bias");
    if (bias.shape().elementCount() < units) {
      throw ctx.fail("bias " + bias.label() + " has " + bias.shape().elementCount() + " values for " + units
          + " units");
    }
    float si = ctx.scale(input, "input");
    float sf = ctx.scale(weightsFeature, "feature weights");
    float st = ctx.scale(weightsTime, "time weights");
    float ss = ctx.scale(state, "state");
    float so = ctx.scale(output, "output");
    float sb = ctx.scale(bias, "bias");
    ElementwiseLowering.requirePositive(ctx, si, sf, st, ss, so);
    // TFLM multiplies the float32 scales in float and only then widens to double.
    double effective1 = (double) (si * sf / ss);
    double effective2 = (double) (ss * st / so);
    if (!(Math.abs((double) sb - (double) (ss * st)) < 1e-5)) {
      throw ctx.fail("bias scale " + sb + " is not state scale x time weights scale (" + (ss * st)
          + "); TFLM refuses this SVDF: re-quantize the model");
    }
    QuantMath.Multiplier m1 = QuantMath.quantizeMultiplier(effective1);
    QuantMath.Multiplier m2 = QuantMath.quantizeMultiplier(effective2);
    return new SvdfParams(input.index(), weightsFeature.index(), weightsTime.index(), bias.index(), state.index(),
        output.index(), batches, inputSize, filters, units, rank, memory, state.type().bytes(),
        ctx.zeroPoint(input, "input"), ctx.zeroPoint(state, "state"), ctx.zeroPoint(output, "output"),
        m1.multiplier(), m1.shift(), m2.multiplier(), m2.shift());
  }
}
