package io.tinyforge.quantize;

import io.tinyforge.TinyforgeException;
import io.tinyforge.floatsim.FloatInterpreter;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Post-training int8 quantization of a float32 model: symmetric int8 weights per output channel (or per tensor),
 * asymmetric int8 activations per tensor from calibrated ranges, int32 biases at scale_in * scale_w with zero point
 * 0, fixed output quantization where TFLite requires it. Every tensor keeps its index, so the int8 model's tensor i
 * is the float model's tensor i (the report relies on it); {@code --io float} appends the float I/O tensors.
 */
public final class Quantizer {
  /** The int8 model and what was decided for it. */
  public record Result(Model model, Map<Integer, QuantRange> calibrated, Map<Integer, Quantization> activations,
      List<String> notes) {}

  private final Model fm;
  private final QuantizeOptions options;
  private final List<String> notes = new ArrayList<>();

  private Quantizer(Model floatModel, QuantizeOptions options) {
    this.fm = floatModel;
    this.options = options;
  }

  /** Checks that the model is a float model the quantizer handles; the error names what is not. */
  public static FloatInterpreter check(Model m) {
    for (Tensor t : m.tensors()) {
      if ((t.type() == TensorType.INT8 || t.type() == TensorType.UINT8 || t.type() == TensorType.INT16)
          && !t.isConstant()) {
        throw new TinyforgeException(m.source() + ": the model is already quantized (tensor " + t.label() + " is "
            + t.type() + "); quantize takes a float32 model: give the float .tflite");
      }
    }
    for (Operator op : m.operators()) {
      if (!OpRules.supported(op.op())) {
        throw new TinyforgeException(m.source() + ": op " + op.index() + " (" + op.opName() + ") is not supported "
            + "by the quantizer; supported: " + OpRules.supportedList());
      }
      if (isConvLike(op)) {
        for (int p : new int[] {1, biasInput(op)}) {
          int t = op.input(p);
          if (t >= 0 && (!m.tensor(t).isConstant() || m.tensor(t).type() != TensorType.FLOAT32)) {
            throw new TinyforgeException(m.source() + ": op " + op.index() + " (" + op.opName() + ") takes its "
                + (p == 1 ? "weights" : "bias") + " from " + m.tensor(t).label() + ", which is not a float32 "
                + "constant; the quantizer needs constant float weights");
          }
        }
      }
    }
    return FloatInterpreter.of(m);
  }

  /** Quantizes {@code floatModel} with ranges calibrated on {@code samples} (one float[] per model input each). */
  public static Result quantize(Model floatModel, List<float[][]> samples, QuantizeOptions options) {
    return new Quantizer(floatModel, options).run(samples);
  }

  private Result run(List<float[][]> samples) {
    FloatInterpreter fi = check(fm);
    CalibrationSet.check(fm, samples);
    List<Integer> tracked = new ArrayList<>();
    for (Tensor t : fm.tensors()) {
      if (t.type() == TensorType.FLOAT32 && !t.isConstant()) {
        tracked.add(t.index());
      }
    }
    Map<Integer, QuantRange> calibrated = RangeCollector.collect(fi, tracked, samples, options.method());
    Map<Integer, Quantization> act = activationParams(calibrated);
    return new Result(build(act), calibrated, act, notes);
  }

  /** Weight and bias inputs of an op (by input position), which are not activations. */
  private static boolean isWeightOrBias(Operator op, int position) {
    return isConvLike(op) && (position == 1 || position == biasInput(op));
  }

  /** Where the bias is: TRANSPOSE_CONV takes (output shape, weights, input, bias), the others (input, weights, bias). */
  private static int biasInput(Operator op) {
    return op.op() == BuiltinOp.TRANSPOSE_CONV ? 3 : 2;
  }

  private static int dataInput(Operator op) {
    return op.op() == BuiltinOp.TRANSPOSE_CONV ? 2 : 0;
  }

  /** Scale and zero point of every float tensor that is not a weight or bias: grouped, fixed or calibrated. */
  private Map<Integer, Quantization> activationParams(Map<Integer, QuantRange> calibrated) {
    int n = fm.tensors().size();
    TensorGroups groups = new TensorGroups(n);
    Map<Integer, Quantization> fixed = new HashMap<>();
    for (Operator op : fm.operators()) {
      if (OpRules.SAME_SCALE.contains(op.op())) {
        int anchor = op.output(0);
        for (int o : op.outputs()) {
          groups.union(anchor, o);
        }
        for (int p = 0; p < op.inputs().size(); p++) {
          int t = op.input(p);
          if (t >= 0 && fm.tensor(t).type() == TensorType.FLOAT32) {
            groups.union(anchor, t);
          }
        }
      }
      Quantization f = OpRules.FIXED.get(op.op());
      if (f != null) {
        fixed.put(op.output(0), f);
      }
    }
    Map<Integer, QuantRange> groupRange = new HashMap<>();
    Map<Integer, Quantization> groupFixed = new HashMap<>();
    Map<Integer, Integer> groupFixedBy = new HashMap<>();
    for (Tensor t : fm.tensors()) {
      if (t.type() != TensorType.FLOAT32 || isWeightOrBiasAnywhere(t.index())) {
        continue;
      }
      int g = groups.find(t.index());
      QuantRange r = t.isConstant() ? constantRange(t) : calibrated.get(t.index());
      groupRange.merge(g, r, QuantRange::union);
      Quantization f = fixed.get(t.index());
      if (f != null) {
        Quantization before = groupFixed.putIfAbsent(g, f);
        if (before != null && !before.equals(f)) {
          throw new TinyforgeException(fm.source() + ": tensors " + fm.tensor(groupFixedBy.get(g)).label() + " and "
              + t.label() + " must share one quantization (a concatenation, pooling or reshape joins them) but "
              + "their ops fix different output scales; the quantizer cannot satisfy both");
        }
        groupFixedBy.putIfAbsent(g, t.index());
      }
    }
    Map<Integer, Quantization> out = new LinkedHashMap<>();
    for (Tensor t : fm.tensors()) {
      if (t.type() != TensorType.FLOAT32 || isWeightOrBiasAnywhere(t.index())) {
        continue;
      }
      int g = groups.find(t.index());
      Quantization q = groupFixed.get(g);
      if (q == null) {
        QuantRange r = groupRange.get(g);
        q = Quantization.perTensor(r.scale(), r.zeroPoint());
      }
      out.put(t.index(), q);
    }
    return out;
  }

  private boolean isWeightOrBiasAnywhere(int tensor) {
    for (Operator op : fm.operators()) {
      for (int p = 0; p < op.inputs().size(); p++) {
        if (op.input(p) == tensor && isWeightOrBias(op, p)) {
          return true;
        }
      }
    }
    return false;
  }

  private static QuantRange constantRange(Tensor t) {
    float[] v = floats(t);
    double lo = 0;
    double hi = 0;
    for (float x : v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    return new QuantRange(lo, hi);
  }

  static float[] floats(Tensor t) {
    float[] v = new float[t.shape().elementCount()];
    t.constantData().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  private Model build(Map<Integer, Quantization> act) {
    List<Tensor> tensors = new ArrayList<>(fm.tensors());
    Map<Integer, Quantization> weightQ = new HashMap<>();
    List<Operator> ops = new ArrayList<>();
    for (Operator op : fm.operators()) {
      boolean perChannelFc = false;
      if (isConvLike(op)) {
        int w = op.input(1);
        Tensor wt = fm.tensor(w);
        boolean perTensor = options.perTensor();
        if (op.op() == BuiltinOp.FULLY_CONNECTED && fm.tensor(op.output(0)).shape().rank() != 2 && !perTensor) {
          perTensor = true;
          notes.add("op " + op.index() + " (FULLY_CONNECTED): per-tensor weights (TFLM's per-channel kernel needs a "
              + "rank-2 output)");
        }
        perChannelFc = op.op() == BuiltinOp.FULLY_CONNECTED && !perTensor;
        Quantization wq = weightQ.get(w);
        if (wq == null) {
          wq = weightQuantization(wt, OpRules.channelDimension(op.op()), perTensor);
          weightQ.put(w, wq);
          tensors.set(w, new Tensor(w, wt.name(), TensorType.INT8, wt.shape(), wq, quantizeWeights(wt, wq), false));
        }
        int b = op.input(biasInput(op));
        if (b >= 0) {
          Tensor bt = fm.tensor(b);
          float inScale = act.get(op.input(dataInput(op))).scale();
          tensors.set(b, quantizeBias(op, bt, inScale, wq));
        }
      }
      ops.add(new Operator(op.index(), op.opcode(), OpRules.version(op.op(), op.version(), perChannelFc),
          op.customCode(), op.inputs(), op.outputs(), op.options()));
    }
    for (Map.Entry<Integer, Quantization> e : act.entrySet()) {
      Tensor t = fm.tensor(e.getKey());
      ByteBuffer data = t.isConstant() ? quantizeActivationConstant(t, e.getValue()) : null;
      tensors.set(t.index(), new Tensor(t.index(), t.name(), TensorType.INT8, t.shape(), e.getValue(), data,
          t.isVariable()));
    }
    List<Integer> inputs = new ArrayList<>(fm.inputs());
    List<Integer> outputs = new ArrayList<>(fm.outputs());
    if (options.floatIo()) {
      List<Operator> edged = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        Tensor q = fm.tensor(inputs.get(i));
        int f = tensors.size();
        tensors.add(new Tensor(f, q.name() + "_float", TensorType.FLOAT32, q.shape(), null, null, false));
        edged.add(new Operator(0, BuiltinOp.QUANTIZE.code(), 1, null, List.of(f), List.of(q.index()),
            new OpOptions.None()));
        inputs.set(i, f);
      }
      edged.addAll(ops);
      for (int i = 0; i < outputs.size(); i++) {
        Tensor q = fm.tensor(outputs.get(i));
        int f = tensors.size();
        tensors.add(new Tensor(f, q.name() + "_float", TensorType.FLOAT32, q.shape(), null, null, false));
        edged.add(new Operator(0, BuiltinOp.DEQUANTIZE.code(), 2, null, List.of(q.index()), List.of(f),
            new OpOptions.None()));
        outputs.set(i, f);
      }
      ops = new ArrayList<>();
      for (Operator op : edged) {
        ops.add(new Operator(ops.size(), op.opcode(), op.version(), op.customCode(), op.inputs(), op.outputs(),
            op.options()));
      }
    }
    String description = "tinyforge quantize: int8 (" + options.method().label() + ", "
        + (options.perTensor() ? "per-tensor" : "per-channel") + " weights, " + (options.floatIo() ? "float" : "int8")
        + " I/O)";
    return new Model(fm.source(), 3, description, tensors, ops, inputs, outputs, Map.of());
  }

  private static boolean isConvLike(Operator op) {
    BuiltinOp k = op.op();
    return k == BuiltinOp.CONV_2D || k == BuiltinOp.DEPTHWISE_CONV_2D || k == BuiltinOp.FULLY_CONNECTED
        || k == BuiltinOp.TRANSPOSE_CONV;
  }

  /** Symmetric int8 in [-127, 127]: scale = max|w| / 127 per channel along {@code dim} (or over the tensor). */
  static Quantization weightQuantization(Tensor w, int dim, boolean perTensor) {
    float[] v = floats(w);
    int[] d = w.shape().toArray();
    int channels = perTensor ? 1 : d[dim];
    int inner = 1;
    for (int k = dim + 1; k < d.length; k++) {
      inner *= d[k];
    }
    double[] absMax = new double[channels];
    for (int i = 0; i < v.length; i++) {
      int c = perTensor ? 0 : (i / inner) % d[dim];
      absMax[c] = Math.max(absMax[c], Math.abs(v[i]));
    }
    List<Float> scales = new ArrayList<>();
    List<Long> zps = new ArrayList<>();
    for (double m : absMax) {
      // an all-zero channel: any scale represents it; 1/127 keeps its bias scale ordinary
      scales.add((float) (m > 0 ? m / 127.0 : 1.0 / 127.0));
      zps.add(0L);
    }
    return new Quantization(scales, zps, perTensor ? 0 : dim);
  }

  private static ByteBuffer quantizeWeights(Tensor w, Quantization q) {
    float[] v = floats(w);
    int[] d = w.shape().toArray();
    int dim = q.quantizedDimension();
    int inner = 1;
    for (int k = dim + 1; k < d.length; k++) {
      inner *= d[k];
    }
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      int c = q.isPerChannel() ? (i / inner) % d[dim] : 0;
      long r = QuantRange.roundHalfAway(v[i] / (double) q.scales().get(c));
      out[i] = (byte) Math.max(-127, Math.min(127, r));
    }
    return ByteBuffer.wrap(out);
  }

  private Tensor quantizeBias(Operator op, Tensor b, float inScale, Quantization wq) {
    float[] v = floats(b);
    List<Float> scales = new ArrayList<>();
    List<Long> zps = new ArrayList<>();
    ByteBuffer data = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int c = 0; c < v.length; c++) {
      float s = (float) ((double) inScale * wq.scales().get(wq.isPerChannel() ? c : 0));
      if (wq.isPerChannel() || c == 0) {
        scales.add(s);
        zps.add(0L);
      }
      long q = QuantRange.roundHalfAway(v[c] / (double) s);
      if (q > Integer.MAX_VALUE || q < Integer.MIN_VALUE) {
        notes.add("op " + op.index() + " (" + op.opName() + "): bias " + c + " (" + v[c] + ") clamped to int32");
        q = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, q));
      }
      data.putInt((int) q);
    }
    data.flip();
    return new Tensor(b.index(), b.name(), TensorType.INT32, new Shape(b.shape().toArray()),
        new Quantization(scales, zps, 0), data, false);
  }

  private static ByteBuffer quantizeActivationConstant(Tensor t, Quantization q) {
    float[] v = floats(t);
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = QuantRange.quantize(v[i], q.scale(), q.zeroPoint());
    }
    return ByteBuffer.wrap(out);
  }
}
