package io.tinyforge.sim;

import io.tinyforge.lower.CopyParams;

/** RESHAPE / SQUEEZE / EXPAND_DIMS: copy the bytes (the firmware aliases the buffers instead). */
public final class CopyKernels {
  private CopyKernels() {}

  static void register(KernelRegistry r) {
    r.register(CopyParams.class, (p, a) -> System.arraycopy(a.bytes(p.input()), 0, a.bytes(p.output()), 0,
        p.bytes()));
  }
}
