package io.tinyforge.lower;

import io.tinyforge.model.Tensor;
import java.util.Arrays;

/**
 * NumPy-style broadcasting of two operands, resolved at compile time: the output extent of every dimension and,
 * per operand, the element stride to step along it (0 where that operand is broadcast). Shapes are right-aligned
 * and extended to {@link #RANK} dimensions (leading 1s), the most TFLM's broadcasting kernels handle.
 */
public final class BroadcastPlan {
  /** Dimensions after extension; TFLM's NdArrayDesc-based kernels work on 6. */
  public static final int RANK = 6;

  private BroadcastPlan() {}

  /** {outputDims, strides1, strides2}, each of length {@link #RANK}. */
  static int[][] plan(OpContext ctx, Tensor a, Tensor b, Tensor output) {
    int[] da = extend(ctx, a);
    int[] db = extend(ctx, b);
    int[] dout = extend(ctx, output);
    int[] out = new int[RANK];
    for (int i = 0; i < RANK; i++) {
      if (da[i] != db[i] && da[i] != 1 && db[i] != 1) {
        throw ctx.fail("input shapes " + a.shape() + " and " + b.shape() + " do not broadcast");
      }
      out[i] = da[i] == 1 ? db[i] : da[i];
    }
    if (!Arrays.equals(out, dout)) {
      throw ctx.fail("output shape " + output.shape() + " is not the broadcast of " + a.shape() + " and "
          + b.shape());
    }
    return new int[][] {out, strides(da), strides(db)};
  }

  /** The shape right-aligned into RANK dimensions. */
  static int[] extend(OpContext ctx, Tensor t) {
    int[] d = t.shape().toArray();
    if (d.length > RANK) {
      throw ctx.fail("tensor " + t.label() + " has rank " + d.length + "; at most " + RANK + " is supported");
    }
    int[] e = new int[RANK];
    Arrays.fill(e, 1);
    System.arraycopy(d, 0, e, RANK - d.length, d.length);
    return e;
  }

  /** Row-major element strides, 0 for dimensions of extent 1 (so they broadcast). */
  private static int[] strides(int[] dims) {
    int[] s = new int[RANK];
    int stride = 1;
    for (int i = RANK - 1; i >= 0; i--) {
      s[i] = dims[i] == 1 ? 0 : stride;
      stride *= dims[i];
    }
    return s;
  }
}
