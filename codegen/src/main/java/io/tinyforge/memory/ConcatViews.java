package io.tinyforge.memory;

import io.tinyforge.lower.ConcatParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.lower.PoolParams;
import io.tinyforge.lower.ResizeNearestParams;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * CONCATENATION without a copy: the inputs whose producers can write straight into their slice of the output
 * (YOLO's SPP block concatenates three MAX_POOL_2D outputs with their input, its neck an upsampled map with an
 * earlier one). Such an input becomes a {@link TensorGraph.View} of the output: the planner gives it no buffer of
 * its own, its producer writes its pixels one output pixel apart, and the concatenation copies only the others.
 *
 * <p>An input qualifies when the op is a CONCATENATION whose outer positions are the producer's output pixels and
 * whose per-position chunk of that input is one of its pixels (the last axis, or any axis laid out the same way);
 * the input is int8 and quantized as the output (the copy changes no byte); it is no graph input or output and
 * no constant; the concatenation is its only reader and names it once; and its producer is a plain op of the
 * schedule (not a patch stage) whose kernel has a strided twin on every core: MAX_POOL_2D
 * ({@code tfk_max_pool2d_s8_strided}) and RESIZE_NEAREST_NEIGHBOR ({@code tfk_resize_nearest_strided}). Neither
 * ever runs in place, so no other rewrite of the schedule claims the same bytes.
 */
public final class ConcatViews {
  private ConcatViews() {}

  /** The views of every concatenation of {@code lowered}, in schedule order. */
  public static List<TensorGraph.View> of(LoweredModel lowered) {
    Model m = lowered.model();
    int n = m.tensors().size();
    int[] readers = new int[n];
    int[] producer = new int[n];
    java.util.Arrays.fill(producer, -1);
    for (int i = 0; i < lowered.ops().size(); i++) {
      KernelParams p = lowered.ops().get(i).params();
      for (int t : p.inputTensors()) {
        if (t >= 0) {
          readers[t]++;
        }
      }
      for (int t : p.outputTensors()) {
        producer[t] = i;
      }
    }
    List<TensorGraph.View> views = new ArrayList<>();
    for (LoweredOp op : lowered.ops()) {
      if (op.operator().op() != BuiltinOp.CONCATENATION || !(op.params() instanceof ConcatParams c)) {
        continue;
      }
      Tensor out = m.tensor(c.output());
      if (out.isConstant() || out.isVariable() || c.elementBytes() != 1) {
        continue;
      }
      long runBytes = 0;
      for (int size : c.copySizes()) {
        runBytes += size;
      }
      long offset = 0;
      for (int i = 0; i < c.inputs().length; i++) {
        int t = c.inputs()[i];
        int chunk = c.copySizes()[i];
        if (qualifies(lowered, m, c, i, readers, producer)) {
          views.add(new TensorGraph.View(t, c.output(), Math.toIntExact(offset), c.outerSize(), chunk,
              Math.toIntExact(runBytes)));
        }
        offset += chunk;
      }
    }
    return views;
  }

  private static boolean qualifies(LoweredModel lowered, Model m, ConcatParams c, int i, int[] readers,
      int[] producer) {
    int t = c.inputs()[i];
    Tensor in = m.tensor(t);
    Tensor out = m.tensor(c.output());
    if (!activation(m, in) || in.type() != TensorType.INT8 || readers[t] != 1 || producer[t] < 0
        || !sameQuantization(in.quantization(), out.quantization())) {
      return false;
    }
    for (int j = 0; j < c.inputs().length; j++) {
      if (j != i && c.inputs()[j] == t) {
        return false;
      }
    }
    KernelParams p = lowered.ops().get(producer[t]).params();
    if (p.outputTensors().length != 1) {
      return false;
    }
    // The concatenation's outer positions must be the producer's output pixels, and the input's chunk one pixel.
    long pixels;
    int depth;
    if (p instanceof PoolParams pool && pool.kind() == PoolParams.Kind.MAX) {
      pixels = (long) pool.batches() * pool.outputHeight() * pool.outputWidth();
      depth = pool.depth();
    } else if (p instanceof ResizeNearestParams r) {
      pixels = (long) r.batches() * r.outputHeight() * r.outputWidth();
      depth = r.depth();
    } else {
      return false;
    }
    return pixels == c.outerSize() && depth == c.copySizes()[i];
  }

  /** An activation in the arena: no constant, no state, no graph input or output. */
  private static boolean activation(Model m, Tensor t) {
    return !t.isConstant() && !t.isVariable() && !m.inputs().contains(t.index()) && !m.outputs().contains(t.index());
  }

  private static boolean sameQuantization(Quantization a, Quantization b) {
    return a != null && b != null && !a.isPerChannel() && !b.isPerChannel() && a.scale() == b.scale()
        && a.zeroPoint() == b.zeroPoint();
  }
}
