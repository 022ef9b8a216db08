package io.tinyforge.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places buffers in one arena, first fit over the live intervals: buffers are taken in some order and each goes at
 * the lowest aligned offset that does not collide with an already placed buffer whose lifetime overlaps its own
 * (the idea of TFLM's GreedyMemoryPlanner). Several orders are tried (largest first; largest lifetime-area first;
 * execution order) and the smallest arena wins, ties going to the earlier order; deterministic for a given graph.
 */
public final class GreedyPlanner {
  private GreedyPlanner() {}

  /** The orders tried, best known first. */
  static final List<Comparator<Buffer>> ORDERS = List.of(
      Comparator.comparingInt(Buffer::bytes).reversed()
          .thenComparingInt(Buffer::firstStep).thenComparingInt(Buffer::id),
      Comparator.comparingLong((Buffer b) -> (long) b.bytes() * (b.lastStep() - b.firstStep() + 1)).reversed()
          .thenComparingInt(Buffer::id),
      Comparator.comparingInt(Buffer::firstStep).thenComparing(Comparator.comparingInt(Buffer::bytes).reversed())
          .thenComparingInt(Buffer::id),
      Comparator.comparingInt((Buffer b) -> b.lastStep() - b.firstStep()).reversed()
          .thenComparing(Comparator.comparingInt(Buffer::bytes).reversed()).thenComparingInt(Buffer::id));

  /**
   * The order for an arena over several memories, the fastest first: kernel scratch (re-read for every output
   * pixel) and then the smallest buffers take the lowest offsets, so they land in the fast memory and the large
   * tensors, each read a few times, go to the big slow one.
   */
  static final Comparator<Buffer> HOT_FIRST = Comparator.comparing((Buffer b) -> !b.isScratch())
      .thenComparingInt(Buffer::bytes).thenComparingInt(Buffer::firstStep).thenComparingInt(Buffer::id);

  public static MemoryPlan plan(TensorGraph graph, int alignment) {
    return plan(Lifetimes.of(graph), graph.steps().size(), alignment);
  }

  public static MemoryPlan plan(Lifetimes.Layout layout, int stepCount, int alignment) {
    return plan(layout, stepCount, alignment, new int[0]);
  }

  /** As {@link #plan(Lifetimes.Layout, int, int)}, with no buffer crossing any of the (aligned) boundaries. */
  public static MemoryPlan plan(Lifetimes.Layout layout, int stepCount, int alignment, int[] boundaries) {
    if (alignment < 1 || Integer.bitCount(alignment) != 1) {
      throw new IllegalArgumentException("alignment " + alignment + " is not a power of two");
    }
    MemoryPlan best = null;
    for (Comparator<Buffer> order : ORDERS) {
      MemoryPlan p = place(layout, stepCount, alignment, order, boundaries);
      if (best == null || p.arenaBytes() < best.arenaBytes()) {
        best = p;
      }
    }
    return best;
  }

  /** First fit in the given order. */
  static MemoryPlan place(Lifetimes.Layout layout, int stepCount, int alignment, Comparator<Buffer> order) {
    return place(layout, stepCount, alignment, order, new int[0]);
  }

  static MemoryPlan place(Lifetimes.Layout layout, int stepCount, int alignment, Comparator<Buffer> order,
      int[] boundaries) {
    List<Buffer> sorted = new ArrayList<>(layout.buffers());
    sorted.sort(order);
    int[] offsets = new int[layout.buffers().size()];
    List<Buffer> placed = new ArrayList<>();
    long end = 0;
    for (Buffer b : sorted) {
      // Offsets of b that would put one of its pieces on a piece of a placed buffer live at the same step: the
      // open interval (lo, hi). b goes to the lowest aligned offset in none of them (first fit).
      List<long[]> forbidden = new ArrayList<>();
      for (Buffer p : placed) {
        if (!p.livesWith(b)) {
          continue;
        }
        for (Buffer.Piece q : p.pieces()) {
          for (Buffer.Piece m : b.pieces()) {
            if (q.livesWith(m) && q.bytes() > 0 && m.bytes() > 0) {
              long qStart = (long) offsets[p.id()] + q.offset();
              forbidden.add(new long[] {qStart - m.offset() - m.bytes(), qStart + q.bytes() - m.offset()});
            }
          }
        }
      }
      forbidden.sort(Comparator.comparingLong((long[] f) -> f[0]).thenComparingLong(f -> f[1]));
      long candidate = 0;
      boolean moved = true;
      while (moved) {
        moved = false;
        for (long[] f : forbidden) {
          if (f[0] >= candidate) {
            break; // sorted by lo: no later interval holds the candidate either
          }
          if (candidate < f[1]) {
            candidate = align(f[1], alignment);
          }
        }
        // A buffer lives in one memory: one that would run over into the next region starts at that region.
        for (int edge : boundaries) {
          if (candidate < edge && candidate + b.bytes() > edge) {
            candidate = edge;
            moved = true;
            break;
          }
        }
      }
      offsets[b.id()] = Math.toIntExact(candidate);
      placed.add(b);
      end = Math.max(end, candidate + b.bytes());
    }
    int arena = Math.toIntExact(Math.max(alignment, align(end, alignment)));
    return new MemoryPlan(layout, offsets, arena, alignment, stepCount, boundaries);
  }

  static long align(long v, int alignment) {
    return (v + alignment - 1) / alignment * alignment;
  }
}
