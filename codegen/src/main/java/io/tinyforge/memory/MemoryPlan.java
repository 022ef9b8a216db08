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
 * @param boundaries where one memory region ends and the next begins, ascending: offsets are virtual, region i
 *     covers [boundaries[i-1], boundaries[i]) (the first starts at 0, the last ends at the arena's end), and no
 *     buffer crosses a boundary, so each region becomes an arena of its own (empty: one region, one arena)
 */
public record MemoryPlan(Lifetimes.Layout layout, int[] offsets, int arenaBytes, int alignment, int stepCount,
    int[] boundaries) {
  public MemoryPlan {
    offsets = offsets.clone();
    boundaries = boundaries.clone();
  }

  /** A plan in one region. */
  public MemoryPlan(Lifetimes.Layout layout, int[] offsets, int arenaBytes, int alignment, int stepCount) {
    this(layout, offsets, arenaBytes, alignment, stepCount, new int[0]);
  }

  public int regionCount() {
    return boundaries.length + 1;
  }

  /** Virtual offset where region {@code r} starts. */
  public int regionBase(int r) {
    return r == 0 ? 0 : boundaries[r - 1];
  }

  /** The region holding virtual offset {@code offset}. */
  public int regionOf(int offset) {
    int r = 0;
    while (r < boundaries.length && offset >= boundaries[r]) {
      r++;
    }
    return r;
  }

  /** Arena bytes over all regions: what the memories hold (arenaBytes() counts the gaps of unused capacity too). */
  public long usedBytes() {
    long sum = 0;
    for (int r = 0; r < regionCount(); r++) {
      sum += regionBytes(r);
    }
    return boundaries.length == 0 ? arenaBytes : sum;
  }

  /** Bytes region {@code r}'s arena needs: the end of its highest buffer, aligned (0: the region is unused). */
  public int regionBytes(int r) {
    long end = regionBase(r);
    for (Buffer b : buffers()) {
      int o = offsets[b.id()];
      if (regionOf(o) == r) {
        end = Math.max(end, (long) o + b.bytes());
      }
    }
    long used = end - regionBase(r);
    return Math.toIntExact((used + alignment - 1) / alignment * alignment);
  }

  public List<Buffer> buffers() {
    return layout.buffers();
  }

  public int offsetOf(Buffer b) {
    return offsets[b.id()];
  }

  /** Arena offset of tensor {@code t} (its buffer's offset plus its place inside), or -1 if it is not in the arena. */
  public int tensorOffset(int t) {
    int b = layout.bufferOf(t);
    return b < 0 ? -1 : offsets[b] + layout.offsetInBuffer(t);
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
