package io.tinyforge.memory;

import io.tinyforge.lower.LoweredModel;
import java.util.List;

/**
 * Plans a lowered model's arena and proves the plan with {@link PlanChecker} before anyone uses it. Element-wise
 * ops, and pointwise convolutions, write over inputs they read for the last time when that gives a smaller arena
 * (it always lowers the live-set bound, but the greedy placement is a heuristic, so every layout is placed and the
 * smallest wins).
 */
public final class MemoryPlanner {
  private MemoryPlanner() {}

  public static MemoryPlan plan(LoweredModel lowered, int alignment) {
    return plan(TensorGraph.of(lowered), alignment);
  }

  public static MemoryPlan plan(TensorGraph graph, int alignment) {
    return plan(graph, alignment, new int[0]);
  }

  /** A plan whose buffers stay inside the regions that {@code boundaries} separate (see {@link MemoryPlan}). */
  public static MemoryPlan plan(TensorGraph graph, int alignment, int[] boundaries) {
    MemoryPlan plan = unchecked(graph, alignment, boundaries);
    PlanChecker.check(plan, graph);
    return plan;
  }

  /**
   * As {@link #plan(TensorGraph, int, int[])}; when the memories end at {@code budget} and the hot-first order
   * ({@link GreedyPlanner#HOT_FIRST}: scratch and small buffers in the fastest memory) fits in them, that plan,
   * else the smallest one.
   */
  public static MemoryPlan plan(TensorGraph graph, int alignment, int[] boundaries, long budget) {
    if (boundaries.length > 0 && budget > 0) {
      MemoryPlan hot = GreedyPlanner.place(Lifetimes.of(graph, Lifetimes.InPlace.POINTWISE, alignment),
          graph.steps().size(), alignment, GreedyPlanner.HOT_FIRST, boundaries);
      if (hot.arenaBytes() <= budget) {
        PlanChecker.check(hot, graph);
        return hot;
      }
    }
    return plan(graph, alignment, boundaries);
  }

  /** The arena {@link #plan} would give, without the (slower) proof: for comparing candidate schedules. */
  static long arenaBytes(TensorGraph graph, int alignment) {
    return unchecked(graph, alignment, new int[0]).arenaBytes();
  }

  public static long arenaBytes(TensorGraph graph, int alignment, int[] boundaries) {
    return unchecked(graph, alignment, boundaries).arenaBytes();
  }

  /**
   * The smallest of the layouts, ties going to the one with more in place; with and without the strided views of
   * concatenation inputs (a view lengthens its concatenation output's life back to its producer, which can cost
   * more than the input's own buffer saves), ties going to the views.
   */
  private static MemoryPlan unchecked(TensorGraph graph, int alignment, int[] boundaries) {
    MemoryPlan best = null;
    for (boolean views : graph.views().isEmpty() ? List.of(true) : List.of(true, false)) {
      for (Lifetimes.InPlace mode : List.of(Lifetimes.InPlace.POINTWISE, Lifetimes.InPlace.ELEMENTWISE,
          Lifetimes.InPlace.OFF)) {
        if (mode == Lifetimes.InPlace.POINTWISE && !hasPointwise(graph)) {
          continue; // the same layout as ELEMENTWISE
        }
        MemoryPlan p = GreedyPlanner.plan(Lifetimes.of(graph, mode, alignment, views), graph.steps().size(),
            alignment, boundaries);
        if (best == null || p.arenaBytes() < best.arenaBytes()) {
          best = p;
        }
      }
    }
    return best;
  }

  private static boolean hasPointwise(TensorGraph graph) {
    for (TensorGraph.Step s : graph.steps()) {
      if (s.pointwise() != null) {
        return true;
      }
    }
    return false;
  }
}
