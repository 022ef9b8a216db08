package io.tinyforge.lower;

import io.tinyforge.model.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a lowered model into the schedule the firmware runs, without changing a single output byte: a PAD whose
 * value is the next convolution's input zero point becomes that convolution's own padding (padded taps contribute
 * {@code (zp - zp) * w = 0}, exactly what the kernel's skipped out-of-range taps contribute), so the padded copy is
 * never written; a RELU6, or a RELU whose requantization is the identity (same scale and zero point in and out),
 * becomes a narrower clamp of the CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED / ADD / SUB / pool producing its
 * input. The simulator keeps running the layer-by-layer model; verification compares the two.
 *
 * <p>A PAD is folded only when its output is read by nothing else, is not a graph output, pads only height and
 * width, uses the constant pad value, and feeds CONV_2D or DEPTHWISE_CONV_2D as the data input. Pools are never
 * folded: TFLM's pools skip out-of-range taps, which a padded value would not.
 */
public final class Fusion {
  private Fusion() {}

  /** One rewrite, for reports: the op that disappeared and the op that absorbed it. */
  public record Fold(int removedOp, String removedName, int intoOp, String intoName) {
    public String describe() {
      return removedName + " #" + removedOp + " folded into " + intoName + " #" + intoOp;
    }
  }

  /** The rewritten model and what was rewritten. */
  public record Result(LoweredModel scheduled, List<Fold> folds) {
    public Result {
      folds = List.copyOf(folds);
    }
  }

  /** The schedule of {@code lowered}; unchanged when nothing can be folded. */
  public static Result fuse(LoweredModel lowered) {
    Model model = lowered.model();
    List<LoweredOp> ops = new ArrayList<>(lowered.ops());
    int[] readers = readerCounts(model, ops);
    List<Fold> folds = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (!(ops.get(i).params() instanceof PadParams pad)) {
        continue;
      }
      int consumer = soleReader(ops, pad.output(), i, readers, model);
      if (consumer < 0) {
        continue;
      }
      KernelParams folded = foldPad(pad, ops.get(consumer).params());
      if (folded == null) {
        continue;
      }
      LoweredOp into = ops.get(consumer);
      folds.add(new Fold(ops.get(i).operator().index(), ops.get(i).operator().opName(),
          into.operator().index(), into.operator().opName()));
      ops.set(consumer, new LoweredOp(into.operator(), folded));
      ops.set(i, null);
    }
    for (int i = 0; i < ops.size(); i++) {
      LoweredOp act = ops.get(i);
      if (act == null) {
        continue;
      }
      int[] clamp = clampOf(act.params());
      if (clamp == null) {
        continue;
      }
      int in = act.params().inputTensors()[0];
      int producer = producerOf(ops, in, i);
      if (producer < 0 || readers[in] != 1 || model.outputs().contains(in)) {
        continue;
      }
      KernelParams narrowed = withClamp(ops.get(producer).params(), act.params().outputTensors()[0], clamp[0],
          clamp[1]);
      if (narrowed == null) {
        continue;
      }
      LoweredOp p = ops.get(producer);
      folds.add(new Fold(act.operator().index(), act.operator().opName(), p.operator().index(),
          p.operator().opName()));
      ops.set(producer, new LoweredOp(p.operator(), narrowed));
      ops.set(i, null);
    }
    if (folds.isEmpty()) {
      return new Result(lowered, folds);
    }
    ops.removeIf(o -> o == null);
    return new Result(new LoweredModel(model, ops), folds);
  }

  /** The position of the only op reading {@code tensor} (after {@code producer}), or -1. */
  private static int soleReader(List<LoweredOp> ops, int tensor, int producer, int[] readers, Model model) {
    if (readers[tensor] != 1 || model.outputs().contains(tensor)) {
      return -1;
    }
    for (int j = producer + 1; j < ops.size(); j++) {
      LoweredOp o = ops.get(j);
      if (o == null) {
        continue;
      }
      for (int t : o.params().inputTensors()) {
        if (t == tensor) {
          return j;
        }
      }
    }
    return -1;
  }

  /** The position of the op (before {@code before}) that writes {@code tensor} as its only output, or -1. */
  private static int producerOf(List<LoweredOp> ops, int tensor, int before) {
    for (int j = before - 1; j >= 0; j--) {
      LoweredOp o = ops.get(j);
      if (o != null && o.params().outputTensors().length == 1 && o.params().outputTensors()[0] == tensor) {
        return j;
      }
    }
    return -1;
  }

  /**
   * {min, max} when the activation is a plain clamp of its input bytes, else null: RELU6 always (TFLM clamps the
   * raw bytes to the input's 0 and 6), RELU when its requantization multiplies by exactly one (scale ratio 1:
   * multiplier 2^30, shift 1) with equal zero points.
   */
  static int[] clampOf(KernelParams p) {
    if (p instanceof Relu6Params r) {
      return new int[] {r.lower(), r.upper()};
    }
    if (p instanceof ReluParams r && r.outputMultiplier() == (1 << 30) && r.outputShift() == 1
        && r.inputZeroPoint() == r.outputOffset()) {
      return new int[] {r.activationMin(), r.activationMax()};
    }
    return null;
  }

  /**
   * The producer writing {@code output} with its clamp narrowed to {@code [lo, hi]}, or null if it has no clamp or
   * the two ranges do not overlap (clamping twice would then not be one clamp).
   */
  static KernelParams withClamp(KernelParams p, int output, int lo, int hi) {
    if (p instanceof WeightedParams w) {
      Requantization r = w.requant().narrowedTo(lo, hi);
      return r == null ? null : w.withEpilogue(output, r);
    }
    if (p instanceof AddSubParams a) {
      int[] r = narrow(a.activationMin(), a.activationMax(), lo, hi);
      return r == null ? null : new AddSubParams(a.subtract(), a.input1(), a.input2(), output, a.outputDims(),
          a.input1Strides(), a.input2Strides(), a.leftShift(), a.input1Offset(), a.input1Multiplier(),
          a.input1Shift(), a.input2Offset(), a.input2Multiplier(), a.input2Shift(), a.outputOffset(),
          a.outputMultiplier(), a.outputShift(), r[0], r[1]);
    }
    if (p instanceof PoolParams q) {
      int[] r = narrow(q.activationMin(), q.activationMax(), lo, hi);
      return r == null ? null : new PoolParams(q.kind(), q.input(), output, q.batches(), q.inputHeight(),
          q.inputWidth(), q.depth(), q.outputHeight(), q.outputWidth(), q.filterHeight(), q.filterWidth(),
          q.strideHeight(), q.strideWidth(), q.padHeight(), q.padWidth(), r[0], r[1]);
    }
    return null;
  }

  private static int[] narrow(int min, int max, int lo, int hi) {
    int a = Math.max(min, lo);
    int b = Math.min(max, hi);
    return a <= b ? new int[] {a, b} : null;
  }

  /** How many ops read each tensor (an op reading it twice counts twice). */
  static int[] readerCounts(Model model, List<LoweredOp> ops) {
    int[] n = new int[model.tensors().size()];
    for (LoweredOp o : ops) {
      for (int t : o.params().inputTensors()) {
        n[t]++;
      }
    }
    return n;
  }

  /** The consumer with the PAD's padding added to its own, or null when that would change any byte. */
  static KernelParams foldPad(PadParams pad, KernelParams consumer) {
    if (pad.padValueTensor() >= 0) {
      return null;
    }
    int[] l = pad.leftPadding();
    int[] r = pad.rightPadding();
    // 5-D, NHWC in the last four: only H (3rd) and W (4th) may be padded.
    if (l[0] != 0 || r[0] != 0 || l[1] != 0 || r[1] != 0 || l[4] != 0 || r[4] != 0) {
      return null;
    }
    int[] d = pad.outputDims();
    int inH = d[2] - l[2] - r[2];
    int inW = d[3] - l[3] - r[3];
    if (consumer instanceof ConvParams || consumer instanceof DepthwiseParams) {
      WindowedParams c = (WindowedParams) consumer;
      if (c.input() != pad.output() || c.filter() == pad.output() || pad.padValue() != -c.inputOffset()
          || c.inputHeight() != d[2] || c.inputWidth() != d[3] || c.inputDepth() != d[4] || c.batches() != d[1]) {
        return null;
      }
      return c.withGeometry(pad.input(), c.maps().withInputSize(inH, inW),
          c.window().withPadding(c.padHeight() + l[2], c.padWidth() + l[3]));
    }
    return null;
  }
}
