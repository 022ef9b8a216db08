package io.tinyforge.check;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Tensor;
import java.util.Locale;

/**
 * What the planner, the simulator and the C emitter take for granted about the graph, checked before any of them
 * allocates: every activation has a static shape of dimensions >= 1 and a bounded size, all activations together
 * fit an explicit memory limit, constant data fills exactly its shape, an op never writes a constant, each
 * activation has one writer, and graph inputs are activations that no op writes.
 */
final class GraphLimits {
  /** Largest single activation: far above any microcontroller's RAM, small enough for the host simulator. */
  static final long MAX_TENSOR_BYTES = 64L << 20;
  /** All activations together (the simulator holds each in its own array; the planner sums them). */
  static final long MAX_ACTIVATION_BYTES = 256L << 20;
  /** Highest rank any kernel indexes (TFLM's reference kernels stop at 5 or 6 dimensions). */
  static final int MAX_RANK = 6;

  private final Model model;

  private GraphLimits(Model model) {
    this.model = model;
  }

  static void check(Model model) {
    new GraphLimits(model).run();
  }

  private void run() {
    int n = model.tensors().size();
    Operator[] writer = new Operator[n];
    boolean[] used = new boolean[n];
    for (Operator op : model.operators()) {
      for (int i : op.inputs()) {
        if (i >= 0) {
          used[i] = true;
        }
      }
      for (int o : op.outputs()) {
        used[o] = true;
        Tensor t = model.tensor(o);
        if (t.isConstant()) {
          throw ModelValidator.refuse(model, "tensor " + t.label() + " (output of " + ModelValidator.opLabel(op)
              + ") has constant data; an op's output must be an activation: the model is corrupt, re-export it");
        }
        if (writer[o] != null) {
          throw ModelValidator.refuse(model, "tensor " + t.label() + " is written by both "
              + ModelValidator.opLabel(writer[o]) + " and " + ModelValidator.opLabel(op)
              + "; each activation has one writer: the model is corrupt, re-export it");
        }
        writer[o] = op;
      }
    }
    boolean[] isInput = new boolean[n];
    for (int i : model.inputs()) {
      Tensor t = model.tensor(i);
      if (isInput[i]) {
        throw ModelValidator.refuse(model, "tensor " + t.label() + " is listed twice as a model input; "
            + "the model is corrupt: re-export it");
      }
      isInput[i] = true;
      if (t.isConstant() || t.isVariable()) {
        throw ModelValidator.refuse(model, "model input " + t.label() + " is " + (t.isConstant() ? "a constant"
            : "a state (variable) tensor") + "; a model input must be an activation: the model is corrupt, "
            + "re-export it");
      }
      if (writer[i] != null) {
        throw ModelValidator.refuse(model, "model input " + t.label() + " is also written by "
            + ModelValidator.opLabel(writer[i]) + "; the model is corrupt: re-export it");
      }
      used[i] = true;
    }
    for (int o : model.outputs()) {
      Tensor t = model.tensor(o);
      if (t.isConstant() || t.isVariable()) {
        throw ModelValidator.refuse(model, "model output " + t.label() + " is " + (t.isConstant()
            ? "a constant, not computed by the model" : "a state (variable) tensor, not an activation")
            + "; the model is corrupt: re-export it");
      }
      used[o] = true;
    }
    for (Operator op : model.operators()) {
      checkConstantOperands(op);
    }
    long total = 0;
    for (Tensor t : model.tensors()) {
      if (!used[t.index()]) {
        continue;
      }
      long bytes = checkShape(t);
      if (t.isConstant()) {
        checkConstantData(t, bytes);
      } else {
        total += bytes;
        if (total > MAX_ACTIVATION_BYTES) {
          throw ModelValidator.refuse(model, String.format(Locale.ROOT, "the activations need more than %,d bytes "
              + "together (tinyforge's limit, far above any microcontroller's RAM; reached at tensor %s); "
              + "the model is corrupt or not meant for a microcontroller", MAX_ACTIVATION_BYTES, t.label()));
        }
      }
    }
  }

  /** Returns the tensor's byte size once its shape is known to be static, of rank <= 6 and of bounded size. */
  private long checkShape(Tensor t) {
    int rank = t.shape().rank();
    if (rank > MAX_RANK) {
      throw ModelValidator.refuse(model, "tensor " + t.label() + " has rank " + rank + "; tinyforge's kernels "
          + "handle at most " + MAX_RANK + " dimensions: re-export the model");
    }
    long elements = 1;
    for (int k = 0; k < rank; k++) {
      int d = t.shape().dim(k);
      // constants may be empty (an unused optional bias); activations need real extents
      if (d < 0 || (d == 0 && !t.isConstant())) {
        throw ModelValidator.refuse(model, "tensor " + t.label() + " has shape " + t.shape() + " with dimension "
            + k + " = " + d + "; tinyforge needs static shapes with every dimension >= 1: re-export the model "
            + "with a fixed input size");
      }
      elements *= d;
      if (elements * t.type().bytes() > MAX_TENSOR_BYTES) {
        throw ModelValidator.refuse(model, String.format(Locale.ROOT, "tensor %s has shape %s: more than %,d "
            + "bytes, tinyforge's limit for one tensor (far above any microcontroller's RAM); the model is corrupt "
            + "or not meant for a microcontroller", t.label(), t.shape(), MAX_TENSOR_BYTES));
      }
    }
    return elements * t.type().bytes();
  }

  private void checkConstantData(Tensor t, long bytes) {
    int have = t.constantData().remaining();
    if (have != bytes) {
      throw ModelValidator.refuse(model, "constant tensor " + t.label() + " holds " + have + " bytes but its shape "
          + t.shape() + " of " + t.type() + " needs " + bytes + "; the model is corrupt: re-export it");
    }
  }

  /** Weights and biases are emitted as const arrays and decoded once by the simulator: they must be constants. */
  private void checkConstantOperands(Operator op) {
    BuiltinOp b = op.op();
    boolean weighted = b == BuiltinOp.CONV_2D || b == BuiltinOp.DEPTHWISE_CONV_2D || b == BuiltinOp.FULLY_CONNECTED;
    if (!weighted && b != BuiltinOp.TRANSPOSE_CONV) {
      return;
    }
    int filter = 1;
    int bias = b == BuiltinOp.TRANSPOSE_CONV ? 3 : 2;
    requireConstant(op, filter, "weights");
    if (op.inputs().size() > bias && op.input(bias) >= 0) {
      requireConstant(op, bias, "bias");
    }
    if (b == BuiltinOp.TRANSPOSE_CONV) {
      requireConstant(op, 0, "output shape");
    }
  }

  private void requireConstant(Operator op, int input, String role) {
    Tensor t = model.tensor(op.input(input));
    if (!t.isConstant()) {
      throw ModelValidator.refuse(model, ModelValidator.opLabel(op) + " " + role + " " + t.label()
          + " have no constant data; tinyforge compiles weights into flash: the model is corrupt, re-export it");
    }
  }
}
