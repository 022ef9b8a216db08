package io.tinyforge.check;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Per-op multiply-accumulate counts and parameter bytes, and model totals, as inspect prints them. */
public record ModelStats(List<OpStats> ops, long totalMacs, long weightBytes, int tensorCount,
    Tensor largestActivation) {

  /** One op: MACs (0 for ops without multiply-accumulates) and bytes of the constants it reads. */
  public record OpStats(Operator op, long macs, long paramBytes) {}

  public static ModelStats of(Model model) {
    List<OpStats> ops = new ArrayList<>();
    long macs = 0;
    Set<Integer> constants = new HashSet<>();
    long weightBytes = 0;
    for (Operator op : model.operators()) {
      long params = 0;
      for (int i : op.inputs()) {
        if (i >= 0 && model.tensor(i).isConstant()) {
          long bytes = model.tensor(i).byteSize();
          params += bytes;
          if (constants.add(i)) {
            weightBytes += bytes;
          }
        }
      }
      long m = macsOf(model, op);
      macs += m;
      ops.add(new OpStats(op, m, params));
    }
    Tensor largest = null;
    for (Tensor t : model.tensors()) {
      if (!t.isConstant() && (largest == null || t.byteSize() > largest.byteSize())) {
        largest = t;
      }
    }
    return new ModelStats(ops, macs, weightBytes, model.tensors().size(), largest);
  }

  /** MACs of one op: output elements times the filter taps that feed each (the usual convention). */
  public static long macsOf(Model model, Operator op) {
    BuiltinOp b = op.op();
    if (b == null || op.outputs().isEmpty()) {
      return 0;
    }
    Shape out = model.tensor(op.output(0)).shape();
    switch (b) {
      case CONV_2D: {
        Shape f = model.tensor(op.input(1)).shape(); // [out_c, kh, kw, in_c per group]
        return (long) out.elementCount() * f.dim(1) * f.dim(2) * f.dim(3);
      }
      case DEPTHWISE_CONV_2D: {
        Shape f = model.tensor(op.input(1)).shape(); // [1, kh, kw, out_c]
        return (long) out.elementCount() * f.dim(1) * f.dim(2);
      }
      case FULLY_CONNECTED: {
        Shape f = model.tensor(op.input(1)).shape(); // [units, depth]
        return (long) out.elementCount() * f.dimFromEnd(1);
      }
      case TRANSPOSE_CONV: {
        Shape f = model.tensor(op.input(1)).shape(); // [out_c, kh, kw, in_c]
        Shape in = model.tensor(op.input(2)).shape();
        return (long) in.elementCount() * f.dim(0) * f.dim(1) * f.dim(2);
      }
      default:
        return 0;
    }
  }
}
