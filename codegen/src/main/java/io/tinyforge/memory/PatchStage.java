package io.tinyforge.memory;

import io.tinyforge.lower.StageParams;
import io.tinyforge.lower.LoweredOp;
import java.util.List;

/**
 * The leading ops of a model run band by band (MCUNetV2's patch-based inference, with patches as full-width bands
 * of rows so that every kernel runs unchanged on a contiguous window): the stage's output is computed
 * {@code bands.size()} times, a band of rows each time, and every tensor inside the stage only ever holds the rows
 * the current band needs (halo rows are recomputed). To the arena planner the stage is one step that reads the
 * stage inputs, writes the stage output and needs {@code scratchBytes} of scratch for the band buffers.
 *
 * @param ops the ops of the stage, in execution order (batch 1, NHWC)
 * @param reads tensors read from outside the stage (activations whole, constants)
 * @param output the stage's output tensor (the last op's), written whole
 * @param bands per band, the rows {@code [lo[t], hi[t])} of each tensor t the band computes (or reads, for a
 *     stage input); {@code lo == hi} for a tensor the band does not touch
 * @param bufferOffset offset of each in-stage tensor's band buffer inside the scratch (-1: not a band buffer)
 * @param scratchBytes bytes of all band buffers and kernel scratch areas as planned
 * @param extraMacs MACs recomputed for the halos, beyond the ops' own MACs
 * @param kernelScratchOffset per op of the stage, the offset inside the scratch of the scratch its kernel takes
 *     from its caller (as large as its largest band needs), -1 for none
 */
public record PatchStage(List<LoweredOp> ops, int[] reads, int output, List<Band> bands, int[] bufferOffset,
    int scratchBytes, long extraMacs, int[] kernelScratchOffset) implements StageParams {

  /** A stage whose kernels take no scratch of their own. */
  public PatchStage(List<LoweredOp> ops, int[] reads, int output, List<Band> bands, int[] bufferOffset,
      int scratchBytes, long extraMacs) {
    this(ops, reads, output, bands, bufferOffset, scratchBytes, extraMacs, noScratch(ops.size()));
  }

  private static int[] noScratch(int ops) {
    int[] none = new int[ops];
    java.util.Arrays.fill(none, -1);
    return none;
  }

  /** The row ranges one band computes, by tensor index. */
  public record Band(int[] lo, int[] hi) {
    public Band {
      lo = lo.clone();
      hi = hi.clone();
    }
  }

  public PatchStage {
    ops = List.copyOf(ops);
    reads = reads.clone();
    bands = List.copyOf(bands);
    bufferOffset = bufferOffset.clone();
    kernelScratchOffset = kernelScratchOffset.clone();
  }

  @Override
  public int[] inputTensors() {
    return reads.clone();
  }

  @Override
  public int[] outputTensors() {
    return new int[] {output};
  }

  /** Index (in the model) of the first and last op of the stage. */
  public int firstOp() {
    return ops.get(0).operator().index();
  }

  public int lastOp() {
    return ops.get(ops.size() - 1).operator().index();
  }

  /** Rows per band of the stage output (the last band may be shorter). */
  public int bandRows() {
    Band b = bands.get(0);
    return b.hi()[output] - b.lo()[output];
  }
}
