package io.tinyforge.lower;

import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * Compile-time Prepare for every operator: turns the graph into kernel parameters (multipliers, shifts, padding,
 * clamps) computed exactly as TFLM's Prepare does. One {@code XxxLowering} class per op family, registered in
 * {@link OpRegistry}.
 */
public final class Lowering {
  private Lowering() {}

  public static LoweredModel lower(Model model) {
    List<LoweredOp> ops = new ArrayList<>(model.operators().size());
    for (Operator op : model.operators()) {
      OpContext ctx = new OpContext(model, op);
      ops.add(new LoweredOp(op, lowerOne(ctx)));
    }
    return new LoweredModel(model, ops);
  }

  /**
   * Lowers the ops up to (not including) the first one that cannot be lowered, for debugging a model that is
   * only partly supported: running the prefix still checks every tensor it produces.
   */
  public static LoweredModel lowerSupportedPrefix(Model model) {
    List<LoweredOp> ops = new ArrayList<>();
    for (Operator op : model.operators()) {
      try {
        ops.add(new LoweredOp(op, lowerOne(new OpContext(model, op))));
      } catch (RuntimeException e) {
        break;
      }
    }
    return new LoweredModel(model, ops);
  }

  static KernelParams lowerOne(OpContext ctx) {
    OpRegistry.OpSpec spec = OpRegistry.spec(ctx.op().op());
    if (spec == null) {
      throw unsupported(ctx);
    }
    return spec.lower(ctx);
  }

  private static RuntimeException unsupported(OpContext ctx) {
    return ctx.fail("operator is not supported by tinyforge; convert the model without it or file a request");
  }
}
