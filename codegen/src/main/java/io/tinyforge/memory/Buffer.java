package io.tinyforge.memory;

import java.util.List;

/**
 * One block of arena memory the planner must place: the bytes of one tensor (and of every tensor that aliases it:
 * RESHAPE, SQUEEZE and EXPAND_DIMS outputs share their input's bytes), or one kernel's scratch area.
 *
 * @param id dense index of the buffer (0..n-1)
 * @param tensors tensor indices stored in this buffer, the producing tensor first; empty for scratch
 * @param scratchOfStep for scratch buffers the step that uses it, else -1
 * @param bytes size in bytes (at least 1)
 * @param firstStep first step (position in execution order) at which the bytes must be intact
 * @param lastStep last step at which the bytes must be intact (inclusive)
 */
public record Buffer(int id, List<Integer> tensors, int scratchOfStep, int bytes, int firstStep, int lastStep) {
  public Buffer {
    tensors = List.copyOf(tensors);
    if (bytes < 1 || firstStep > lastStep) {
      throw new IllegalArgumentException("bad buffer " + id + ": " + bytes + " bytes, steps " + firstStep + ".."
          + lastStep);
    }
  }

  public boolean isScratch() {
    return scratchOfStep >= 0;
  }

  /** True if both buffers must hold their bytes at some common step. */
  public boolean livesWith(Buffer other) {
    return firstStep <= other.lastStep && other.firstStep <= lastStep;
  }

  public boolean liveAt(int step) {
    return firstStep <= step && step <= lastStep;
  }

  /** A short name for tables: t12 (+aliases) or scratch@step. */
  public String label() {
    if (isScratch()) {
      return "scratch@" + scratchOfStep;
    }
    StringBuilder sb = new StringBuilder("t").append(tensors.get(0));
    for (int i = 1; i < tensors.size(); i++) {
      sb.append("=t").append(tensors.get(i));
    }
    return sb.toString();
  }
}
