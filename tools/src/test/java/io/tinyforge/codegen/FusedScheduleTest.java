package io.tinyforge.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.check.ModelChecker;
import io.tinyforge.cgen.ScratchSizes;
import io.tinyforge.lower.Fusion;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.Lowering;
import io.tinyforge.lower.PaddingMath;
import io.tinyforge.memory.KernelScratch;
import io.tinyforge.memory.Lifetimes;
import io.tinyforge.memory.MemoryPlan;
import io.tinyforge.memory.MemoryPlanner;
import io.tinyforge.memory.PatchPlanner;
import io.tinyforge.memory.PatchStage;
import io.tinyforge.memory.PlanChecker;
import io.tinyforge.memory.TensorGraph;
import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Quantization;
import io.tinyforge.sim.gen.GraphBuilder;
import io.tinyforge.sim.gen.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rewrite of the fused schedule (PAD folded into a convolution's padding, element-wise ops writing over a
 * dying input, pointwise convolutions writing below a dying input) on small generated graphs, including the graphs where the rewrite must not happen: the schedule the
 * generator chose is asserted, then the generated C (host build, ASan + UBSan) must give the simulator's bytes,
 * the simulator running the model layer by layer as written.
 */
class FusedScheduleTest {
  @TempDir
  static Path dir;
  static HostToolchain gcc;

  @BeforeAll
  static void buildKernels() throws Exception {
    assumeTrue(HostToolchain.available(), "gcc not found: skipping the fused schedule test");
    Path root = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
    gcc = HostToolchain.build(root, dir);
  }

  /** A graph, how many PADs the schedule must fold and which ops (by index) must run in place. */
  record Expect(String name, Model model, int folds, List<Integer> inPlaceOps, List<Integer> notInPlaceOps) {}

  @Test
  void padFoldsOnlyWhereNoByteChanges() throws Exception {
    List<Expect> cases = new ArrayList<>();
    Random r = new Random(8);
    // YOLO's shape: bottom/right padding then a stride-2 VALID convolution, odd sizes
    cases.add(padThenConv(r, "pad(0,1,0,1)>conv3x3s2 11x9", 11, 9, 3, new int[] {0, 1, 0, 1}, 3, 2, 1, false, 1));
    cases.add(padThenConv(r, "pad(1,1,1,1)>conv3x3s1 7x7", 7, 7, 4, new int[] {1, 1, 1, 1}, 3, 1, 1, false, 1));
    cases.add(padThenConv(r, "pad(2,0,1,3)>conv3x3s2 8x5", 8, 5, 2, new int[] {2, 0, 1, 3}, 3, 2, 1, false, 1));
    // a 1x1 convolution after bottom/right padding must leave the bounds-free 1x1 kernel
    cases.add(padThenConv(r, "pad(0,1,0,1)>conv1x1s1 6x5", 6, 5, 5, new int[] {0, 1, 0, 1}, 1, 1, 1, false, 1));
    cases.add(padThenConv(r, "pad(0,1,0,1)>dw3x3s2 13x13", 13, 13, 5, new int[] {0, 1, 0, 1}, 3, 2, 1, true, 1));
    cases.add(padThenConv(r, "pad(2,2,2,2)>dw3x3s1 dil2 9x7", 9, 7, 3, new int[] {2, 2, 2, 2}, 3, 1, 2, true, 1));
    cases.add(padThenConv(r, "pad(1,0,0,1)>dw5x5s2 10x11", 10, 11, 8, new int[] {1, 0, 0, 1}, 5, 2, 1, true, 1));
    cases.add(padReadTwice(r));
    cases.add(padIsGraphOutput(r));
    cases.add(padV2(r, false));
    cases.add(padV2(r, true));
    cases.add(padThenMaxPool(r));
    cases.add(padOnChannels(r));
    check(cases);
  }

  @Test
  void clampActivationsFoldOnlyWhereNoByteChanges() throws Exception {
    List<Expect> cases = new ArrayList<>();
    Random r = new Random(11);
    cases.add(activationAfter(r, "conv>relu6", "conv", "relu6", false, false, 1));
    cases.add(activationAfter(r, "conv>relu same quantization", "conv", "relu", false, false, 1));
    cases.add(activationAfter(r, "conv>relu differing quantization", "conv", "relu-requant", false, false, 0));
    cases.add(activationAfter(r, "dw>relu6", "dw", "relu6", false, false, 1));
    cases.add(activationAfter(r, "add>relu same quantization", "add", "relu", false, false, 1));
    cases.add(activationAfter(r, "maxpool>relu6", "maxpool", "relu6", false, false, 1));
    cases.add(activationAfter(r, "conv>relu6, conv output read twice", "conv", "relu6", true, false, 0));
    cases.add(activationAfter(r, "conv>relu6, conv output a graph output", "conv", "relu6", false, true, 0));
    check(cases);
  }

  /** in -> conv 3x3 (or dw, add with the input, max pool) -> activation -> conv 1x1 -> out. */
  private static Expect activationAfter(Random r, String name, String producer, String activation, boolean readTwice,
      boolean graphOutput, int folds) {
    Net n = new Net(r);
    int x = n.input(7, 6, 4);
    int p = switch (producer) {
      case "conv" -> n.conv(x, 3, 1, 4, Padding.SAME);
      case "dw" -> n.depthwise(x, 3, 1, 1, Padding.SAME);
      case "add" -> n.add(x, n.conv(x, 1, 1, 4, Padding.VALID));
      default -> n.maxPool(x, 2, 1);
    };
    int a = switch (activation) {
      case "relu6" -> n.relu6(p);
      case "relu" -> n.reluSameQuant(p);
      default -> n.relu(p);
    };
    int y = n.conv(a, 1, 1, 3, Padding.VALID);
    if (readTwice) {
      y = n.add(y, n.conv(p, 1, 1, 3, Padding.VALID));
    }
    n.g.output(y);
    if (graphOutput) {
      n.g.output(p);
    }
    return new Expect(name, n.build(name.replaceAll("[^a-z0-9]+", "_")), folds, List.of(), List.of());
  }

  @Test
  void elementwiseOpsOverwriteOnlyDeadInputs() throws Exception {
    List<Expect> cases = new ArrayList<>();
    Random r = new Random(9);
    cases.add(inPlaceChain(r));
    cases.add(inputReadLater(r));
    cases.add(activationOfGraphInput(r));
    check(cases);
  }

  @Test
  void pointwiseConvolutionsWalkOverOnlyDeadInputs() throws Exception {
    List<Expect> cases = new ArrayList<>();
    Random r = new Random(12);
    cases.add(pointwise(r, "conv3x3>pointwise 4->16 (widening)", 9, 7, 4, 4, 16, 1, "", true));
    cases.add(pointwise(r, "conv3x3>pointwise 16->4 (narrowing)", 9, 7, 1, 16, 4, 1, "", true));
    cases.add(pointwise(r, "conv3x3>pointwise 8->8, 5x5", 5, 5, 2, 8, 8, 1, "", true));
    cases.add(pointwise(r, "pointwise input read again", 9, 7, 4, 4, 16, 1, "read-later", false));
    cases.add(pointwise(r, "pointwise of the graph input", 9, 7, 4, 4, 16, 1, "graph-input", false));
    cases.add(pointwise(r, "pointwise input a graph output", 9, 7, 4, 4, 16, 1, "graph-output", false));
    cases.add(pointwise(r, "1x1 stride 2", 9, 7, 4, 4, 16, 2, "", false));
    cases.add(pointwise(r, "1x1 to 72 channels", 6, 5, 1, 4, 72, 1, "", false));
    check(cases);
  }

  /**
   * in (h x w x cin) -> conv 3x3 SAME -> a (mid channels) -> conv 1x1 (stride) -> b (out channels) -> conv 3x3
   * stride 2 -> out; variants: a also read by a later op, the 1x1 on the graph input, a also a graph output.
   */
  private static Expect pointwise(Random r, String name, int h, int w, int cin, int mid, int cout, int stride,
      String variant, boolean inPlace) {
    Net n = new Net(r);
    int x = n.input(h, w, cin);
    int a = variant.equals("graph-input") ? x : n.conv(x, 3, 1, mid, Padding.SAME);
    int pointwiseOp = variant.equals("graph-input") ? 0 : 1;
    int b = n.conv(a, 1, stride, cout, Padding.VALID);
    int y = n.conv(b, 3, 2, 3, Padding.SAME);
    if (variant.equals("read-later")) {
      int[] s = n.shape(y);
      y = n.add(y, n.conv(a, 3, 2, s[3], Padding.SAME));
    }
    n.g.output(y);
    if (variant.equals("graph-output")) {
      n.g.output(a);
    }
    return new Expect(name, n.build(name.replaceAll("[^a-z0-9]+", "_")), 0,
        inPlace ? List.of(pointwiseOp) : List.of(), inPlace ? List.of() : List.of(pointwiseOp));
  }

  /**
   * Patch stages over odd sizes, stride 2, dilation, SAME and VALID, folded PADs and skip connections: each graph
   * is generated under two RAM limits (one byte below its unpatched arena, and the smallest peak patches reach, which
   * takes the thinnest bands) and must give the simulator's bytes.
   */
  @Test
  void patchStagesGiveTheLayerByLayerBytes() throws Exception {
    Random r = new Random(10);
    int[][] sizes = {{23, 17, 3}, {29, 15, 4}, {31, 9, 2}, {24, 20, 3}, {9, 9, 1}};
    List<String> problems = new ArrayList<>();
    int patched = 0;
    for (int i = 0; i < sizes.length; i++) {
      Model m = stem(r, sizes[i][0], sizes[i][1], sizes[i][2], i);
      assertEquals(null, ModelChecker.verdict(m), "the checker refuses stem " + i);
      LoweredModel fused = Fusion.fuse(Lowering.lower(m)).scheduled();
      // sized as for the host build HostEquivalenceTest runs (its portable kernels' scratch), below what the plain
      // plan and the in-place depthwise one (tried before patches) need
      KernelScratch host = ScratchSizes.ofCore("host");
      long unpatched = Math.min(MemoryPlanner.plan(TensorGraph.of(fused, host), 16).arenaBytes(),
          MemoryPlanner.plan(TensorGraph.of(fused, host, true), 16).arenaBytes());
      long smallest = PatchPlanner.smallestPeak(fused, 16, host);
      assertTrue(smallest < unpatched, "stem " + i + ": patches do not lower the peak (" + smallest + ")");
      Path f = dir.resolve("stem" + i + ".tflite");
      Files.write(f, ModelFiles.serialize(m));
      for (long limit : new long[] {unpatched - 1, smallest}) {
        PatchPlanner.Choice c = PatchPlanner.plan(fused, 16, limit, new int[0], "stem", limit, host);
        assertTrue(c.stage() != null && c.plan().arenaBytes() <= limit, "stem " + i + " limit " + limit);
        patched++;
        String name = "stem " + i + " " + sizes[i][0] + "x" + sizes[i][1] + " limit " + limit + " ("
            + c.stage().bands().size() + " bands of " + c.stage().bandRows() + " rows, ops " + c.stage().firstOp()
            + ".." + c.stage().lastOp() + ")";
        try {
          HostEquivalenceTest.checkOne(gcc, new HostEquivalenceTest.Case(name, f, 3),
              dir.resolve("stem" + i + "-" + limit), "--ram-limit", Long.toString(limit));
        } catch (AssertionError | Exception ex) {
          problems.add(name + ": " + ex.getMessage());
        }
      }
    }
    assertEquals(sizes.length * 2, patched);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /**
   * Depthwise convolutions over their own input (band by band through a scratch copy of the band's input rows):
   * each graph is generated one byte under its arena, which only the in-place depthwise layout meets without
   * patches; the schedule is asserted (which depthwise ran in place, which must not) and the generated C must give
   * the simulator's bytes. Odd sizes, 3x3 and 5x5 filters, SAME padding, a band count that does not divide the
   * height, and the cases that must stay out of place: stride 2, dilation 2, an input read again later.
   */
  @Test
  void depthwiseRunsInPlaceOnlyWhereSafe() throws Exception {
    Random r = new Random(13);
    record DwCase(String name, int h, int w, int c, int k, int stride, int dilation, boolean skip, boolean inPlace) {}
    List<DwCase> cases = List.of(
        new DwCase("dw3x3 23x7x16", 23, 7, 16, 3, 1, 1, false, true),
        new DwCase("dw5x5 17x9x12", 17, 9, 12, 5, 1, 1, false, true),
        new DwCase("dw3x3 5x3x8 (bands of one row)", 5, 3, 8, 3, 1, 1, false, true),
        new DwCase("dw3x3 stride 2", 21, 9, 16, 3, 2, 1, false, false),
        new DwCase("dw3x3 dilation 2", 21, 9, 16, 3, 1, 2, false, false),
        new DwCase("dw3x3 input read again", 21, 9, 16, 3, 1, 1, true, false));
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      DwCase dc = cases.get(i);
      Net n = new Net(r);
      int x = n.input(dc.h(), dc.w(), 3);
      int e = n.conv(x, 1, 1, dc.c(), Padding.VALID);
      int d = n.depthwise(e, dc.k(), dc.stride(), dc.dilation(), Padding.SAME);
      int y = n.conv(d, 1, 1, 4, Padding.VALID);
      if (dc.skip()) {
        y = n.add(y, n.conv(e, 1, dc.stride(), 4, Padding.VALID));
      }
      n.g.output(y);
      Model m = n.build("dw_in_place_" + i);
      assertEquals(null, ModelChecker.verdict(m), dc.name() + ": the checker refuses the generated graph");
      LoweredModel fused = Fusion.fuse(Lowering.lower(m)).scheduled();
      long plain = MemoryPlanner.plan(fused, 16).arenaBytes();
      PatchPlanner.Choice c;
      try {
        c = PatchPlanner.plan(fused, 16, plain - 1, "graph");
      } catch (io.tinyforge.TinyforgeException ex) {
        c = null;
      }
      int dwStep = -1;
      for (int s = 0; s < fused.ops().size(); s++) {
        if (fused.ops().get(s).params() instanceof io.tinyforge.lower.DepthwiseParams) {
          dwStep = s;
        }
      }
      boolean inPlace = c != null && c.stage() == null
          && Lifetimes.inPlaceTaken(TensorGraph.of(c.scheduled(), true), c.plan().layout(), dwStep);
      if (inPlace != dc.inPlace()) {
        problems.add(dc.name() + ": the depthwise " + (inPlace ? "runs" : "does not run") + " in place");
      }
      if (!inPlace) {
        continue;
      }
      Path f = dir.resolve("dw" + i + ".tflite");
      Files.write(f, ModelFiles.serialize(m));
      try {
        HostEquivalenceTest.checkOne(gcc, new HostEquivalenceTest.Case(dc.name(), f, 3), dir.resolve("dw" + i),
            "--ram-limit", Long.toString(plain - 1));
      } catch (AssertionError | Exception ex) {
        problems.add(dc.name() + ": " + ex.getMessage());
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /** The checker of patch stages proves the real stage safe and catches a band missing a row and overlapping buffers. */
  @Test
  void brokenPatchStagesAreCaught() {
    Model m = stem(new Random(12), 23, 17, 3, 0);
    LoweredModel fused = Fusion.fuse(Lowering.lower(m)).scheduled();
    PatchStage st = PatchPlanner.plan(fused, 16, PatchPlanner.smallestPeak(fused, 16), "stem").stage();
    assertTrue(PlanChecker.patchProblems(st, m).isEmpty(), PlanChecker.patchProblems(st, m).toString());
    // the first in-stage tensor read through a window: drop its first row in band 1
    int t = -1;
    for (int x = 0; x < st.bufferOffset().length && t < 0; x++) {
      if (st.bufferOffset()[x] >= 0 && st.bands().get(1).hi()[x] - st.bands().get(1).lo()[x] > 1) {
        t = x;
      }
    }
    assertTrue(t >= 0);
    List<PatchStage.Band> bands = new ArrayList<>(st.bands());
    int[] lo = bands.get(1).lo();
    lo[t]++;
    bands.set(1, new PatchStage.Band(lo, bands.get(1).hi()));
    PatchStage shortBand = new PatchStage(st.ops(), st.reads(), st.output(), bands, st.bufferOffset(),
        st.scratchBytes(), st.extraMacs());
    assertTrue(!PlanChecker.patchProblems(shortBand, m).isEmpty(), "a band missing a row is not caught");
    // every band buffer at offset 0
    int[] offsets = st.bufferOffset();
    for (int x = 0; x < offsets.length; x++) {
      offsets[x] = offsets[x] >= 0 ? 0 : -1;
    }
    PatchStage piled = new PatchStage(st.ops(), st.reads(), st.output(), st.bands(), offsets, st.scratchBytes(),
        st.extraMacs());
    assertTrue(PlanChecker.patchProblems(piled, m).stream().anyMatch(p -> p.contains("overlap")),
        "overlapping band buffers are not caught");
  }

  /**
   * A detector's stem: PAD (bottom/right) > conv 3x3 s2 VALID > leaky > dw 3x3 (dilation 2 on odd seeds) SAME >
   * relu > conv 1x1 > leaky > conv 1x1 > add (skip) > dw 3x3 s2 SAME > conv 3x3 s1 SAME > max pool (not patchable).
   */
  private static Model stem(Random r, int h, int w, int c, int seed) {
    Net n = new Net(r);
    int x = n.input(h, w, c);
    int p = n.pad(x, new int[] {0, 1, 0, 1}, false);
    int a = n.leaky(n.conv(p, 3, 2, 16, Padding.VALID));
    int b = n.relu(n.depthwise(a, 3, 1, seed % 2 == 1 ? 2 : 1, Padding.SAME));
    int d = n.leaky(n.conv(b, 1, 1, 4, Padding.VALID));
    int e = n.conv(d, 1, 1, 4, Padding.VALID);
    int s = n.add(e, d);
    int f = n.depthwise(s, 3, 2, 1, Padding.SAME);
    int g = n.conv(f, 3, 1, 5, Padding.SAME);
    int y = n.maxPool(g, 2, 1);
    n.g.output(y);
    return n.build("stem" + seed);
  }

  // ------------------------------------------------------------------ graphs

  /** in -> PAD -> CONV_2D (or DEPTHWISE_CONV_2D) VALID -> out. */
  private static Expect padThenConv(Random r, String name, int h, int w, int c, int[] tblr, int k, int stride,
      int dilation, boolean depthwise, int folds) {
    Net n = new Net(r);
    int x = n.input(h, w, c);
    int p = n.pad(x, tblr, false);
    int y = depthwise ? n.depthwise(p, k, stride, dilation, Padding.VALID) : n.conv(p, k, stride, c + 2,
        Padding.VALID);
    n.g.output(y);
    return new Expect(name, n.build(name), folds, List.of(), List.of());
  }

  /** The padded tensor feeds two convolutions: it must be materialised. */
  private static Expect padReadTwice(Random r) {
    Net n = new Net(r);
    int x = n.input(7, 6, 3);
    int p = n.pad(x, new int[] {1, 1, 1, 1}, false);
    int a = n.conv(p, 3, 1, 4, Padding.VALID);
    int b = n.conv(p, 3, 1, 4, Padding.VALID);
    int s = n.add(a, b);
    n.g.output(s);
    return new Expect("pad read twice", n.build("pad_read_twice"), 0, List.of(), List.of());
  }

  /** The padded tensor is also a graph output. */
  private static Expect padIsGraphOutput(Random r) {
    Net n = new Net(r);
    int x = n.input(6, 6, 2);
    int p = n.pad(x, new int[] {0, 1, 0, 1}, false);
    int y = n.conv(p, 3, 2, 3, Padding.VALID);
    n.g.output(y);
    n.g.output(p);
    return new Expect("pad is a graph output", n.build("pad_output"), 0, List.of(), List.of());
  }

  /** PADV2 whose constant is (or is not) the zero point. */
  private static Expect padV2(Random r, boolean valueIsZeroPoint) {
    Net n = new Net(r);
    int x = n.input(7, 7, 3);
    int p = n.padV2(x, new int[] {1, 1, 1, 1}, valueIsZeroPoint);
    int y = n.depthwise(p, 3, 1, 1, Padding.VALID);
    n.g.output(y);
    String name = "padv2 value " + (valueIsZeroPoint ? "= zp" : "!= zp");
    return new Expect(name, n.build("padv2_" + valueIsZeroPoint), valueIsZeroPoint ? 1 : 0, List.of(), List.of());
  }

  /** Pools skip out-of-range taps: a padded value would change a max, so no fold. */
  private static Expect padThenMaxPool(Random r) {
    Net n = new Net(r);
    int x = n.input(7, 7, 3);
    int p = n.pad(x, new int[] {1, 1, 1, 1}, false);
    int y = n.maxPool(p, 3, 2);
    n.g.output(y);
    return new Expect("pad>maxpool", n.build("pad_maxpool"), 0, List.of(), List.of());
  }

  /** Channel padding is not spatial padding. */
  private static Expect padOnChannels(Random r) {
    Net n = new Net(r);
    int x = n.input(5, 5, 3);
    int p = n.pad(x, new int[] {1, 1, 1, 1}, true);
    int y = n.conv(p, 3, 1, 4, Padding.VALID);
    n.g.output(y);
    return new Expect("pad on channels", n.build("pad_channels"), 0, List.of(), List.of());
  }

  /**
   * op0 conv, op1 leaky (over op0's output), op2 conv, op3 add (over a dying operand), op4 logistic (over the add,
   * its output a graph output).
   */
  private static Expect inPlaceChain(Random r) {
    Net n = new Net(r);
    int x = n.input(9, 7, 4);
    int a = n.conv(x, 1, 1, 6, Padding.VALID);
    int b = n.leaky(a);
    int c = n.conv(b, 3, 1, 6, Padding.SAME);
    int d = n.add(c, b);
    int e = n.logistic(d);
    n.g.output(e);
    return new Expect("conv>leaky>conv>add>logistic", n.build("in_place_chain"), 0, List.of(1, 3, 4), List.of());
  }

  /** op1 leaky reads op0's output, which op2 reads again: the leaky must not overwrite it. */
  private static Expect inputReadLater(Random r) {
    Net n = new Net(r);
    int x = n.input(6, 6, 3);
    int a = n.conv(x, 3, 1, 5, Padding.SAME);
    int b = n.leaky(a);
    int c = n.conv(a, 1, 1, 5, Padding.VALID);
    int d = n.add(b, c);
    n.g.output(d);
    return new Expect("leaky input read later", n.build("read_later"), 0, List.of(3), List.of(1));
  }

  /** An activation of the graph input leaves the input intact. */
  private static Expect activationOfGraphInput(Random r) {
    Net n = new Net(r);
    int x = n.input(5, 5, 4);
    int a = n.leaky(x);
    int b = n.conv(a, 1, 1, 4, Padding.VALID);
    n.g.output(b);
    return new Expect("leaky of the graph input", n.build("graph_input"), 0, List.of(), List.of(0));
  }

  // ------------------------------------------------------------------ checking

  private static void check(List<Expect> cases) throws Exception {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Expect e = cases.get(i);
      String verdict = ModelChecker.verdict(e.model());
      assertEquals(null, verdict, e.name() + ": the checker refuses the generated graph");
      LoweredModel lowered = Lowering.lower(e.model());
      Fusion.Result fused = Fusion.fuse(lowered);
      if (fused.folds().size() != e.folds()) {
        problems.add(e.name() + ": " + fused.folds().size() + " ops folded, expected " + e.folds());
      }
      TensorGraph graph = TensorGraph.of(fused.scheduled());
      MemoryPlan plan = MemoryPlanner.plan(graph, 16);
      for (int step = 0; step < fused.scheduled().ops().size(); step++) {
        int op = fused.scheduled().ops().get(step).operator().index();
        boolean inPlace = Lifetimes.inPlaceTaken(graph, plan.layout(), step);
        if (e.inPlaceOps().contains(op) && !inPlace) {
          problems.add(e.name() + ": op " + op + " should run in place");
        }
        if (e.notInPlaceOps().contains(op) && inPlace) {
          problems.add(e.name() + ": op " + op + " must not run in place");
        }
      }
      Path f = dir.resolve("fused" + i + ".tflite");
      Files.write(f, ModelFiles.serialize(e.model()));
      try {
        HostEquivalenceTest.checkOne(gcc, new HostEquivalenceTest.Case(e.name(), f, 3), dir.resolve("case" + i));
      } catch (AssertionError | Exception ex) {
        problems.add(e.name() + ": " + ex.getMessage());
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /** A small graph builder with plausible quantization at every step (ConcatSliceTest builds with it too). */
  static final class Net {
    final GraphBuilder g = new GraphBuilder();
    final Random r;
    int count;

    Net(Random r) {
      this.r = r;
    }

    Model build(String name) {
      return g.build(name);
    }

    int[] shape(int t) {
      return g.tensorAt(t).shape().toArray();
    }

    float scale(int t) {
      return g.tensorAt(t).quantization().scale();
    }

    int zp(int t) {
      return g.tensorAt(t).quantization().zeroPoint();
    }

    int act(int[] shape, float scale) {
      return g.int8("t" + count++, shape, scale, r.nextInt(200) - 100);
    }

    int input(int h, int w, int c) {
      int x = act(new int[] {1, h, w, c}, 0.02f + r.nextFloat() * 0.05f);
      g.input(x);
      return x;
    }

    int pad(int x, int[] tblr, boolean channels) {
      int[] s = shape(x);
      int cp = channels ? 1 : 0;
      int[] p = {0, 0, tblr[0], tblr[1], tblr[2], tblr[3], cp, cp};
      int pt = g.constInt32("pad" + count++, new int[] {4, 2}, p, null);
      int o = g.int8("t" + count++, new int[] {1, s[1] + tblr[0] + tblr[1], s[2] + tblr[2] + tblr[3], s[3] + 2 * cp},
          scale(x), zp(x));
      g.op(BuiltinOp.PAD, new OpOptions.None(), new int[] {x, pt}, o);
      return o;
    }

    int padV2(int x, int[] tblr, boolean valueIsZeroPoint) {
      int[] s = shape(x);
      int[] p = {0, 0, tblr[0], tblr[1], tblr[2], tblr[3], 0, 0};
      int pt = g.constInt32("pad" + count++, new int[] {4, 2}, p, null);
      int value = valueIsZeroPoint ? zp(x) : (zp(x) > 0 ? zp(x) - 37 : zp(x) + 37);
      int cv = g.constInt8("cv" + count++, new int[0], new byte[] {(byte) value},
          Quantization.perTensor(scale(x), zp(x)));
      int o = g.int8("t" + count++, new int[] {1, s[1] + tblr[0] + tblr[1], s[2] + tblr[2] + tblr[3], s[3]},
          scale(x), zp(x));
      g.op(BuiltinOp.PADV2, new OpOptions.None(), new int[] {x, pt, cv}, o);
      return o;
    }

    int conv(int x, int k, int stride, int cout, Padding padding) {
      float outScale = (float) (scale(x) * 0.01f * Math.sqrt(k * k * shape(x)[3]) * 40);
      return conv(x, k, stride, cout, padding, (oh, ow) -> act(new int[] {1, oh, ow, cout}, outScale));
    }

    /** A CONV_2D (weight scale 0.01) whose output tensor {@code output} makes from the output height and width. */
    private int conv(int x, int k, int stride, int cout, Padding padding,
        java.util.function.IntBinaryOperator output) {
      int[] s = shape(x);
      float ws = 0.01f;
      int f = g.constInt8("w" + count++, new int[] {cout, k, k, s[3]}, weights(cout * k * k * s[3]),
          Quantization.perTensor(ws, 0));
      int b = g.constInt32("b" + count++, new int[] {cout}, biases(cout), Quantization.perTensor(scale(x) * ws, 0));
      int oh = PaddingMath.outSize(padding, s[1], k, stride, 1);
      int ow = PaddingMath.outSize(padding, s[2], k, stride, 1);
      int o = output.applyAsInt(oh, ow);
      g.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(padding, stride, stride, Activation.NONE, 1, 1),
          new int[] {x, f, b}, o);
      return o;
    }

    int depthwise(int x, int k, int stride, int dilation, Padding padding) {
      int[] s = shape(x);
      float ws = 0.01f;
      int f = g.constInt8("w" + count++, new int[] {1, k, k, s[3]}, weights(k * k * s[3]),
          Quantization.perTensor(ws, 0));
      int b = g.constInt32("b" + count++, new int[] {s[3]}, biases(s[3]), Quantization.perTensor(scale(x) * ws, 0));
      int oh = PaddingMath.outSize(padding, s[1], k, stride, dilation);
      int ow = PaddingMath.outSize(padding, s[2], k, stride, dilation);
      int o = act(new int[] {1, oh, ow, s[3]}, (float) (scale(x) * ws * k * 40));
      g.op(BuiltinOp.DEPTHWISE_CONV_2D, new OpOptions.DepthwiseConv2D(padding, stride, stride, 1, Activation.NONE,
          dilation, dilation), new int[] {x, f, b}, o);
      return o;
    }

    int maxPool(int x, int k, int stride) {
      int[] s = shape(x);
      int oh = PaddingMath.outSize(Padding.VALID, s[1], k, stride, 1);
      int ow = PaddingMath.outSize(Padding.VALID, s[2], k, stride, 1);
      int o = g.int8("t" + count++, new int[] {1, oh, ow, s[3]}, scale(x), zp(x));
      g.op(BuiltinOp.MAX_POOL_2D, new OpOptions.Pool2D(Padding.VALID, stride, stride, k, k, Activation.NONE),
          new int[] {x}, o);
      return o;
    }

    int leaky(int x) {
      int o = act(shape(x), scale(x) * 0.8f);
      g.op(BuiltinOp.LEAKY_RELU, new OpOptions.LeakyRelu(0.1f), new int[] {x}, o);
      return o;
    }

    int relu(int x) {
      int o = act(shape(x), scale(x));
      g.op(BuiltinOp.RELU, new OpOptions.None(), new int[] {x}, o);
      return o;
    }

    int reluSameQuant(int x) {
      int o = g.int8("t" + count++, shape(x), scale(x), zp(x));
      g.op(BuiltinOp.RELU, new OpOptions.None(), new int[] {x}, o);
      return o;
    }

    int relu6(int x) {
      int o = g.int8("t" + count++, shape(x), scale(x), zp(x));
      g.op(BuiltinOp.RELU6, new OpOptions.None(), new int[] {x}, o);
      return o;
    }

    int logistic(int x) {
      int o = g.int8("t" + count++, shape(x), 1f / 256, -128);
      g.op(BuiltinOp.LOGISTIC, new OpOptions.None(), new int[] {x}, o);
      return o;
    }

    int add(int a, int b) {
      int o = act(shape(a), (scale(a) + scale(b)) * 0.7f);
      g.op(BuiltinOp.ADD, new OpOptions.Arithmetic(Activation.NONE), new int[] {a, b}, o);
      return o;
    }

    /** MAX_POOL_2D (or AVERAGE_POOL_2D) k x k, stride 1, SAME: the output has the input's shape, type and quantization. */
    int poolSame(int x, int k, boolean max) {
      io.tinyforge.model.Tensor in = g.tensorAt(x);
      int o = g.tensor("t" + count++, in.type(), shape(x), in.quantization());
      g.op(max ? BuiltinOp.MAX_POOL_2D : BuiltinOp.AVERAGE_POOL_2D,
          new OpOptions.Pool2D(Padding.SAME, 1, 1, k, k, Activation.NONE), new int[] {x}, o);
      return o;
    }

    /** RESIZE_NEAREST_NEIGHBOR to h x w (half-pixel centers), quantized as its input. */
    int resizeNearest(int x, int h, int w) {
      io.tinyforge.model.Tensor in = g.tensorAt(x);
      int[] s = shape(x);
      int size = g.constInt32("size" + count++, new int[] {2}, new int[] {h, w}, null);
      int o = g.tensor("t" + count++, in.type(), new int[] {s[0], h, w, s[3]}, in.quantization());
      g.op(BuiltinOp.RESIZE_NEAREST_NEIGHBOR, new OpOptions.Resize(false, true), new int[] {x, size}, o);
      return o;
    }

    /** CONCATENATION along {@code axis}, quantized as the first input. */
    int concat(int axis, int... xs) {
      io.tinyforge.model.Tensor first = g.tensorAt(xs[0]);
      int[] s = shape(xs[0]);
      s[axis] = 0;
      for (int x : xs) {
        s[axis] += shape(x)[axis];
      }
      int o = g.tensor("t" + count++, first.type(), s, first.quantization());
      g.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(axis, Activation.NONE), xs, o);
      return o;
    }

    /** A CONV_2D whose output is quantized as tensor {@code like} (so the two can be concatenated). */
    int convLike(int x, int k, int stride, int cout, Padding padding, int like) {
      return conv(x, k, stride, cout, padding,
          (oh, ow) -> g.int8("t" + count++, new int[] {1, oh, ow, cout}, scale(like), zp(like)));
    }

    byte[] weights(int n) {
      byte[] w = new byte[n];
      for (int i = 0; i < n; i++) {
        w[i] = (byte) (r.nextInt(255) - 127);
      }
      return w;
    }

    int[] biases(int n) {
      int[] b = new int[n];
      for (int i = 0; i < n; i++) {
        b[i] = r.nextInt(4001) - 2000;
      }
      return b;
    }
  }
}
