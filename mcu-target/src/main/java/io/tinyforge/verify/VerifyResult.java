package io.tinyforge.verify;

import java.util.List;

/**
 * The outcome of a verification run.
 *
 * @param sets input sets run
 * @param exact sets whose every output matched bit for bit
 * @param counts platform counter value per inference, in {@code unit}
 * @param mismatches one line per failing set (with the first differing operator where it could be found)
 * @param stackBytes deepest stack use the target measured during any inference (0: not measured, e.g. host)
 */
public record VerifyResult(int sets, int exact, List<Long> counts, String unit, List<String> mismatches,
    long stackBytes) {
  public VerifyResult {
    counts = List.copyOf(counts);
    mismatches = List.copyOf(mismatches);
  }

  public boolean allExact() {
    return sets > 0 && exact == sets;
  }

  public long min() {
    return counts.stream().mapToLong(Long::longValue).min().orElse(0);
  }

  public long max() {
    return counts.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  public long median() {
    if (counts.isEmpty()) {
      return 0;
    }
    long[] s = counts.stream().mapToLong(Long::longValue).sorted().toArray();
    return s[(s.length - 1) / 2];
  }
}
