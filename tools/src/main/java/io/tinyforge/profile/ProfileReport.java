package io.tinyforge.profile;

import com.google.gson.GsonBuilder;
import io.tinyforge.check.ModelStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The profile as a text table (what the terminal and the README show) and as JSON. */
public final class ProfileReport {
  private ProfileReport() {}

  /** Counter units per MAC, or NaN when the operator has no MACs or was not counted. */
  static double perMac(long count, long macs) {
    return macs > 0 && ProfileRun.ran(count) ? (double) count / macs : Double.NaN;
  }

  static String shortUnit(String unit) {
    return switch (unit) {
      case "instructions" -> "instr";
      case "cycles" -> "cycles";
      default -> unit;
    };
  }

  public static String table(Profile p) {
    StringBuilder sb = new StringBuilder();
    ProfileRun run = p.shown();
    sb.append(String.format(Locale.ROOT, "profile: %s on %s (%s), input: %s%s%n", p.model(), p.board(),
        p.target(), run.input(), p.runs().size() == 1 ? "" : " (the median of " + p.runs().size() + " runs)"));
    String unit = p.unit();
    String perMacHead = shortUnit(unit) + "/MAC";
    sb.append(String.format(Locale.ROOT, "%4s  %-20s %-22s %-14s %12s %14s %11s %7s%n", "#", "op", "inputs", "output",
        "MACs", unit, perMacHead, "share"));
    long totalMacs = 0;
    for (int i = 0; i < p.ops().size(); i++) {
      OpRow op = p.ops().get(i);
      long c = p.count(i);
      if (op.macs() > 0) {
        totalMacs += op.macs();
      }
      sb.append(String.format(Locale.ROOT, "%4d  %-20s %-22s %-14s %12s %14s %11s %7s%n", op.index(), op.op(),
          String.join(",", op.inputs()), op.output(), macs(op.macs()),
          ProfileRun.ran(c) ? String.format(Locale.ROOT, "%,d", c) : "-",
          ratio(perMac(c, op.macs())), ProfileRun.ran(c) ? percent(c, run.whole()) : "(no hook: counted in the next op)"));
    }
    sb.append(String.format(Locale.ROOT, "%4s  %-58s %12s %14s %11s %7s%n", "", "(after the last op: return from "
        + "model_invoke)", "", String.format(Locale.ROOT, "%,d", run.afterLastOp()), "",
        percent(run.afterLastOp(), run.whole())));
    sb.append(String.format(Locale.ROOT, "%4s  %-58s %12s %14s %11s %7s%n", "", "whole inference", macs(totalMacs),
        String.format(Locale.ROOT, "%,d", run.whole()), ratio(perMac(run.whole(), totalMacs)), "100.0%"));
    sb.append(String.format(Locale.ROOT, "counter: %s%s%n", p.resolution().describe(),
        unit.equals("instructions") ? "; QEMU counts instructions, not cycles" : ""));
    sb.append(String.format(Locale.ROOT, "sum of the %d per-op counts: %,d = whole inference %,d - %,d after the last "
        + "op%n", run.hookCalls(), run.sumOfOps(), run.whole(), run.afterLastOp()));
    sb.append("  (each per-op count is the difference of two readings of one counter: within one counter step of the "
        + "op's own count, hook included; so they add up exactly to the reading at the last op)\n");
    if (p.runs().size() > 1) {
      sb.append(String.format(Locale.ROOT, "whole inference over %d runs: min %,d, max %,d %s%n", p.runs().size(),
          p.minWhole(), p.maxWhole(), unit));
    }
    sb.append(String.format(Locale.ROOT, "outputs: bit-exact with the simulator on every run (%d of %d)%n",
        p.runs().size(), p.runs().size()));
    sb.append(overheadLine(p)).append('\n');
    return sb.toString();
  }

  static String overheadLine(Profile p) {
    if (p.overhead().isEmpty()) {
      return "profiling overhead: not measured" + p.baselineNote().map(n -> " (" + n + ")").orElse("");
    }
    long base = p.baselineWhole().orElseThrow();
    long over = p.overhead().orElseThrow();
    int calls = p.shown().hookCalls();
    return String.format(Locale.ROOT, "profiling overhead: whole inference %,d with the per-op hooks vs %,d without "
        + "(%+,d %s, %s; %d hook calls, about %,d each; each hook's work is counted in its op)",
        p.shown().whole(), base, over, p.unit(), signedPercent(over, base), calls, calls == 0 ? 0 : over / calls)
        + (!p.resolution().wallClock() ? "" : "; wall-clock time: within the run-to-run spread, not a measurement");
  }

  public static String json(Profile p) {
    Map<String, Object> doc = new LinkedHashMap<>();
    ProfileRun run = p.shown();
    doc.put("model", p.model());
    doc.put("board", p.board());
    doc.put("target", p.target());
    doc.put("unit", p.unit());
    Map<String, Object> counter = new LinkedHashMap<>();
    counter.put("resolution", p.resolution().step());
    counter.put("describe", p.resolution().describe());
    doc.put("counter", counter);
    doc.put("shown_run", p.shownIndex());
    doc.put("input", run.input());
    List<Object> ops = new ArrayList<>();
    for (int i = 0; i < p.ops().size(); i++) {
      OpRow op = p.ops().get(i);
      long c = p.count(i);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("index", op.index());
      o.put("op", op.op());
      o.put("inputs", op.inputs());
      o.put("output", op.output());
      o.put("macs", op.macs() == ModelStats.UNKNOWN ? null : op.macs());
      o.put("count", ProfileRun.ran(c) ? c : null);
      double pm = perMac(c, op.macs());
      o.put("per_mac", Double.isNaN(pm) ? null : pm);
      o.put("share", ProfileRun.ran(c) && run.whole() > 0 ? (double) c / run.whole() : null);
      ops.add(o);
    }
    doc.put("ops", ops);
    doc.put("after_last_op", run.afterLastOp());
    doc.put("sum_of_ops", run.sumOfOps());
    doc.put("whole", run.whole());
    doc.put("hook_calls", run.hookCalls());
    List<Object> runs = new ArrayList<>();
    for (int k = 0; k < p.runs().size(); k++) {
      ProfileRun r = p.runs().get(k);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("input", r.input());
      m.put("whole", r.whole());
      m.put("whole_without_hooks", p.baselineWholes().isEmpty() ? null : p.baselineWholes().get(k));
      m.put("op_counts", r.opCounts().stream().map(c -> ProfileRun.ran(c) ? c : null).toList());
      runs.add(m);
    }
    doc.put("runs", runs);
    doc.put("bit_exact", true);
    Map<String, Object> overhead = new LinkedHashMap<>();
    overhead.put("whole_without_hooks", p.baselineWhole().orElse(null));
    overhead.put("added", p.overhead().orElse(null));
    overhead.put("note", p.baselineNote().orElse(null));
    doc.put("overhead", overhead);
    return new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc) + "\n";
  }

  private static String macs(long macs) {
    return macs == ModelStats.UNKNOWN ? "?" : String.format(Locale.ROOT, "%,d", macs);
  }

  private static String ratio(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String percent(long part, long whole) {
    return whole <= 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  private static String signedPercent(long part, long whole) {
    return whole <= 0 ? "-" : String.format(Locale.ROOT, "%+.3f%%", 100.0 * part / whole);
  }
}
