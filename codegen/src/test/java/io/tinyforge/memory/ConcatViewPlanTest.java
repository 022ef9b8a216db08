package io.tinyforge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Concatenation inputs as strided views of the output ({@link TensorGraph.View}): the planner puts them in the
 * output's buffer at their slice, and the checker proves such plans and refuses the ones where slices meet, a view
 * has another reader, or another buffer lies inside the output's range while a producer writes its slice.
 */
class ConcatViewPlanTest {
  static final int PIXELS = 10;

  /**
   * in -> s (4 bytes a pixel) -> p1, p2 (both read s); cat = [p1, p2, s] on the last axis (12 bytes a pixel) -> out;
   * p1 and p2 are views of cat at bytes 0 and {@code secondOffset} of each pixel.
   */
  private static TensorGraph spp(int secondOffset, boolean p1ReadAgain) {
    int[] bytes = {40, PIXELS * 4, PIXELS * 4, PIXELS * 4, PIXELS * 12, 16};
    List<TensorGraph.Step> steps = List.of(step(new int[] {0}, 1), step(new int[] {1}, 2), step(new int[] {1}, 3),
        step(new int[] {2, 3, 1}, 4), step(p1ReadAgain ? new int[] {4, 2} : new int[] {4}, 5));
    return new TensorGraph(bytes, new boolean[6], steps, List.of(0), List.of(5),
        List.of(new TensorGraph.View(2, 4, 0, PIXELS, 4, 12), new TensorGraph.View(3, 4, secondOffset, PIXELS, 4, 12)));
  }

  private static TensorGraph.Step step(int[] reads, int write) {
    return new TensorGraph.Step(reads, new int[] {write}, false, 0);
  }

  @Test
  void viewsLiveInTheirSliceOfTheOutput() {
    TensorGraph g = spp(4, false);
    MemoryPlan p = MemoryPlanner.plan(g, 16);
    int cat = p.layout().bufferOf(4);
    assertEquals(cat, p.layout().bufferOf(2), "p1 has no buffer of its own");
    assertEquals(cat, p.layout().bufferOf(3), "p2 has no buffer of its own");
    assertEquals(p.tensorOffset(4), p.tensorOffset(2));
    assertEquals(p.tensorOffset(4) + 4, p.tensorOffset(3), "p2's slice starts 4 bytes into each pixel");
    assertEquals(1, p.buffers().get(cat).firstStep(), "the output lives from the first producer");
    assertEquals(2, Lifetimes.viewsTaken(g, p.layout()).size());
    assertTrue(PlanChecker.problems(p, g).isEmpty(), PlanChecker.problems(p, g).toString());
    // the concatenation step holds s and cat (160 bytes) instead of s, p1, p2 and cat (240)
    assertEquals(160, p.lowerBound());
    MemoryPlan copies = MemoryPlanner.plan(g.withoutViews(), 16);
    assertEquals(240, copies.lowerBound());
    assertTrue(p.arenaBytes() < copies.arenaBytes());
  }

  @Test
  void slicesThatMeetAreRefused() {
    TensorGraph g = spp(2, false); // p2's slice overlaps p1's
    MemoryPlan p = GreedyPlanner.plan(Lifetimes.of(g, Lifetimes.InPlace.OFF, 4), g.steps().size(), 4);
    List<String> problems = PlanChecker.problems(p, g);
    assertTrue(problems.stream().anyMatch(s -> s.contains("meets")), problems.toString());
  }

  @Test
  void aViewWithAnotherReaderIsRefused() {
    TensorGraph g = spp(4, true); // out reads p1 too: its bytes would be gone once cat is overwritten
    MemoryPlan p = GreedyPlanner.plan(Lifetimes.of(g, Lifetimes.InPlace.OFF, 4), g.steps().size(), 4);
    List<String> problems = PlanChecker.problems(p, g);
    assertTrue(problems.stream().anyMatch(s -> s.contains("read by more than one step")), problems.toString());
  }

  /** A view occupies its parent's whole range while it lives: s inside cat's last pixels collides with p1. */
  @Test
  void aBufferInsideTheOutputWhileAProducerWritesIsRefused() {
    TensorGraph g = spp(4, false);
    MemoryPlan good = MemoryPlanner.plan(g, 4);
    int[] offsets = good.offsets();
    int sBuffer = good.layout().bufferOf(1);
    int catBuffer = good.layout().bufferOf(4);
    // s at the start of cat's last 40 bytes: outside p1's and p2's bytes if they were contiguous tensors
    offsets[sBuffer] = offsets[catBuffer] + PIXELS * 12 - 40;
    int arena = Math.max(good.arenaBytes(), offsets[catBuffer] + PIXELS * 12);
    MemoryPlan bad = new MemoryPlan(good.layout(), offsets, arena, 4, good.stepCount());
    List<String> problems = PlanChecker.problems(bad, g);
    assertTrue(problems.stream().anyMatch(s -> s.startsWith("step 1:") && s.contains("overlaps")),
        problems.toString());
  }
}
