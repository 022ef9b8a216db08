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
  /** Starts the refusal made when lowering fails without its own message (the fuzz test counts these as bugs). */
  public static final String UNEXPLAINED_LOWERING_FAILURE = "the model's parameters cannot be lowered to kernel "
      + "parameters";

  private ModelValidator() {}

  /** Validates and returns the lowered model (so a verb does not lower twice); throws a {@link ModelException}. */
  public static LoweredModel validate(Model model) {
    ModelChecker.check(model);
    GraphLimits.check(model);
    // lowered op by op in execution order, shifts checked as they come, so the first op that cannot run is named
    LoweredModel lowered = Lowering.lowerSupportedPrefix(model);
    for (LoweredOp op : lowered.ops()) {
      ShiftRange.check(model, op);
    }
    if (lowered.ops().size() < model.operators().size()) {
      throw lowerError(model, model.operators().get(lowered.ops().size()));
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
   * contradict each other. Lowering names most such problems itself; anything else becomes one line naming the op,
   * never an internal error. {@code op} is the first op that did not lower: lowering again meets its reason.
   */
  private static ModelException lowerError(Model model, Operator op) {
    try {
      Lowering.lower(model);
    } catch (TinyforgeException e) {
      // messages from deep helpers (QuantMath) name neither the model nor the op
      String msg = e.getMessage();
      return msg.startsWith(model.source() + ": ") && e instanceof ModelException me ? me
          : new ModelException(msg.startsWith(model.source() + ": ") ? msg
              : model.source() + ": " + opLabel(op) + ": " + msg);
    } catch (RuntimeException e) {
      return new ModelException(model.source() + ": " + opLabel(op) + ": " + UNEXPLAINED_LOWERING_FAILURE + " ("
          + oneLine(e) + "); the model is corrupt or inconsistent: re-export it");
    }
    return new ModelException(model.source() + ": " + opLabel(op) + ": " + UNEXPLAINED_LOWERING_FAILURE
        + "; the model is corrupt or inconsistent: re-export it");
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
