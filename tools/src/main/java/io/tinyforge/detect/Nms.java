package io.tinyforge.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy per-class non-maximum suppression, as darknet's do_nms_sort: a box goes when it overlaps a better one. */
public final class Nms {
  private Nms() {}

  /**
   * Keeps, per class, the highest-scoring box and drops every box of that class whose IoU with a kept one is above
   * {@code iouThreshold}. Result: by descending score (ties: input order).
   */
  public static List<Detection> apply(List<Detection> boxes, float iouThreshold) {
    List<Detection> sorted = new ArrayList<>(boxes);
    sorted.sort(Comparator.comparingDouble((Detection d) -> d.score()).reversed());
    List<Detection> kept = new ArrayList<>();
    for (Detection d : sorted) {
      boolean suppressed = false;
      for (Detection k : kept) {
        if (k.classId() == d.classId() && k.iou(d) > iouThreshold) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) {
        kept.add(d);
      }
    }
    return kept;
  }
}
