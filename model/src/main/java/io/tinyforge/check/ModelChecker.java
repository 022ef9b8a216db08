package io.tinyforge.check;

import io.tinyforge.lower.OpRegistry;
import io.tinyforge.lower.OpRegistry.OpSpec;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a read model is one tinyforge compiles: int8 activations (float32 only at the model boundary
 * around QUANTIZE/DEQUANTIZE), supported ops, valid quantization, a single straight graph. Each refusal is one
 * line naming the model, the op or tensor, and what to do.
 */
public final class ModelChecker {

  /** The ops the simulator and the C runtime implement (registered in {@link OpRegistry}), in enum order. */
  public static final Set<BuiltinOp> SUPPORTED_OPS = OpRegistry.supported();

  /**
   * Ops whose kernels take int16 activations throughout (16x8: zero point 0, int8 weights, int64 bias; the data
   * movement ops copy int16 values), besides SOFTMAX's int16 output and SVDF's int16 state.
   */
  public static final Set<BuiltinOp> INT16_OPS = Collections.unmodifiableSet(SUPPORTED_OPS.stream()
      .filter(op -> OpRegistry.spec(op).int16()).collect(Collectors.toCollection(() -> EnumSet.noneOf(BuiltinOp.class))));

  private final Model model;
  private FloatBoundary boundary;

  private ModelChecker(Model model) {
    this.model = model;
  }

  /** Throws a {@link ModelException} describing the first reason the model cannot be compiled. */
  public static void check(Model model) {
    new ModelChecker(model).run();
  }

  /** The refusal message, or null when the model compiles (for inspect's verdict line). */
  public static String verdict(Model model) {
    try {
      check(model);
      return null;
    } catch (ModelException e) {
      return e.getMessage();
    }
  }

  /** Comma-separated supported op names, sorted, for messages and the README. */
  public static String supportedOpList() {
    return SUPPORTED_OPS.stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
  }

  private ModelException error(String message) {
    return new ModelException(model.source() + ": " + message);
  }

  private static String opLabel(Operator op) {
    return "op " + op.index() + " (" + op.opName() + ")";
  }

  private void run() {
    if (model.operators().isEmpty()) {
      throw error("the model has no operators; export a model with at least one layer");
    }
    checkFloat();
    checkOps();
    checkTensors();
    checkGraphOrder();
    for (Operator op : model.operators()) {
      checkQuantizationOf(op);
    }
  }

  /** Float32 is allowed only as a model input read by QUANTIZE and a model output written by DEQUANTIZE. */
  private void checkFloat() {
    for (Operator op : model.operators()) {
      for (int i : op.inputs()) {
        if (i >= 0 && model.tensor(i).type().isFloat() && !allowedFloat(model.tensor(i))) {
          Tensor t = model.tensor(i);
          throw error("tensor " + t.label() + " (input of " + opLabel(op) + ") is " + t.type()
              + ": this is a float or hybrid model; tinyforge compiles int8 models: convert with full-integer "
              + "post-training quantization (representative dataset, int8 weights and activations)");
        }
      }
      for (int o : op.outputs()) {
        if (model.tensor(o).type().isFloat() && !allowedFloat(model.tensor(o))) {
          Tensor t = model.tensor(o);
          throw error("tensor " + t.label() + " (output of " + opLabel(op) + ") is " + t.type()
              + ": this is a float or hybrid model; tinyforge compiles int8 models: convert with full-integer "
              + "post-training quantization (representative dataset, int8 weights and activations)");
        }
      }
    }
  }

  private boolean allowedFloat(Tensor t) {
    if (t.type() != TensorType.FLOAT32 || t.isConstant()) {
      return false;
    }
    if (boundary == null) {
      boundary = new FloatBoundary(model);
    }
    return boundary.allowed(t.index());
  }

  /**
   * Who reads and who writes each tensor, gathered in one pass: asking the operators again for every float tensor
   * reference made the check quadratic (a model of many QUANTIZE ops reading one float input took minutes).
   */
  private static final class FloatBoundary {
    private final boolean[] isInput;
    private final boolean[] isOutput;
    private final boolean[] read;
    private final boolean[] readByNonQuantize;
    private final Operator[] producer;

    FloatBoundary(Model model) {
      int n = model.tensors().size();
      isInput = new boolean[n];
      isOutput = new boolean[n];
      read = new boolean[n];
      readByNonQuantize = new boolean[n];
      producer = new Operator[n];
      model.inputs().forEach(i -> isInput[i] = true);
      model.outputs().forEach(i -> isOutput[i] = true);
      for (Operator op : model.operators()) {
        for (int i : op.inputs()) {
          if (i >= 0) {
            read[i] = true;
            readByNonQuantize[i] |= op.op() != BuiltinOp.QUANTIZE;
          }
        }
        for (int o : op.outputs()) {
          producer[o] = op; // the last writer, as a scan over all ops would find
        }
      }
    }

    /** A model input read only by QUANTIZE ops, or a model output written by DEQUANTIZE and read by nothing. */
    boolean allowed(int t) {
      if (isInput[t] && producer[t] == null && read[t] && !readByNonQuantize[t]) {
        return true;
      }
      return isOutput[t] && producer[t] != null && producer[t].op() == BuiltinOp.DEQUANTIZE && !read[t];
    }
  }


  private void checkOps() {
    for (Operator op : model.operators()) {
      BuiltinOp b = op.op();
      if (b == BuiltinOp.CUSTOM) {
        String hint = "ethos-u".equals(op.customCode())
            ? "this model was compiled by Vela for an Ethos-U NPU; give tinyforge the original int8 model"
            : "custom ops are not supported; re-export the model with builtin ops only";
        throw error(opLabel(op) + " is a custom op: " + hint);
      }
      if (b == null || !SUPPORTED_OPS.contains(b)) {
        throw error(opLabel(op) + " is not supported; supported ops: " + supportedOpList());
      }
      if (op.outputs().isEmpty()) {
        throw error(opLabel(op) + " has no output; the model is corrupt: re-export it");
      }
      int[] in = inputCount(b);
      int n = op.inputs().size();
      if (n < in[0] || n > in[1]) {
        throw error(opLabel(op) + " has " + n + " inputs, expected " + range(in)
            + "; the model is corrupt or from an unsupported converter: re-export it");
      }
      for (int i = 0; i < in[0]; i++) {
        if (op.input(i) < 0) {
          throw error(opLabel(op) + " lacks its required input " + i + " (it has " + n
              + "); the model is corrupt: re-export it");
        }
      }
      int outs = op.outputs().size();
      if (!multiOutput(b) && outs != 1) {
        throw error(opLabel(op) + " has " + outs + " outputs, expected 1; the model is corrupt: re-export it");
      }
      checkFilterRank(op, b);
    }
  }

  /** Inputs an op takes as [min, max], as TFLM's kernels accept them; optional trailing inputs may be -1. */
  private static int[] inputCount(BuiltinOp op) {
    OpSpec spec = OpRegistry.spec(op);
    return new int[] {spec.minInputs(), spec.maxInputs()};
  }

  private static String range(int[] r) {
    if (r[0] == r[1]) {
      return String.valueOf(r[0]);
    }
    return r[1] == Integer.MAX_VALUE ? r[0] + " or more" : r[0] + " to " + r[1];
  }

  private static boolean multiOutput(BuiltinOp op) {
    return OpRegistry.spec(op).multiOutput();
  }

  /** Convolution filters are 4-D and FULLY_CONNECTED weights at least 2-D: the kernels index them so. */
  private void checkFilterRank(Operator op, BuiltinOp b) {
    int want = OpRegistry.spec(b).weightRank();
    if (want == OpSpec.NO_WEIGHTS) {
      return;
    }
    Tensor filter = model.tensor(op.input(1));
    int rank = filter.shape().rank();
    boolean atLeast = want == OpSpec.RANK_2_OR_MORE;
    if (atLeast ? rank < 2 : rank != want) {
      throw error(opLabel(op) + " weights " + filter.label() + " have shape " + filter.shape() + " (rank " + rank
          + "), expected " + (atLeast ? "rank 2 or more" : "rank " + want) + "; the model is corrupt: re-export it");
    }
  }

  private void checkTensors() {
    checkStateTensors();
    for (Operator op : model.operators()) {
      List<Integer> data = new ArrayList<>();
      for (int i : op.inputs()) {
        if (i >= 0 && !model.tensor(i).isConstant()) {
          data.add(i);
        }
      }
      data.addAll(op.outputs());
      for (int i : data) {
        Tensor t = model.tensor(i);
        if (t.type() == TensorType.INT8 || t.type() == TensorType.FLOAT32 || wideTypeAllowed(op, t)) {
          continue;
        }
        throw error("tensor " + t.label() + " of " + opLabel(op) + " is " + t.type()
            + ": tinyforge compiles int8 activations only here (int16 for " + INT16_OPS.stream().map(Enum::name)
            .sorted().collect(Collectors.joining(", ")) + ", SOFTMAX output and SVDF state; int32 only as a "
            + "QUANTIZE output); quantize the model to int8 or file a request for this op");
      }
    }
  }

  /** The 16- and 32-bit activations the kernels handle, by op and slot. */
  private boolean wideTypeAllowed(Operator op, Tensor t) {
    BuiltinOp b = op.op();
    boolean isOutput = op.outputs().contains(t.index());
    if (t.type() == TensorType.INT16) {
      boolean quantizeLike = b == BuiltinOp.QUANTIZE || b == BuiltinOp.DEQUANTIZE;
      // a 16x8 layer is int16 on both sides: no kernel mixes int8 and int16 activations
      boolean whole16 = true;
      for (int i : op.inputs()) {
        whole16 &= i < 0 || model.tensor(i).isConstant() || model.tensor(i).type() == TensorType.INT16;
      }
      for (int o : op.outputs()) {
        whole16 &= model.tensor(o).type() == TensorType.INT16;
      }
      return quantizeLike || (INT16_OPS.contains(b) && whole16)
          || (b == BuiltinOp.SOFTMAX && isOutput)
          || (b == BuiltinOp.SVDF && op.input(4) == t.index());
    }
    if (t.type() == TensorType.INT32) {
      return b == BuiltinOp.QUANTIZE && isOutput;
    }
    return false;
  }

  /** A variable tensor is the activation state of exactly one SVDF (its input 4), which alone reads it. */
  private void checkStateTensors() {
    for (Tensor t : model.tensors()) {
      if (!t.isVariable()) {
        continue;
      }
      Operator owner = null;
      for (Operator op : model.operators()) {
        boolean reads = op.inputs().contains(t.index());
        boolean writes = op.outputs().contains(t.index());
        if (!reads && !writes) {
          continue;
        }
        if (op.op() != BuiltinOp.SVDF || op.input(4) != t.index() || writes || owner != null) {
          throw error("tensor " + t.label() + " is a variable (state) tensor used by " + opLabel(op)
              + ": tinyforge keeps state only as the activation state of one SVDF (LSTM, RNN and shared state "
              + "are not supported); export a stateless model or one whose state is SVDF's");
        }
        owner = op;
      }
      if (owner == null) {
        throw error("tensor " + t.label() + " is a variable (state) tensor no op uses; re-export the model");
      }
    }
  }

  /** Ops must come in execution order: every activation an op reads is a model input or made by an earlier op. */
  private void checkGraphOrder() {
    boolean[] ready = new boolean[model.tensors().size()];
    for (int i : model.inputs()) {
      ready[i] = true;
    }
    for (Tensor t : model.tensors()) {
      ready[t.index()] |= t.isConstant() || t.isVariable(); // state is there before the first op runs
    }
    for (Operator op : model.operators()) {
      for (int i : op.inputs()) {
        if (i >= 0 && !ready[i]) {
          throw error(opLabel(op) + " reads tensor " + model.tensor(i).label()
              + " before any op writes it; the model is corrupt or not in execution order: re-export it");
        }
      }
      for (int o : op.outputs()) {
        ready[o] = true;
      }
    }
    for (int o : model.outputs()) {
      if (!ready[o]) {
        throw error("model output " + model.tensor(o).label() + " is never written by an op; re-export the model");
      }
    }
  }

  private void checkQuantizationOf(Operator op) {
    List<Integer> all = new ArrayList<>(op.inputs());
    all.addAll(op.outputs());
    for (int i : all) {
      if (i < 0) {
        continue;
      }
      Tensor t = model.tensor(i);
      if (t.type() == TensorType.INT8 || t.type() == TensorType.INT16) {
        checkQuantization(op, t);
      }
    }
    BuiltinOp b = op.op();
    int filterInput = b == BuiltinOp.TRANSPOSE_CONV ? 1
        : (b == BuiltinOp.CONV_2D || b == BuiltinOp.DEPTHWISE_CONV_2D || b == BuiltinOp.FULLY_CONNECTED) ? 1 : -1;
    if (filterInput >= 0) {
      Tensor filter = model.tensor(op.input(filterInput));
      if (filter.type() != TensorType.INT8) {
        throw error(opLabel(op) + " has " + filter.type() + " weights " + filter.label()
            + "; tinyforge needs int8 weights: quantize with full-integer quantization");
      }
      for (long zp : filter.quantization().zeroPoints()) {
        if (zp != 0) {
          throw error(opLabel(op) + " weights " + filter.label() + " have zero point " + zp
              + "; the int8 quantization spec requires symmetric weights (zero point 0): re-quantize the model");
        }
      }
      int biasInput = b == BuiltinOp.TRANSPOSE_CONV ? 3 : 2;
      int biasIndex = op.input(biasInput);
      if (biasIndex >= 0) {
        Tensor bias = model.tensor(biasIndex);
        boolean wide = model.tensor(op.input(0)).type() == TensorType.INT16;
        TensorType biasType = wide ? TensorType.INT64 : TensorType.INT32;
        if (bias.type() != biasType) {
          throw error(opLabel(op) + " bias " + bias.label() + " is " + bias.type()
              + (wide ? "; 16x8 layers need an int64 bias (TensorFlow's 16x8 converter writes one): re-convert "
              + "the model" : "; int8 models need an int32 bias: re-quantize the model"));
        }
        if (bias.quantization() != null) {
          for (float s : bias.quantization().scales()) {
            if (!(s > 0) || Float.isInfinite(s)) {
              throw error(opLabel(op) + " bias " + bias.label() + " has invalid scale " + s
                  + " (must be finite and > 0); re-quantize the model");
            }
          }
          for (long zp : bias.quantization().zeroPoints()) {
            if (zp != 0) {
              throw error(opLabel(op) + " bias " + bias.label() + " has zero point " + zp
                  + "; int32 biases must have zero point 0: re-quantize the model");
            }
          }
        }
      }
    }
  }

  /** Whether a SOFTMAX writes t (TFLM fixes its int16 output's zero point at -32768). */
  private boolean softmaxOutput(Tensor t) {
    for (Operator op : model.operators()) {
      if (op.op() == BuiltinOp.SOFTMAX && op.outputs().contains(t.index())) {
        return true;
      }
    }
    return false;
  }

  private void checkQuantization(Operator op, Tensor t) {
    Quantization q = t.quantization();
    String where = "tensor " + t.label() + " of " + opLabel(op);
    if (q == null) {
      throw error(where + " is " + t.type() + " without quantization parameters; re-quantize the model");
    }
    for (float s : q.scales()) {
      if (!(s > 0) || Float.isInfinite(s)) {
        throw error(where + " has invalid scale " + s + " (must be finite and > 0); re-quantize the model");
      }
    }
    int lo = t.type() == TensorType.INT8 ? -128 : -32768;
    int hi = t.type() == TensorType.INT8 ? 127 : 32767;
    if (!q.zeroPoints().isEmpty() && q.zeroPoints().size() != q.scales().size()) {
      throw error(where + " has " + q.scales().size() + " scales but " + q.zeroPoints().size()
          + " zero points; re-quantize the model");
    }
    for (long zp : q.zeroPoints()) {
      if (zp < lo || zp > hi) {
        throw error(where + " has zero point " + zp + " outside [" + lo + ", " + hi + "]; re-quantize the model");
      }
    }
    if (t.type() == TensorType.INT16 && !t.isConstant() && !softmaxOutput(t)) {
      for (long zp : q.zeroPoints()) {
        if (zp != 0) {
          throw error(where + " is INT16 with zero point " + zp + "; 16-bit activations must have zero point 0 "
              + "(16x8 quantization; only SOFTMAX's int16 output has -32768): re-quantize the model");
        }
      }
    }
    if (q.isPerChannel()) {
      int dim = q.quantizedDimension();
      if (dim < 0 || dim >= t.shape().rank()) {
        throw error(where + " is quantized along dimension " + dim + " but has rank " + t.shape().rank()
            + "; re-quantize the model");
      }
      if (q.channelCount() != t.shape().dim(dim)) {
        throw error(where + " has " + q.channelCount() + " per-channel scales but dimension " + dim + " has size "
            + t.shape().dim(dim) + "; re-quantize the model");
      }
      if (!t.isConstant()) {
        throw error(where + " is an activation with per-channel quantization; only weights may be per-channel");
      }
    }
  }
}
