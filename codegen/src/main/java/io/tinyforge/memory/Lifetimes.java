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
 * input whose last reader it is, at the input's offset; and a pointwise convolution's output joins its input's
 * buffer below the input, far enough that the forward walk never overwrites an input pixel it has not read yet
 * (see {@link TensorGraph.Pointwise}). A tensor's place is then its buffer's offset plus its offset inside the
 * buffer. A strided view ({@link TensorGraph.View}: a concatenation input its producer writes straight into the
 * output) joins its parent's buffer at its slice's first byte, and keeps the whole of the parent's bytes from its
 * producer to the concatenation.
 */
public final class Lifetimes {
  private Lifetimes() {}

  /** Which steps may write their output over an input. */
  public enum InPlace {
    /** None: every tensor in a buffer of its own, but aliases. */
    OFF,
    /** Element-wise steps, output at the input's offset. */
    ELEMENTWISE,
    /** Element-wise steps and pointwise convolutions (the output below the input). */
    POINTWISE
  }

  /**
   * The buffers of a graph and which buffer holds each tensor and each step's scratch.
   *
   * @param offsetInBuffer byte offset of each tensor inside its buffer (0 but for the members of an in-place
   *     pointwise step's buffer)
   */
  public record Layout(List<Buffer> buffers, int[] bufferOfTensor, int[] scratchOfStep, int[] offsetInBuffer) {
    public Layout {
      buffers = List.copyOf(buffers);
      bufferOfTensor = bufferOfTensor.clone();
      scratchOfStep = scratchOfStep.clone();
      offsetInBuffer = offsetInBuffer.clone();
    }

    /** Every tensor at its buffer's start. */
    public Layout(List<Buffer> buffers, int[] bufferOfTensor, int[] scratchOfStep) {
      this(buffers, bufferOfTensor, scratchOfStep, new int[bufferOfTensor.length]);
    }

    /** The buffer holding tensor {@code t}, or -1 if the tensor is not in the arena (constant or unused). */
    public int bufferOf(int tensor) {
      return bufferOfTensor[tensor];
    }

    /** Byte offset of tensor {@code t} inside its buffer. */
    public int offsetInBuffer(int tensor) {
      return offsetInBuffer[tensor];
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
    return of(g, inPlace ? InPlace.ELEMENTWISE : InPlace.OFF, 1);
  }

  /**
   * @param inPlace which steps may write over an input they read for the last time (see {@link #inPlaceTaken})
   * @param alignment the arena's alignment: a pointwise step's input sits this aligned inside the shared buffer
   */
  public static Layout of(TensorGraph g, InPlace inPlace, int alignment) {
    return of(g, inPlace, alignment, true);
  }

  /**
   * @param views put the graph's strided views in their parents' buffers (false: each in a buffer of its own, as
   *     any tensor)
   */
  public static Layout of(TensorGraph g, InPlace inPlace, int alignment, boolean views) {
    int n = g.tensorBytes().length;
    int steps = g.steps().size();
    // A forest of tensors: root[t] is t's parent, rel[t] t's offset from its parent's first byte (may be negative).
    int[] root = new int[n];
    long[] rel = new long[n];
    for (int t = 0; t < n; t++) {
      root[t] = t;
    }
    for (TensorGraph.Step s : g.steps()) {
      if (aliasTaken(g, s)) {
        int w = s.writes()[0];
        rel[w] = offsetFromRoot(root, rel, s.reads()[0]);
        root[w] = find(root, s.reads()[0]);
      }
    }
    TensorGraph.View[] viewOf = new TensorGraph.View[n];
    for (TensorGraph.View v : views ? g.views() : List.<TensorGraph.View>of()) {
      if (!g.constant()[v.tensor()] && !g.constant()[v.parent()]) {
        viewOf[v.tensor()] = v;
        rel[v.tensor()] = offsetFromRoot(root, rel, v.parent()) + v.offsetBytes();
        root[v.tensor()] = find(root, v.parent());
      }
    }
    int[] first = new int[n];
    int[] last = new int[n];
    boolean[] used = usage(g, first, last);
    boolean[] inPlaceStep = new boolean[steps];
    for (int i = 0; i < steps && inPlace != InPlace.OFF; i++) {
      if (writesView(g, i, viewOf)) {
        continue; // its output already lives in its concatenation's output
      }
      int over = inPlaceInput(g, i, root, last);
      long below = 0; // how far the output starts below the input it overwrites
      if (over < 0 && inPlace == InPlace.POINTWISE) {
        over = pointwiseInput(g, i, root, last);
        if (over >= 0) {
          below = GreedyPlanner.align(g.steps().get(i).pointwise().gapBytes(), alignment);
        }
      }
      if (over >= 0) { // both kinds of step have a single output
        inPlaceStep[i] = true;
        int out = g.steps().get(i).writes()[0];
        int r = find(root, out);
        rel[r] = offsetFromRoot(root, rel, over) - below - offsetFromRoot(root, rel, out);
        root[r] = find(root, over);
      }
    }
    // Group tensors by alias root, in order of the root's index; a group's buffer starts at its lowest member.
    int[] groupFirst = new int[n];
    int[] groupLast = new int[n];
    long[] groupLow = new long[n];
    long[] groupHigh = new long[n];
    List<List<Integer>> members = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      members.add(new ArrayList<>());
      groupFirst[t] = Integer.MAX_VALUE;
      groupLast[t] = -1;
      groupLow[t] = Long.MAX_VALUE;
      groupHigh[t] = Long.MIN_VALUE;
    }
    long[] fromRoot = new long[n];
    for (int t = 0; t < n; t++) {
      if (!used[t] || g.constant()[t]) {
        continue;
      }
      int r = find(root, t);
      fromRoot[t] = offsetFromRoot(root, rel, t);
      members.get(r).add(t);
      groupFirst[r] = Math.min(groupFirst[r], first[t]);
      groupLast[r] = Math.max(groupLast[r], last[t]);
      groupLow[r] = Math.min(groupLow[r], fromRoot[t]);
      groupHigh[r] = Math.max(groupHigh[r], fromRoot[t] + g.tensorBytes()[t]);
    }
    int[] offsetInBuffer = new int[n];
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
      int bytes = Math.max(1, Math.toIntExact(groupHigh[r] - groupLow[r]));
      List<Buffer.Piece> pieces = new ArrayList<>();
      for (int t : ordered) {
        bufferOfTensor[t] = id;
        offsetInBuffer[t] = Math.toIntExact(fromRoot[t] - groupLow[r]);
        if (viewOf[t] != null) {
          int parent = viewOf[t].parent();
          int parentOffset = Math.toIntExact(offsetFromRoot(root, rel, parent) - groupLow[r]);
          pieces.add(new Buffer.Piece(parentOffset, g.tensorBytes()[parent], first[t], last[t]));
        } else {
          pieces.add(new Buffer.Piece(offsetInBuffer[t], g.tensorBytes()[t], first[t], last[t]));
        }
      }
      // Tensors all at the buffer's start: the buffer is one piece (as without in-place execution).
      boolean flat = ordered.stream().allMatch(t -> offsetInBuffer[t] == 0);
      buffers.add(flat ? new Buffer(id, ordered, -1, bytes, groupFirst[r], groupLast[r])
          : new Buffer(id, ordered, -1, bytes, groupFirst[r], groupLast[r], pieces));
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
    return new Layout(buffers, bufferOfTensor, scratchOfStep, offsetInBuffer);
  }

  /** True if step {@code i} writes a tensor that lives as a strided view. */
  private static boolean writesView(TensorGraph g, int i, TensorGraph.View[] viewOf) {
    for (int t : g.steps().get(i).writes()) {
      if (viewOf[t] != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if the layout lets view {@code v} live in its parent: the view in the parent's buffer at the slice's first
   * byte. Its producer then writes with the parent's stride, and the concatenation skips it.
   */
  public static boolean viewTaken(Layout layout, TensorGraph.View v) {
    int b = layout.bufferOf(v.tensor());
    return b >= 0 && b == layout.bufferOf(v.parent())
        && layout.offsetInBuffer(v.tensor()) == layout.offsetInBuffer(v.parent()) + v.offsetBytes();
  }

  /** The views of {@code g} the layout took, by tensor. */
  public static java.util.Map<Integer, TensorGraph.View> viewsTaken(TensorGraph g, Layout layout) {
    java.util.Map<Integer, TensorGraph.View> taken = new java.util.HashMap<>();
    for (TensorGraph.View v : g.views()) {
      if (viewTaken(layout, v)) {
        taken.put(v.tensor(), v);
      }
    }
    return taken;
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
      if (diesAt(g, i, root, last, cand)) {
        return cand;
      }
    }
    return -1;
  }

  /**
   * The input a pointwise step {@code i} writes its output over (below it, see {@link TensorGraph.Pointwise}), or
   * -1: its walked input, when that input's buffer is read by no later step and holds no graph input or output,
   * and the step reads nothing else of that buffer.
   */
  private static int pointwiseInput(TensorGraph g, int i, int[] root, int[] last) {
    TensorGraph.Step s = g.steps().get(i);
    TensorGraph.Pointwise pw = s.pointwise();
    // (a kernel's scratch is a buffer of its own: it does not stand in the way)
    if (pw == null || s.aliases() || s.writes().length != 1) {
      return -1;
    }
    int out = s.writes()[0];
    int in = pw.input();
    if (in == out || g.inputs().contains(out) || g.constant()[out] || g.constant()[in]
        || find(root, in) == find(root, out)) {
      return -1;
    }
    for (int r : s.reads()) {
      if (r != in && find(root, r) == find(root, in)) {
        return -1;
      }
    }
    return diesAt(g, i, root, last, in) ? in : -1;
  }

  /** True if no step after {@code i} reads a tensor of {@code cand}'s buffer, which holds no graph input or output. */
  private static boolean diesAt(TensorGraph g, int i, int[] root, int[] last, int cand) {
    int r = find(root, cand);
    for (int t = 0; t < root.length; t++) {
      if (find(root, t) == r && (last[t] > i || g.inputs().contains(t) || g.outputs().contains(t))) {
        return false;
      }
    }
    return true;
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
    return pointwiseTaken(g, layout, step);
  }

  /** True if the layout puts pointwise step {@code step}'s output in its input's buffer. */
  public static boolean pointwiseTaken(TensorGraph g, Layout layout, int step) {
    TensorGraph.Step s = g.steps().get(step);
    if (s.pointwise() == null || s.writes().length != 1) {
      return false;
    }
    int b = layout.bufferOf(s.writes()[0]);
    return b >= 0 && layout.bufferOf(s.pointwise().input()) == b;
  }

  private static int find(int[] root, int t) {
    while (root[t] != t) {
      t = root[t];
    }
    return t;
  }

  /** Offset of tensor {@code t} from the first byte of its tree's root. */
  private static long offsetFromRoot(int[] root, long[] rel, int t) {
    long o = 0;
    while (root[t] != t) {
      o += rel[t];
      t = root[t];
    }
    return o;
  }
}
