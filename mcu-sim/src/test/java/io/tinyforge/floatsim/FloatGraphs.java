package io.tinyforge.floatsim;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Shape;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.ModelBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small float32 graphs covering every op of {@link FloatInterpreter#OPS} and their options (strides, dilation,
 * padding, depth multiplier, fused activations, broadcasting, masks, align-corners / half-pixel resizes), with
 * seeded random weights. Each is a .tflite TFLM runs; the test compares the interpreter with TFLM's float kernels.
 */
final class FloatGraphs {
  private FloatGraphs() {}

  private static float[] random(Random r, int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (r.nextFloat() * 2 - 1) * scale;
    }
    return v;
  }

  private static int act(ModelBuilder b, String name, int... dims) {
    return b.activation(name, TensorType.FLOAT32, new Shape(dims), null);
  }

  static Map<String, byte[]> all(long seed) {
    Random r = new Random(seed);
    Map<String, byte[]> m = new LinkedHashMap<>();

    // conv (stride 2, dilation, SAME/VALID, relu6) -> depthwise x2 -> 1x1 conv -> avg pool -> FC -> softmax
    ModelBuilder b = new ModelBuilder("conv_chain");
    int x = act(b, "x", 1, 9, 9, 3);
    int w1 = b.constFloat32("w1", new Shape(6, 3, 3, 3), random(r, 162, 0.5f));
    int b1 = b.constFloat32("b1", new Shape(6), random(r, 6, 0.2f));
    int c1 = act(b, "c1", 1, 5, 5, 6);
    b.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 2, 2, Activation.RELU6, 1, 1), new int[] {x, w1, b1},
        new int[] {c1});
    int w2 = b.constFloat32("w2", new Shape(1, 3, 3, 12), random(r, 108, 0.5f));
    int b2 = b.constFloat32("b2", new Shape(12), random(r, 12, 0.2f));
    int c2 = act(b, "c2", 1, 5, 5, 12);
    b.op(BuiltinOp.DEPTHWISE_CONV_2D, new OpOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 2, Activation.RELU_N1_TO_1, 1, 1),
        new int[] {c1, w2, b2}, new int[] {c2});
    int w3 = b.constFloat32("w3", new Shape(4, 2, 2, 12), random(r, 192, 0.5f));
    int c3 = act(b, "c3", 1, 3, 3, 4);
    b.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(Padding.VALID, 1, 1, Activation.RELU, 2, 2), new int[] {c2, w3, -1},
        new int[] {c3});
    int p = act(b, "p", 1, 2, 2, 4);
    b.op(BuiltinOp.AVERAGE_POOL_2D, new OpOptions.Pool2D(Padding.SAME, 2, 2, 2, 2, Activation.NONE), new int[] {c3},
        new int[] {p});
    int fw = b.constFloat32("fw", new Shape(5, 16), random(r, 80, 0.5f));
    int fb = b.constFloat32("fb", new Shape(5), random(r, 5, 0.2f));
    int f = act(b, "f", 1, 5);
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, 0, false), new int[] {p, fw, fb},
        new int[] {f});
    int s = act(b, "s", 1, 5);
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {f}, new int[] {s});
    m.put("conv_chain", b.inputs(x).outputs(s).toBytes());

    // elementwise with broadcasting and the activation ops
    b = new ModelBuilder("elementwise");
    x = act(b, "x", 1, 4, 4, 3);
    int y = act(b, "y", 1, 1, 1, 3);
    int add = act(b, "add", 1, 4, 4, 3);
    b.op(BuiltinOp.ADD, new OpOptions.Arithmetic(Activation.NONE), new int[] {x, y}, new int[] {add});
    int sub = act(b, "sub", 1, 4, 4, 3);
    b.op(BuiltinOp.SUB, new OpOptions.Arithmetic(Activation.RELU), new int[] {add, x}, new int[] {sub});
    int mul = act(b, "mul", 1, 4, 4, 3);
    b.op(BuiltinOp.MUL, new OpOptions.Arithmetic(Activation.NONE), new int[] {x, add}, new int[] {mul});
    int mx = act(b, "max", 1, 4, 4, 3);
    b.op(BuiltinOp.MAXIMUM, null, new int[] {mul, sub}, new int[] {mx});
    int mn = act(b, "min", 1, 4, 4, 3);
    b.op(BuiltinOp.MINIMUM, null, new int[] {mx, x}, new int[] {mn});
    int alpha = b.constFloat32("alpha", new Shape(3), new float[] {0.1f, 0.25f, 0.5f});
    int pr = act(b, "prelu", 1, 4, 4, 3);
    b.op(BuiltinOp.PRELU, null, new int[] {mn, alpha}, new int[] {pr});
    int lr = act(b, "leaky", 1, 4, 4, 3);
    b.op(BuiltinOp.LEAKY_RELU, new OpOptions.LeakyRelu(0.2f), new int[] {pr}, new int[] {lr});
    int hs = act(b, "hswish", 1, 4, 4, 3);
    b.op(BuiltinOp.HARD_SWISH, null, new int[] {lr}, new int[] {hs});
    int lg = act(b, "logistic", 1, 4, 4, 3);
    b.op(BuiltinOp.LOGISTIC, null, new int[] {hs}, new int[] {lg});
    int th = act(b, "tanh", 1, 4, 4, 3);
    b.op(BuiltinOp.TANH, null, new int[] {mul}, new int[] {th});
    int r6 = act(b, "relu6", 1, 4, 4, 3);
    b.op(BuiltinOp.RELU6, null, new int[] {mul}, new int[] {r6});
    int rl = act(b, "relu", 1, 4, 4, 3);
    b.op(BuiltinOp.RELU, null, new int[] {sub}, new int[] {rl});
    m.put("elementwise", b.inputs(x, y).outputs(lg, th, r6, rl).toBytes());

    // data movement: pad, max pool, concat, transpose, strided slice, split / split_v / unpack / pack, mean, resizes
    b = new ModelBuilder("movement");
    x = act(b, "x", 1, 4, 6, 2);
    int pads = b.constInt32("pads", new Shape(4, 2), new int[] {0, 0, 1, 1, 2, 0, 0, 1}, null);
    int pd = act(b, "pad", 1, 6, 8, 3);
    b.op(BuiltinOp.PAD, null, new int[] {x, pads}, new int[] {pd});
    int pv = b.constFloat32("pv", new Shape(), new float[] {-0.75f});
    int pd2 = act(b, "padv2", 1, 6, 8, 3);
    b.op(BuiltinOp.PADV2, null, new int[] {x, pads, pv}, new int[] {pd2});
    int mp = act(b, "maxpool", 1, 3, 4, 3);
    b.op(BuiltinOp.MAX_POOL_2D, new OpOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.NONE), new int[] {pd2},
        new int[] {mp});
    int cat = act(b, "concat", 1, 6, 8, 6);
    b.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(3, Activation.NONE), new int[] {pd, pd2},
        new int[] {cat});
    int perm = b.constInt32("perm", new Shape(4), new int[] {0, 2, 3, 1}, null);
    int tr = act(b, "transpose", 1, 8, 6, 6);
    b.op(BuiltinOp.TRANSPOSE, null, new int[] {cat, perm}, new int[] {tr});
    int beg = b.constInt32("begin", new Shape(4), new int[] {0, 1, -5, 0}, null);
    int end = b.constInt32("end", new Shape(4), new int[] {1, 7, 5, 6}, null);
    int str = b.constInt32("strides", new Shape(4), new int[] {1, 2, 1, 3}, null);
    int ss = act(b, "slice", 1, 3, 4, 2);
    b.op(BuiltinOp.STRIDED_SLICE, new OpOptions.StridedSlice(1, 0, 0, 0, 0, false), new int[] {tr, beg, end, str},
        new int[] {ss});
    int axis3 = b.constInt32("axis3", new Shape(), new int[] {3}, null);
    int sp0 = act(b, "split0", 1, 6, 8, 3);
    int sp1 = act(b, "split1", 1, 6, 8, 3);
    b.op(BuiltinOp.SPLIT, new OpOptions.Split(2), new int[] {axis3, cat}, new int[] {sp0, sp1});
    int ax1 = b.constInt32("axis1", new Shape(), new int[] {1}, null);
    int sv0 = act(b, "splitv0", 1, 2, 8, 3);
    int sv1 = act(b, "splitv1", 1, 6 - 2, 8, 3);
    int sizes2 = b.constInt32("sizes2", new Shape(2), new int[] {2, 4}, null);
    b.op(BuiltinOp.SPLIT_V, new OpOptions.Split(2), new int[] {sp1, sizes2, ax1}, new int[] {sv0, sv1});
    int u0 = act(b, "unpack0", 1, 8, 3);
    int u1 = act(b, "unpack1", 1, 8, 3);
    b.op(BuiltinOp.UNPACK, new OpOptions.Unpack(2, 1), new int[] {sv0}, new int[] {u0, u1});
    int pk = act(b, "pack", 1, 8, 2, 3);
    b.op(BuiltinOp.PACK, new OpOptions.Pack(2, 2), new int[] {u1, u0}, new int[] {pk});
    int axes = b.constInt32("axes", new Shape(2), new int[] {1, 2}, null);
    int mean = act(b, "mean", 1, 1, 1, 3);
    b.op(BuiltinOp.MEAN, new OpOptions.Reducer(true), new int[] {sp0, axes}, new int[] {mean});
    int sq = act(b, "squeeze", 1, 3);
    b.op(BuiltinOp.SQUEEZE, new OpOptions.Squeeze(List.of(1, 2)), new int[] {mean}, new int[] {sq});
    int ax0 = b.constInt32("axis0", new Shape(), new int[] {0}, null);
    int ed = act(b, "expand", 1, 1, 3);
    b.op(BuiltinOp.EXPAND_DIMS, null, new int[] {sq, ax0}, new int[] {ed});
    int size = b.constInt32("size", new Shape(2), new int[] {7, 9}, null);
    int rb = act(b, "bilinear", 1, 7, 9, 3);
    b.op(BuiltinOp.RESIZE_BILINEAR, new OpOptions.Resize(false, true), new int[] {mp, size}, new int[] {rb});
    int rba = act(b, "bilinear_ac", 1, 7, 9, 3);
    b.op(BuiltinOp.RESIZE_BILINEAR, new OpOptions.Resize(true, false), new int[] {mp, size}, new int[] {rba});
    int rn = act(b, "nearest", 1, 7, 9, 3);
    b.op(BuiltinOp.RESIZE_NEAREST_NEIGHBOR, new OpOptions.Resize(false, true), new int[] {mp, size},
        new int[] {rn});
    int shape = b.constInt32("shape", new Shape(2), new int[] {1, 48}, null);
    int rs = act(b, "reshape", 1, 48);
    b.op(BuiltinOp.RESHAPE, new OpOptions.Reshape(List.of(1, 48)), new int[] {pk, shape}, new int[] {rs});
    m.put("movement", b.inputs(x).outputs(ss, rs, ed, rb, rba, rn, sv1).toBytes());

    // transpose conv (stride 2, SAME, bias)
    b = new ModelBuilder("transpose_conv");
    x = act(b, "x", 1, 3, 3, 4);
    int oshape = b.constInt32("out_shape", new Shape(4), new int[] {1, 6, 6, 5}, null);
    int tw = b.constFloat32("tw", new Shape(5, 3, 3, 4), random(r, 180, 0.5f));
    int tb = b.constFloat32("tb", new Shape(5), random(r, 5, 0.2f));
    int tc = act(b, "tconv", 1, 6, 6, 5);
    b.op(BuiltinOp.TRANSPOSE_CONV, 3, new OpOptions.TransposeConv(Padding.SAME, 2, 2, Activation.NONE),
        new int[] {oshape, tw, x, tb}, new int[] {tc});
    m.put("transpose_conv", b.inputs(x).outputs(tc).toBytes());
    return m;
  }
}
