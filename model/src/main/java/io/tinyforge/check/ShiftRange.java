package io.tinyforge.check;

import io.tinyforge.lower.LoweredOp;
import io.tinyforge.model.Model;
import java.lang.reflect.RecordComponent;
import java.util.Locale;

/**
 * Every shift a lowered op carries must be one the kernels can apply. tfk_math.h (and the simulator, which mirrors
 * it) shifts 32-bit values: a left shift of 0..31 and a rounding right shift of 0..31 are defined, anything wider
 * is undefined behaviour in C. QuantizeMultiplier yields shifts up to 2^10 for scales like 1e10 or 1e-45, which
 * the checker's "finite and > 0" lets through, so the range is checked on what lowering actually produced: each
 * {@code int} or {@code int[]} record component whose name contains "shift" or "exponent" (the kernel parameter
 * records name them so), whatever op or kernel adds them later.
 */
final class ShiftRange {
  /** Widest right shift, and widest plain left shift, tfk_math.h applies without undefined behaviour. */
  static final int MAX_SHIFT = 31;
  /** A multiplier's shift (positive: left): the single-rounding build shifts right by 31 - shift - 1 >= 0. */
  static final int MAX_MULTIPLIER_SHIFT = 30;

  private ShiftRange() {}

  static void check(Model model, LoweredOp op) {
    checkRecord(model, op, op.params());
  }

  /** Checks the record's shift components, and those of the records it holds (a shared epilogue, say). */
  private static void checkRecord(Model model, LoweredOp op, Object p) {
    if (!p.getClass().isRecord()) {
      return;
    }
    for (RecordComponent c : p.getClass().getRecordComponents()) {
      String name = c.getName().toLowerCase(Locale.ROOT);
      Object value = read(c, p);
      if (value != null && value.getClass().isRecord()) {
        checkRecord(model, op, value);
        continue;
      }
      if (!name.contains("shift") && !name.contains("exponent")) {
        continue;
      }
      if (value instanceof Integer v) {
        checkOne(model, op, c.getName(), v);
      } else if (value instanceof int[] vs) {
        for (int v : vs) {
          checkOne(model, op, c.getName(), v);
        }
      }
    }
  }

  private static void checkOne(Model model, LoweredOp op, String name, int shift) {
    boolean leftOnly = name.toLowerCase(Locale.ROOT).contains("left");
    int lo = leftOnly ? 0 : -MAX_SHIFT;
    int hi = leftOnly ? MAX_SHIFT : MAX_MULTIPLIER_SHIFT;
    if (shift < lo || shift > hi) {
      throw ModelValidator.refuse(model, ModelValidator.opLabel(op.operator()) + " needs a rescaling shift of "
          + shift + " (" + name + "), outside the " + lo + ".." + hi
          + " the kernels can apply: its tensors' scales are out of proportion (check the input, weight and output "
          + "scales); re-quantize the model");
    }
  }

  private static Object read(RecordComponent c, Object p) {
    try {
      return c.getAccessor().invoke(p);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of " + p.getClass().getSimpleName(), e);
    }
  }
}
