package io.tinyforge.sim.gen;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded single-op and small multi-op models for the elementwise, activation and data-movement ops (issue 3,
 * part B): odd shapes (1, primes, channels not a multiple of 4), broadcasting up to 5-D, every option the op has,
 * and extreme quantization (tiny and huge scales, zero points -128 / 127, multipliers with large negative and
 * positive shifts). Every model is valid for TFLM: conditions under which TFLM refuses or aborts (e.g. an ADD
 * output scale below 2 x input scale / 2^20, softmax beta x scale x 2^26 <= 1) are avoided by construction.
 */
public final class RandomElementwiseModels {
  /** One generated model and the (op, option) cells it covers. */
  public record Case(String op, List<String> options, Model model) {}

  private final Random r;
  private final List<Case> cases = new ArrayList<>();
  private int serial;
  /** The round of {@link #generate}: options that must all be covered cycle with it instead of being drawn. */
  private int round;

  public RandomElementwiseModels(long seed) {
    this.r = new Random(seed);
  }

  /** {@code perOp} models for each op (variant), plus multi-op chains. */
  public List<Case> generate(int perOp) {
    for (int i = 0; i < perOp; i++) {
      round = i;
      addSub(false);
      addSub(true);
      mul();
      minMax(true);
      minMax(false);
      prelu();
      relu();
      relu6();
      leakyRelu();
      hardSwish();
      logisticTanh(false);
      logisticTanh(true);
      softmax();
      concat();
      pack();
      split();
      splitV();
      unpack();
      pad(false);
      pad(true);
      resize(false);
      resize(true);
      quantizeFromFloat();
      requantize();
      dequantize();
      stridedSlice();
      transpose();
    }
    for (int i = 0; i < Math.max(1, perOp / 2); i++) {
      chainArithmeticSoftmax();
      chainFloatIo();
      chainMovement();
    }
    return cases;
  }

  // ---------------------------------------------------------------- quantization regimes

  /** A scale/zero-point pair and the regime it came from. */
  record Q(float scale, int zp, String regime) {}

  private Q quant() {
    int k = r.nextInt(10);
    return switch (k) {
      case 0 -> new Q(logUniform(1e-6, 1e-4), zp(), "tiny-scale");
      case 1 -> new Q(logUniform(5, 200), zp(), "huge-scale");
      case 2 -> new Q(logUniform(0.005, 0.5), r.nextBoolean() ? -128 : 127, "zp-extreme");
      default -> new Q(logUniform(0.003, 0.3), zp(), "normal");
    };
  }

  private int zp() {
    return r.nextInt(256) - 128;
  }

  private float logUniform(double lo, double hi) {
    return (float) Math.exp(Math.log(lo) + r.nextDouble() * (Math.log(hi) - Math.log(lo)));
  }

  private static String shapeTag(int[] s) {
    return "rank" + s.length;
  }

  // ---------------------------------------------------------------- shapes

  /** Odd extents: 1, small primes, a channel count that is not a multiple of 4. */
  private int[] shape(int minRank, int maxRank) {
    int rank = minRank + r.nextInt(maxRank - minRank + 1);
    int[] s = new int[rank];
    for (int i = 0; i < rank; i++) {
      s[i] = new int[] {1, 1, 2, 3, 5, 7}[r.nextInt(6)];
    }
    return s;
  }

  /** Two broadcast-compatible shapes (right-aligned, ranks may differ) and their broadcast. */
  private int[][] broadcastShapes(int maxRank) {
    int[] full = shape(1, maxRank);
    int[] a = full.clone();
    int[] b = full.clone();
    for (int i = 0; i < full.length; i++) {
      double c = r.nextDouble();
      if (c < 0.25) {
        a[i] = 1;
      } else if (c < 0.5) {
        b[i] = 1;
      }
    }
    if (r.nextInt(3) == 0) {
      b = Arrays.copyOfRange(b, r.nextInt(b.length), b.length);
    }
    if (r.nextBoolean()) {
      int[] t = a;
      a = b;
      b = t;
    }
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      out[i] = Math.max(da, db);
    }
    return new int[][] {a, b, out};
  }

  /** Cycles NONE, RELU, RELU_N1_TO_1, RELU6 over the rounds. */
  private Activation activation() {
    return new Activation[] {Activation.NONE, Activation.RELU, Activation.RELU_N1_TO_1, Activation.RELU6}[round % 4];
  }

  private String name(String op) {
    return String.format("gen_%04d_%s", serial++, op.toLowerCase());
  }

  private void add(String op, Model m, String... options) {
    cases.add(new Case(op, List.of(options), m));
  }

  // ---------------------------------------------------------------- elementwise

  private void addSub(boolean sub) {
    int[][] s = broadcastShapes(5);
    Q q1 = quant();
    Q q2 = r.nextInt(4) == 0 ? q1 : quant();
    Q qo = quant();
    float maxIn = Math.max(q1.scale(), q2.scale());
    // TFLM aborts unless 2 * max input scale / (2^20 * output scale) < 1; stay clear of the edge.
    float minOut = 4 * maxIn / (1 << 20);
    if (qo.scale() < minOut) {
      qo = new Q(minOut * logUniform(1, 30), qo.zp(), "tiny-output-multiplier");
    }
    Activation act = activation();
    GraphBuilder g = new GraphBuilder();
    int a = g.int8("a", s[0], q1.scale(), q1.zp());
    int b = g.int8("b", s[1], q2.scale(), q2.zp());
    int o = g.int8("o", s[2], qo.scale(), qo.zp());
    BuiltinOp op = sub ? BuiltinOp.SUB : BuiltinOp.ADD;
    g.op(op, new OpOptions.Arithmetic(act), new int[] {a, b}, o);
    g.input(a);
    g.input(b);
    g.output(o);
    add(op.name(), g.build(name(op.name())), "act=" + act, bcast(s), q1.regime(), qo.regime(),
        shapeTag(s[2]));
  }

  private static String bcast(int[][] s) {
    return Arrays.equals(s[0], s[1]) ? "same-shape" : "broadcast";
  }

  private void mul() {
    int[][] s = broadcastShapes(5);
    Q q1 = quant();
    Q q2 = quant();
    Q qo = quant();
    Activation act = activation();
    GraphBuilder g = new GraphBuilder();
    int a = g.int8("a", s[0], q1.scale(), q1.zp());
    int b = g.int8("b", s[1], q2.scale(), q2.zp());
    int o = g.int8("o", s[2], qo.scale(), qo.zp());
    g.op(BuiltinOp.MUL, new OpOptions.Arithmetic(act), new int[] {a, b}, o);
    g.input(a);
    g.input(b);
    g.output(o);
    double m = (double) q1.scale() * q2.scale() / qo.scale();
    add("MUL", g.build(name("MUL")), "act=" + act, bcast(s), m >= 1 ? "multiplier>=1" : "multiplier<1",
        shapeTag(s[2]));
  }

  private void minMax(boolean max) {
    int[][] s = broadcastShapes(5);
    Q q = quant();
    GraphBuilder g = new GraphBuilder();
    int a = g.int8("a", s[0], q.scale(), q.zp());
    int b = g.int8("b", s[1], q.scale(), q.zp());
    int o = g.int8("o", s[2], q.scale(), q.zp());
    BuiltinOp op = max ? BuiltinOp.MAXIMUM : BuiltinOp.MINIMUM;
    g.op(op, new OpOptions.None(), new int[] {a, b}, o);
    g.input(a);
    g.input(b);
    g.output(o);
    add(op.name(), g.build(name(op.name())), bcast(s), shapeTag(s[2]));
  }

  private void prelu() {
    int[] in = shape(1, 4);
    // Alpha: the trailing dimensions of the input, some of them 1 (per-channel or shared slopes).
    int k = 1 + r.nextInt(in.length);
    int[] alphaShape = Arrays.copyOfRange(in, in.length - k, in.length);
    for (int i = 0; i < alphaShape.length; i++) {
      if (r.nextInt(3) == 0) {
        alphaShape[i] = 1;
      }
    }
    Q qi = quant();
    Q qa = new Q(logUniform(0.001, 0.05), zp(), "alpha");
    Q qo = quant();
    boolean constAlpha = r.nextBoolean();
    GraphBuilder g = new GraphBuilder();
    int x = g.int8("x", in, qi.scale(), qi.zp());
    int alpha;
    if (constAlpha) {
      byte[] data = new byte[count(alphaShape)];
      r.nextBytes(data);
      alpha = g.constInt8("alpha", alphaShape, data, Quantization.perTensor(qa.scale(), qa.zp()));
    } else {
      alpha = g.int8("alpha", alphaShape, qa.scale(), qa.zp());
    }
    int o = g.int8("o", in, qo.scale(), qo.zp());
    g.op(BuiltinOp.PRELU, new OpOptions.None(), new int[] {x, alpha}, o);
    g.input(x);
    if (!constAlpha) {
      g.input(alpha);
    }
    g.output(o);
    add("PRELU", g.build(name("PRELU")), constAlpha ? "const-alpha" : "input-alpha",
        Arrays.equals(alphaShape, in) ? "same-shape" : "broadcast", qi.regime(), shapeTag(in));
  }

  // ---------------------------------------------------------------- activations

  private void unary(BuiltinOp op, OpOptions options, int[] shape, Q qi, Q qo, String... tags) {
    GraphBuilder g = new GraphBuilder();
    int x = g.int8("x", shape, qi.scale(), qi.zp());
    int o = g.int8("o", shape, qo.scale(), qo.zp());
    g.op(op, options, new int[] {x}, o);
    g.input(x);
    g.output(o);
    String[] all = Arrays.copyOf(tags, tags.length + 2);
    all[tags.length] = qi.regime();
    all[tags.length + 1] = shapeTag(shape);
    add(op.name(), g.build(name(op.name())), all);
  }

  private void relu() {
    Q qi = quant();
    Q qo = r.nextBoolean() ? qi : quant();
    unary(BuiltinOp.RELU, new OpOptions.None(), shape(1, 5), qi, qo, qo == qi ? "same-quant" : "requantize");
  }

  private void relu6() {
    // TFLM's RELU6 clamps in the input's quantization: the converter gives the output the same one.
    Q q = r.nextInt(4) == 0 ? new Q(logUniform(0.001, 0.03), zp(), "six-inside-range") : quant();
    unary(BuiltinOp.RELU6, new OpOptions.None(), shape(1, 5), q, q, "same-quant");
  }

  private void leakyRelu() {
    float alpha = switch (r.nextInt(5)) {
      case 0 -> 0.1f;
      case 1 -> 0.2f;
      case 2 -> -0.5f;
      case 3 -> 1.5f;
      default -> (float) (r.nextDouble() * 4 - 2);
    };
    Q qi = quant();
    Q qo = r.nextBoolean() ? qi : quant();
    unary(BuiltinOp.LEAKY_RELU, new OpOptions.LeakyRelu(alpha), shape(1, 5), qi, qo,
        alpha < 0 ? "alpha<0" : alpha > 1 ? "alpha>1" : "alpha in [0,1]");
  }

  private void hardSwish() {
    Q qi = quant();
    Q qo = quant();
    // TFLM requires (input scale / 128) / output scale < 1 (output multiplier exponent <= 0).
    if (qi.scale() / 128f / qo.scale() >= 0.5f) {
      qo = new Q(qi.scale() * logUniform(0.01, 2), qo.zp(), "output~input");
    }
    unary(BuiltinOp.HARD_SWISH, new OpOptions.None(), shape(1, 4), qi, qo, qo.regime());
  }

  private void logisticTanh(boolean tanh) {
    Q qi = r.nextInt(3) == 0 ? new Q(logUniform(0.001, 0.01), zp(), "fine-input") : quant();
    Q qo = tanh ? new Q(1f / 128, 0, "out=1/128") : new Q(1f / 256, -128, "out=1/256");
    unary(tanh ? BuiltinOp.TANH : BuiltinOp.LOGISTIC, new OpOptions.None(), shape(1, 4), qi, qo, qo.regime());
  }

  private void softmax() {
    float beta = switch (r.nextInt(4)) {
      case 0 -> 1.0f;
      case 1 -> 0.5f;
      case 2 -> 2.0f;
      default -> (float) (0.1 + r.nextDouble() * 3);
    };
    Q qi = quant();
    if (beta * (double) qi.scale() * (1 << 26) <= 2) {
      qi = new Q(logUniform(0.01, 1), qi.zp(), "normal");
    }
    unary(BuiltinOp.SOFTMAX, new OpOptions.Softmax(beta), shape(1, 4), qi, new Q(1f / 256, -128, "out"),
        beta == 1.0f ? "beta=1" : "beta!=1");
  }

  // ---------------------------------------------------------------- data movement

  private void concat() {
    int rank = 1 + r.nextInt(4);
    int[] base = shape(rank, rank);
    int axis = r.nextInt(2 * rank) - rank;
    int pos = axis < 0 ? axis + rank : axis;
    int n = 1 + r.nextInt(4);
    Q q = quant();
    GraphBuilder g = new GraphBuilder();
    int[] ins = new int[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      int[] s = base.clone();
      s[pos] = 1 + r.nextInt(3);
      total += s[pos];
      ins[i] = g.int8("in" + i, s, q.scale(), q.zp());
      g.input(ins[i]);
    }
    int[] os = base.clone();
    os[pos] = total;
    int o = g.int8("o", os, q.scale(), q.zp());
    g.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(axis, Activation.NONE), ins, o);
    g.output(o);
    add("CONCATENATION", g.build(name("CONCATENATION")), axis < 0 ? "axis<0" : "axis>=0", "inputs=" + n,
        shapeTag(os));
  }

  private void pack() {
    int rank = r.nextInt(4);
    int[] s = shape(rank, rank);
    int n = 1 + r.nextInt(4);
    int axis = r.nextInt(2 * rank + 2) - (rank + 1);
    int pos = axis < 0 ? axis + rank + 1 : axis;
    int[] os = new int[rank + 1];
    for (int k = 0, j = 0; k <= rank; k++) {
      os[k] = k == pos ? n : s[j++];
    }
    Q q = quant();
    GraphBuilder g = new GraphBuilder();
    int[] ins = new int[n];
    for (int i = 0; i < n; i++) {
      ins[i] = g.int8("in" + i, s, q.scale(), q.zp());
      g.input(ins[i]);
    }
    int o = g.int8("o", os, q.scale(), q.zp());
    g.op(BuiltinOp.PACK, new OpOptions.Pack(n, axis), ins, o);
    g.output(o);
    add("PACK", g.build(name("PACK")), axis < 0 ? "axis<0" : "axis>=0", "values=" + n, shapeTag(os));
  }

  private void split() {
    int rank = 1 + r.nextInt(4);
    int[] s = shape(rank, rank);
    int axis = r.nextInt(2 * rank) - rank;
    int pos = axis < 0 ? axis + rank : axis;
    int n = 1 + r.nextInt(3);
    s[pos] = n * (1 + r.nextInt(3));
    Q q = quant();
    GraphBuilder g = new GraphBuilder();
    int ax = g.constInt32("axis", new int[0], new int[] {axis}, null);
    int x = g.int8("x", s, q.scale(), q.zp());
    int[] outs = new int[n];
    int[] os = s.clone();
    os[pos] = s[pos] / n;
    for (int i = 0; i < n; i++) {
      outs[i] = g.int8("o" + i, os, q.scale(), q.zp());
      g.output(outs[i]);
    }
    g.op(BuiltinOp.SPLIT, new OpOptions.Split(n), new int[] {ax, x}, outs);
    g.input(x);
    add("SPLIT", g.build(name("SPLIT")), axis < 0 ? "axis<0" : "axis>=0", "splits=" + n, shapeTag(s));
  }

  private void splitV() {
    int rank = 1 + r.nextInt(4);
    int[] s = shape(rank, rank);
    int axis = r.nextInt(2 * rank) - rank;
    int pos = axis < 0 ? axis + rank : axis;
    int n = 1 + r.nextInt(4);
    int[] sizes = new int[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      sizes[i] = 1 + r.nextInt(3); // TFLM refuses zero-sized outputs (dynamic tensors)
      total += sizes[i];
    }
    s[pos] = total;
    int[] given = sizes.clone();
    boolean inferred = r.nextBoolean();
    if (inferred) {
      given[r.nextInt(n)] = -1;
    }
    Q q = quant();
    GraphBuilder g = new GraphBuilder();
    int x = g.int8("x", s, q.scale(), q.zp());
    int sz = g.constInt32("size_splits", new int[] {n}, given, null);
    int ax = g.constInt32("axis", new int[] {1}, new int[] {axis}, null);
    int[] outs = new int[n];
    for (int i = 0; i < n; i++) {
      int[] os = s.clone();
      os[pos] = sizes[i];
      outs[i] = g.int8("o" + i, os, q.scale(), q.zp());
      g.output(outs[i]);
    }
    g.op(BuiltinOp.SPLIT_V, new OpOptions.Split(n), new int[] {x, sz, ax}, outs);
    g.input(x);
    add("SPLIT_V", g.build(name("SPLIT_V")), inferred ? "size=-1" : "sizes-given", "splits=" + n, shapeTag(s));
  }

  private void unpack() {
    int rank = 1 + r.nextInt(4);
    int[] s = shape(rank, rank);
    int axis = r.nextInt(2 * rank) - rank;
    int pos = axis < 0 ? axis + rank : axis;
    int n = s[pos];
    int[] os = new int[rank - 1];
    for (int k = 0, j = 0; k < rank; k++) {
      if (k != pos) {
        os[j++] = s[k];
      }
    }
    Q q = quant();
    GraphBuilder g = new GraphBuilder();
    int x = g.int8("x", s, q.scale(), q.zp());
    int[] outs = new int[n];
    for (int i = 0; i < n; i++) {
      outs[i] = g.int8("o" + i, os, q.scale(), q.zp());
      g.output(outs[i]);
    }
    g.op(BuiltinOp.UNPACK, new OpOptions.Unpack(n, axis), new int[] {x}, outs);
    g.input(x);
    add("UNPACK", g.build(name("UNPACK")), axis < 0 ? "axis<0" : "axis>=0", shapeTag(s));
  }

  private void pad(boolean v2) {
    int[] s = shape(1, 5);
    int[] p = new int[s.length * 2];
    int[] os = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      p[2 * i] = r.nextInt(3);
      p[2 * i + 1] = r.nextInt(3);
      os[i] = s[i] + p[2 * i] + p[2 * i + 1];
    }
    Q q = quant();
    GraphBuilder g = new GraphBuilder();
    int x = g.int8("x", s, q.scale(), q.zp());
    int pt = g.constInt32("paddings", new int[] {s.length, 2}, p, null);
    int o = g.int8("o", os, q.scale(), q.zp());
    BuiltinOp op = v2 ? BuiltinOp.PADV2 : BuiltinOp.PAD;
    if (v2) {
      int cv = g.constInt8("constant_values", new int[0], new byte[] {(byte) (r.nextInt(256) - 128)},
          Quantization.perTensor(q.scale(), q.zp()));
      g.op(op, new OpOptions.None(), new int[] {x, pt, cv}, o);
    } else {
      g.op(op, new OpOptions.None(), new int[] {x, pt}, o);
    }
    g.input(x);
    g.output(o);
    add(op.name(), g.build(name(op.name())), v2 ? "constant-value" : "zero-point", q.regime(), shapeTag(s));
  }

  private void resize(boolean bilinear) {
    int[] s = {1 + r.nextInt(2), 1 + r.nextInt(6), 1 + r.nextInt(6), new int[] {1, 2, 3, 5}[r.nextInt(4)]};
    int oh = 1 + r.nextInt(13);
    int ow = 1 + r.nextInt(13);
    // All four (align_corners, half_pixel_centers) pairs in turn; bilinear refuses both together (TFLM).
    boolean align = (round & 1) != 0;
    boolean half = (round & 2) != 0;
    if (bilinear && align && half) {
      align = false;
    }
    Q q = quant();
    GraphBuilder g = new GraphBuilder();
    int x = g.int8("x", s, q.scale(), q.zp());
    int size = g.constInt32("size", new int[] {2}, new int[] {oh, ow}, null);
    int o = g.int8("o", new int[] {s[0], oh, ow, s[3]}, q.scale(), q.zp());
    BuiltinOp op = bilinear ? BuiltinOp.RESIZE_BILINEAR : BuiltinOp.RESIZE_NEAREST_NEIGHBOR;
    g.op(op, new OpOptions.Resize(align, half), new int[] {x, size}, o);
    g.input(x);
    g.output(o);
    String dir = (oh >= s[1] && ow >= s[2]) ? "upscale" : (oh <= s[1] && ow <= s[2]) ? "downscale" : "mixed";
    add(op.name(), g.build(name(op.name())), "align_corners=" + align, "half_pixel=" + half, dir);
  }

  private void quantizeFromFloat() {
    int[] s = shape(1, 4);
    Q qo = quant();
    boolean int16 = r.nextInt(4) == 0;
    if (int16) {
      qo = new Q(qo.scale(), 0, qo.regime());
    }
    GraphBuilder g = new GraphBuilder();
    int x = g.tensor("x", TensorType.FLOAT32, s, null);
    int o = int16
        ? g.tensor("o", TensorType.INT16, s, Quantization.perTensor(qo.scale(), 0))
        : g.int8("o", s, qo.scale(), qo.zp());
    g.op(BuiltinOp.QUANTIZE, new OpOptions.None(), new int[] {x}, o);
    g.input(x);
    g.output(o);
    add("QUANTIZE", g.build(name("QUANTIZE")), int16 ? "float->int16" : "float->int8", qo.regime());
  }

  private void requantize() {
    int[] s = shape(1, 4);
    int kind = r.nextInt(4);
    TensorType in = kind == 1 ? TensorType.INT16 : TensorType.INT8;
    TensorType out = kind == 2 ? TensorType.INT16 : TensorType.INT8;
    Q qi = quant();
    Q qo = kind == 3 ? new Q(qi.scale(), zp(), "zp-shift-only") : quant();
    GraphBuilder g = new GraphBuilder();
    int x = g.tensor("x", in, s, Quantization.perTensor(qi.scale(), in == TensorType.INT16 ? 0 : qi.zp()));
    int o = g.tensor("o", out, s, Quantization.perTensor(qo.scale(), out == TensorType.INT16 ? 0 : qo.zp()));
    g.op(BuiltinOp.QUANTIZE, new OpOptions.None(), new int[] {x}, o);
    g.input(x);
    g.output(o);
    add("QUANTIZE", g.build(name("QUANTIZE")), in.name().toLowerCase() + "->" + out.name().toLowerCase(),
        qo.regime());
  }

  private void dequantize() {
    int[] s = shape(1, 4);
    Q q = quant();
    boolean int16 = r.nextInt(4) == 0;
    GraphBuilder g = new GraphBuilder();
    int x = g.tensor("x", int16 ? TensorType.INT16 : TensorType.INT8, s,
        Quantization.perTensor(q.scale(), int16 ? 0 : q.zp()));
    int o = g.tensor("o", TensorType.FLOAT32, s, null);
    g.op(BuiltinOp.DEQUANTIZE, new OpOptions.None(), new int[] {x}, o);
    g.input(x);
    g.output(o);
    add("DEQUANTIZE", g.build(name("DEQUANTIZE")), int16 ? "int16->float" : "int8->float", q.regime());
  }

  private void stridedSlice() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int rank = 1 + r.nextInt(4);
      int[] s = shape(rank, rank);
      for (int i = 0; i < rank; i++) {
        s[i] = new int[] {1, 2, 3, 5, 7}[r.nextInt(5)];
      }
      int[] b = new int[rank];
      int[] e = new int[rank];
      int[] st = new int[rank];
      for (int i = 0; i < rank; i++) {
        b[i] = r.nextInt(17) - 8;
        e[i] = r.nextInt(17) - 8;
        st[i] = (round % 2 == 1 && i == rank - 1) ? -1 - r.nextInt(2) : new int[] {1, 1, 2, 3, -1, -2}[r.nextInt(6)];
      }
      int full = (1 << rank) - 1;
      int bm = r.nextInt(full + 1);
      int em = r.nextInt(full + 1);
      int sm = r.nextInt(3) == 0 ? r.nextInt(full + 1) : 0;
      int[] od = SliceShapes.tflmOutputShape(s, b, e, st, bm, em, sm);
      if (od == null) {
        continue; // TFLM would leave part of the output unwritten: not a valid model
      }
      // TFLM ignores offset, ellipsis_mask and new_axis_mask (its params never receive them): models with them
      // set must still match the oracle bit for bit.
      boolean offset = round % 5 == 4;
      int ellipsis = round % 5 == 3 ? 1 << r.nextInt(rank) : 0;
      int newAxis = round % 5 == 2 ? 1 << r.nextInt(rank) : 0;
      Q q = quant();
      GraphBuilder g = new GraphBuilder();
      int x = g.int8("x", s, q.scale(), q.zp());
      int bt = g.constInt32("begin", new int[] {rank}, b, null);
      int et = g.constInt32("end", new int[] {rank}, e, null);
      int stt = g.constInt32("strides", new int[] {rank}, st, null);
      int o = g.int8("o", od, q.scale(), q.zp());
      g.op(BuiltinOp.STRIDED_SLICE, new OpOptions.StridedSlice(bm, em, ellipsis, newAxis, sm, offset),
          new int[] {x, bt, et, stt}, o);
      g.input(x);
      g.output(o);
      List<String> tags = new ArrayList<>();
      tags.add(bm != 0 ? "begin_mask" : "no-begin_mask");
      tags.add(em != 0 ? "end_mask" : "no-end_mask");
      tags.add(sm != 0 ? "shrink_mask" : "no-shrink");
      boolean neg = false;
      for (int v : st) {
        neg |= v < 0;
      }
      tags.add(neg ? "negative-stride" : "positive-strides");
      if (offset) {
        tags.add("offset(ignored)");
      }
      if (ellipsis != 0) {
        tags.add("ellipsis_mask(ignored)");
      }
      if (newAxis != 0) {
        tags.add("new_axis_mask(ignored)");
      }
      add("STRIDED_SLICE", g.build(name("STRIDED_SLICE")), tags.toArray(new String[0]));
      return;
    }
  }

  private void transpose() {
    int rank = 1 + r.nextInt(5);
    int[] s = shape(rank, rank);
    for (int i = 0; i < rank; i++) {
      s[i] = 1 + r.nextInt(4);
    }
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    for (int i = rank - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int[] os = new int[rank];
    for (int i = 0; i < rank; i++) {
      os[i] = s[perm[i]];
    }
    Q q = quant();
    GraphBuilder g = new GraphBuilder();
    int x = g.int8("x", s, q.scale(), q.zp());
    int p = g.constInt32("perm", new int[] {rank}, perm, null);
    int o = g.int8("o", os, q.scale(), q.zp());
    g.op(BuiltinOp.TRANSPOSE, new OpOptions.None(), new int[] {x, p}, o);
    g.input(x);
    g.output(o);
    add("TRANSPOSE", g.build(name("TRANSPOSE")), shapeTag(s));
  }

  // ---------------------------------------------------------------- multi-op chains

  /** (a + b) * c -> LEAKY_RELU -> SOFTMAX over the last axis. */
  private void chainArithmeticSoftmax() {
    int[] s = shape(2, 4);
    Q qa = quant();
    Q qb = quant();
    Q qs = new Q(Math.max(qa.scale(), qb.scale()) * logUniform(1, 4), zp(), "sum");
    GraphBuilder g = new GraphBuilder();
    int a = g.int8("a", s, qa.scale(), qa.zp());
    int b = g.int8("b", new int[] {s[s.length - 1]}, qb.scale(), qb.zp());
    int sum = g.int8("sum", s, qs.scale(), qs.zp());
    g.op(BuiltinOp.ADD, new OpOptions.Arithmetic(Activation.NONE), new int[] {a, b}, sum);
    int c = g.constInt8("c", new int[] {1}, new byte[] {(byte) (r.nextInt(200) - 100)},
        Quantization.perTensor(logUniform(0.01, 0.1), 0));
    Q qm = new Q(logUniform(0.01, 0.5), zp(), "mul");
    int prod = g.int8("prod", s, qm.scale(), qm.zp());
    g.op(BuiltinOp.MUL, new OpOptions.Arithmetic(Activation.NONE), new int[] {sum, c}, prod);
    int lr = g.int8("leaky", s, qm.scale(), qm.zp());
    g.op(BuiltinOp.LEAKY_RELU, new OpOptions.LeakyRelu(0.1f), new int[] {prod}, lr);
    int o = g.int8("o", s, 1f / 256, -128);
    g.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1.0f), new int[] {lr}, o);
    g.input(a);
    g.input(b);
    g.output(o);
    add("CHAIN", g.build(name("CHAIN")), "add-mul-leaky-softmax");
  }

  /** float32 in -> QUANTIZE -> LOGISTIC -> SUB(const) -> TANH -> DEQUANTIZE -> float32 out. */
  private void chainFloatIo() {
    int[] s = shape(1, 3);
    Q qi = new Q(logUniform(0.01, 0.2), zp(), "in");
    GraphBuilder g = new GraphBuilder();
    int x = g.tensor("x", TensorType.FLOAT32, s, null);
    int q = g.int8("q", s, qi.scale(), qi.zp());
    g.op(BuiltinOp.QUANTIZE, new OpOptions.None(), new int[] {x}, q);
    int lg = g.int8("sig", s, 1f / 256, -128);
    g.op(BuiltinOp.LOGISTIC, new OpOptions.None(), new int[] {q}, lg);
    int half = g.constInt8("half", new int[] {1}, new byte[] {0}, Quantization.perTensor(1f / 256, -128));
    int d = g.int8("d", s, 1f / 256, 0);
    g.op(BuiltinOp.SUB, new OpOptions.Arithmetic(Activation.NONE), new int[] {lg, half}, d);
    int t = g.int8("t", s, 1f / 128, 0);
    g.op(BuiltinOp.TANH, new OpOptions.None(), new int[] {d}, t);
    int o = g.tensor("o", TensorType.FLOAT32, s, null);
    g.op(BuiltinOp.DEQUANTIZE, new OpOptions.None(), new int[] {t}, o);
    g.input(x);
    g.output(o);
    add("CHAIN", g.build(name("CHAIN")), "float-io");
  }

  /** PAD -> RESIZE_NEAREST -> TRANSPOSE -> CONCAT with a slice of itself. */
  private void chainMovement() {
    int[] s = {1, 1 + r.nextInt(4), 1 + r.nextInt(4), 1 + r.nextInt(3)};
    Q q = quant();
    GraphBuilder g = new GraphBuilder();
    int x = g.int8("x", s, q.scale(), q.zp());
    int pt = g.constInt32("paddings", new int[] {4, 2}, new int[] {0, 0, 1, 0, 0, 1, 0, 0}, null);
    int[] ps = {1, s[1] + 1, s[2] + 1, s[3]};
    int p = g.int8("p", ps, q.scale(), q.zp());
    g.op(BuiltinOp.PAD, new OpOptions.None(), new int[] {x, pt}, p);
    int size = g.constInt32("size", new int[] {2}, new int[] {ps[1] * 2, ps[2] * 2}, null);
    int[] rs = {1, ps[1] * 2, ps[2] * 2, s[3]};
    int rz = g.int8("rz", rs, q.scale(), q.zp());
    g.op(BuiltinOp.RESIZE_NEAREST_NEIGHBOR, new OpOptions.Resize(false, r.nextBoolean()), new int[] {p, size}, rz);
    int perm = g.constInt32("perm", new int[] {4}, new int[] {0, 2, 1, 3}, null);
    int[] ts = {1, rs[2], rs[1], s[3]};
    int tr = g.int8("tr", ts, q.scale(), q.zp());
    g.op(BuiltinOp.TRANSPOSE, new OpOptions.None(), new int[] {rz, perm}, tr);
    int o = g.int8("o", new int[] {1, ts[1], ts[2], 2 * s[3]}, q.scale(), q.zp());
    g.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(3, Activation.NONE), new int[] {tr, tr}, o);
    g.input(x);
    g.output(o);
    add("CHAIN", g.build(name("CHAIN")), "pad-resize-transpose-concat");
  }

  static int count(int[] s) {
    int n = 1;
    for (int v : s) {
      n *= v;
    }
    return n;
  }
}
