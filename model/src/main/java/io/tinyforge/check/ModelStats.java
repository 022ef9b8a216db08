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

/**
 * Per-op multiply-accumulate counts and parameter bytes, and model totals, as inspect prints them. It works on any
 * model the reader accepts, also one {@link ModelChecker} refuses: an op whose MACs cannot be counted (filter absent,
 * of the wrong rank, or a count beyond 2^63) gets {@link #UNKNOWN} and is left out of the total.
 *
 * @param totalMacs the sum of the counted ops' MACs
 * @param weightBytes bytes of all constant tensors the ops read, each counted once
 * @param uncountedOps ops whose MACs are {@link #UNKNOWN}
 * @param largestActivation the biggest non-constant tensor, or null when there is none
 */
public record ModelStats(List<OpStats> ops, long totalMacs, long weightBytes, int tensorCount,
    Tensor largestActivation, int uncountedOps) {

  /** The MAC count of an op whose shapes do not allow counting. */
  public static final long UNKNOWN = -1;

  /** One op: MACs (0 for ops without multiply-accumulates, {@link #UNKNOWN}) and bytes of the constants it reads. */
  public record OpStats(Operator op, long macs, long paramBytes) {}

  public ModelStats {
    ops = List.copyOf(ops);
  }

  public static ModelStats of(Model model) {
    List<OpStats> ops = new ArrayList<>();
    long macs = 0;
    int uncounted = 0;
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
      if (m == UNKNOWN) {
        uncounted++;
      } else {
        macs = saturatingAdd(macs, m);
      }
      ops.add(new OpStats(op, m, params));
    }
    Tensor largest = null;
    for (Tensor t : model.tensors()) {
      if (!t.isConstant() && (largest == null || t.byteSize() > largest.byteSize())) {
        largest = t;
      }
    }
    return new ModelStats(ops, macs, weightBytes, model.tensors().size(), largest, uncounted);
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return sum < a ? Long.MAX_VALUE : sum;
  }

  /**
   * MACs of one op: output elements times the filter taps that feed each (the usual convention); 0 for ops without
   * multiply-accumulates; {@link #UNKNOWN} when a weighted op's filter is absent or has a rank it cannot have.
   */
  public static long macsOf(Model model, Operator op) {
    BuiltinOp b = op.op();
    if (b == null || op.outputs().isEmpty()) {
      return 0;
    }
    Shape out = model.tensor(op.output(0)).shape();
    try {
      switch (b) {
        case CONV_2D: {
          Shape f = operand(model, op, 1, 4, 4); // [out_c, kh, kw, in_c per group]
          return f == null ? UNKNOWN : product(out.elementCount(), f.dim(1), f.dim(2), f.dim(3));
        }
        case DEPTHWISE_CONV_2D: {
          Shape f = operand(model, op, 1, 4, 4); // [1, kh, kw, out_c]
          return f == null ? UNKNOWN : product(out.elementCount(), f.dim(1), f.dim(2));
        }
        case FULLY_CONNECTED: {
          Shape f = operand(model, op, 1, 2, 8); // [units, depth]
          return f == null ? UNKNOWN : product(out.elementCount(), f.dimFromEnd(1));
        }
        case SVDF: {
          // per batch: every filter's feature dot product over the input and its time dot product over the memory
          Shape feature = operand(model, op, 1, 2, 2); // [filters, input]
          Shape time = operand(model, op, 2, 2, 2); // [filters, memory]
          Shape in = operand(model, op, 0, 2, 2); // [batches, input]
          return feature == null || time == null || in == null ? UNKNOWN
              : product(in.dim(0), feature.dim(0), feature.dim(1) + time.dim(1));
        }
        case TRANSPOSE_CONV: {
          // every input element is scattered through the kernel into each output channel
          Shape f = operand(model, op, 1, 4, 4); // [out_c, kh, kw, in_c]
          Shape in = operand(model, op, 2, 0, 8);
          return f == null || in == null ? UNKNOWN : product(in.elementCount(), f.dim(0), f.dim(1), f.dim(2));
        }
        default:
          return 0;
      }
    } catch (ArithmeticException e) {
      return UNKNOWN; // only corrupt shapes get past 2^63
    }
  }

  /** The shape of input {@code input}, or null when it is absent or its rank is outside [minRank, maxRank]. */
  private static Shape operand(Model model, Operator op, int input, int minRank, int maxRank) {
    int index = op.input(input);
    if (index < 0) {
      return null;
    }
    Shape s = model.tensor(index).shape();
    return s.rank() < minRank || s.rank() > maxRank ? null : s;
  }

  private static long product(long first, int... more) {
    long p = first;
    for (int m : more) {
      p = Math.multiplyExact(p, m);
    }
    return p;
  }
}
