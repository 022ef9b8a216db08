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

  /**
   * Whether that kernel also runs without its scratch, only slower (tfk_fc_s8_dsp widens its input again per
   * group of rows): the planner drops such scratch when a RAM limit cannot be met otherwise.
   */
  default boolean optional(Model model, KernelParams params) {
    return false;
  }

  /** These sizes with every optional scratch dropped; the same sizes when none is optional. */
  default KernelScratch withoutOptional() {
    KernelScratch all = this;
    return (model, params) -> all.optional(model, params) ? 0 : all.bytes(model, params);
  }

  /** TRANSPOSE_CONV: one int32 accumulator per output element; no other kernel's scratch. */
  KernelScratch CORE_INDEPENDENT = (model, params) -> {
    if (params instanceof TransposeConvParams p) {
      long n = (long) p.batches() * p.outputHeight() * p.outputWidth() * p.outputDepth() * Integer.BYTES;
      return Math.toIntExact(n);
    }
    return 0;
  };
}
