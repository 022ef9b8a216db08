package io.tinyforge.sim;

/** Byte comparison helpers for oracle tests. */
final class Diff {
  private Diff() {}

  /** Number of differing bytes (a length mismatch counts every missing byte). */
  static int count(byte[] a, byte[] b) {
    int n = Math.abs(a.length - b.length);
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] != b[i]) {
        n++;
      }
    }
    return n;
  }

  static int firstIndex(byte[] a, byte[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return a.length == b.length ? -1 : Math.min(a.length, b.length);
  }

  static String describe(byte[] sim, byte[] oracle) {
    int i = firstIndex(sim, oracle);
    if (i < 0) {
      return "equal";
    }
    return count(sim, oracle) + " of " + oracle.length + " bytes differ, first at " + i + " (sim "
        + (i < sim.length ? sim[i] : "-") + ", oracle " + (i < oracle.length ? oracle[i] : "-") + ")";
  }
}
