package io.tinyforge.memory;

import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.Fusion;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Human views of a plan: a text table (one row per buffer, by offset) with the summary figures, and the data of
 * the SVG picture ({@code templates/project/plan.svg.ftl}: steps on x, arena offsets on y).
 */
public final class PlanReport {
  private PlanReport() {}

  public static String table(LoweredModel lowered, MemoryPlan plan) {
    Model m = lowered.model();
    List<Buffer> rows = new ArrayList<>(plan.buffers());
    rows.sort(Comparator.comparingInt((Buffer b) -> plan.offsetOf(b)).thenComparingInt(Buffer::firstStep));
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%10s %10s %11s  %s%n", "offset", "bytes", "live ops", "holds"));
    for (Buffer b : rows) {
      String ops = opIndex(lowered, b.firstStep()) + ".." + opIndex(lowered, b.lastStep());
      sb.append(String.format(Locale.ROOT, "%10d %10d %11s  %s%n", plan.offsetOf(b), b.bytes(), ops,
          holds(lowered, plan, b)));
    }
    long lower = plan.lowerBound();
    sb.append(String.format(Locale.ROOT, "arena %,d bytes; live-set lower bound %,d bytes (%s); %d buffers, "
        + "alignment %d%n", plan.usedBytes(), lower,
        lower == 0 ? "-" : String.format(Locale.ROOT, "+%.1f%%", 100.0 * (plan.usedBytes() - lower) / lower),
        rows.size(), plan.alignment()));
    long state = stateBytes(m);
    if (state > 0) {
      List<String> parts = new ArrayList<>();
      for (Tensor t : m.tensors()) {
        if (t.isVariable()) {
          parts.add(String.format(Locale.ROOT, "t%d %,d", t.index(), t.byteSize()));
        }
      }
      sb.append(String.format(Locale.ROOT, "state %,d bytes in %d tensors, apart from the arena (kept across "
          + "invokes, reset by model_reset()): %s%n", state, parts.size(), String.join(", ", parts)));
    }
    return sb.toString();
  }

  /**
   * How the schedule got to its peak: the layer-by-layer live-set bound (one buffer per tensor, what TFLM plans),
   * then with PADs folded, with element-wise ops in place, and with the patch stage, naming what was rewritten.
   */
  public static String schedule(LoweredModel layered, Fusion.Result fusion, PatchPlanner.Choice choice,
      long budget) {
    StringBuilder sb = new StringBuilder();
    TensorGraph layerGraph = TensorGraph.of(layered);
    long layerBound = LiveSet.lowerBound(Lifetimes.of(layerGraph, false).buffers(), layerGraph.steps().size());
    sb.append(String.format(Locale.ROOT, "layer by layer: live-set lower bound %,d bytes%n", layerBound));
    TensorGraph fusedGraph = TensorGraph.of(fusion.scheduled());
    long fusedBound = LiveSet.lowerBound(Lifetimes.of(fusedGraph, false).buffers(), fusedGraph.steps().size());
    List<String> folds = new ArrayList<>();
    for (Fusion.Fold f : fusion.folds()) {
      folds.add(f.describe());
    }
    sb.append(String.format(Locale.ROOT, "fusion: live-set lower bound %,d bytes (%s)%n", fusedBound,
        folds.isEmpty() ? "nothing folded" : String.join(", ", folds)));
    Lifetimes.Layout inPlace = Lifetimes.of(fusedGraph, Lifetimes.InPlace.POINTWISE, choice.plan().alignment());
    List<String> ops = new ArrayList<>();
    for (int s = 0; s < fusedGraph.steps().size(); s++) {
      if (Lifetimes.inPlaceTaken(fusedGraph, inPlace, s)) {
        LoweredOp op = fusion.scheduled().ops().get(s);
        ops.add(op.operator().opName() + " #" + op.operator().index()
            + (Lifetimes.pointwiseTaken(fusedGraph, inPlace, s) ? " (pointwise)" : ""));
      }
    }
    sb.append(String.format(Locale.ROOT, "in place: live-set lower bound %,d bytes, arena %,d bytes (%s)%n",
        LiveSet.lowerBound(inPlace.buffers(), fusedGraph.steps().size()), choice.unpatchedArena(),
        ops.isEmpty() ? "no op writes over its input" : ops.size() + " ops write over a dead input: "
            + String.join(", ", ops.subList(0, Math.min(8, ops.size()))) + (ops.size() > 8 ? ", ..." : "")));
    TensorGraph chosen = TensorGraph.of(choice.scheduled(), true);
    List<String> dws = new ArrayList<>();
    for (int s = 0; s < chosen.steps().size(); s++) {
      LoweredOp op = choice.scheduled().ops().get(s);
      if (op.params() instanceof DepthwiseParams && Lifetimes.inPlaceTaken(chosen, choice.plan().layout(), s)) {
        dws.add("#" + op.operator().index());
      }
    }
    if (!dws.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "depthwise in place: %d DEPTHWISE_CONV_2D over their input, band by "
          + "band (%s)%n", dws.size(), String.join(", ", dws)));
    }
    java.util.Map<Integer, TensorGraph.View> views = Lifetimes.viewsTaken(chosen, choice.plan().layout());
    if (!views.isEmpty()) {
      // per concatenation, the producers that write straight into its output
      java.util.Map<Integer, List<String>> byParent = new java.util.TreeMap<>();
      for (LoweredOp op : choice.scheduled().ops()) {
        for (int out : op.params().outputTensors()) {
          TensorGraph.View v = views.get(out);
          if (v != null) {
            byParent.computeIfAbsent(v.parent(), k -> new ArrayList<>())
                .add(op.operator().opName() + " #" + op.operator().index());
          }
        }
      }
      List<String> parts = new ArrayList<>();
      for (LoweredOp op : choice.scheduled().ops()) {
        for (int out : op.params().outputTensors()) {
          if (byParent.containsKey(out)) {
            parts.add(op.operator().opName() + " #" + op.operator().index() + " <- "
                + String.join(", ", byParent.get(out)));
          }
        }
      }
      sb.append(String.format(Locale.ROOT, "concatenation without a copy: %d inputs written into their slices "
          + "(%s)%n", views.size(), String.join("; ", parts)));
    }
    if (choice.leanScratch()) {
      sb.append("kernel scratch: left out where it would raise the peak or break the limit and the kernel also "
          + "runs without it (the DSP FULLY_CONNECTED then widens its input again for every four rows: slower)\n");
    }
    PatchStage st = choice.stage();
    if (st == null) {
      sb.append(budget > 0
          ? String.format(Locale.ROOT, "patches: none needed (the limit is %,d bytes)%n", budget)
          : String.format(Locale.ROOT, "patches: none (no RAM limit; give --ram-limit BYTES or --board)%n"));
    } else {
      sb.append(String.format(Locale.ROOT, "patches: ops %d..%d in %d bands of %d output rows (band buffers %,d "
          + "bytes), %,d MACs recomputed; arena %,d bytes within the %,d-byte limit%n", st.firstOp(), st.lastOp(),
          st.bands().size(), st.bandRows(), st.scratchBytes(), st.extraMacs(), choice.plan().arenaBytes(), budget));
    }
    return sb.toString();
  }

  /** Bytes of the variable (state) tensors, which live outside the arena for the whole run. */
  public static long stateBytes(Model m) {
    long n = 0;
    for (Tensor t : m.tensors()) {
      if (t.isVariable()) {
        n += Math.max(0, t.byteSize());
      }
    }
    return n;
  }

  private static int opIndex(LoweredModel lowered, int step) {
    return lowered.ops().isEmpty() ? 0 : lowered.ops().get(step).operator().index();
  }

  private static String holds(LoweredModel lowered, MemoryPlan plan, Buffer b) {
    Model m = lowered.model();
    if (b.isScratch()) {
      if (lowered.ops().get(b.scratchOfStep()).params() instanceof PatchStage st) {
        return "band buffers of the patch stage (ops " + st.firstOp() + ".." + st.lastOp() + ", "
            + st.bands().size() + " bands)";
      }
      return "scratch of op " + opIndex(lowered, b.scratchOfStep());
    }
    List<String> parts = new ArrayList<>();
    for (int t : b.tensors()) {
      String label = m.tensor(t).label();
      int inside = plan.layout().offsetInBuffer(t);
      parts.add("t" + t + (inside == 0 ? "" : " @+" + inside) + " "
          + (label.length() > 48 ? label.substring(0, 45) + "...'" : label));
    }
    return String.join(" = ", parts);
  }

  /** Data for plan.svg.ftl: canvas size, one rectangle per buffer, axis ticks. */
  public static Map<String, Object> svgData(LoweredModel lowered, MemoryPlan plan, String title) {
    return svgData(lowered, plan, title, List.of());
  }

  /** As above, with a dashed line and the memory's name where each region of {@code regionNames} begins. */
  public static Map<String, Object> svgData(LoweredModel lowered, MemoryPlan plan, String title,
      List<String> regionNames) {
    int steps = Math.max(1, plan.stepCount());
    double width = 900;
    double height = 500;
    double left = 70;
    double top = 40;
    double plotW = width - left - 20;
    double plotH = height - top - 40;
    double colW = plotW / steps;
    double yScale = plan.arenaBytes() == 0 ? 0 : plotH / plan.arenaBytes();
    List<Map<String, Object>> rects = new ArrayList<>();
    for (Buffer b : plan.buffers()) {
      // one rectangle per piece: a pointwise step's buffer holds the input's bytes first, then the output's
      for (Buffer.Piece pc : b.pieces()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("x", fmt(left + pc.firstStep() * colW));
        r.put("y", fmt(top + ((long) plan.offsetOf(b) + pc.offset()) * yScale));
        r.put("w", fmt(Math.max(1, (pc.lastStep() - pc.firstStep() + 1) * colW - 1)));
        r.put("h", fmt(Math.max(1, pc.bytes() * yScale)));
        r.put("hue", (b.id() * 47) % 360);
        r.put("label", xmlSafe(b.label() + ": " + pc.bytes() + " B at " + (plan.offsetOf(b) + pc.offset())
            + ", ops " + opIndex(lowered, pc.firstStep()) + ".." + opIndex(lowered, pc.lastStep())));
        rects.add(r);
      }
    }
    List<Map<String, Object>> yTicks = new ArrayList<>();
    for (int i = 0; i <= 4; i++) {
      long bytes = (long) plan.arenaBytes() * i / 4;
      yTicks.add(Map.of("y", fmt(top + bytes * yScale), "label", String.format(Locale.ROOT, "%,d", bytes)));
    }
    List<Map<String, Object>> regions = new ArrayList<>();
    for (int r = 0; r < regionNames.size() && r < plan.regionCount(); r++) {
      long base = plan.regionBase(r);
      if (base > plan.arenaBytes() || (plan.regionBytes(r) == 0 && r > 0)) {
        continue;
      }
      regions.add(Map.of("y", fmt(top + base * yScale), "label", xmlSafe(regionNames.get(r) + " ("
          + String.format(Locale.ROOT, "%,d", plan.regionBytes(r)) + " B)")));
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("title", xmlSafe(title));
    d.put("width", fmt(width));
    d.put("height", fmt(height));
    d.put("left", fmt(left));
    d.put("top", fmt(top));
    d.put("plotW", fmt(plotW));
    d.put("plotH", fmt(plotH));
    d.put("bottom", fmt(top + plotH));
    d.put("steps", steps);
    d.put("summary", xmlSafe(String.format(Locale.ROOT, "arena %,d bytes, live-set lower bound %,d bytes, %d ops",
        plan.arenaBytes(), plan.lowerBound(), plan.stepCount())));
    d.put("rects", rects);
    d.put("yTicks", yTicks);
    d.put("regions", regions);
    return d;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String xmlSafe(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c < 0x20 ? '?' : c);
      }
    }
    return sb.toString();
  }
}
