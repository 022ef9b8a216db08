package io.tinyforge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.lower.ConvParams;
import io.tinyforge.lower.FeatureMaps;
import io.tinyforge.lower.Requantization;
import io.tinyforge.lower.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A pointwise convolution writing its output over its dying input at an offset: where the planner does it, where it
 * must not, and that the checker refuses every layout whose forward walk would overwrite input not yet read. The
 * walk itself is replayed byte by byte on an arena here, the way the 1x1 kernels interleave reads and stores.
 */
class PointwisePlanTest {

  /** in (16 bytes) -(op)-> x (pixels x cin) -(pointwise)-> y (pixels x cout) -(op)-> out (16 bytes). */
  private static TensorGraph chain(int pixels, int cin, int cout, int block) {
    int[] bytes = {16, pixels * cin, pixels * cout, 16};
    TensorGraph.Pointwise walk = new TensorGraph.Pointwise(1, pixels, cin, cout, block);
    return new TensorGraph(bytes, new boolean[4],
        List.of(step(new int[] {0}, 1), pointwise(1, 2, walk), step(new int[] {2}, 3)), List.of(0), List.of(3));
  }

  private static TensorGraph.Step step(int[] reads, int write) {
    return new TensorGraph.Step(reads, new int[] {write}, false, 0);
  }

  private static TensorGraph.Step pointwise(int in, int out, TensorGraph.Pointwise walk) {
    return new TensorGraph.Step(new int[] {in}, new int[] {out}, false, 0, new int[0], walk);
  }

  @Test
  void wideningPutsTheInputAtTheOutputsTail() {
    // person_detect's peak: 48x48x8 -> 48x48x16
    TensorGraph g = chain(48 * 48, 8, 16, 4);
    MemoryPlan p = MemoryPlanner.plan(g, 16);
    assertEquals(p.layout().bufferOf(1), p.layout().bufferOf(2), "the pointwise step runs in place");
    assertTrue(Lifetimes.pointwiseTaken(g, p.layout(), 1));
    long gap = p.tensorOffset(1) - p.tensorOffset(2);
    // 2304 pixels x 8 bytes more output than input, and one block of four input pixels (32 bytes) to spare
    assertEquals(48 * 48 * 8 + 32, gap);
    Buffer shared = p.buffers().get(p.layout().bufferOf(2));
    assertEquals(48 * 48 * 16 + 32, shared.bytes(), "the buffer runs 32 bytes past the output");
    // the peak is the pointwise step alone: 36,896 bytes instead of 18,432 + 36,864
    assertEquals(48 * 48 * 16 + 32, p.lowerBound());
    assertEquals(48 * 48 * 16 + 32, p.arenaBytes());
    MemoryPlan separate = GreedyPlanner.plan(Lifetimes.of(g, false), g.steps().size(), 16);
    assertEquals(48 * 48 * 24, separate.lowerBound());
    assertTrue(p.arenaBytes() < separate.arenaBytes());
    assertTrue(PlanChecker.problems(p, g).isEmpty(), PlanChecker.problems(p, g).toString());
  }

  @Test
  void narrowingPutsTheOutputAtTheInputsHead() {
    TensorGraph g = chain(100, 24, 8, 4);
    MemoryPlan p = MemoryPlanner.plan(g, 16);
    assertEquals(p.layout().bufferOf(1), p.layout().bufferOf(2));
    // four output pixels (32 bytes) ahead of the input
    assertEquals(32, p.tensorOffset(1) - p.tensorOffset(2));
    assertEquals(32 + 2400, p.buffers().get(p.layout().bufferOf(2)).bytes());
    assertTrue(PlanChecker.problems(p, g).isEmpty(), PlanChecker.problems(p, g).toString());
  }

  @Test
  void theGapCoversTheWorstBlock() {
    // widening: the last block [n - k, n) writes up to n * out while the input from (n - k) * in is unread
    assertEquals(10 * (16 - 8) + 4 * 8, new TensorGraph.Pointwise(0, 10, 8, 16, 4).gapBytes());
    // narrowing: the first block writes k * out bytes before the input's start can be read
    assertEquals(4 * 8, new TensorGraph.Pointwise(0, 10, 24, 8, 4).gapBytes());
    // a block larger than the tensor is the tensor
    assertEquals(3 * 16, new TensorGraph.Pointwise(0, 3, 8, 16, 4).gapBytes());
    assertEquals(2 * 8, new TensorGraph.Pointwise(0, 2, 8, 8, 4).gapBytes());
  }

  @Test
  void anInputReadAgainLaterIsNotOverwritten() {
    // x is read by the pointwise step and again by step 2
    int[] bytes = {64, 64, 128, 64, 16};
    TensorGraph.Pointwise walk = new TensorGraph.Pointwise(1, 8, 8, 16, 4);
    TensorGraph g = new TensorGraph(bytes, new boolean[5],
        List.of(step(new int[] {0}, 1), pointwise(1, 2, walk), step(new int[] {1}, 3), step(new int[] {2, 3}, 4)),
        List.of(0), List.of(4));
    MemoryPlan p = MemoryPlanner.plan(g, 16);
    assertNotEquals(p.layout().bufferOf(1), p.layout().bufferOf(2));
  }

  @Test
  void graphInputsAndOutputsAreNotOverwritten() {
    TensorGraph.Pointwise walk = new TensorGraph.Pointwise(0, 8, 8, 16, 4);
    // the walked input is the graph input: the caller's bytes stay intact
    TensorGraph fromInput = new TensorGraph(new int[] {64, 128, 16}, new boolean[3],
        List.of(pointwise(0, 1, walk), step(new int[] {1}, 2)), List.of(0), List.of(2));
    MemoryPlan p = MemoryPlanner.plan(fromInput, 16);
    assertNotEquals(p.layout().bufferOf(0), p.layout().bufferOf(1));
    // the walked input is also a graph output
    TensorGraph.Pointwise walk1 = new TensorGraph.Pointwise(1, 8, 8, 16, 4);
    TensorGraph inputIsOutput = new TensorGraph(new int[] {64, 64, 128}, new boolean[3],
        List.of(step(new int[] {0}, 1), pointwise(1, 2, walk1)), List.of(0), List.of(1, 2));
    p = MemoryPlanner.plan(inputIsOutput, 16);
    assertNotEquals(p.layout().bufferOf(1), p.layout().bufferOf(2));
    // the pointwise output may be a graph output: it lives to the end either way
    TensorGraph toOutput = new TensorGraph(new int[] {64, 64, 128}, new boolean[3],
        List.of(step(new int[] {0}, 1), pointwise(1, 2, walk1)), List.of(0), List.of(2));
    p = MemoryPlanner.plan(toOutput, 16);
    assertEquals(p.layout().bufferOf(1), p.layout().bufferOf(2));
    assertTrue(PlanChecker.problems(p, toOutput).isEmpty(), PlanChecker.problems(p, toOutput).toString());
  }

  @Test
  void onlyPointwiseConvolutionsWalk() {
    assertEquals(new TensorGraph.Pointwise(0, 48 * 48, 8, 16, 4),
        TensorGraph.pointwise(conv(1, 48, 48, 8, 16, 1, 1, 0, 8), true));
    assertNull(TensorGraph.pointwise(conv(1, 48, 48, 8, 16, 1, 1, 0, 8), false), "int16 activations");
    assertNull(TensorGraph.pointwise(conv(1, 48, 48, 8, 16, 1, 2, 0, 8), true), "stride 2");
    assertNull(TensorGraph.pointwise(conv(1, 48, 48, 8, 16, 1, 1, 1, 8), true), "padding");
    assertNull(TensorGraph.pointwise(conv(1, 48, 48, 8, 16, 3, 1, 1, 8), true), "3x3 filter");
    assertNull(TensorGraph.pointwise(conv(2, 48, 48, 8, 16, 1, 1, 0, 8), true), "two batches");
    assertNull(TensorGraph.pointwise(conv(1, 48, 48, 8, 16, 1, 1, 0, 4), true), "grouped");
    assertNull(TensorGraph.pointwise(conv(1, 6, 6, 32, 65, 1, 1, 0, 32), true),
        "more output channels than tfk_conv_1x1_s8_dsp's one walk covers");
    assertEquals(64, TensorGraph.pointwise(conv(1, 6, 6, 32, 64, 1, 1, 0, 32), true).outPixelBytes());
  }

  static ConvParams conv(int batches, int h, int w, int cin, int cout, int k, int stride, int pad, int groupDepth) {
    int oh = (h + 2 * pad - k) / stride + 1;
    int ow = (w + 2 * pad - k) / stride + 1;
    int[] mult = new int[cout];
    int[] shift = new int[cout];
    Arrays.fill(mult, 1 << 30);
    Arrays.fill(shift, -8);
    return new ConvParams(0, 1, 2, 3, new FeatureMaps(batches, h, w, cin, oh, ow, cout), groupDepth,
        new Window(k, k, stride, stride, 1, 1, pad, pad), 1, new Requantization(mult, shift, 0, -128, 127));
  }

  /** Layouts with the input too close to (or on top of) the output are refused, naming the walk. */
  @Test
  void theCheckerRefusesAWalkOverUnreadInput() {
    for (int[] shape : new int[][] {{48, 8, 16}, {100, 24, 8}, {7, 5, 5}, {9, 3, 64}}) {
      TensorGraph g = chain(shape[0], shape[1], shape[2], 4);
      MemoryPlan good = MemoryPlanner.plan(g, 1);
      int b = good.layout().bufferOf(2);
      assertEquals(b, good.layout().bufferOf(1), Arrays.toString(shape));
      int gap = good.tensorOffset(1) - good.tensorOffset(2);
      for (int closer = 1; closer <= gap; closer++) {
        MemoryPlan bad = withInputAt(good, g, gap - closer);
        List<String> problems = PlanChecker.problems(bad, g);
        assertTrue(problems.stream().anyMatch(s -> s.contains("over unread input")),
            Arrays.toString(shape) + " gap " + (gap - closer) + ": " + problems);
      }
    }
  }

  /** The same layout with the walked input (tensor 1) {@code gap} bytes past the output, the buffer grown to fit. */
  private static MemoryPlan withInputAt(MemoryPlan good, TensorGraph g, int gap) {
    Lifetimes.Layout l = good.layout();
    int[] inside = l.offsetInBuffer().clone();
    inside[2] = 0;
    inside[1] = gap;
    Buffer old = l.buffers().get(l.bufferOf(2));
    int bytes = Math.max(g.tensorBytes()[2], gap + g.tensorBytes()[1]);
    List<Buffer> buffers = new ArrayList<>(l.buffers());
    buffers.set(old.id(), new Buffer(old.id(), old.tensors(), -1, bytes, old.firstStep(), old.lastStep()));
    Lifetimes.Layout moved = new Lifetimes.Layout(buffers, l.bufferOfTensor(), l.scratchOfStep(), inside);
    return new MemoryPlan(moved, good.offsets(), good.arenaBytes() + bytes, good.alignment(), good.stepCount());
  }

  /** An element-wise step or alias whose output is not at its input's offset is refused too. */
  @Test
  void sameOffsetSharingMustStayAtTheSameOffset() {
    TensorGraph g = new TensorGraph(new int[] {64, 64, 64, 16}, new boolean[4],
        List.of(step(new int[] {0}, 1), new TensorGraph.Step(new int[] {1}, new int[] {2}, false, 0, new int[] {1}),
            step(new int[] {2}, 3)), List.of(0), List.of(3));
    MemoryPlan good = MemoryPlanner.plan(g, 16);
    Lifetimes.Layout l = good.layout();
    assertEquals(l.bufferOf(1), l.bufferOf(2));
    int[] inside = l.offsetInBuffer().clone();
    inside[1] = 16;
    List<Buffer> buffers = new ArrayList<>(l.buffers());
    Buffer old = buffers.get(l.bufferOf(1));
    buffers.set(old.id(), new Buffer(old.id(), old.tensors(), -1, 80, old.firstStep(), old.lastStep()));
    MemoryPlan bad = new MemoryPlan(new Lifetimes.Layout(buffers, l.bufferOfTensor(), l.scratchOfStep(), inside),
        good.offsets(), good.arenaBytes() + 80, 16, good.stepCount());
    List<String> problems = PlanChecker.problems(bad, g);
    assertTrue(problems.stream().anyMatch(s -> s.contains("shares a buffer")), problems.toString());
  }

  /**
   * The walk replayed on an arena for random shapes, blocks and alignments, at the offsets the planner chose: each
   * block first stores every output byte of its pixels, channel by channel, reading the whole input pixel again for
   * each one (the most interleaved order the 1x1 kernels use), and the result must equal the walk on separate
   * memory.
   */
  @Test
  void theWalkAtThePlannedOffsetsComputesWhatSeparateBuffersDo() {
    Random r = new Random(5);
    int inPlace = 0;
    for (int i = 0; i < 300; i++) {
      int pixels = 1 + r.nextInt(40);
      int cin = 1 + r.nextInt(12);
      int cout = 1 + r.nextInt(12);
      int block = 1 + r.nextInt(4);
      int alignment = 1 << r.nextInt(5);
      TensorGraph g = chain(pixels, cin, cout, block);
      MemoryPlan p = MemoryPlanner.plan(g, alignment);
      assertTrue(PlanChecker.problems(p, g).isEmpty());
      if (p.layout().bufferOf(1) != p.layout().bufferOf(2)) {
        continue;
      }
      inPlace++;
      byte[] arena = new byte[p.arenaBytes()];
      byte[] input = new byte[pixels * cin];
      r.nextBytes(input);
      System.arraycopy(input, 0, arena, p.tensorOffset(1), input.length);
      walk(arena, p.tensorOffset(1), arena, p.tensorOffset(2), pixels, cin, cout, block);
      byte[] expected = new byte[pixels * cout];
      walk(input, 0, expected, 0, pixels, cin, cout, block);
      assertArrayEquals(expected, Arrays.copyOfRange(arena, p.tensorOffset(2), p.tensorOffset(2) + expected.length),
          "pixels " + pixels + ", " + cin + " -> " + cout + ", blocks of " + block + ", alignment " + alignment);
    }
    assertTrue(inPlace > 250, "only " + inPlace + " walks in place");
  }

  private static void assertArrayEquals(byte[] a, byte[] b, String what) {
    assertTrue(Arrays.equals(a, b), what);
  }

  /** out pixel p channel c = a hash of all of input pixel p and c, blocks of {@code block} pixels. */
  private static void walk(byte[] src, int in, byte[] dst, int out, int pixels, int cin, int cout, int block) {
    for (int s = 0; s < pixels; s += block) {
      int e = Math.min(pixels, s + block);
      for (int c = 0; c < cout; c++) {
        for (int p = s; p < e; p++) {
          int h = c * 31;
          for (int k = 0; k < cin; k++) {
            h = h * 17 + src[in + p * cin + k];
          }
          dst[out + p * cout + c] = (byte) h;
        }
      }
    }
  }

  /** Random chains with pointwise steps: every plan passes the checker, and the chosen arena never grows. */
  @Test
  void randomPointwiseChainsArePlannedSafelyAndNeverGrow() {
    Random r = new Random(12);
    int taken = 0;
    for (int i = 0; i < 300; i++) {
      TensorGraph g = randomChain(r);
      int alignment = 1 << r.nextInt(5);
      MemoryPlan chosen = MemoryPlanner.plan(g, alignment);
      MemoryPlan elementwise = GreedyPlanner.plan(Lifetimes.of(g, true), g.steps().size(), alignment);
      MemoryPlan separate = GreedyPlanner.plan(Lifetimes.of(g, false), g.steps().size(), alignment);
      assertTrue(PlanChecker.problems(chosen, g).isEmpty(), "graph " + i + ": " + PlanChecker.problems(chosen, g));
      assertTrue(chosen.arenaBytes() <= Math.min(elementwise.arenaBytes(), separate.arenaBytes()), "graph " + i);
      MemoryPlan all = GreedyPlanner.plan(Lifetimes.of(g, Lifetimes.InPlace.POINTWISE, alignment),
          g.steps().size(), alignment);
      assertTrue(PlanChecker.problems(all, g).isEmpty(), "graph " + i + ": " + PlanChecker.problems(all, g));
      assertTrue(all.arenaBytes() >= all.lowerBound());
      for (int s = 0; s < g.steps().size(); s++) {
        if (Lifetimes.pointwiseTaken(g, all.layout(), s)) {
          taken++;
        }
      }
    }
    assertTrue(taken > 200, "only " + taken + " pointwise steps in place");
  }

  /**
   * A chain of steps over activations of random pixel depth: plain ops, pointwise walks, element-wise ops, aliases
   * and, now and then, a skip read that keeps an earlier tensor alive.
   */
  private static TensorGraph randomChain(Random r) {
    int pixels = 4 + r.nextInt(60);
    List<Integer> bytes = new ArrayList<>();
    List<TensorGraph.Step> steps = new ArrayList<>();
    bytes.add(pixels * (1 + r.nextInt(16)));
    int cur = 0;
    int depth = bytes.get(0) / pixels;
    List<Integer> skips = new ArrayList<>();
    int n = 3 + r.nextInt(10);
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(5);
      int out = bytes.size();
      int[] reads = skips.isEmpty() || r.nextInt(4) > 0 ? new int[] {cur} : new int[] {cur, skips.remove(0)};
      if (kind <= 1 && reads.length == 1) {
        int d = 1 + r.nextInt(16);
        bytes.add(pixels * d);
        steps.add(pointwise(cur, out, new TensorGraph.Pointwise(cur, pixels, depth, d, 1 + r.nextInt(4))));
        depth = d;
      } else if (kind == 2) {
        bytes.add(pixels * depth);
        steps.add(new TensorGraph.Step(reads, new int[] {out}, false, 0, new int[] {cur}));
      } else if (kind == 3 && reads.length == 1) {
        bytes.add(pixels * depth);
        steps.add(new TensorGraph.Step(reads, new int[] {out}, true, 0));
      } else {
        int d = 1 + r.nextInt(16);
        bytes.add(pixels * d);
        steps.add(new TensorGraph.Step(reads, new int[] {out}, false, r.nextInt(3) == 0 ? 32 : 0));
        depth = d;
      }
      if (r.nextInt(5) == 0) {
        skips.add(out);
      }
      cur = out;
    }
    int[] b = bytes.stream().mapToInt(Integer::intValue).toArray();
    List<Integer> outputs = new ArrayList<>(List.of(cur));
    outputs.addAll(skips);
    return new TensorGraph(b, new boolean[b.length], steps, List.of(0), outputs);
  }

  @Test
  void aKernelsScratchDoesNotStopTheWalk() {
    TensorGraph.Pointwise walk = new TensorGraph.Pointwise(1, 64, 8, 16, 4);
    TensorGraph g = new TensorGraph(new int[] {16, 512, 1024, 16}, new boolean[4],
        List.of(step(new int[] {0}, 1), new TensorGraph.Step(new int[] {1}, new int[] {2}, false, 256, new int[0],
            walk), step(new int[] {2}, 3)), List.of(0), List.of(3));
    MemoryPlan p = MemoryPlanner.plan(g, 16);
    assertEquals(p.layout().bufferOf(1), p.layout().bufferOf(2));
    assertTrue(p.scratchOffset(1) >= 0);
    assertTrue(PlanChecker.problems(p, g).isEmpty(), PlanChecker.problems(p, g).toString());
  }

  @Test
  void planWithoutPointwiseStepsIsUnchanged() {
    TensorGraph g = new TensorGraph(new int[] {100, 100, 100}, new boolean[3],
        List.of(step(new int[] {0}, 1), step(new int[] {1}, 2)), List.of(0), List.of(2));
    Lifetimes.Layout l = Lifetimes.of(g, Lifetimes.InPlace.POINTWISE, 16);
    for (Buffer b : l.buffers()) {
      assertEquals(1, b.pieces().size());
    }
    assertFalse(Lifetimes.pointwiseTaken(g, l, 1));
  }
}
