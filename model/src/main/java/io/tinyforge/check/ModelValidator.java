package io.tinyforge.check;

import io.tinyforge.TinyforgeException;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.lower.Lowering;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.Operator;

/**
 * The one validation every verb runs before it does anything else with a model: the checker's verdict, then the
 * {@link GraphLimits} every later stage relies on (static shapes of bounded size, constant data that fills its
 * shape, outputs never constant), then lowering, whose every multiplier and shift must be one the C kernels and the
 * simulator can apply ({@link ShiftRange}). What passes here can be lowered, planned, simulated and compiled; what
 * does not is refused with one line naming the model and the tensor or op.
 */
public final class ModelValidator {
  private ModelValidator() {}

  /** Validates and returns the lowered model (so a verb does not lower twice); throws a {@link ModelException}. */
  public static LoweredModel validate(Model model) {
    ModelChecker.check(model);
    GraphLimits.check(model);
    // shifts are checked op by op in execution order, so the first op that cannot run is the one named
    for (LoweredOp op : Lowering.lowerSupportedPrefix(model).ops()) {
      ShiftRange.check(model, op);
    }
    LoweredModel lowered = lower(model);
    for (LoweredOp op : lowered.ops()) {
      ShiftRange.check(model, op);
    }
    return lowered;
  }

  /** The refusal message, or null when every stage accepts the model (inspect's verdict line). */
  public static String verdict(Model model) {
    try {
      validate(model);
      return null;
    } catch (ModelException e) {
      return e.getMessage();
    }
  }

  /**
   * Lowering computes TFLM's Prepare from the graph; after the checks above a failure there means parameters that
   * contradict each other in a way no check names yet (a shape an option does not fit, a degenerate count). It
   * becomes one line naming the op, never an internal error.
   */
  private static LoweredModel lower(Model model) {
    try {
      return Lowering.lower(model);
    } catch (TinyforgeException e) {
      throw e instanceof ModelException me ? me : new ModelException(e.getMessage());
    } catch (ArithmeticException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
        | NegativeArraySizeException | NullPointerException e) {
      throw new ModelException(model.source() + ": the model's parameters cannot be lowered to kernel parameters ("
          + oneLine(e) + "); the model is corrupt or inconsistent: re-export it");
    }
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage();
    String text = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    return text.replaceAll("[\\r\\n]+", " ");
  }

  static ModelException refuse(Model model, String message) {
    return new ModelException(model.source() + ": " + message);
  }

  static String opLabel(Operator op) {
    return "op " + op.index() + " (" + op.opName() + ")";
  }
}
