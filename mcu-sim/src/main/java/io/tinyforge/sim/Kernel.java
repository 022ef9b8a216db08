package io.tinyforge.sim;

import io.tinyforge.lower.KernelParams;

/** Executes one lowered op: reads its inputs from the arena and writes its outputs. */
@FunctionalInterface
public interface Kernel<P extends KernelParams> {
  void run(P params, TensorArena arena);
}
