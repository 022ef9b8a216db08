package io.tinyforge.memory;

import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.TransposeConvParams;
import io.tinyforge.model.Model;

/**
 * Bytes of scratch the kernel of one step takes from its caller, placed by the planner in the arena. Which kernel
 * runs a step, and so its scratch, depends on the core: the code generator supplies the sizes of the variants it
 * chooses ({@code io.tinyforge.cgen.ScratchSizes}). {@link #CORE_INDEPENDENT} knows only the scratch every variant
 * of an op needs alike (TRANSPOSE_CONV's accumulators): enough for plans that are not emitted (tests, estimates).
 */
@FunctionalInterface
public interface KernelScratch {
  /** Scratch bytes of the kernel running {@code params} (0: none). */
  int bytes(Model model, KernelParams params);

  /** TRANSPOSE_CONV: one int32 accumulator per output element; no other kernel's scratch. */
  KernelScratch CORE_INDEPENDENT = (model, params) -> {
    if (params instanceof TransposeConvParams p) {
      long n = (long) p.batches() * p.outputHeight() * p.outputWidth() * p.outputDepth() * Integer.BYTES;
      return Math.toIntExact(n);
    }
    return 0;
  };
}
