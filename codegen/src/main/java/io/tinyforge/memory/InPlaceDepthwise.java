package io.tinyforge.memory;

import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.util.Arrays;

/**
 * A depthwise convolution that writes its output over its input (as MIT TinyEngine does), so the two large
 * activations of the layer need one buffer. Output row r lands on input row r, which later output rows still read;
 * so the kernel runs a band of rows at a time on a copy: a scratch buffer holds the input rows of the current band,
 * taken from the tensor before the band's outputs overwrite them, and keeps the last {@code filter height - 1} rows
 * (the next band's top halo) by moving them to its start. Only for stride 1 and dilation 1 with the output shape
 * equal to the input's (SAME padding, depth multiplier 1), batch 1.
 *
 * <p>The cost is one copy of every input row and a few kernel calls per layer; the planner takes it only when the
 * arena does not fit otherwise (see {@link PatchPlanner}).
 */
public final class InPlaceDepthwise {
  private InPlaceDepthwise() {}

  /** At most this many bands per layer: the scratch is about 1/MAX_BANDS of the tensor plus the halo rows. */
  static final int MAX_BANDS = 10;

  /** True if the step can run in place as described above. */
  public static boolean eligible(Model model, KernelParams p) {
    if (!(p instanceof DepthwiseParams d)) {
      return false;
    }
    Tensor in = model.tensor(d.input());
    Tensor out = model.tensor(d.output());
    return d.batches() == 1 && d.depthMultiplier() == 1 && d.strideHeight() == 1 && d.dilationHeight() == 1
        && in.type() == TensorType.INT8 && out.type() == TensorType.INT8 && !in.isConstant()
        && Arrays.equals(in.shape().toArray(), out.shape().toArray()) && in.shape().toArray().length == 4;
  }

  /** Output rows per band. */
  public static int bandRows(Model model, DepthwiseParams d) {
    int h = PatchGeometry.height(model, d.output());
    return Math.max(1, (h + MAX_BANDS - 1) / MAX_BANDS);
  }

  /** Bytes of the scratch that holds one band's input rows (band rows plus the filter's halo). */
  public static int scratchBytes(Model model, DepthwiseParams d) {
    int rows = Math.min(PatchGeometry.height(model, d.input()), bandRows(model, d) + d.filterHeight() - 1);
    return rows * PatchGeometry.rowBytes(model, d.input());
  }
}
