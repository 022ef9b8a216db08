package io.tinyforge.memory;

import io.tinyforge.lower.AddSubParams;
import io.tinyforge.lower.ConvParams;
import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LeakyReluParams;
import io.tinyforge.lower.Relu6Params;
import io.tinyforge.lower.ReluParams;
import io.tinyforge.lower.WindowedParams;
import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/**
 * Which input rows an op needs for a band of output rows, and the op's parameters restricted to that band. A
 * convolution over output rows {@code [a, b)} reads input rows {@code [ia, ib)}; given exactly those rows it is the
 * same convolution with {@code in_h = ib - ia}, {@code out_h = b - a} and the top padding that maps output row a
 * onto input row ia, so the unchanged kernels compute the band's bytes (rows outside {@code [0, H)} stay padding,
 * rows below {@code ib} are never read).
 */
public final class PatchGeometry {
  private PatchGeometry() {}

  /** True if the op can run on a band of rows: batch 1 NHWC int8, and a kind below. */
  static boolean supported(Model model, KernelParams p) {
    for (int t : p.outputTensors()) {
      if (!rows4d(model.tensor(t))) {
        return false;
      }
    }
    for (int t : p.inputTensors()) {
      Tensor x = model.tensor(t);
      if (!x.isConstant() && !rows4d(x)) {
        return false;
      }
    }
    if (p instanceof ConvParams c) {
      return c.batches() == 1;
    }
    if (p instanceof DepthwiseParams d) {
      return d.batches() == 1;
    }
    if (p instanceof AddSubParams a) {
      // same-shaped operands only: a band of each is then the same rows
      int bytes = model.tensor(a.output()).byteSize();
      return model.tensor(a.input1()).byteSize() == bytes && model.tensor(a.input2()).byteSize() == bytes;
    }
    return p instanceof LeakyReluParams || p instanceof ReluParams || p instanceof Relu6Params;
  }

  private static boolean rows4d(Tensor t) {
    int[] s = t.shape().toArray();
    return t.type() == TensorType.INT8 && s.length == 4 && s[0] == 1;
  }

  /** Bytes of one row of a [1, H, W, C] int8 tensor. */
  public static int rowBytes(Model model, int tensor) {
    int[] s = model.tensor(tensor).shape().toArray();
    return s[2] * s[3];
  }

  public static int height(Model model, int tensor) {
    return model.tensor(tensor).shape().toArray()[1];
  }

  /** The rows {ia, ib} of the op's activation input that output rows {@code [a, b)} read (ia == ib: none). */
  public static int[] inputRows(KernelParams p, int a, int b) {
    if (p instanceof ConvParams c) {
      return window(a, b, c.strideHeight(), c.padHeight(), c.filterHeight(), c.dilationHeight(), c.inputHeight());
    }
    if (p instanceof DepthwiseParams d) {
      return window(a, b, d.strideHeight(), d.padHeight(), d.filterHeight(), d.dilationHeight(), d.inputHeight());
    }
    return new int[] {a, b};
  }

  private static int[] window(int a, int b, int stride, int pad, int k, int dilation, int h) {
    int ia = Math.max(0, a * stride - pad);
    int ib = Math.min(h, (b - 1) * stride - pad + (k - 1) * dilation + 1);
    return ib <= ia ? new int[] {ia, ia} : new int[] {ia, ib};
  }

  /** True for an op whose input tensor {@code t} is read row for row (not through a window). */
  static boolean pointwise(KernelParams p) {
    return !(p instanceof ConvParams) && !(p instanceof DepthwiseParams);
  }

  /**
   * The op restricted to output rows {@code [a, b)} given input rows {@code [ia, ib)} (from {@link #inputRows});
   * element-wise ops get their element count, their shapes come from the caller's views.
   */
  public static KernelParams crop(KernelParams p, int a, int b, int ia, int ib, int rowElements) {
    int rows = b - a;
    if (p instanceof ConvParams || p instanceof DepthwiseParams) {
      WindowedParams w = (WindowedParams) p;
      return w.withGeometry(w.input(), w.maps().withRows(1, ib - ia, rows),
          w.window().withPadding(w.padHeight() + ia - a * w.strideHeight(), w.padWidth()));
    }
    int count = rows * rowElements;
    if (p instanceof LeakyReluParams l) {
      return new LeakyReluParams(l.input(), l.output(), count, l.inputZeroPoint(), l.outputZeroPoint(),
          l.multiplierAlpha(), l.shiftAlpha(), l.negateAlpha(), l.multiplierIdentity(), l.shiftIdentity());
    }
    if (p instanceof ReluParams r) {
      return new ReluParams(r.input(), r.output(), count, r.inputZeroPoint(), r.outputOffset(),
          r.outputMultiplier(), r.outputShift(), r.activationMin(), r.activationMax());
    }
    if (p instanceof Relu6Params r) {
      return new Relu6Params(r.input(), r.output(), count, r.lower(), r.upper());
    }
    if (p instanceof AddSubParams) {
      return p; // its shapes are the band's (the emitter's views)
    }
    throw new IllegalArgumentException("cannot run " + p.getClass().getSimpleName() + " on a band");
  }
}
