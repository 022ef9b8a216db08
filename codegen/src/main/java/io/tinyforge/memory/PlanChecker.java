package io.tinyforge.memory;

import io.tinyforge.lower.ConvParams;
import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.model.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves a plan safe without trusting the planner: recomputes, step by step, which buffers must be intact, and
 * checks that no two of them share a byte, that each fits in the arena and is aligned, and that the tensors of
 * every step (reads, writes, scratch) are in live buffers. Inside one buffer, tensors share bytes only as an alias
 * or an in-place result (same offset), or as a pointwise convolution's output below its dying input, where it
 * checks byte by byte that no block of the walk writes over input it has not read yet, or as a strided view of a
 * concatenation output (an input its producer writes straight into its slice), where it checks that the slices
 * of one output are disjoint and that nothing else touches the buffer from the first producer to the
 * concatenation; a view counts as occupying its parent's whole range. Deliberately written without any code of
 * the planner.
 */
public final class PlanChecker {
  private PlanChecker() {}

  /** Thrown when a plan is unsafe; the message names the buffers and the step. */
  public static final class UnsafePlanException extends RuntimeException {
    public UnsafePlanException(String message) {
      super(message);
    }
  }

  /** Every problem found (empty: the plan is safe). */
  public static List<String> problems(MemoryPlan plan, TensorGraph graph) {
    List<String> out = new ArrayList<>();
    List<Buffer> buffers = plan.buffers();
    int[] off = plan.offsets();
    for (Buffer b : buffers) {
      long o = off[b.id()];
      if (o < 0 || o + b.bytes() > plan.arenaBytes()) {
        out.add(b.label() + " at " + o + "+" + b.bytes() + " does not fit the " + plan.arenaBytes() + "-byte arena");
      }
      for (int edge : plan.boundaries()) {
        if (o < edge && o + b.bytes() > edge) {
          out.add(b.label() + " at " + o + "+" + b.bytes() + " crosses the region boundary at " + edge
              + " (a buffer must lie in one memory)");
        }
      }
      if (o % plan.alignment() != 0) {
        out.add(b.label() + " at " + o + " is not " + plan.alignment() + "-byte aligned");
      }
      for (int t : b.tensors()) {
        int inside = plan.layout().offsetInBuffer(t);
        if (inside < 0) {
          out.add(b.label() + ": tensor " + t + " starts " + (-inside) + " bytes before its buffer");
        }
        // (a view's slice starts anywhere in a pixel: its kernel stores bytes; its parent is aligned)
        if (inside % plan.alignment() != 0 && viewIn(plan, graph, t) == null) {
          out.add(b.label() + ": tensor " + t + " at " + inside + " inside its buffer is not " + plan.alignment()
              + "-byte aligned");
        }
      }
    }
    // Per step, the bytes each buffer must keep intact then: the tensors (and scratch) it holds that are live, at
    // their offsets, as recomputed here from the graph; no two buffers' live bytes may meet.
    int steps = Math.max(1, graph.steps().size());
    List<long[]> spans = liveSpans(plan, graph);
    for (int s = 0; s < steps; s++) {
      List<long[]> live = new ArrayList<>();
      for (long[] sp : spans) {
        if (sp[3] <= s && s <= sp[4]) {
          live.add(sp);
        }
      }
      for (int i = 0; i < live.size(); i++) {
        for (int j = i + 1; j < live.size(); j++) {
          long[] x = live.get(i);
          long[] y = live.get(j);
          if (x[0] != y[0] && x[1] < y[2] && y[1] < x[2]) {
            Buffer a = buffers.get((int) x[0]);
            Buffer c = buffers.get((int) y[0]);
            out.add("step " + s + ": " + a.label() + " [" + x[1] + ", " + x[2] + ") overlaps "
                + c.label() + " [" + y[1] + ", " + y[2] + ")");
          }
        }
      }
    }
    checkCoverage(plan, graph, out);
    checkSharing(plan, graph, out);
    return out;
  }

  /**
   * {buffer, first byte, end, first step, last step} of every tensor in the arena (from its writer, or step 0, to
   * its last reader, or the end for graph outputs) and of every step's scratch, at its planned arena place; a
   * buffer whose tensors all sit at its start counts as a whole for its whole life (the planner's promise).
   */
  private static List<long[]> liveSpans(MemoryPlan plan, TensorGraph graph) {
    int n = graph.tensorBytes().length;
    int steps = graph.steps().size();
    int[] first = new int[n];
    int[] last = new int[n];
    java.util.Arrays.fill(first, Integer.MAX_VALUE);
    java.util.Arrays.fill(last, -1);
    for (int i = 0; i < steps; i++) {
      for (int t : graph.steps().get(i).writes()) {
        first[t] = Math.min(first[t], i);
        last[t] = Math.max(last[t], i);
      }
      for (int t : graph.steps().get(i).reads()) {
        last[t] = Math.max(last[t], i);
      }
    }
    for (int t : graph.inputs()) {
      first[t] = 0;
      last[t] = Math.max(last[t], 0);
    }
    for (int t : graph.outputs()) {
      last[t] = Math.max(0, steps - 1);
    }
    List<long[]> spans = new ArrayList<>();
    for (Buffer b : plan.buffers()) {
      long base = plan.offsetOf(b);
      boolean flat = b.tensors().stream().allMatch(t -> plan.layout().offsetInBuffer(t) == 0);
      if (b.isScratch() || flat) {
        spans.add(new long[] {b.id(), base, base + b.bytes(), b.firstStep(), b.lastStep()});
        continue;
      }
      for (int t : b.tensors()) {
        long o = plan.tensorOffset(t);
        long bytes = graph.tensorBytes()[t];
        TensorGraph.View v = viewIn(plan, graph, t);
        if (v != null) { // a strided view occupies its parent's whole range
          o = plan.tensorOffset(v.parent());
          bytes = graph.tensorBytes()[v.parent()];
        }
        int from = first[t] == Integer.MAX_VALUE ? 0 : first[t]; // read, never written: there from the start
        spans.add(new long[] {b.id(), o, o + bytes, from, last[t]});
      }
    }
    return spans;
  }

  /**
   * Tensors may share a buffer only through an aliasing step that reads one and writes the other at its offset,
   * an in-place step that writes one over another it may overwrite at its offset, or a pointwise step whose walk
   * never writes over input bytes it has yet to read; after each, no step reads any tensor the buffer held before.
   */
  private static void checkSharing(MemoryPlan plan, TensorGraph graph, List<String> out) {
    for (Buffer b : plan.buffers()) {
      for (int t : b.tensors()) {
        if (t == b.tensors().get(0)) {
          continue;
        }
        TensorGraph.View view = viewIn(plan, graph, t);
        if (view != null) {
          if (!viewSafe(plan, graph, view, b, out)) {
            out.add(b.label() + ": tensor " + t + " shares its buffer as a strided view of t" + view.parent()
                + " without meeting the view's conditions");
          }
          continue;
        }
        boolean justified = false;
        for (int i = 0; i < graph.steps().size() && !justified; i++) {
          TensorGraph.Step s = graph.steps().get(i);
          if (s.writes().length != 1 || s.writes()[0] != t) {
            continue;
          }
          if (s.aliases() && s.reads().length >= 1 && b.tensors().contains(s.reads()[0])) {
            justified = plan.tensorOffset(s.reads()[0]) == plan.tensorOffset(t);
          } else if (overwrites(plan, s, b) && nothingOlderReadAfter(graph, b, i)) {
            justified = true;
          } else if (pointwiseSafe(plan, graph, s, b, out) && nothingOlderReadAfter(graph, b, i)) {
            justified = true;
          }
        }
        if (!justified) {
          out.add(b.label() + ": tensor " + t + " shares a buffer without being an alias of another member, "
              + "the in-place result of one that dies, or a pointwise walk over one that dies");
        }
      }
    }
  }

  /** Step {@code s} writes its output over an input it may overwrite, which is in {@code b} at the same offset. */
  private static boolean overwrites(MemoryPlan plan, TensorGraph.Step s, Buffer b) {
    for (int in : s.inPlaceInputs()) {
      if (b.tensors().contains(in) && plan.tensorOffset(in) == plan.tensorOffset(s.writes()[0])) {
        for (int r : s.reads()) {
          if (r == in) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Pointwise step {@code s} writes its output into {@code b}, which holds its walked input (no graph input), and
   * reads nothing else of {@code b}; sizes agree with the walk; and for every block of at most k pixels starting at
   * any pixel p, the output bytes of pixels p .. p+k-1 share no byte with the input bytes of pixels p .. end, the
   * ones not read before the block's stores.
   */
  private static boolean pointwiseSafe(MemoryPlan plan, TensorGraph graph, TensorGraph.Step s, Buffer b,
      List<String> out) {
    TensorGraph.Pointwise w = s.pointwise();
    if (w == null || !b.tensors().contains(w.input()) || graph.inputs().contains(w.input())) {
      return false;
    }
    for (int r : s.reads()) {
      if (r != w.input() && b.tensors().contains(r)) {
        return false;
      }
    }
    int o = s.writes()[0];
    long n = w.pixels();
    if (graph.tensorBytes()[w.input()] != n * w.inPixelBytes() || graph.tensorBytes()[o] != n * w.outPixelBytes()) {
      out.add("t" + o + ": pointwise walk of " + n + " pixels does not match tensor sizes "
          + graph.tensorBytes()[w.input()] + " -> " + graph.tensorBytes()[o]);
      return false;
    }
    long in0 = plan.tensorOffset(w.input());
    long out0 = plan.tensorOffset(o);
    long unreadEnd = in0 + n * w.inPixelBytes();
    for (long p = 0; p < n; p++) {
      long writeStart = out0 + p * w.outPixelBytes();
      long writeEnd = out0 + Math.min(n, p + w.blockPixels()) * w.outPixelBytes();
      long unreadStart = in0 + p * w.inPixelBytes();
      if (writeStart < unreadEnd && unreadStart < writeEnd) {
        out.add("t" + o + " at " + out0 + ": the pointwise walk's block at pixel " + p + " writes [" + writeStart
            + ", " + writeEnd + ") over unread input t" + w.input() + " [" + unreadStart + ", " + unreadEnd + ")");
        return false;
      }
    }
    return true;
  }

  /** The graph's view of tensor {@code t} when the plan puts it in its parent's buffer, else null. */
  private static TensorGraph.View viewIn(MemoryPlan plan, TensorGraph graph, int t) {
    TensorGraph.View v = graph.viewOf(t);
    int b = plan.layout().bufferOf(t);
    return v != null && b >= 0 && b == plan.layout().bufferOf(v.parent()) ? v : null;
  }

  /**
   * Strided view {@code v} is safe in {@code b}: it sits at its slice's first byte of its parent; its runs tile the
   * tensor and the parent's runs the parent, the slice inside a run; it is written by one step that writes nothing
   * else and reads nothing of {@code b}, and read by one step only, the one writing the parent, and is no graph
   * input or output; the other views of the parent in {@code b} have disjoint slices (and the same reader); and
   * every other tensor of {@code b} is written at that reader or later, so no other bytes of the buffer are in
   * use while the producers write their slices.
   */
  private static boolean viewSafe(MemoryPlan plan, TensorGraph graph, TensorGraph.View v, Buffer b,
      List<String> out) {
    int t = v.tensor();
    String who = "t" + t + " (view of t" + v.parent() + ")";
    if (!b.tensors().contains(v.parent())
        || plan.tensorOffset(t) != (long) plan.tensorOffset(v.parent()) + v.offsetBytes()) {
      out.add(who + ": not at its slice's first byte of its parent");
      return false;
    }
    if ((long) v.runs() * v.runBytes() != graph.tensorBytes()[t]
        || (long) v.runs() * v.strideBytes() != graph.tensorBytes()[v.parent()]
        || v.offsetBytes() < 0 || v.offsetBytes() + v.runBytes() > v.strideBytes()) {
      out.add(who + ": " + v.runs() + " runs of " + v.runBytes() + " bytes at " + v.offsetBytes() + ", stride "
          + v.strideBytes() + " do not fit tensor sizes " + graph.tensorBytes()[t] + " and "
          + graph.tensorBytes()[v.parent()]);
      return false;
    }
    if (graph.inputs().contains(t) || graph.outputs().contains(t)) {
      out.add(who + ": a graph input or output cannot be a view");
      return false;
    }
    int writer = -1;
    int reader = -1;
    for (int i = 0; i < graph.steps().size(); i++) {
      TensorGraph.Step s = graph.steps().get(i);
      for (int w : s.writes()) {
        if (w == t) {
          if (writer >= 0 || s.writes().length != 1) {
            out.add(who + ": written by more than one step, or by a step writing more");
            return false;
          }
          writer = i;
          for (int r : s.reads()) {
            if (b.tensors().contains(r)) {
              out.add(who + ": its producer (step " + i + ") reads t" + r + " of the same buffer");
              return false;
            }
          }
        }
      }
      for (int r : s.reads()) {
        if (r == t) {
          if (reader >= 0) {
            out.add(who + ": read by more than one step");
            return false;
          }
          reader = i;
        }
      }
    }
    if (writer < 0 || reader <= writer || !contains(graph.steps().get(reader).writes(), v.parent())) {
      out.add(who + ": not written once and then read only by the step writing t" + v.parent());
      return false;
    }
    for (int u : b.tensors()) {
      if (u == t || u == v.parent()) {
        continue;
      }
      TensorGraph.View sibling = viewIn(plan, graph, u);
      if (sibling != null && sibling.parent() == v.parent()) {
        boolean apart = v.offsetBytes() + v.runBytes() <= sibling.offsetBytes()
            || sibling.offsetBytes() + sibling.runBytes() <= v.offsetBytes();
        if (!apart || sibling.strideBytes() != v.strideBytes()) {
          out.add(who + ": its slice meets that of t" + u);
          return false;
        }
        continue;
      }
      int uWriter = Integer.MAX_VALUE; // never written: a graph input, there from the start
      for (int i = 0; i < graph.steps().size() && uWriter == Integer.MAX_VALUE; i++) {
        if (contains(graph.steps().get(i).writes(), u)) {
          uWriter = i;
        }
      }
      if (uWriter == Integer.MAX_VALUE || uWriter < reader) {
        out.add(who + ": t" + u + " of the same buffer is written before the concatenation (step " + reader + ")");
        return false;
      }
    }
    return true;
  }

  private static boolean contains(int[] a, int x) {
    for (int y : a) {
      if (y == x) {
        return true;
      }
    }
    return false;
  }

  /** No step after {@code step} reads a tensor of {@code b} that existed before {@code step} wrote over it. */
  private static boolean nothingOlderReadAfter(TensorGraph graph, Buffer b, int step) {
    List<Integer> older = new ArrayList<>();
    for (int t : b.tensors()) {
      int writer = -1;
      for (int i = 0; i < graph.steps().size(); i++) {
        for (int w : graph.steps().get(i).writes()) {
          if (w == t) {
            writer = i;
          }
        }
      }
      if (writer < step) { // written earlier, or a graph input (never written)
        older.add(t);
      }
    }
    for (int i = step + 1; i < graph.steps().size(); i++) {
      for (int r : graph.steps().get(i).reads()) {
        if (older.contains(r)) {
          return false;
        }
      }
    }
    for (int t : graph.outputs()) {
      if (older.contains(t)) {
        return false;
      }
    }
    return true;
  }

  /** Every tensor a step touches must be in a buffer live at that step and large enough for it. */
  private static void checkCoverage(MemoryPlan plan, TensorGraph graph, List<String> out) {
    Lifetimes.Layout layout = plan.layout();
    int last = Math.max(0, graph.steps().size() - 1);
    for (int s = 0; s < graph.steps().size(); s++) {
      TensorGraph.Step step = graph.steps().get(s);
      for (int t : concat(step.reads(), step.writes())) {
        if (graph.constant()[t]) {
          continue;
        }
        requireLive(layout, graph, t, s, "step " + s, out);
      }
      int scratch = Lifetimes.scratchBytes(step, Lifetimes.inPlaceTaken(graph, layout, s));
      if (scratch > 0) {
        int b = layout.scratchOfStep()[s];
        if (b < 0 || !layout.buffers().get(b).liveAt(s) || layout.buffers().get(b).bytes() < scratch) {
          out.add("step " + s + ": its " + scratch + "-byte scratch has no live buffer");
        }
      }
    }
    for (int t : graph.inputs()) {
      if (!graph.constant()[t]) { // an input kept outside the arena has its own buffer
        requireLive(layout, graph, t, 0, "graph input", out);
      }
    }
    for (int t : graph.outputs()) {
      if (!graph.constant()[t]) {
        requireLive(layout, graph, t, last, "graph output", out);
      }
    }
  }

  private static void requireLive(Lifetimes.Layout layout, TensorGraph graph, int t, int step, String who,
      List<String> out) {
    int b = layout.bufferOf(t);
    if (b < 0) {
      out.add(who + ": tensor " + t + " has no buffer");
      return;
    }
    Buffer buf = layout.buffers().get(b);
    if (!buf.liveAt(step)) {
      out.add(who + ": tensor " + t + " is used at step " + step + " but its buffer lives " + buf.firstStep()
          + ".." + buf.lastStep());
    }
    if (buf.bytes() < (long) layout.offsetInBuffer(t) + graph.tensorBytes()[t]) {
      out.add(who + ": tensor " + t + " needs " + graph.tensorBytes()[t] + " bytes at " + layout.offsetInBuffer(t)
          + ", its buffer has " + buf.bytes());
    }
  }

  private static int[] concat(int[] a, int[] b) {
    int[] c = new int[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /**
   * The partial buffers of a patch stage, proved without the patch planner's code: in every band each op's output
   * rows are the rows its tensor holds, the rows each op reads (recomputed here from stride, padding, filter and
   * dilation) lie in its input's band rows (or in a stage input), every band buffer holding its rows stays inside the
   * stage's scratch, and two band buffers in use at the same op share no byte unless the later one overwrites the
   * earlier in place (same offset, same rows, the earlier read for the last time by the op writing the later).
   */
  public static List<String> patchProblems(PatchStage st, Model model) {
    List<String> out = new ArrayList<>();
    List<LoweredOp> ops = st.ops();
    int n = model.tensors().size();
    int[] producer = new int[n];
    int[] lastUse = new int[n];
    java.util.Arrays.fill(producer, -1);
    java.util.Arrays.fill(lastUse, -1);
    for (int i = 0; i < ops.size(); i++) {
      for (int t : ops.get(i).params().outputTensors()) {
        producer[t] = i;
        lastUse[t] = Math.max(lastUse[t], i);
      }
      for (int t : ops.get(i).params().inputTensors()) {
        lastUse[t] = Math.max(lastUse[t], i);
      }
    }
    for (int k = 0; k < st.bands().size(); k++) {
      PatchStage.Band band = st.bands().get(k);
      for (int i = 0; i < ops.size(); i++) {
        KernelParams p = ops.get(i).params();
        int o = p.outputTensors()[0];
        int a = band.lo()[o];
        int b = band.hi()[o];
        String where = "patch band " + k + ", op " + ops.get(i).operator().index();
        if (a >= b) {
          out.add(where + ": computes no rows");
          continue;
        }
        for (int t : p.inputTensors()) {
          if (model.tensor(t).isConstant()) {
            continue;
          }
          int[] need = rowsRead(p, a, b, model.tensor(t).shape().toArray()[1]);
          boolean inside = st.bufferOffset()[t] < 0 ? need[0] >= 0 && need[1] <= model.tensor(t).shape().toArray()[1]
              : need[0] >= band.lo()[t] && need[1] <= band.hi()[t];
          if (!inside) {
            out.add(where + ": reads rows " + need[0] + ".." + need[1] + " of t" + t + ", which holds "
                + band.lo()[t] + ".." + band.hi()[t]);
          }
        }
      }
      for (int t = 0; t < n; t++) {
        if (st.bufferOffset()[t] < 0 || producer[t] < 0) {
          continue;
        }
        long end = (long) st.bufferOffset()[t] + bandBytes(model, band, t);
        if (end > st.scratchBytes()) {
          out.add("patch band " + k + ": t" + t + " ends at " + end + ", past the " + st.scratchBytes()
              + "-byte band scratch");
        }
        for (int u = t + 1; u < n; u++) {
          if (st.bufferOffset()[u] < 0 || producer[u] < 0) {
            continue;
          }
          boolean together = producer[t] <= lastUse[u] && producer[u] <= lastUse[t];
          long t0 = st.bufferOffset()[t];
          long u0 = st.bufferOffset()[u];
          boolean overlap = t0 < u0 + bandBytes(model, band, u) && u0 < t0 + bandBytes(model, band, t);
          if (together && overlap && !inPlacePair(ops, band, st, t, u, producer, lastUse)) {
            out.add("patch band " + k + ": band buffers of t" + t + " and t" + u + " overlap while both are in use");
          }
        }
      }
    }
    return out;
  }

  private static long bandBytes(Model model, PatchStage.Band band, int t) {
    int[] s = model.tensor(t).shape().toArray();
    return (long) (band.hi()[t] - band.lo()[t]) * s[2] * s[3];
  }

  /** Rows {@code [from, to)} of the input that output rows {@code [a, b)} of a (depthwise) convolution read. */
  private static int[] rowsRead(KernelParams p, int a, int b, int height) {
    int stride = 1;
    int pad = 0;
    int taps = 1;
    int dilation = 1;
    if (p instanceof ConvParams c) {
      stride = c.strideHeight();
      pad = c.padHeight();
      taps = c.filterHeight();
      dilation = c.dilationHeight();
    } else if (p instanceof DepthwiseParams d) {
      stride = d.strideHeight();
      pad = d.padHeight();
      taps = d.filterHeight();
      dilation = d.dilationHeight();
    } else {
      return new int[] {a, b};
    }
    int first = a * stride - pad;
    int last = (b - 1) * stride - pad + (taps - 1) * dilation;
    return new int[] {Math.max(0, first), Math.min(height, last + 1)};
  }

  /** t and u share bytes legitimately: one is written over the other by the op that reads it for the last time. */
  private static boolean inPlacePair(List<LoweredOp> ops, PatchStage.Band band, PatchStage st, int t, int u,
      int[] producer, int[] lastUse) {
    int older = producer[t] < producer[u] ? t : u;
    int newer = older == t ? u : t;
    return st.bufferOffset()[t] == st.bufferOffset()[u] && band.lo()[t] == band.lo()[u]
        && band.hi()[t] == band.hi()[u] && lastUse[older] == producer[newer];
  }

  /** Throws {@link UnsafePlanException} with the first problems if the plan is unsafe. */
  public static void check(MemoryPlan plan, TensorGraph graph) {
    List<String> p = problems(plan, graph);
    if (!p.isEmpty()) {
      throw new UnsafePlanException("unsafe memory plan (" + p.size() + " problems): " + p.get(0)
          + (p.size() > 1 ? "; " + p.get(1) : ""));
    }
  }
}
