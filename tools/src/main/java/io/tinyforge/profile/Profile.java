package io.tinyforge.profile;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A model's per-operator profile on a target: the operators, every profiled run, and the whole-inference counts of
 * the same inputs on a build without the per-op hook (the overhead baseline; empty when it was not measured).
 * The tables show the run whose whole count is the median (the lower one for an even number of runs), so its
 * per-op counts add up to the whole count shown.
 */
public record Profile(String model, String board, String target, String unit, CounterResolution resolution,
    List<OpRow> ops, List<ProfileRun> runs, List<Long> baselineWholes, Optional<String> baselineNote) {
  public Profile {
    ops = List.copyOf(ops);
    runs = List.copyOf(runs);
    baselineWholes = List.copyOf(baselineWholes);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("a profile needs at least one run");
    }
  }

  /** Index (into {@link #runs}) of the run the tables show. */
  public int shownIndex() {
    List<Integer> order = java.util.stream.IntStream.range(0, runs.size()).boxed()
        .sorted(Comparator.comparingLong((Integer i) -> runs.get(i).whole()).thenComparing(i -> i)).toList();
    return order.get((order.size() - 1) / 2);
  }

  public ProfileRun shown() {
    return runs.get(shownIndex());
  }

  /** Count of operator {@code position} (position in {@link #ops}) in the shown run. */
  public long count(int position) {
    return shown().opCounts().get(position);
  }

  /** Whole-inference count of the shown run's input on the build without hooks, when measured. */
  public Optional<Long> baselineWhole() {
    return baselineWholes.isEmpty() ? Optional.empty() : Optional.of(baselineWholes.get(shownIndex()));
  }

  /** Profiling build minus the build without hooks, same input (empty when not measured). */
  public Optional<Long> overhead() {
    return baselineWhole().map(b -> shown().whole() - b);
  }

  public long minWhole() {
    return runs.stream().mapToLong(ProfileRun::whole).min().orElse(0);
  }

  public long maxWhole() {
    return runs.stream().mapToLong(ProfileRun::whole).max().orElse(0);
  }
}
