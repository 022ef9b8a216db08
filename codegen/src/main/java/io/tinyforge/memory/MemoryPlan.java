package io.tinyforge.memory;

import java.util.List;

/**
 * Where each buffer sits in the arena.
 *
 * @param layout the buffers and which tensor lives in which
 * @param offsets byte offset of each buffer by buffer id
 * @param arenaBytes size of the arena (end of the highest buffer, rounded up to the alignment)
 * @param alignment every offset is a multiple of it
 * @param stepCount number of steps the lifetimes refer to
 */
public record MemoryPlan(Lifetimes.Layout layout, int[] offsets, int arenaBytes, int alignment, int stepCount) {
  public MemoryPlan {
    offsets = offsets.clone();
  }

  public List<Buffer> buffers() {
    return layout.buffers();
  }

  public int offsetOf(Buffer b) {
    return offsets[b.id()];
  }

  /** Arena offset of tensor {@code t}, or -1 if it is not in the arena. */
  public int tensorOffset(int t) {
    int b = layout.bufferOf(t);
    return b < 0 ? -1 : offsets[b];
  }

  /** Arena offset of step {@code s}'s scratch, or -1 if it has none. */
  public int scratchOffset(int step) {
    int b = layout.scratchOfStep()[step];
    return b < 0 ? -1 : offsets[b];
  }

  /**
   * The live-set lower bound: the most bytes live at any one step. No plan, whatever the order or alignment, can
   * use less.
   */
  public long lowerBound() {
    return LiveSet.lowerBound(buffers(), stepCount);
  }
}
