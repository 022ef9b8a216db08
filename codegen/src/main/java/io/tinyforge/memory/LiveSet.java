package io.tinyforge.memory;

import java.util.List;

/** Bytes that must be intact at the same time: the lower bound any arena plan has to respect. */
public final class LiveSet {
  private LiveSet() {}

  /** Bytes live at step {@code step}. */
  public static long bytesAt(List<Buffer> buffers, int step) {
    long sum = 0;
    for (Buffer b : buffers) {
      sum += b.bytesAt(step);
    }
    return sum;
  }

  /** The maximum over all steps of the bytes live at that step. */
  public static long lowerBound(List<Buffer> buffers, int stepCount) {
    long max = 0;
    for (int s = 0; s < Math.max(1, stepCount); s++) {
      max = Math.max(max, bytesAt(buffers, s));
    }
    return max;
  }
}
