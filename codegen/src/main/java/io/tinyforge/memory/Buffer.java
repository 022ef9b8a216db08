package io.tinyforge.memory;

import java.util.List;

/**
 * One block of arena memory the planner must place: the bytes of one tensor (and of every tensor that aliases it:
 * RESHAPE, SQUEEZE and EXPAND_DIMS outputs share their input's bytes, and of the in-place results written over
 * it), or one kernel's scratch area.
 *
 * @param id dense index of the buffer (0..n-1)
 * @param tensors tensor indices stored in this buffer, the producing tensor first; empty for scratch
 * @param scratchOfStep for scratch buffers the step that uses it, else -1
 * @param bytes size in bytes (at least 1)
 * @param firstStep first step (position in execution order) at which the bytes must be intact
 * @param lastStep last step at which the bytes must be intact (inclusive)
 * @param pieces which bytes must be intact when: a buffer whose tensors sit at different offsets (a pointwise
 *     step's output below its input) holds only some of its bytes at some steps; else one piece, all of it
 */
public record Buffer(int id, List<Integer> tensors, int scratchOfStep, int bytes, int firstStep, int lastStep,
    List<Piece> pieces) {

  /**
   * Bytes {@code [offset, offset + bytes)} of the buffer, intact from step {@code firstStep} to {@code lastStep}.
   */
  public record Piece(int offset, int bytes, int firstStep, int lastStep) {
    public boolean livesWith(Piece other) {
      return firstStep <= other.lastStep && other.firstStep <= lastStep;
    }

    public boolean liveAt(int step) {
      return firstStep <= step && step <= lastStep;
    }
  }

  public Buffer {
    tensors = List.copyOf(tensors);
    pieces = List.copyOf(pieces);
    if (bytes < 1 || firstStep > lastStep || pieces.isEmpty()) {
      throw new IllegalArgumentException("bad buffer " + id + ": " + bytes + " bytes, steps " + firstStep + ".."
          + lastStep);
    }
    for (Piece p : pieces) {
      if (p.offset() < 0 || p.offset() + p.bytes() > bytes || p.firstStep() < firstStep || p.lastStep() > lastStep) {
        throw new IllegalArgumentException("buffer " + id + ": piece " + p + " outside its " + bytes + " bytes, steps "
            + firstStep + ".." + lastStep);
      }
    }
  }

  /** A buffer all of whose bytes are intact for all of its life. */
  public Buffer(int id, List<Integer> tensors, int scratchOfStep, int bytes, int firstStep, int lastStep) {
    this(id, tensors, scratchOfStep, bytes, firstStep, lastStep, List.of(new Piece(0, bytes, firstStep, lastStep)));
  }

  /** Bytes from the lowest to the highest byte that must be intact at {@code step} (0: none). */
  public long bytesAt(int step) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Piece p : pieces) {
      if (p.liveAt(step)) {
        lo = Math.min(lo, p.offset());
        hi = Math.max(hi, (long) p.offset() + p.bytes());
      }
    }
    return hi > lo ? hi - lo : 0;
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
