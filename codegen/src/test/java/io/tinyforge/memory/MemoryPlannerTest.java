package io.tinyforge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MemoryPlannerTest {

  /** in -> conv -> a -> conv -> b -> conv -> out: two buffers alternate, 16-byte aligned. */
  @Test
  void chainReusesTwoBuffers() {
    TensorGraph g = new TensorGraph(new int[] {100, 10, 100, 10, 100, 10, 100},
        new boolean[] {false, true, false, true, false, true, false},
        List.of(step(new int[] {0, 1}, 2), step(new int[] {2, 3}, 4), step(new int[] {4, 5}, 6)),
        List.of(0), List.of(6));
    MemoryPlan p = GreedyPlanner.plan(g, 16);
    assertEquals(200, p.lowerBound());
    assertEquals(224, p.arenaBytes()); // 100 at 0, 100 at 112
    assertTrue(PlanChecker.problems(p, g).isEmpty(), PlanChecker.problems(p, g).toString());
    assertEquals(-1, p.tensorOffset(1), "constants are not in the arena");
    assertEquals(p.tensorOffset(0), p.tensorOffset(4), "in and b can share: in is dead after op 0");
  }

  @Test
  void aliasSharesItsInputBytesButACopiedConstantDoesNot() {
    // 0 (input) -reshape-> 1 -op-> 2 ; 3 (const) -reshape-> 4 ; op reads 2 and 4 -> 5
    TensorGraph g = new TensorGraph(new int[] {64, 64, 64, 32, 32, 16},
        new boolean[] {false, false, false, true, false, false},
        List.of(new TensorGraph.Step(new int[] {0}, new int[] {1}, true, 0), step(new int[] {1}, 2),
            new TensorGraph.Step(new int[] {3}, new int[] {4}, true, 0), step(new int[] {2, 4}, 5)),
        List.of(0), List.of(5));
    MemoryPlan p = MemoryPlannerFacade.planChecked(g, 4);
    assertEquals(p.tensorOffset(0), p.tensorOffset(1));
    assertTrue(p.tensorOffset(4) >= 0, "a reshaped constant gets its own arena copy");
    assertFalse(Lifetimes.aliasTaken(g, g.steps().get(2)));
  }

  @Test
  void scratchLivesOnlyDuringItsOp() {
    TensorGraph g = new TensorGraph(new int[] {50, 50, 50}, new boolean[] {false, false, false},
        List.of(new TensorGraph.Step(new int[] {0}, new int[] {1}, false, 400), step(new int[] {1}, 2)),
        List.of(0), List.of(2));
    MemoryPlan p = MemoryPlannerFacade.planChecked(g, 8);
    assertTrue(p.scratchOffset(0) >= 0);
    assertEquals(-1, p.scratchOffset(1));
    assertEquals(500, p.lowerBound());
  }

  /** Property: on random network-like graphs every plan passes the checker and respects the lower bound. */
  @Test
  void randomGraphsGiveSafePlansAtOrAboveTheLowerBound() {
    Random r = new Random(42);
    long totalArena = 0;
    long totalBound = 0;
    for (int i = 0; i < 500; i++) {
      TensorGraph g = RandomGraphs.generate(r);
      int alignment = 1 << r.nextInt(5);
      MemoryPlan p = GreedyPlanner.plan(g, alignment);
      List<String> problems = PlanChecker.problems(p, g);
      assertTrue(problems.isEmpty(), "graph " + i + ": " + problems);
      assertTrue(p.arenaBytes() >= p.lowerBound(), "graph " + i + ": arena below the lower bound");
      totalArena += p.arenaBytes();
      totalBound += p.lowerBound();
    }
    // Not a proof of optimality, but the planner should stay close to the bound on such graphs.
    assertTrue(totalArena <= totalBound * 1.25, "arena " + totalArena + " vs lower bound " + totalBound);
  }

  /** The checker catches every kind of broken plan, on random graphs. */
  @Test
  void brokenPlansAreCaught() {
    Random r = new Random(7);
    int overlaps = 0;
    for (int i = 0; i < 300; i++) {
      TensorGraph g = RandomGraphs.generate(r);
      MemoryPlan good = GreedyPlanner.plan(g, 4);
      List<Buffer> bs = good.buffers();
      // 1. two buffers live at the same step put on the same offset
      for (Buffer a : bs) {
        for (Buffer b : bs) {
          if (a.id() < b.id() && a.livesWith(b) && good.offsetOf(a) != good.offsetOf(b)) {
            int[] off = good.offsets().clone();
            off[b.id()] = off[a.id()];
            MemoryPlan bad = new MemoryPlan(good.layout(), off, Math.max(good.arenaBytes(),
                off[a.id()] + Math.max(a.bytes(), b.bytes())), 4, good.stepCount());
            assertFalse(PlanChecker.problems(bad, g).isEmpty(), "overlap not caught in graph " + i);
            overlaps++;
          }
        }
      }
      if (bs.isEmpty()) {
        continue;
      }
      Buffer first = bs.get(0);
      // 2. a buffer beyond the end of the arena
      int[] off = good.offsets().clone();
      off[first.id()] = good.arenaBytes();
      assertFalse(PlanChecker.problems(new MemoryPlan(good.layout(), off, good.arenaBytes(), 4, good.stepCount()),
          g).isEmpty(), "out-of-arena buffer not caught");
      // 3. a misaligned buffer
      off = good.offsets().clone();
      off[first.id()] += 1;
      assertFalse(PlanChecker.problems(new MemoryPlan(good.layout(), off, good.arenaBytes() + 8, 4,
          good.stepCount()), g).isEmpty(), "misaligned buffer not caught");
      // 4. a lifetime cut short (the planner's lifetimes are not trusted)
      if (first.lastStep() > first.firstStep() || first.firstStep() > 0) {
        List<Buffer> cut = new java.util.ArrayList<>(bs);
        cut.set(0, new Buffer(first.id(), first.tensors(), first.scratchOfStep(), first.bytes(),
            first.lastStep(), first.lastStep()));
        if (first.lastStep() > first.firstStep()) {
          Lifetimes.Layout l = new Lifetimes.Layout(cut, good.layout().bufferOfTensor(),
              good.layout().scratchOfStep());
          assertFalse(PlanChecker.problems(new MemoryPlan(l, good.offsets(), good.arenaBytes(), 4,
              good.stepCount()), g).isEmpty(), "short lifetime not caught in graph " + i);
        }
      }
    }
    assertTrue(overlaps > 100, "too few overlap mutations tried: " + overlaps);
  }

  @Test
  void checkThrowsWithTheOverlappingBuffers() {
    TensorGraph g = new TensorGraph(new int[] {100, 100}, new boolean[] {false, false},
        List.of(step(new int[] {0}, 1)), List.of(0), List.of(1));
    MemoryPlan good = GreedyPlanner.plan(g, 4);
    MemoryPlan bad = new MemoryPlan(good.layout(), new int[] {0, 0}, 100, 4, 1);
    PlanChecker.UnsafePlanException e = assertThrows(PlanChecker.UnsafePlanException.class,
        () -> PlanChecker.check(bad, g));
    assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
  }

  private static TensorGraph.Step step(int[] reads, int write) {
    return new TensorGraph.Step(reads, new int[] {write}, false, 0);
  }

  /** Plans and checks like MemoryPlanner does for models. */
  static final class MemoryPlannerFacade {
    static MemoryPlan planChecked(TensorGraph g, int alignment) {
      MemoryPlan p = GreedyPlanner.plan(g, alignment);
      PlanChecker.check(p, g);
      return p;
    }
  }
}
