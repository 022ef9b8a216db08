package io.tinyforge.sim.gen;

import io.tinyforge.lower.PaddingMath;
import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random single-op and small multi-op int8 models covering every option of the ops they generate, with
 * odd shapes and extreme quantization (see {@link QuantProfile}). Each model records the (op, option) cells it
 * covers. Other op families add their own {@code xxxModels(Random, int, Coverage)} methods here.
 */
public final class RandomModels {
  private RandomModels() {}

  /** A generated model and a short name that says what it is. */
  public record Generated(String name, Model model) {}

  static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 11, 13};
  static final int[] CHANNELS = {1, 2, 3, 4, 5, 7, 8, 13, 16};
  static final Activation[] ACTIVATIONS = {Activation.NONE, Activation.RELU, Activation.RELU6,
      Activation.RELU_N1_TO_1};

  // ---------------------------------------------------------------- shared pieces

  static int pick(Random r, int[] from) {
    return from[r.nextInt(from.length)];
  }

  static byte[] weights(Random r, int n) {
    byte[] w = new byte[n];
    boolean extremes = r.nextInt(8) == 0;
    for (int i = 0; i < n; i++) {
      // Symmetric int8 weights (-127..127); sometimes only the extremes, to push accumulators.
      w[i] = (byte) (extremes ? (r.nextBoolean() ? 127 : -127) : r.nextInt(255) - 127);
    }
    return w;
  }

  static int[] biases(Random r, int n, int depth) {
    int range = Math.max(1, Math.min(1 << 24, depth * 2048));
    int[] b = new int[n];
    for (int i = 0; i < n; i++) {
      b[i] = r.nextInt(2 * range + 1) - range;
    }
    return b;
  }

  /** Filter scales: one (per-tensor) or one per channel spread over two decades. */
  static float[] filterScales(Random r, float base, int channels, boolean perChannel) {
    float[] s = new float[perChannel ? channels : 1];
    for (int i = 0; i < s.length; i++) {
      s[i] = perChannel ? base * QuantProfile.logUniform(r, 0.1, 10) : base;
    }
    return s;
  }

  static Quantization quant(float[] scales, int dim) {
    List<Float> s = new ArrayList<>();
    List<Long> z = new ArrayList<>();
    for (float f : scales) {
      s.add(f);
      z.add(0L);
    }
    return new Quantization(s, z, dim);
  }

  /** Bias quantization as converters write it: input scale x filter scale, zero point 0. */
  static Quantization biasQuant(float inScale, float[] filterScales) {
    float[] s = new float[filterScales.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = inScale * filterScales[i];
    }
    return quant(s, 0);
  }

  /** Activations cycle with the model index (at a different period than the profiles) so every pair occurs. */
  static Activation activation(int index, QuantProfile p) {
    Activation a = ACTIVATIONS[(index / 2) % ACTIVATIONS.length];
    // Bounds of 6 or 1 divided by a tiny output scale overflow int32; TFLM refuses those models.
    if (p == QuantProfile.TINY_SCALES && (a == Activation.RELU6 || a == Activation.RELU_N1_TO_1)) {
      return Activation.RELU;
    }
    return a;
  }

  static String shape(int... d) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < d.length; i++) {
      sb.append(i == 0 ? "" : "x").append(d[i]);
    }
    return sb.toString();
  }

  static void commonTags(Coverage c, String op, QuantProfile p, Activation a, boolean perChannel, boolean bias,
      int batch) {
    c.add(op, "quant=" + p.name().toLowerCase());
    c.add(op, "act=" + a.name());
    c.add(op, perChannel ? "per-channel" : "per-tensor");
    if (!bias) {
      c.add(op, "no-bias");
    }
    if (batch > 1) {
      c.add(op, "batch>1");
    }
  }

  // ---------------------------------------------------------------- CONV_2D

  public static List<Generated> conv(Random r, int count, Coverage c) {
    List<Generated> out = new ArrayList<>();
    while (out.size() < count) {
      int batch = r.nextInt(6) == 0 ? 2 : 1;
      int h = pick(r, SIZES);
      int w = pick(r, SIZES);
      int groups = r.nextInt(5) == 0 ? 2 + r.nextInt(2) : 1;
      int filterDepth = pick(r, CHANNELS);
      int cin = filterDepth * groups;
      int cout = pick(r, CHANNELS) * groups;
      int kh = pick(r, new int[] {1, 1, 2, 3, 3, 5});
      int kw = r.nextInt(3) == 0 ? pick(r, new int[] {1, 2, 3, 5}) : kh;
      int sh = pick(r, new int[] {1, 1, 2, 3});
      int sw = r.nextInt(3) == 0 ? pick(r, new int[] {1, 2, 3}) : sh;
      int dh = r.nextInt(4) == 0 ? 2 + r.nextInt(2) : 1;
      int dw = r.nextInt(4) == 0 ? 2 : dh;
      Padding pad = r.nextBoolean() ? Padding.SAME : Padding.VALID;
      int oh = PaddingMath.outSize(pad, h, kh, sh, dh);
      int ow = PaddingMath.outSize(pad, w, kw, sw, dw);
      if (oh < 1 || ow < 1) {
        continue;
      }
      QuantProfile p = QuantProfile.cycle(out.size());
      QuantProfile.Choice q = p.pick(r, kh * kw * filterDepth);
      boolean perChannel = r.nextInt(3) > 0;
      boolean hasBias = r.nextInt(6) > 0;
      Activation act = activation(out.size(), p);
      float[] fs = filterScales(r, q.weightScale(), cout, perChannel);

      GraphBuilder g = new GraphBuilder();
      int x = g.int8("input", new int[] {batch, h, w, cin}, q.inScale(), q.inZp());
      int f = g.constInt8("filter", new int[] {cout, kh, kw, filterDepth}, weights(r, cout * kh * kw * filterDepth),
          quant(fs, 0));
      int b = hasBias ? g.constInt32("bias", new int[] {cout}, biases(r, cout, kh * kw * filterDepth),
          biasQuant(q.inScale(), fs)) : -1;
      int y = g.int8("output", new int[] {batch, oh, ow, cout}, q.outScale(), q.outZp());
      g.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(pad, sw, sh, act, dw, dh),
          hasBias ? new int[] {x, f, b} : new int[] {x, f}, y);
      g.input(x);
      g.output(y);
      String name = "conv_" + out.size() + "_" + shape(batch, h, w, cin) + "_k" + kh + "x" + kw + "_s" + sh + "x" + sw
          + "_d" + dh + "x" + dw + "_g" + groups + "_" + pad + "_" + act + "_" + p;
      out.add(new Generated(name, g.build(name)));
      String op = "CONV_2D";
      commonTags(c, op, p, act, perChannel, hasBias, batch);
      c.add(op, "pad=" + pad);
      if (sh > 1 || sw > 1) {
        c.add(op, "stride>1");
      }
      if (sh != sw) {
        c.add(op, "stride h!=w");
      }
      if (dh > 1 || dw > 1) {
        c.add(op, "dilation>1");
      }
      if (groups > 1) {
        c.add(op, "groups>1");
      }
      if (kh == 1 && kw == 1) {
        c.add(op, "kernel 1x1");
      }
      if (kh != kw) {
        c.add(op, "kernel h!=w");
      }
      if (h == 1 && w == 1) {
        c.add(op, "image 1x1");
      }
      if (cin % 4 != 0) {
        c.add(op, "cin%4!=0");
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- DEPTHWISE_CONV_2D

  public static List<Generated> depthwise(Random r, int count, Coverage c) {
    List<Generated> out = new ArrayList<>();
    while (out.size() < count) {
      int batch = r.nextInt(6) == 0 ? 2 : 1;
      int h = pick(r, SIZES);
      int w = pick(r, SIZES);
      int cin = pick(r, CHANNELS);
      int dm = r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1;
      int cout = cin * dm;
      int kh = pick(r, new int[] {1, 2, 3, 3, 5});
      int kw = r.nextInt(3) == 0 ? pick(r, new int[] {1, 2, 3, 5}) : kh;
      int sh = pick(r, new int[] {1, 1, 2, 3});
      int sw = r.nextInt(3) == 0 ? pick(r, new int[] {1, 2, 3}) : sh;
      int dh = r.nextInt(4) == 0 ? 2 + r.nextInt(2) : 1;
      int dw = r.nextInt(4) == 0 ? 2 : dh;
      Padding pad = r.nextBoolean() ? Padding.SAME : Padding.VALID;
      int oh = PaddingMath.outSize(pad, h, kh, sh, dh);
      int ow = PaddingMath.outSize(pad, w, kw, sw, dw);
      if (oh < 1 || ow < 1) {
        continue;
      }
      QuantProfile p = QuantProfile.cycle(out.size());
      QuantProfile.Choice q = p.pick(r, kh * kw);
      boolean perChannel = r.nextInt(3) > 0;
      boolean hasBias = r.nextInt(6) > 0;
      Activation act = activation(out.size(), p);
      float[] fs = filterScales(r, q.weightScale(), cout, perChannel);

      GraphBuilder g = new GraphBuilder();
      int x = g.int8("input", new int[] {batch, h, w, cin}, q.inScale(), q.inZp());
      int f = g.constInt8("filter", new int[] {1, kh, kw, cout}, weights(r, kh * kw * cout), quant(fs, 3));
      int b = hasBias ? g.constInt32("bias", new int[] {cout}, biases(r, cout, kh * kw), biasQuant(q.inScale(), fs))
          : -1;
      int y = g.int8("output", new int[] {batch, oh, ow, cout}, q.outScale(), q.outZp());
      g.op(BuiltinOp.DEPTHWISE_CONV_2D, new OpOptions.DepthwiseConv2D(pad, sw, sh, dm, act, dw, dh),
          hasBias ? new int[] {x, f, b} : new int[] {x, f}, y);
      g.input(x);
      g.output(y);
      String name = "dw_" + out.size() + "_" + shape(batch, h, w, cin) + "_m" + dm + "_k" + kh + "x" + kw + "_s" + sh
          + "x" + sw + "_d" + dh + "x" + dw + "_" + pad + "_" + act + "_" + p;
      out.add(new Generated(name, g.build(name)));
      String op = "DEPTHWISE_CONV_2D";
      commonTags(c, op, p, act, perChannel, hasBias, batch);
      c.add(op, "pad=" + pad);
      c.add(op, "multiplier=" + dm);
      if (sh > 1 || sw > 1) {
        c.add(op, "stride>1");
      }
      if (dh > 1 || dw > 1) {
        c.add(op, "dilation>1");
      }
      if (kh != kw) {
        c.add(op, "kernel h!=w");
      }
      if (cin % 4 != 0) {
        c.add(op, "channels%4!=0");
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- FULLY_CONNECTED

  public static List<Generated> fullyConnected(Random r, int count, Coverage c) {
    List<Generated> out = new ArrayList<>();
    while (out.size() < count) {
      int form = r.nextInt(4); // 0: [B,K]  1: [B,T,K] keep_num_dims  2: [B,T,K] flattened  3: [1,H,W,C] flattened
      boolean keep = form == 1;
      int depth = pick(r, new int[] {1, 2, 3, 5, 7, 16, 31, 64, 100});
      int units = pick(r, new int[] {1, 2, 3, 5, 8, 10, 17});
      int batch = pick(r, new int[] {1, 1, 2, 3});
      int[] inShape;
      int[] outShape;
      int rows;
      switch (form) {
        case 1, 2 -> {
          int t = pick(r, new int[] {1, 2, 3});
          inShape = new int[] {batch, t, depth};
          rows = batch * t;
          outShape = keep ? new int[] {batch, t, units} : new int[] {rows, units};
        }
        case 3 -> {
          int hh = pick(r, new int[] {1, 2, 3});
          int ww = pick(r, new int[] {1, 2, 5});
          int cc = pick(r, new int[] {1, 3, 4});
          inShape = new int[] {1, hh, ww, cc};
          depth = hh * ww * cc;
          rows = 1;
          outShape = new int[] {1, units};
        }
        default -> {
          inShape = new int[] {batch, depth};
          rows = batch;
          outShape = new int[] {batch, units};
        }
      }
      boolean perChannel = outShape.length == 2 && r.nextInt(3) == 0;
      QuantProfile p = QuantProfile.cycle(out.size());
      QuantProfile.Choice q = p.pick(r, depth);
      boolean hasBias = r.nextInt(5) > 0;
      Activation act = activation(out.size(), p);
      float[] fs = filterScales(r, q.weightScale(), units, perChannel);
      // Per-tensor filters may carry a zero point (the reference kernel applies it); converters write 0.
      int filterZp = !perChannel && r.nextInt(8) == 0 ? r.nextInt(21) - 10 : 0;
      Quantization fq = perChannel ? quant(fs, 0) : Quantization.perTensor(fs[0], filterZp);

      GraphBuilder g = new GraphBuilder();
      int x = g.int8("input", inShape, q.inScale(), q.inZp());
      int f = g.constInt8("weights", new int[] {units, depth}, weights(r, units * depth), fq);
      int b = hasBias ? g.constInt32("bias", new int[] {units}, biases(r, units, depth), biasQuant(q.inScale(), fs))
          : -1;
      int y = g.int8("output", outShape, q.outScale(), q.outZp());
      g.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(act, 0, keep),
          hasBias ? new int[] {x, f, b} : new int[] {x, f, -1}, y);
      g.input(x);
      g.output(y);
      String name = "fc_" + out.size() + "_" + shape(inShape) + "_to" + units + (keep ? "_keepdims" : "") + "_" + act
          + "_" + p;
      out.add(new Generated(name, g.build(name)));
      String op = "FULLY_CONNECTED";
      commonTags(c, op, p, act, perChannel, hasBias, rows);
      c.add(op, "input rank " + inShape.length);
      if (keep) {
        c.add(op, "keep_num_dims");
      }
      if (filterZp != 0) {
        c.add(op, "filter zp!=0");
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- TRANSPOSE_CONV

  public static List<Generated> transposeConv(Random r, int count, Coverage c) {
    List<Generated> out = new ArrayList<>();
    while (out.size() < count) {
      int h = pick(r, new int[] {1, 2, 3, 4, 5, 7});
      int w = r.nextBoolean() ? h : pick(r, new int[] {1, 2, 3, 5});
      int cin = pick(r, CHANNELS);
      int cout = pick(r, CHANNELS);
      int kh = pick(r, new int[] {1, 2, 3, 4, 5});
      int kw = r.nextInt(3) == 0 ? pick(r, new int[] {1, 2, 3}) : kh;
      int sh = pick(r, new int[] {1, 2, 2, 3});
      int sw = r.nextInt(3) == 0 ? pick(r, new int[] {1, 2, 3}) : sh;
      Padding pad = r.nextBoolean() ? Padding.SAME : Padding.VALID;
      int oh = pad == Padding.SAME ? h * sh : (h - 1) * sh + kh;
      int ow = pad == Padding.SAME ? w * sw : (w - 1) * sw + kw;
      QuantProfile p = QuantProfile.cycle(out.size());
      QuantProfile.Choice q = p.pick(r, Math.max(1, kh * kw * cin / (sh * sw)));
      boolean perChannel = r.nextInt(3) > 0;
      boolean hasBias = r.nextBoolean();
      Activation act = activation(out.size(), p);
      float[] fs = filterScales(r, q.weightScale(), cout, perChannel);

      GraphBuilder g = new GraphBuilder();
      int shapeT = g.constInt32("output_shape", new int[] {4}, new int[] {1, oh, ow, cout}, null);
      int f = g.constInt8("filter", new int[] {cout, kh, kw, cin}, weights(r, cout * kh * kw * cin), quant(fs, 0));
      int x = g.int8("input", new int[] {1, h, w, cin}, q.inScale(), q.inZp());
      int b = hasBias ? g.constInt32("bias", new int[] {cout}, biases(r, cout, kh * kw * cin),
          biasQuant(q.inScale(), fs)) : -1;
      int y = g.int8("output", new int[] {1, oh, ow, cout}, q.outScale(), q.outZp());
      g.op(BuiltinOp.TRANSPOSE_CONV, new OpOptions.TransposeConv(pad, sw, sh, act),
          hasBias ? new int[] {shapeT, f, x, b} : new int[] {shapeT, f, x}, y);
      g.input(x);
      g.output(y);
      String name = "tconv_" + out.size() + "_" + shape(1, h, w, cin) + "_k" + kh + "x" + kw + "_s" + sh + "x" + sw
          + "_" + pad + "_" + act + "_" + p;
      out.add(new Generated(name, g.build(name)));
      String op = "TRANSPOSE_CONV";
      commonTags(c, op, p, act, perChannel, hasBias, 1);
      c.add(op, "pad=" + pad);
      if (sh > 1 || sw > 1) {
        c.add(op, "stride>1");
      }
      if (kh != kw || sh != sw) {
        c.add(op, "non-square");
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- AVERAGE_POOL_2D / MAX_POOL_2D

  public static List<Generated> pool(Random r, int count, Coverage c, boolean average) {
    List<Generated> out = new ArrayList<>();
    String op = average ? "AVERAGE_POOL_2D" : "MAX_POOL_2D";
    while (out.size() < count) {
      int batch = r.nextInt(6) == 0 ? 2 : 1;
      int h = pick(r, SIZES);
      int w = pick(r, SIZES);
      int ch = pick(r, CHANNELS);
      int fh = pick(r, new int[] {1, 2, 3, 4, 5});
      int fw = r.nextInt(3) == 0 ? pick(r, new int[] {1, 2, 3, 7}) : fh;
      int sh = pick(r, new int[] {1, 2, 2, 3});
      int sw = r.nextInt(3) == 0 ? pick(r, new int[] {1, 2, 3}) : sh;
      Padding pad = r.nextBoolean() ? Padding.SAME : Padding.VALID;
      int oh = PaddingMath.outSize(pad, h, fh, sh, 1);
      int ow = PaddingMath.outSize(pad, w, fw, sw, 1);
      if (oh < 1 || ow < 1) {
        continue;
      }
      boolean extremeZp = r.nextInt(5) == 0;
      float scale = QuantProfile.logUniform(r, 1e-3, 1);
      int zp = extremeZp ? (r.nextBoolean() ? -128 : 127) : r.nextInt(256) - 128;
      Activation act = ACTIVATIONS[out.size() % ACTIVATIONS.length];
      GraphBuilder g = new GraphBuilder();
      int x = g.int8("input", new int[] {batch, h, w, ch}, scale, zp);
      int y = g.int8("output", new int[] {batch, oh, ow, ch}, scale, zp);
      g.op(average ? BuiltinOp.AVERAGE_POOL_2D : BuiltinOp.MAX_POOL_2D,
          new OpOptions.Pool2D(pad, sw, sh, fw, fh, act), new int[] {x}, y);
      g.input(x);
      g.output(y);
      String name = (average ? "avgpool_" : "maxpool_") + out.size() + "_" + shape(batch, h, w, ch) + "_f" + fh + "x"
          + fw + "_s" + sh + "x" + sw + "_" + pad + "_" + act;
      out.add(new Generated(name, g.build(name)));
      c.add(op, "pad=" + pad);
      c.add(op, "act=" + act.name());
      if (sh > 1 || sw > 1) {
        c.add(op, "stride>1");
      }
      if (fh > h || fw > w) {
        c.add(op, "filter>image");
      }
      if (fh != fw) {
        c.add(op, "filter h!=w");
      }
      if (extremeZp) {
        c.add(op, "zp extreme");
      }
      if (batch > 1) {
        c.add(op, "batch>1");
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- MEAN

  public static List<Generated> mean(Random r, int count, Coverage c) {
    List<Generated> out = new ArrayList<>();
    while (out.size() < count) {
      int rank = 1 + r.nextInt(5);
      int[] dims = new int[rank];
      for (int i = 0; i < rank; i++) {
        dims[i] = pick(r, new int[] {1, 2, 3, 4, 5, 7});
      }
      if (rank == 4 && r.nextBoolean()) {
        dims[0] = 1;
      }
      // Axes: spatial {1,2} on 4-D often (the common global-average case), else a random subset.
      List<Integer> axes = new ArrayList<>();
      if (rank == 4 && r.nextInt(3) == 0) {
        axes.add(1);
        axes.add(2);
      } else {
        int n = 1 + r.nextInt(rank);
        while (axes.size() < n) {
          int a = r.nextInt(rank);
          if (!axes.contains(a)) {
            axes.add(a);
          }
        }
      }
      boolean negative = r.nextInt(4) == 0;
      boolean duplicate = r.nextInt(6) == 0;
      List<Integer> raw = new ArrayList<>();
      for (int a : axes) {
        raw.add(negative ? a - rank : a);
      }
      if (duplicate) {
        raw.add(raw.get(0));
      }
      boolean keep = r.nextBoolean();
      int[] outDims = keep ? dims.clone() : null;
      List<Integer> kept = new ArrayList<>();
      for (int d = 0; d < rank; d++) {
        if (axes.contains(d)) {
          if (keep) {
            outDims[d] = 1;
          }
        } else {
          kept.add(dims[d]);
        }
      }
      if (!keep) {
        outDims = kept.stream().mapToInt(Integer::intValue).toArray();
      }
      boolean same = r.nextInt(3) == 0;
      float inScale = QuantProfile.logUniform(r, 1e-3, 1);
      int inZp = r.nextInt(256) - 128;
      float outScale = same ? inScale : QuantProfile.logUniform(r, 1e-3, 1);
      int outZp = same ? inZp : r.nextInt(256) - 128;
      GraphBuilder g = new GraphBuilder();
      int x = g.int8("input", dims, inScale, inZp);
      int ax = g.constInt32("axis", new int[] {raw.size()}, raw.stream().mapToInt(Integer::intValue).toArray(), null);
      int y = g.int8("output", outDims, outScale, outZp);
      g.op(BuiltinOp.MEAN, new OpOptions.Reducer(keep), new int[] {x, ax}, y);
      g.input(x);
      g.output(y);
      String name = "mean_" + out.size() + "_" + shape(dims) + "_axes" + raw.toString().replace(" ", "")
          + (keep ? "_keep" : "");
      out.add(new Generated(name, g.build(name)));
      String op = "MEAN";
      c.add(op, "rank " + rank);
      c.add(op, "axes " + axes.size());
      c.add(op, keep ? "keep_dims" : "drop_dims");
      c.add(op, same ? "same quant" : "requantize");
      if (negative) {
        c.add(op, "negative axes");
      }
      if (duplicate) {
        c.add(op, "duplicate axes");
      }
      if (rank == 4 && axes.size() == 2 && axes.contains(1) && axes.contains(2)) {
        c.add(op, "spatial {1,2}");
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- RESHAPE / SQUEEZE / EXPAND_DIMS

  public static List<Generated> reshapes(Random r, int count, Coverage c) {
    List<Generated> out = new ArrayList<>();
    while (out.size() < count) {
      int kind = out.size() % 3;
      float s = QuantProfile.logUniform(r, 1e-3, 1);
      int zp = r.nextInt(256) - 128;
      GraphBuilder g = new GraphBuilder();
      String name;
      int a = pick(r, CHANNELS);
      int b = pick(r, CHANNELS);
      if (kind == 0) {
        int x = g.int8("input", new int[] {1, a, b}, s, zp);
        int shapeT = g.constInt32("shape", new int[] {2}, new int[] {a, b}, null);
        int y = g.int8("output", new int[] {a, b}, s, zp);
        g.op(BuiltinOp.RESHAPE, new OpOptions.Reshape(List.of(a, b)), new int[] {x, shapeT}, y);
        g.input(x);
        g.output(y);
        name = "reshape_" + out.size();
        c.add("RESHAPE", "shape tensor");
      } else if (kind == 1) {
        int x = g.int8("input", new int[] {1, a, 1, b}, s, zp);
        int y = g.int8("output", new int[] {a, b}, s, zp);
        g.op(BuiltinOp.SQUEEZE, new OpOptions.Squeeze(r.nextBoolean() ? List.of(0, 2) : List.of()), new int[] {x}, y);
        g.input(x);
        g.output(y);
        name = "squeeze_" + out.size();
        c.add("SQUEEZE", "dims");
      } else {
        int x = g.int8("input", new int[] {a, b}, s, zp);
        int axis = g.constInt32("axis", new int[] {1}, new int[] {r.nextBoolean() ? 0 : -1}, null);
        int[] outShape = g.tensorAt(axis).constantData().getInt(0) == 0 ? new int[] {1, a, b} : new int[] {a, b, 1};
        int y = g.int8("output", outShape, s, zp);
        g.op(BuiltinOp.EXPAND_DIMS, new OpOptions.None(), new int[] {x, axis}, y);
        g.input(x);
        g.output(y);
        name = "expand_dims_" + out.size();
        c.add("EXPAND_DIMS", "axis");
      }
      out.add(new Generated(name, g.build(name)));
    }
    return out;
  }

  // ---------------------------------------------------------------- small multi-op chains

  /** conv -> depthwise -> pool -> reshape -> fully connected (and variants), like a tiny MobileNet. */
  public static List<Generated> chains(Random r, int count, Coverage c) {
    List<Generated> out = new ArrayList<>();
    while (out.size() < count) {
      GraphBuilder g = new GraphBuilder();
      int h = pick(r, new int[] {5, 7, 8, 9, 12});
      int cin = pick(r, new int[] {1, 3, 4});
      float s0 = QuantProfile.logUniform(r, 0.005, 0.05);
      int zp0 = r.nextInt(256) - 128;
      int x = g.int8("input", new int[] {1, h, h, cin}, s0, zp0);
      g.input(x);
      // conv 3x3 stride 2 SAME
      int c1 = pick(r, new int[] {4, 8});
      float ws = QuantProfile.logUniform(r, 0.005, 0.03);
      float[] fs1 = filterScales(r, ws, c1, true);
      int h1 = PaddingMath.outSize(Padding.SAME, h, 3, 2, 1);
      float s1 = (float) (s0 * ws * Math.sqrt(9 * cin) * 5400 / 64);
      int f1 = g.constInt8("conv/w", new int[] {c1, 3, 3, cin}, weights(r, c1 * 9 * cin), quant(fs1, 0));
      int b1 = g.constInt32("conv/b", new int[] {c1}, biases(r, c1, 9 * cin), biasQuant(s0, fs1));
      int y1 = g.int8("conv/out", new int[] {1, h1, h1, c1}, s1, -128);
      g.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 2, 2, Activation.RELU, 1, 1),
          new int[] {x, f1, b1}, y1);
      // depthwise 3x3 stride 1 SAME, RELU6
      float[] fs2 = filterScales(r, ws, c1, true);
      float s2 = (float) (s1 * ws * 3 * 5400 / 64);
      int f2 = g.constInt8("dw/w", new int[] {1, 3, 3, c1}, weights(r, 9 * c1), quant(fs2, 3));
      int b2 = g.constInt32("dw/b", new int[] {c1}, biases(r, c1, 9), biasQuant(s1, fs2));
      int y2 = g.int8("dw/out", new int[] {1, h1, h1, c1}, s2, -128);
      g.op(BuiltinOp.DEPTHWISE_CONV_2D, new OpOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 1, Activation.RELU6, 1, 1),
          new int[] {y1, f2, b2}, y2);
      int pooled;
      int poolElems;
      if (r.nextBoolean()) {
        int y3 = g.int8("pool/out", new int[] {1, 1, 1, c1}, s2, -128);
        g.op(BuiltinOp.AVERAGE_POOL_2D, new OpOptions.Pool2D(Padding.VALID, h1, h1, h1, h1, Activation.NONE),
            new int[] {y2}, y3);
        pooled = y3;
        c.add("chain", "avgpool global");
      } else {
        int axis = g.constInt32("mean/axis", new int[] {2}, new int[] {1, 2}, null);
        int y3 = g.int8("mean/out", new int[] {1, 1, 1, c1}, s2 * 0.7f, -100);
        g.op(BuiltinOp.MEAN, new OpOptions.Reducer(true), new int[] {y2, axis}, y3);
        pooled = y3;
        c.add("chain", "mean global");
      }
      poolElems = c1;
      float sp = g.tensorAt(pooled).quantization().scale();
      int zpp = g.tensorAt(pooled).quantization().zeroPoint();
      int flat = g.int8("reshape/out", new int[] {1, poolElems}, sp, zpp);
      int shapeT = g.constInt32("reshape/shape", new int[] {2}, new int[] {1, poolElems}, null);
      g.op(BuiltinOp.RESHAPE, new OpOptions.Reshape(List.of(1, poolElems)), new int[] {pooled, shapeT}, flat);
      int units = pick(r, new int[] {2, 3, 10});
      float fcs = QuantProfile.logUniform(r, 0.005, 0.03);
      int fw = g.constInt8("fc/w", new int[] {units, poolElems}, weights(r, units * poolElems),
          Quantization.perTensor(fcs, 0));
      int fb = g.constInt32("fc/b", new int[] {units}, biases(r, units, poolElems), biasQuant(sp, new float[] {fcs}));
      int yo = g.int8("fc/out", new int[] {1, units}, (float) (sp * fcs * Math.sqrt(poolElems) * 5400 / 64), 0);
      g.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, 0, false),
          new int[] {flat, fw, fb}, yo);
      g.output(yo);
      String name = "chain_" + out.size() + "_" + shape(1, h, h, cin);
      out.add(new Generated(name, g.build(name)));
      c.add("chain", "conv>dw>pool>reshape>fc");
    }
    return out;
  }

  /** Every generator of this part, with the counts the generated-model test uses. */
  public static List<Generated> corePartModels(long seed, Coverage c) {
    Random r = new Random(seed);
    List<Generated> all = new ArrayList<>();
    all.addAll(conv(r, 45, c));
    all.addAll(depthwise(r, 30, c));
    all.addAll(fullyConnected(r, 30, c));
    all.addAll(transposeConv(r, 16, c));
    all.addAll(pool(r, 14, c, true));
    all.addAll(pool(r, 14, c, false));
    all.addAll(mean(r, 20, c));
    all.addAll(reshapes(r, 6, c));
    all.addAll(chains(r, 8, c));
    return all;
  }
}
