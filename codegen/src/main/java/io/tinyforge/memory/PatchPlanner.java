package io.tinyforge.memory;

import io.tinyforge.TinyforgeException;
import io.tinyforge.check.ModelStats;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.model.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Fits a model's arena under a RAM budget. When the layer-by-layer plan (with fusion and in-place ops) is over the
 * budget, the leading ops become a {@link PatchStage}: every split point (the stage ends after op e) and band height
 * is planned, and among the plans within the budget the one recomputing the fewest MACs wins (ties: the smaller
 * arena). When none fits, the error names the smallest peak any of them reached.
 */
public final class PatchPlanner {
  private PatchPlanner() {}

  /** The schedule to emit and its checked plan; {@code stage} is null when no patches were needed. */
  /**
   * @param leanScratch whether the plan leaves out the scratch of kernels that run without it
   *     ({@link KernelScratch#optional}) to meet the limit
   */
  public record Choice(LoweredModel scheduled, MemoryPlan plan, PatchStage stage, long unpatchedArena,
      boolean leanScratch) {
    public Choice(LoweredModel scheduled, MemoryPlan plan, PatchStage stage, long unpatchedArena) {
      this(scheduled, plan, stage, unpatchedArena, false);
    }
  }

  /** Band heights tried (rows of the stage output per band); heights >= the output's are skipped. */
  static final int[] BAND_ROWS = {1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64};

  /**
   * @param budget the most arena bytes allowed ({@code <= 0}: no limit)
   * @param what names the model in the error
   */
  public static Choice plan(LoweredModel scheduled, int alignment, long budget, String what) {
    return plan(scheduled, alignment, budget, new int[0], what);
  }

  /**
   * As {@link #plan(LoweredModel, int, long, String)} over several memory regions: {@code boundaries} separate
   * them (see {@link MemoryPlan}) and {@code budget} is where the last one ends.
   */
  public static Choice plan(LoweredModel scheduled, int alignment, long budget, int[] boundaries, String what) {
    return plan(scheduled, alignment, budget, boundaries, what, budget);
  }

  /** As above; the error names {@code limitShown} as the RAM limit (e.g. the --ram-limit before alignment). */
  public static Choice plan(LoweredModel scheduled, int alignment, long budget, int[] boundaries, String what,
      long limitShown) {
    return plan(scheduled, alignment, budget, boundaries, what, limitShown, KernelScratch.CORE_INDEPENDENT,
        Set.of());
  }

  /** As above, each kernel's scratch sized by {@code kernels} (the variants chosen for the board's core). */
  public static Choice plan(LoweredModel scheduled, int alignment, long budget, int[] boundaries, String what,
      long limitShown, KernelScratch kernels) {
    return plan(scheduled, alignment, budget, boundaries, what, limitShown, kernels, Set.of());
  }

  /**
   * As above, with {@code outside} tensors (model inputs in a buffer of their own, {@link TensorGraph#withOutside})
   * neither placed nor counted.
   */
  public static Choice plan(LoweredModel scheduled, int alignment, long budget, int[] boundaries, String what,
      long limitShown, KernelScratch all, Set<Integer> outside) {
    boolean anyOptional = scheduled.ops().stream().anyMatch(op -> all.optional(scheduled.model(), op.params()));
    // Optional scratch never raises the peak: where it would, the kernel runs without it (a few percent slower on
    // that layer, against RAM the whole program keeps).
    Set<KernelParams> spared = anyOptional ? spareWhereItRaisesThePeak(scheduled, alignment, boundaries, all,
        outside) : Set.of();
    KernelScratch kernels = spared.isEmpty() ? all : without(all, spared);
    Function<LoweredModel, TensorGraph> plain = m -> TensorGraph.of(m, kernels).withOutside(outside);
    final Function<LoweredModel, TensorGraph> asDefault = plain;
    // with scratch left out, the smallest layout (not the hot-first one, which would give the room back)
    long baseBudget = spared.isEmpty() ? budget : Math.min(budget <= 0 ? Long.MAX_VALUE : budget,
        MemoryPlanner.arenaBytes(plain.apply(scheduled), alignment, boundaries));
    MemoryPlan base = MemoryPlanner.plan(plain.apply(scheduled), alignment, boundaries, baseBudget);
    if (budget <= 0 || base.arenaBytes() <= budget) {
      return new Choice(scheduled, base, null, base.arenaBytes(), !spared.isEmpty());
    }
    // Depthwise convolutions over their own input next: a copy of their input rows, no recomputed MACs.
    Function<LoweredModel, TensorGraph> dwInPlace = m -> TensorGraph.of(m, kernels, true).withOutside(outside);
    long dwArena = MemoryPlanner.arenaBytes(dwInPlace.apply(scheduled), alignment, boundaries);
    if (dwArena <= budget) {
      return new Choice(scheduled, MemoryPlanner.plan(dwInPlace.apply(scheduled), alignment, boundaries, budget),
          null, base.arenaBytes(), !spared.isEmpty());
    }
    // Then without the scratch of kernels that also run without it (slower, but no MAC recomputed), and from here
    // on every schedule is planned so.
    KernelScratch lean = anyOptional ? all.withoutOptional() : kernels;
    plain = m -> TensorGraph.of(m, lean).withOutside(outside);
    dwInPlace = m -> TensorGraph.of(m, lean, true).withOutside(outside);
    for (boolean dw : anyOptional ? new boolean[] {false, true} : new boolean[0]) {
      Function<KernelScratch, TensorGraph> graphWith = k -> TensorGraph.of(scheduled, k, dw).withOutside(outside);
      if (MemoryPlanner.arenaBytes(graphWith.apply(lean), alignment, boundaries) <= budget) {
        Set<KernelParams> dropped = spareOptional(scheduled, alignment, boundaries, all, outside, dw, budget);
        return new Choice(scheduled, MemoryPlanner.plan(graphWith.apply(without(all, dropped)), alignment,
            boundaries, budget), null, base.arenaBytes(), true);
      }
    }
    LoweredModel best = null;
    PatchStage bestStage = null;
    long bestArena = Long.MAX_VALUE;
    long smallest = Math.min(base.arenaBytes(), dwArena);
    Function<LoweredModel, TensorGraph> graphOf = plain;
    List<PatchStage> stages = candidates(scheduled, alignment, lean);
    for (Function<LoweredModel, TensorGraph> g : List.of(plain, dwInPlace)) {
      for (PatchStage stage : stages) {
        LoweredModel m = replace(scheduled, stage);
        long arena = MemoryPlanner.arenaBytes(g.apply(m), alignment, boundaries);
        smallest = Math.min(smallest, arena);
        if (arena <= budget && (bestStage == null || stage.extraMacs() < bestStage.extraMacs()
            || (stage.extraMacs() == bestStage.extraMacs() && arena < bestArena))) {
          best = m;
          bestStage = stage;
          bestArena = arena;
        }
      }
      if (best != null) {
        graphOf = g;
        break;
      }
    }
    if (best == null) {
      long needs = base.arenaBytes();
      if (boundaries.length > 0) {
        // Over several memories the plans' ends include unused room between them: name one-arena figures.
        needs = MemoryPlanner.arenaBytes(asDefault.apply(scheduled), alignment, new int[0]);
        smallest = Math.min(needs, smallestPeak(scheduled, alignment, kernels, outside));
      }
      throw new OverLimit(String.format(Locale.ROOT, "%s needs an arena of %,d bytes, more than the "
          + "%,d-byte RAM limit; the smallest peak reachable with fusion, in-place ops and patches is %,d bytes",
          what, needs, limitShown, smallest), smallest);
    }
    return new Choice(best, MemoryPlanner.plan(graphOf.apply(best), alignment, boundaries, budget), bestStage,
        base.arenaBytes(), anyOptional);
  }

  /**
   * The steps whose optional scratch would raise the peak: those left out keep the arena at what it is with none
   * ({@link #spareOptional}); empty when optional scratch costs no peak.
   */
  private static Set<KernelParams> spareWhereItRaisesThePeak(LoweredModel scheduled, int alignment,
      int[] boundaries, KernelScratch all, Set<Integer> outside) {
    long lean = MemoryPlanner.arenaBytes(TensorGraph.of(scheduled, all.withoutOptional()).withOutside(outside),
        alignment, boundaries);
    long full = MemoryPlanner.arenaBytes(TensorGraph.of(scheduled, all).withOutside(outside), alignment,
        boundaries);
    return lean < full ? spareOptional(scheduled, alignment, boundaries, all, outside, false, lean) : Set.of();
  }

  /**
   * The steps whose optional scratch is left out so that the plan (with depthwise layers in place when
   * {@code dwInPlace}) stays within {@code budget}: all of them at first, then each given back, op by op, where the
   * budget leaves room for it (ad01: only its two 640-wide layers go without).
   */
  private static Set<KernelParams> spareOptional(LoweredModel scheduled, int alignment, int[] boundaries,
      KernelScratch all, Set<Integer> outside, boolean dwInPlace, long budget) {
    Set<KernelParams> dropped = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (LoweredOp op : scheduled.ops()) {
      if (all.optional(scheduled.model(), op.params())) {
        dropped.add(op.params());
      }
    }
    for (KernelParams p : List.copyOf(dropped)) {
      dropped.remove(p);
      TensorGraph g = TensorGraph.of(scheduled, without(all, dropped), dwInPlace).withOutside(outside);
      if (MemoryPlanner.arenaBytes(g, alignment, boundaries) > budget) {
        dropped.add(p);
      }
    }
    return dropped;
  }

  /** {@code kernels} with the scratch of the steps running {@code dropped} (by identity) left out. */
  private static KernelScratch without(KernelScratch kernels, Set<KernelParams> dropped) {
    return (model, params) -> dropped.contains(params) ? 0 : kernels.bytes(model, params);
  }

  /**
   * No schedule fits the RAM limit. {@link #finding()} is what was measured, without the advice, so a caller that
   * knows another way out (the board's input memory) can add it to the one line the user reads.
   */
  public static final class OverLimit extends TinyforgeException {
    private final String finding;
    private final long smallest;

    OverLimit(String finding, long smallest) {
      super(finding + ": raise the limit to at least that or use a board with more RAM");
      this.finding = finding;
      this.smallest = smallest;
    }

    public String finding() {
      return finding;
    }

    /** The smallest peak any schedule reaches. */
    public long smallest() {
      return smallest;
    }
  }

  /**
   * The smallest arena any candidate patch stage (or none) gives, without optional kernel scratch: what a RAM limit
   * can go down to.
   */
  public static long smallestPeak(LoweredModel scheduled, int alignment) {
    return smallestPeak(scheduled, alignment, KernelScratch.CORE_INDEPENDENT, Set.of());
  }

  /** As above, each kernel's scratch sized by {@code kernels}. */
  public static long smallestPeak(LoweredModel scheduled, int alignment, KernelScratch kernels) {
    return smallestPeak(scheduled, alignment, kernels, Set.of());
  }

  /** As above, with {@code outside} tensors neither placed nor counted. */
  public static long smallestPeak(LoweredModel scheduled, int alignment, KernelScratch all,
      Set<Integer> outside) {
    KernelScratch kernels = all.withoutOptional();
    long smallest = MemoryPlanner.arenaBytes(TensorGraph.of(scheduled, kernels, true).withOutside(outside),
        alignment);
    for (PatchStage stage : candidates(scheduled, alignment, kernels)) {
      smallest = Math.min(smallest, MemoryPlanner.arenaBytes(
          TensorGraph.of(replace(scheduled, stage), kernels, true).withOutside(outside), alignment));
    }
    return smallest;
  }

  /** Every valid leading stage and band height. */
  static List<PatchStage> candidates(LoweredModel scheduled, int alignment, KernelScratch kernels) {
    Model model = scheduled.model();
    List<LoweredOp> ops = scheduled.ops();
    List<PatchStage> out = new ArrayList<>();
    for (int end = 0; end < ops.size(); end++) {
      if (!PatchGeometry.supported(model, ops.get(end).params())) {
        break;
      }
      if (!closed(scheduled, end)) {
        continue;
      }
      int output = ops.get(end).params().outputTensors()[0];
      int h = PatchGeometry.height(model, output);
      for (int rows : BAND_ROWS) {
        if (rows >= h) {
          break;
        }
        PatchStage s = build(model, ops.subList(0, end + 1), rows, alignment, kernels);
        if (s != null) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** True if ops 0..end form a stage: what they produce (but the last output) is read only among them. */
  static boolean closed(LoweredModel scheduled, int end) {
    List<LoweredOp> ops = scheduled.ops();
    if (ops.get(end).params().outputTensors().length != 1) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      for (int t : ops.get(i).params().outputTensors()) {
        if (scheduled.model().outputs().contains(t)) {
          return false;
        }
        for (int j = end + 1; j < ops.size(); j++) {
          for (int r : ops.get(j).params().inputTensors()) {
            if (r == t) {
              return false;
            }
          }
        }
      }
    }
    return true;
  }

  /** The stage of {@code ops} with bands of {@code rows} output rows, or null if some band would be empty. */
  static PatchStage build(Model model, List<LoweredOp> ops, int rows, int alignment, KernelScratch kernels) {
    int n = model.tensors().size();
    LoweredOp last = ops.get(ops.size() - 1);
    int output = last.params().outputTensors()[0];
    int h = PatchGeometry.height(model, output);
    boolean[] inside = new boolean[n];
    for (LoweredOp op : ops) {
      for (int t : op.params().outputTensors()) {
        inside[t] = true;
      }
    }
    List<PatchStage.Band> bands = new ArrayList<>();
    long[] rowsComputed = new long[ops.size()];
    for (int r0 = 0; r0 < h; r0 += rows) {
      int[] lo = new int[n];
      int[] hi = new int[n];
      Arrays.fill(lo, Integer.MAX_VALUE);
      Arrays.fill(hi, Integer.MIN_VALUE);
      lo[output] = r0;
      hi[output] = Math.min(h, r0 + rows);
      for (int i = ops.size() - 1; i >= 0; i--) {
        KernelParams p = ops.get(i).params();
        int o = p.outputTensors()[0];
        if (lo[o] >= hi[o]) {
          return null; // an op this band does not need: not a simple chain, leave it unpatched
        }
        rowsComputed[i] += hi[o] - lo[o];
        for (int t : p.inputTensors()) {
          if (model.tensor(t).isConstant()) {
            continue;
          }
          int[] in = PatchGeometry.inputRows(p, lo[o], hi[o]);
          if (in[0] >= in[1]) {
            return null;
          }
          lo[t] = Math.min(lo[t], in[0]);
          hi[t] = Math.max(hi[t], in[1]);
        }
      }
      for (int t = 0; t < n; t++) {
        if (lo[t] >= hi[t]) {
          lo[t] = 0;
          hi[t] = 0;
        }
      }
      bands.add(new PatchStage.Band(lo, hi));
    }
    long extra = 0;
    for (int i = 0; i < ops.size(); i++) {
      long macs = Math.max(0, ModelStats.macsOf(model, ops.get(i).operator()));
      int oh = PatchGeometry.height(model, ops.get(i).params().outputTensors()[0]);
      extra += macs * rowsComputed[i] / oh - macs;
    }
    // The band buffers, planned like a small model: one buffer per in-stage tensor, as large as its largest band.
    int[] bytes = new int[n];
    boolean[] external = new boolean[n];
    for (int t = 0; t < n; t++) {
      external[t] = !inside[t] || t == output;
      if (!external[t]) {
        int most = 0;
        for (PatchStage.Band b : bands) {
          most = Math.max(most, (b.hi()[t] - b.lo()[t]) * PatchGeometry.rowBytes(model, t));
        }
        bytes[t] = most;
      }
    }
    List<TensorGraph.Step> steps = new ArrayList<>();
    for (LoweredOp op : ops) {
      KernelParams p = op.params();
      int o = p.outputTensors()[0];
      List<Integer> overwritable = new ArrayList<>();
      if (TensorGraph.elementwise(p)) {
        for (int t : p.inputTensors()) {
          if (!external[t] && sameRowsInEveryBand(bands, t, o)) {
            overwritable.add(t);
          }
        }
      }
      // The op's kernel scratch, as large as its largest band needs (the emitter calls it on cropped params).
      int scratch = 0;
      for (PatchStage.Band b : bands) {
        int[] in = PatchGeometry.inputRows(p, b.lo()[o], b.hi()[o]);
        KernelParams cropped = PatchGeometry.crop(p, b.lo()[o], b.hi()[o], in[0], in[1],
            PatchGeometry.rowBytes(model, o));
        scratch = Math.max(scratch, kernels.bytes(model, cropped));
      }
      steps.add(new TensorGraph.Step(p.inputTensors(), p.outputTensors(), false, scratch,
          overwritable.stream().mapToInt(Integer::intValue).toArray()));
    }
    TensorGraph sub = new TensorGraph(bytes, external, steps, List.of(), List.of());
    MemoryPlan subPlan = MemoryPlanner.plan(sub, alignment);
    int[] offsets = new int[n];
    Arrays.fill(offsets, -1);
    for (int t = 0; t < n; t++) {
      if (!external[t]) {
        offsets[t] = subPlan.tensorOffset(t);
      }
    }
    List<Integer> reads = new ArrayList<>();
    for (LoweredOp op : ops) {
      for (int t : op.params().inputTensors()) {
        if ((!inside[t]) && !reads.contains(t)) {
          reads.add(t);
        }
      }
    }
    int[] kernelScratch = new int[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      kernelScratch[i] = subPlan.scratchOffset(i);
    }
    PatchStage stage = new PatchStage(ops, reads.stream().mapToInt(Integer::intValue).toArray(), output, bands,
        offsets, subPlan.arenaBytes(), extra, kernelScratch);
    List<String> problems = PlanChecker.patchProblems(stage, model);
    if (!problems.isEmpty()) {
      throw new PlanChecker.UnsafePlanException("unsafe patch stage (" + problems.size() + " problems): "
          + problems.get(0));
    }
    return stage;
  }

  private static boolean sameRowsInEveryBand(List<PatchStage.Band> bands, int a, int b) {
    for (PatchStage.Band band : bands) {
      if (band.lo()[a] != band.lo()[b] || band.hi()[a] != band.hi()[b]) {
        return false;
      }
    }
    return true;
  }

  /** The model with its leading ops replaced by the stage (named by its last op). */
  static LoweredModel replace(LoweredModel scheduled, PatchStage stage) {
    List<LoweredOp> ops = new ArrayList<>();
    LoweredOp last = stage.ops().get(stage.ops().size() - 1);
    ops.add(new LoweredOp(last.operator(), stage));
    ops.addAll(scheduled.ops().subList(stage.ops().size(), scheduled.ops().size()));
    return new LoweredModel(scheduled.model(), ops);
  }
}
