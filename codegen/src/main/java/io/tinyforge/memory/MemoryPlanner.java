package io.tinyforge.memory;

import io.tinyforge.lower.LoweredModel;

/** Plans a lowered model's arena and proves the plan with {@link PlanChecker} before anyone uses it. */
public final class MemoryPlanner {
  private MemoryPlanner() {}

  public static MemoryPlan plan(LoweredModel lowered, int alignment) {
    TensorGraph graph = TensorGraph.of(lowered);
    MemoryPlan plan = GreedyPlanner.plan(graph, alignment);
    PlanChecker.check(plan, graph);
    return plan;
  }
}
