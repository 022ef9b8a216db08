package io.tinyforge.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a {@link TensorGraph} into the buffers the arena must hold and the steps during which each must stay
 * intact. A tensor lives from the step that writes it (graph inputs: from the start) to the last step that reads
 * it (graph outputs: to the end). An aliasing step's output shares its input's buffer, so the buffer lives as long
 * as any of its tensors; the alias is taken only when the input is itself in the arena (a reshaped constant is
 * copied out of flash instead). With in-place execution an element-wise step's output also joins the buffer of an
 * input whose last reader it is.
 */
public final class Lifetimes {
  private Lifetimes() {}

  /** The buffers of a graph and which buffer holds each tensor and each step's scratch. */
  public record Layout(List<Buffer> buffers, int[] bufferOfTensor, int[] scratchOfStep) {
    public Layout {
      buffers = List.copyOf(buffers);
      bufferOfTensor = bufferOfTensor.clone();
      scratchOfStep = scratchOfStep.clone();
    }

    /** The buffer holding tensor {@code t}, or -1 if the tensor is not in the arena (constant or unused). */
    public int bufferOf(int tensor) {
      return bufferOfTensor[tensor];
    }
  }

  /** True if step {@code s} is an alias whose output can share its input's bytes (input not a constant). */
  public static boolean aliasTaken(TensorGraph g, TensorGraph.Step s) {
    return s.aliases() && s.reads().length >= 1 && s.writes().length == 1 && !g.constant()[s.reads()[0]];
  }

  public static Layout of(TensorGraph g) {
    return of(g, false);
  }

  /**
   * @param inPlace also let an element-wise step write over an input it reads for the last time (see
   *     {@link #inPlaceTaken}): the output joins that input's buffer
   */
  public static Layout of(TensorGraph g, boolean inPlace) {
    int n = g.tensorBytes().length;
    int steps = g.steps().size();
    int[] root = new int[n];
    for (int t = 0; t < n; t++) {
      root[t] = t;
    }
    for (TensorGraph.Step s : g.steps()) {
      if (aliasTaken(g, s)) {
        root[s.writes()[0]] = find(root, s.reads()[0]);
      }
    }
    int[] first = new int[n];
    int[] last = new int[n];
    boolean[] used = usage(g, first, last);
    boolean[] inPlaceStep = new boolean[steps];
    if (inPlace) {
      for (int i = 0; i < steps; i++) {
        int over = inPlaceInput(g, i, root, last);
        if (over >= 0) {
          root[find(root, g.steps().get(i).writes()[0])] = find(root, over);
          inPlaceStep[i] = true;
        }
      }
    }
    // Group tensors by alias root, in order of the root's index.
    int[] groupFirst = new int[n];
    int[] groupLast = new int[n];
    int[] groupBytes = new int[n];
    List<List<Integer>> members = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      members.add(new ArrayList<>());
      groupFirst[t] = Integer.MAX_VALUE;
      groupLast[t] = -1;
    }
    for (int t = 0; t < n; t++) {
      if (!used[t] || g.constant()[t]) {
        continue;
      }
      int r = find(root, t);
      members.get(r).add(t);
      groupFirst[r] = Math.min(groupFirst[r], first[t]);
      groupLast[r] = Math.max(groupLast[r], last[t]);
      groupBytes[r] = Math.max(groupBytes[r], g.tensorBytes()[t]);
    }
    List<Buffer> buffers = new ArrayList<>();
    int[] bufferOfTensor = new int[n];
    Arrays.fill(bufferOfTensor, -1);
    for (int r = 0; r < n; r++) {
      List<Integer> ts = members.get(r);
      if (ts.isEmpty()) {
        continue;
      }
      // the root first, then its aliases in index order
      List<Integer> ordered = new ArrayList<>();
      ordered.add(r);
      for (int t : ts) {
        if (t != r) {
          ordered.add(t);
        }
      }
      int id = buffers.size();
      buffers.add(new Buffer(id, ordered, -1, Math.max(1, groupBytes[r]), groupFirst[r], groupLast[r]));
      for (int t : ordered) {
        bufferOfTensor[t] = id;
      }
    }
    int[] scratchOfStep = new int[steps];
    Arrays.fill(scratchOfStep, -1);
    for (int i = 0; i < steps; i++) {
      int bytes = scratchBytes(g.steps().get(i), inPlaceStep[i]);
      if (bytes > 0) {
        scratchOfStep[i] = buffers.size();
        buffers.add(new Buffer(buffers.size(), List.of(), i, bytes, i, i));
      }
    }
    return new Layout(buffers, bufferOfTensor, scratchOfStep);
  }

  /** The scratch a step takes: its kernel's, plus its band buffer when it runs in place. */
  static int scratchBytes(TensorGraph.Step s, boolean inPlace) {
    return s.scratchBytes() + (inPlace ? s.inPlaceScratchBytes() : 0);
  }

  /** First and last step of every tensor (graph inputs from 0, outputs to the end); returns which are used. */
  private static boolean[] usage(TensorGraph g, int[] first, int[] last) {
    int n = g.tensorBytes().length;
    int steps = g.steps().size();
    int end = Math.max(0, steps - 1);
    boolean[] written = new boolean[n];
    boolean[] used = new boolean[n];
    Arrays.fill(first, Integer.MAX_VALUE);
    Arrays.fill(last, -1);
    for (int t : g.inputs()) {
      used[t] = true;
      written[t] = true;
      first[t] = 0;
      last[t] = Math.max(last[t], 0);
    }
    for (int i = 0; i < steps; i++) {
      TensorGraph.Step s = g.steps().get(i);
      for (int t : s.writes()) {
        used[t] = true;
        written[t] = true;
        first[t] = Math.min(first[t], i);
        last[t] = Math.max(last[t], i);
      }
      for (int t : s.reads()) {
        used[t] = true;
        last[t] = Math.max(last[t], i);
      }
    }
    for (int t : g.outputs()) {
      used[t] = true;
      last[t] = end;
      if (first[t] == Integer.MAX_VALUE) {
        first[t] = 0;
      }
    }
    for (int t = 0; t < n; t++) {
      if (used[t] && !written[t]) {
        first[t] = 0; // read but never written (a variable tensor): its bytes are there from the start
      }
    }
    return used;
  }

  /**
   * The input step {@code i} writes its output over, or -1: an in-place candidate of the step, an activation of the
   * same size as the output, whose buffer (with every alias and earlier in-place tenant) is read by no later step
   * and holds no graph input or output.
   */
  private static int inPlaceInput(TensorGraph g, int i, int[] root, int[] last) {
    TensorGraph.Step s = g.steps().get(i);
    if (s.aliases() || s.writes().length != 1 || s.scratchBytes() > 0) {
      return -1;
    }
    int out = s.writes()[0];
    if (g.inputs().contains(out) || g.constant()[out]) {
      return -1;
    }
    for (int cand : s.inPlaceInputs()) {
      if (cand == out || g.constant()[cand] || g.tensorBytes()[cand] != g.tensorBytes()[out]) {
        continue;
      }
      int r = find(root, cand);
      boolean ok = true;
      for (int t = 0; t < root.length && ok; t++) {
        if (find(root, t) == r) {
          ok = last[t] <= i && !g.inputs().contains(t) && !g.outputs().contains(t);
        }
      }
      if (ok) {
        return cand;
      }
    }
    return -1;
  }

  /** True if the layout lets step {@code step} write over one of its inputs (their buffers are the same). */
  public static boolean inPlaceTaken(TensorGraph g, Layout layout, int step) {
    TensorGraph.Step s = g.steps().get(step);
    if (s.aliases() || s.writes().length != 1) {
      return false;
    }
    int b = layout.bufferOf(s.writes()[0]);
    for (int t : s.inPlaceInputs()) {
      if (b >= 0 && layout.bufferOf(t) == b) {
        return true;
      }
    }
    return false;
  }

  private static int find(int[] root, int t) {
    while (root[t] != t) {
      t = root[t];
    }
    return t;
  }
}
