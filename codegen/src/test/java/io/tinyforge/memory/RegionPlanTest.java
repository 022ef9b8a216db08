package io.tinyforge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Plans over several memory regions: no buffer crosses a region boundary, and the checker proves it. */
class RegionPlanTest {

  @Test
  void randomGraphsSpanRegionsWithoutCrossingABoundary() {
    Random r = new Random(7);
    int spanning = 0;
    for (int i = 0; i < 300; i++) {
      TensorGraph g = RandomGraphs.generate(r);
      long single = MemoryPlanner.plan(g, 16).arenaBytes();
      // A first region of about a third of the single-region arena forces most plans to span.
      int edge = (int) (single / 3 / 16 * 16);
      int[] boundaries = {edge, edge + (int) (single / 16 * 16)};
      MemoryPlan p = MemoryPlanner.plan(g, 16, boundaries);
      assertEquals(List.of(), PlanChecker.problems(p, g));
      for (Buffer b : p.buffers()) {
        int o = p.offsetOf(b);
        assertEquals(p.regionOf(o), p.regionOf(o + b.bytes() - 1), b.label() + " crosses a boundary");
      }
      if (p.regionBytes(0) > 0 && p.regionBytes(1) > 0) {
        spanning++;
      }
    }
    assertTrue(spanning > 100, "only " + spanning + " of 300 plans used two regions");
  }

  @Test
  void checkerRejectsABufferAcrossABoundary() {
    TensorGraph g = new TensorGraph(new int[] {100, 100}, new boolean[] {false, false},
        List.of(new TensorGraph.Step(new int[] {0}, new int[] {1}, false, 0)), List.of(0), List.of(1));
    MemoryPlan good = MemoryPlanner.plan(g, 4, new int[] {100});
    assertEquals(List.of(), PlanChecker.problems(good, g));
    assertEquals(100, good.regionBytes(0));
    assertEquals(100, good.regionBytes(1));
    MemoryPlan bad = new MemoryPlan(good.layout(), new int[] {0, 64}, 164, 4, good.stepCount(), new int[] {100});
    List<String> problems = PlanChecker.problems(bad, g);
    assertFalse(problems.isEmpty());
    assertTrue(problems.get(0).contains("crosses the region boundary at 100"), problems.toString());
  }
}
