package io.tinyforge.sim.gen;

import java.util.Map;
import java.util.TreeMap;

/** Counts generated models per (op, option) and prints the table. */
public final class Coverage {
  private final Map<String, Map<String, Integer>> counts = new TreeMap<>();

  public void add(String op, String option) {
    counts.computeIfAbsent(op, k -> new TreeMap<>()).merge(option, 1, Integer::sum);
  }

  public int count(String op, String option) {
    return counts.getOrDefault(op, Map.of()).getOrDefault(option, 0);
  }

  public Map<String, Map<String, Integer>> counts() {
    return counts;
  }

  /** One line per op: "OP  option=n option=n ...". */
  public String table() {
    StringBuilder sb = new StringBuilder();
    int width = counts.keySet().stream().mapToInt(String::length).max().orElse(4);
    counts.forEach((op, opts) -> {
      sb.append(String.format("%-" + width + "s ", op));
      opts.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
      sb.append('\n');
    });
    return sb.toString();
  }
}
