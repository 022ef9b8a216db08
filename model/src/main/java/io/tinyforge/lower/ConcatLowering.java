package io.tinyforge.lower;

import io.tinyforge.model.Activation;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/** Prepare of CONCATENATION (concatenation.cc) and PACK (pack.cc): inputs laid side by side along an axis. */
final class ConcatLowering {
  private ConcatLowering() {}

  /** TFLM's kMaxInputNum for CONCATENATION. */
  static final int MAX_INPUTS = 10;
  /** TFLM's CONCATENATION supports inputs of at most 4 dimensions. */
  static final int MAX_RANK = 4;

  static ConcatParams concatenation(OpContext ctx) {
    OpOptions.Concatenation o = ctx.op().options(OpOptions.Concatenation.class);
    int n = ctx.op().inputs().size();
    if (n < 1 || n > MAX_INPUTS) {
      throw ctx.fail("has " + n + " inputs; TFLM's CONCATENATION takes 1 to " + MAX_INPUTS);
    }
    if (o.activation() != Activation.NONE) {
      throw ctx.fail("fused activation " + o.activation() + " is not supported (TFLM requires NONE)");
    }
    Tensor out = ctx.output(0);
    int[] od = OpContext.dims(out);
    int axis = o.axis() < 0 ? o.axis() + od.length : o.axis();
    if (axis < 0 || axis >= od.length) {
      throw ctx.fail("axis " + o.axis() + " is out of range for the output shape " + out.shape());
    }
    Tensor[] ins = new Tensor[n];
    int axisSum = 0;
    for (int i = 0; i < n; i++) {
      ins[i] = ctx.input(i);
      Tensor t = ins[i];
      sameElementType(ctx, t, out, "input " + i);
      int[] d = OpContext.dims(t);
      if (d.length > MAX_RANK) {
        throw ctx.fail("input " + i + " " + t.label() + " has " + d.length + " dimensions; TFLM's CONCATENATION "
            + "supports at most " + MAX_RANK);
      }
      if (d.length != od.length) {
        throw ctx.fail("input " + i + " " + t.shape() + " and output " + out.shape() + " differ in rank");
      }
      for (int k = 0; k < d.length; k++) {
        if (k != axis && d[k] != od[k]) {
          throw ctx.fail("input " + i + " " + t.shape() + " does not match the output " + out.shape()
              + " outside axis " + axis);
        }
      }
      axisSum += d[axis];
      if (t.type() == TensorType.INT8) {
        sameQuantization(ctx, t, out, "input " + i);
      }
    }
    if (axisSum != od[axis]) {
      throw ctx.fail("inputs add up to " + axisSum + " along axis " + axis + " but the output has " + od[axis]);
    }
    int outer = product(od, 0, axis);
    int inner = product(od, axis + 1, od.length);
    int[] copy = new int[n];
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      copy[i] = ins[i].shape().dim(axis) * inner;
      idx[i] = ins[i].index();
    }
    return new ConcatParams(idx, out.index(), out.type().bytes(), outer, copy);
  }

  static ConcatParams pack(OpContext ctx) {
    OpOptions.Pack o = ctx.op().options(OpOptions.Pack.class);
    int n = ctx.op().inputs().size();
    if (n < 1 || o.valuesCount() != n) {
      throw ctx.fail("values_count " + o.valuesCount() + " does not match its " + n + " inputs");
    }
    Tensor out = ctx.output(0);
    Tensor first = ctx.input(0);
    int[] d = OpContext.dims(first);
    int[] od = OpContext.dims(out);
    int axis = o.axis() < 0 ? o.axis() + od.length : o.axis();
    if (od.length != d.length + 1 || axis < 0 || axis > d.length) {
      throw ctx.fail("axis " + o.axis() + " and output " + out.shape() + " do not fit inputs of shape "
          + first.shape());
    }
    int[] idx = new int[n];
    int[] copy = new int[n];
    int inner = product(d, axis, d.length);
    for (int i = 0; i < n; i++) {
      Tensor t = ctx.input(i);
      sameElementType(ctx, t, out, "input " + i);
      if (!t.shape().equals(first.shape())) {
        throw ctx.fail("input " + i + " " + t.shape() + " differs from input 0 " + first.shape());
      }
      // Unlike CONCATENATION, TFLM's PACK does not check quantization: it copies raw values, and so do we.
      idx[i] = t.index();
      copy[i] = inner;
    }
    for (int k = 0; k < od.length; k++) {
      int expected = k < axis ? d[k] : k == axis ? n : d[k - 1];
      if (od[k] != expected) {
        throw ctx.fail("output " + out.shape() + " is not " + n + " inputs of " + first.shape()
            + " stacked on axis " + axis);
      }
    }
    return new ConcatParams(idx, out.index(), out.type().bytes(), product(d, 0, axis), copy);
  }

  static void sameElementType(OpContext ctx, Tensor t, Tensor out, String role) {
    if (t.type() != out.type()) {
      throw ctx.fail(role + " " + t.label() + " is " + t.type() + " but the output is " + out.type());
    }
    if (t.type().bytes() <= 0) {
      throw ctx.fail(role + " " + t.label() + " has unsupported type " + t.type());
    }
  }

  /** TFLM copies int8 bytes unchanged, so it refuses inputs quantized differently from the output. */
  static void sameQuantization(OpContext ctx, Tensor t, Tensor out, String role) {
    float si = ctx.scale(t, role);
    float so = ctx.scale(out, "output");
    int zi = ctx.zeroPoint(t, role);
    int zo = ctx.zeroPoint(out, "output");
    if (si != so || zi != zo) {
      throw ctx.fail(role + " " + t.label() + " is quantized (scale " + si + ", zero point " + zi
          + ") differently from the output (scale " + so + ", zero point " + zo + "); TFLM requires equal "
          + "quantization: re-convert the model so they match (e.g. insert a QUANTIZE op)");
    }
  }

  static int product(int[] d, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) {
      p *= d[i];
    }
    return p;
  }
}
