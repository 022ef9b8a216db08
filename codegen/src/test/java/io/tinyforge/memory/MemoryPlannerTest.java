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

  /** Property: in-place layouts pass the checker and never raise the live-set bound. */
  @Test
  void inPlaceLayoutsAreSafeAndNeverRaiseTheBound() {
    Random r = new Random(43);
    int taken = 0;
    for (int i = 0; i < 500; i++) {
      TensorGraph g = RandomGraphs.generate(r, true);
      int alignment = 1 << r.nextInt(5);
      MemoryPlan separate = GreedyPlanner.plan(Lifetimes.of(g, false), g.steps().size(), alignment);
      MemoryPlan inPlace = GreedyPlanner.plan(Lifetimes.of(g, true), g.steps().size(), alignment);
      List<String> problems = PlanChecker.problems(inPlace, g);
      assertTrue(problems.isEmpty(), "graph " + i + ": " + problems);
      assertTrue(inPlace.lowerBound() <= separate.lowerBound(), "graph " + i + ": in place raised the bound");
      MemoryPlan chosen = MemoryPlanner.plan(g, alignment);
      assertTrue(chosen.arenaBytes() <= separate.arenaBytes(), "graph " + i + ": the planner's arena grew");
      for (int s = 0; s < g.steps().size(); s++) {
        if (Lifetimes.inPlaceTaken(g, inPlace.layout(), s)) {
          taken++;
        }
      }
    }
    assertTrue(taken > 200, "only " + taken + " steps ran in place");
  }

  /** A step writing over an input that a later step still reads is refused by the checker. */
  @Test
  void overwritingALiveInputIsCaught() {
    // 0 (input) -op0-> 1 -op1 (element-wise)-> 2 ; op2 reads 1 again -> 3 ; op3 joins 2 and 3 -> 4
    TensorGraph g = new TensorGraph(new int[] {40, 40, 40, 40, 40}, new boolean[5],
        List.of(step(new int[] {0}, 1), new TensorGraph.Step(new int[] {1}, new int[] {2}, false, 0, new int[] {1}),
            step(new int[] {1}, 3), step(new int[] {2, 3}, 4)),
        List.of(0), List.of(4));
    Lifetimes.Layout honest = Lifetimes.of(g, true);
    assertTrue(honest.bufferOf(1) != honest.bufferOf(2), "tensor 1 is read by op 2: op 1 must not overwrite it");
    // the same graph with the shared buffer forced: tensors 1 and 2 in one buffer living over ops 0..3
    List<Buffer> forced = List.of(new Buffer(0, List.of(0), -1, 40, 0, 0), new Buffer(1, List.of(1, 2), -1, 40, 0, 3),
        new Buffer(2, List.of(3), -1, 40, 2, 3), new Buffer(3, List.of(4), -1, 40, 3, 3));
    Lifetimes.Layout bad = new Lifetimes.Layout(forced, new int[] {0, 1, 1, 2, 3}, new int[] {-1, -1, -1, -1});
    MemoryPlan plan = new MemoryPlan(bad, new int[] {0, 48, 96, 0}, 144, 16, 4);
    List<String> problems = PlanChecker.problems(plan, g);
    assertTrue(problems.stream().anyMatch(p -> p.contains("shares a buffer")), problems.toString());
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
