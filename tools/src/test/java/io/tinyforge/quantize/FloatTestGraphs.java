package io.tinyforge.quantize;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Shape;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.ModelBuilder;
import java.util.List;
import java.util.Random;

/** Float graphs for quantizer tests: every op the quantizer supports beyond what the Keras examples contain. */
public final class FloatTestGraphs {
  private FloatTestGraphs() {}

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

  /**
   * Two inputs x, y [1,6,6,3]: ADD, SUB, MUL, MAXIMUM, MINIMUM, HARD_SWISH, LEAKY_RELU, PRELU, RELU6, RELU,
   * TRANSPOSE, STRIDED_SLICE, SPLIT, CONCATENATION, PAD, RESIZE_NEAREST_NEIGHBOR, TRANSPOSE_CONV, MEAN, LOGISTIC,
   * TANH, SQUEEZE, FULLY_CONNECTED, SOFTMAX; outputs: the softmax, the logistic and the tanh.
   */
  public static byte[] manyOps(long seed) {
    Random r = new Random(seed);
    ModelBuilder b = new ModelBuilder("many_ops");
    int x = act(b, "x", 1, 6, 6, 3);
    int y = act(b, "y", 1, 6, 6, 3);
    OpOptions.Arithmetic none = new OpOptions.Arithmetic(Activation.NONE);
    int a = act(b, "add", 1, 6, 6, 3);
    b.op(BuiltinOp.ADD, none, new int[] {x, y}, new int[] {a});
    int s = act(b, "sub", 1, 6, 6, 3);
    b.op(BuiltinOp.SUB, none, new int[] {a, x}, new int[] {s});
    int m = act(b, "mul", 1, 6, 6, 3);
    b.op(BuiltinOp.MUL, none, new int[] {s, y}, new int[] {m});
    int mx = act(b, "max", 1, 6, 6, 3);
    b.op(BuiltinOp.MAXIMUM, null, new int[] {m, a}, new int[] {mx});
    int mn = act(b, "min", 1, 6, 6, 3);
    b.op(BuiltinOp.MINIMUM, null, new int[] {mx, x}, new int[] {mn});
    int hs = act(b, "hswish", 1, 6, 6, 3);
    b.op(BuiltinOp.HARD_SWISH, null, new int[] {mn}, new int[] {hs});
    int lr = act(b, "leaky", 1, 6, 6, 3);
    b.op(BuiltinOp.LEAKY_RELU, new OpOptions.LeakyRelu(0.2f), new int[] {hs}, new int[] {lr});
    int alpha = b.constFloat32("alpha", new Shape(3), new float[] {0.1f, 0.25f, -0.5f});
    int pr = act(b, "prelu", 1, 6, 6, 3);
    b.op(BuiltinOp.PRELU, null, new int[] {m, alpha}, new int[] {pr});
    int r6 = act(b, "relu6", 1, 6, 6, 3);
    b.op(BuiltinOp.RELU6, null, new int[] {pr}, new int[] {r6});
    int rl = act(b, "relu", 1, 6, 6, 3);
    b.op(BuiltinOp.RELU, null, new int[] {lr}, new int[] {rl});
    int perm = b.constInt32("perm", new Shape(4), new int[] {0, 2, 1, 3}, null);
    int tr = act(b, "transpose", 1, 6, 6, 3);
    b.op(BuiltinOp.TRANSPOSE, null, new int[] {r6, perm}, new int[] {tr});
    int beg = b.constInt32("begin", new Shape(4), new int[] {0, 0, 0, 0}, null);
    int end = b.constInt32("end", new Shape(4), new int[] {1, 6, 6, 3}, null);
    int str = b.constInt32("strides", new Shape(4), new int[] {1, 2, 1, 1}, null);
    int sl = act(b, "slice", 1, 3, 6, 3);
    b.op(BuiltinOp.STRIDED_SLICE, new OpOptions.StridedSlice(0, 0, 0, 0, 0, false), new int[] {tr, beg, end, str},
        new int[] {sl});
    int axis2 = b.constInt32("axis2", new Shape(), new int[] {2}, null);
    int sp0 = act(b, "split0", 1, 3, 3, 3);
    int sp1 = act(b, "split1", 1, 3, 3, 3);
    b.op(BuiltinOp.SPLIT, new OpOptions.Split(2), new int[] {axis2, sl}, new int[] {sp0, sp1});
    int cat = act(b, "concat", 1, 3, 3, 6);
    b.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(3, Activation.NONE), new int[] {sp0, sp1},
        new int[] {cat});
    int pads = b.constInt32("pads", new Shape(4, 2), new int[] {0, 0, 1, 1, 1, 1, 0, 0}, null);
    int pd = act(b, "pad", 1, 5, 5, 6);
    b.op(BuiltinOp.PAD, null, new int[] {cat, pads}, new int[] {pd});
    int size = b.constInt32("size", new Shape(2), new int[] {10, 10}, null);
    int rn = act(b, "nearest", 1, 10, 10, 6);
    b.op(BuiltinOp.RESIZE_NEAREST_NEIGHBOR, new OpOptions.Resize(false, false), new int[] {pd, size},
        new int[] {rn});
    int oshape = b.constInt32("tconv_shape", new Shape(4), new int[] {1, 20, 20, 4}, null);
    int tw = b.constFloat32("tconv_w", new Shape(4, 3, 3, 6), random(r, 216, 0.4f));
    int tb = b.constFloat32("tconv_b", new Shape(4), random(r, 4, 0.3f));
    int tc = act(b, "tconv", 1, 20, 20, 4);
    b.op(BuiltinOp.TRANSPOSE_CONV, 3, new OpOptions.TransposeConv(Padding.SAME, 2, 2, Activation.NONE),
        new int[] {oshape, tw, rn, tb}, new int[] {tc});
    int axes = b.constInt32("axes", new Shape(2), new int[] {1, 2}, null);
    int mean = act(b, "mean", 1, 1, 1, 4);
    b.op(BuiltinOp.MEAN, new OpOptions.Reducer(true), new int[] {tc, axes}, new int[] {mean});
    int sq = act(b, "squeeze", 1, 4);
    b.op(BuiltinOp.SQUEEZE, new OpOptions.Squeeze(List.of(1, 2)), new int[] {mean}, new int[] {sq});
    int fw = b.constFloat32("fc_w", new Shape(5, 4), random(r, 20, 1f));
    int fb = b.constFloat32("fc_b", new Shape(5), random(r, 5, 0.2f));
    int fc = act(b, "fc", 1, 5);
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, 0, false), new int[] {sq, fw, fb},
        new int[] {fc});
    int sm = act(b, "softmax", 1, 5);
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {fc}, new int[] {sm});
    int lg = act(b, "logistic", 1, 6, 6, 3);
    b.op(BuiltinOp.LOGISTIC, null, new int[] {rl}, new int[] {lg});
    int th = act(b, "tanh", 1, 6, 6, 3);
    b.op(BuiltinOp.TANH, null, new int[] {s}, new int[] {th});
    return b.inputs(x, y).outputs(sm, lg, th).toBytes();
  }

  /** {@code n} samples of two [1,6,6,3] inputs, Gaussian with standard deviation 1.5. */
  public static List<float[][]> samples(long seed, int n) {
    Random r = new Random(seed);
    List<float[][]> out = new java.util.ArrayList<>();
    for (int s = 0; s < n; s++) {
      float[][] sample = new float[2][108];
      for (float[] in : sample) {
        for (int i = 0; i < in.length; i++) {
          in[i] = (float) (r.nextGaussian() * 1.5);
        }
      }
      out.add(sample);
    }
    return out;
  }
}
