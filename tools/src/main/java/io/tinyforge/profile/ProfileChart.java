package io.tinyforge.profile;

import io.tinyforge.profile.ChartScene.Anchor;
import io.tinyforge.profile.ChartScene.Line;
import io.tinyforge.profile.ChartScene.Rect;
import io.tinyforge.profile.ChartScene.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lays out the profile as a bar chart: one bar per operator in execution order, height its count, coloured by op
 * type, a y axis with round ticks, operator indices under the bars and a legend of op types with their share of
 * the whole inference.
 */
public final class ProfileChart {
  /** Tableau 10: distinct, colour-blind-friendly hues. */
  static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");
  private static final int LEFT = 78;
  private static final int RIGHT = 24;
  private static final int TOP = 58;
  private static final int PLOT_HEIGHT = 300;
  private static final int LEGEND_ROW = 20;
  private static final String INK = "#222222";
  private static final String GRID = "#dddddd";

  private ProfileChart() {}

  /** Colour of every op type, in order of first appearance. */
  static Map<String, String> colours(Profile p) {
    Map<String, String> c = new LinkedHashMap<>();
    for (OpRow op : p.ops()) {
      c.computeIfAbsent(op.op(), k -> PALETTE.get(c.size() % PALETTE.size()));
    }
    return c;
  }

  public static ChartScene layout(Profile p) {
    ProfileRun run = p.shown();
    int n = p.ops().size();
    int slot = n <= 40 ? 22 : n <= 80 ? 12 : 7;
    int plotWidth = Math.max(560, n * slot);
    Map<String, String> colours = colours(p);
    Map<String, Long> byType = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      long c = p.count(i);
      if (ProfileRun.ran(c)) {
        byType.merge(p.ops().get(i).op(), c, Long::sum);
      }
    }
    List<Map.Entry<String, Long>> legend = new ArrayList<>(byType.entrySet());
    legend.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    String title = String.format(Locale.ROOT, "%s on %s: %s per operator", p.model(), p.board(), p.unit());
    // wide enough for the title too (about 0.62 em per character of a 16 px sans-serif)
    int width = Math.max(LEFT + plotWidth + RIGHT, LEFT + (int) (title.length() * 16 * 0.62) + RIGHT);
    plotWidth = width - LEFT - RIGHT;
    slot = Math.max(1, plotWidth / Math.max(1, n));
    int perRow = Math.max(1, (width - LEFT) / 230);
    int legendRows = (legend.size() + perRow - 1) / perRow;
    int axisBottom = TOP + PLOT_HEIGHT;
    int height = axisBottom + 44 + legendRows * LEGEND_ROW + 12;
    ChartScene s = new ChartScene(width, height);

    s.add(new Text(LEFT, 24, title, 16, Anchor.START, INK, true));
    s.add(new Text(LEFT, 44, String.format(Locale.ROOT, "whole inference %,d %s%s, input: %s",
        run.whole(), p.unit(), p.unit().equals("instructions") ? " (QEMU -icount: instructions, not cycles)" : "",
        run.input()), 12, Anchor.START, "#555555", false));

    long max = 1;
    for (int i = 0; i < n; i++) {
      if (ProfileRun.ran(p.count(i))) {
        max = Math.max(max, p.count(i));
      }
    }
    long step = niceStep(max);
    long top = ((max + step - 1) / step) * step;
    for (long v = 0; v <= top; v += step) {
      double y = axisBottom - (double) PLOT_HEIGHT * v / top;
      s.add(new Line(LEFT, y, LEFT + plotWidth, y, v == 0 ? INK : GRID));
      s.add(new Text(LEFT - 6, y + 4, shortNumber(v), 11, Anchor.END, INK, false));
    }
    s.add(new Line(LEFT, TOP - 6, LEFT, axisBottom, INK));
    s.add(new Text(LEFT - 6, TOP - 12, p.unit(), 11, Anchor.END, INK, false));

    int labelEvery = slot >= 16 ? 1 : slot >= 10 ? 2 : 5;
    double barWidth = Math.max(1, slot * 0.78);
    for (int i = 0; i < n; i++) {
      OpRow op = p.ops().get(i);
      double x = LEFT + i * slot + (slot - barWidth) / 2;
      long c = p.count(i);
      if (ProfileRun.ran(c)) {
        double h = (double) PLOT_HEIGHT * c / top;
        s.add(new Rect(x, axisBottom - h, barWidth, h, colours.get(op.op()), String.format(Locale.ROOT,
            "#%d %s %s: %,d %s (%.1f%%)", op.index(), op.op(), op.output(), c, p.unit(), 100.0 * c / run.whole())));
      }
      if (op.index() % labelEvery == 0) {
        s.add(new Text(x + barWidth / 2, axisBottom + 15, Integer.toString(op.index()), 10, Anchor.MIDDLE, INK,
            false));
      }
    }
    s.add(new Text(LEFT + plotWidth / 2.0, axisBottom + 31, "operator index (execution order)", 11, Anchor.MIDDLE,
        INK, false));

    int legendTop = axisBottom + 44;
    int colWidth = (width - LEFT) / perRow;
    for (int k = 0; k < legend.size(); k++) {
      Map.Entry<String, Long> e = legend.get(k);
      int x = LEFT + (k % perRow) * colWidth;
      int y = legendTop + (k / perRow) * LEGEND_ROW;
      s.add(new Rect(x, y, 12, 12, colours.get(e.getKey()), ""));
      s.add(new Text(x + 18, y + 11, String.format(Locale.ROOT, "%s %.1f%%", e.getKey(),
          100.0 * e.getValue() / run.whole()), 12, Anchor.START, INK, false));
    }
    return s;
  }

  /** A 1, 2 or 5 times a power of ten giving 4 to 10 ticks up to {@code max}. */
  static long niceStep(long max) {
    long pow = 1;
    while (pow * 10 <= max / 4) {
      pow *= 10;
    }
    for (long m : new long[] {1, 2, 5, 10}) {
      if (max / (m * pow) <= 8) {
        return m * pow;
      }
    }
    return 10 * pow;
  }

  static String shortNumber(long v) {
    if (v >= 1_000_000) {
      return trim(v / 1e6) + "M";
    }
    if (v >= 1_000) {
      return trim(v / 1e3) + "k";
    }
    return Long.toString(v);
  }

  private static String trim(double d) {
    String s = String.format(Locale.ROOT, "%.2f", d);
    return s.replaceAll("\\.?0+$", "");
  }
}
