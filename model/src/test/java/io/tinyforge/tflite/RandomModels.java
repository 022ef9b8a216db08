package io.tinyforge.tflite;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random models for round-trip tests: random tensors (types, shapes, constant bytes, names, per-tensor and
 * per-channel quantization, variable flags), one operator per {@link OpOptions} record type with every field random,
 * ops without options (including a CUSTOM op and a code above 127), optional inputs (-1), metadata and I/O lists.
 * They are structurally valid flatbuffer content, not models that make sense to run.
 */
public final class RandomModels {
  private static final TensorType[] TYPES = {TensorType.INT8, TensorType.INT8, TensorType.INT32, TensorType.FLOAT32,
      TensorType.INT16, TensorType.UINT8, TensorType.INT64, TensorType.BOOL, TensorType.FLOAT16};

  private final Random r;

  private RandomModels(long seed) {
    this.r = new Random(seed);
  }

  /** The model for {@code seed}; the same seed always gives the same model. */
  public static Model generate(long seed) {
    return new RandomModels(seed).model("random-" + seed);
  }

  private Model model(String name) {
    ModelBuilder b = new ModelBuilder(name);
    b.description(r.nextInt(5) == 0 ? "" : string(30));
    int nTensors = 3 + r.nextInt(18);
    for (int i = 0; i < nTensors; i++) {
      addTensor(b);
    }
    for (OpOptions options : allOptionTypes()) {
      b.op(opFor(options), 1 + r.nextInt(6), options, inputs(nTensors), outputs(nTensors));
    }
    BuiltinOp[] plain = {BuiltinOp.RELU, BuiltinOp.PAD, BuiltinOp.QUANTIZE, BuiltinOp.DEQUANTIZE, BuiltinOp.GELU,
        BuiltinOp.RIGHT_SHIFT, BuiltinOp.HARD_SWISH};
    for (int i = r.nextInt(4); i >= 0; i--) {
      b.op(plain[r.nextInt(plain.length)], 1 + r.nextInt(3), null, inputs(nTensors), outputs(nTensors));
    }
    b.customOp(r.nextBoolean() ? "ethos-u" : string(12), inputs(nTensors), outputs(nTensors));
    b.inputs(indices(nTensors, r.nextInt(4)));
    b.outputs(indices(nTensors, 1 + r.nextInt(3)));
    for (int i = r.nextInt(4); i > 0; i--) {
      b.metadata("meta_" + i + "_" + string(6), bytes(r.nextInt(40)));
    }
    Model built = b.build();
    // ModelBuilder makes no variable tensors; flip some so the is_variable flag round-trips too
    List<Tensor> tensors = new ArrayList<>();
    for (Tensor t : built.tensors()) {
      tensors.add(r.nextInt(6) == 0 ? new Tensor(t.index(), t.name(), t.type(), t.shape(), t.quantization(),
          t.data(), true) : t);
    }
    return new Model(built.source(), built.schemaVersion(), built.description(), tensors, built.operators(),
        built.inputs(), built.outputs(), built.metadata());
  }

  private void addTensor(ModelBuilder b) {
    TensorType type = TYPES[r.nextInt(TYPES.length)];
    boolean constant = r.nextInt(5) < 2;
    int rank = r.nextInt(6);
    int[] dims = new int[rank];
    for (int d = 0; d < rank; d++) {
      // constants need at least one element: an empty buffer means "no data" in TFLite
      dims[d] = constant ? 1 + r.nextInt(5) : r.nextInt(7);
    }
    if (!constant && rank > 0 && r.nextInt(8) == 0) {
      dims[r.nextInt(rank)] = r.nextInt(100_000); // one large dimension (activations carry no bytes)
    }
    Shape shape = new Shape(dims);
    Quantization q = quantization(shape);
    String name = r.nextInt(8) == 0 ? "" : string(24);
    if (constant) {
      b.constant(name, type, shape, bytes(shape.elementCount() * type.bytes()), q);
    } else {
      b.activation(name, type, shape, q);
    }
  }

  private Quantization quantization(Shape shape) {
    switch (r.nextInt(3)) {
      case 0:
        return null;
      case 1:
        return Quantization.perTensor(Float.intBitsToFloat(r.nextInt()), r.nextLong());
      default:
        int qd = shape.rank() == 0 ? 0 : r.nextInt(shape.rank());
        int n = 2 + r.nextInt(6);
        List<Float> scales = new ArrayList<>();
        List<Long> zps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          scales.add(r.nextBoolean() ? r.nextFloat() : Float.intBitsToFloat(r.nextInt()));
        }
        int nz = r.nextInt(4) == 0 ? r.nextInt(n + 2) : n; // zero-point count need not match: the checker judges
        for (int i = 0; i < nz; i++) {
          zps.add(r.nextInt(3) == 0 ? r.nextLong() : (long) r.nextInt(256) - 128);
        }
        return new Quantization(scales, zps, r.nextInt(5) == 0 ? r.nextInt() : qd);
    }
  }

  /** One instance of every OpOptions record type, all fields random. */
  private List<OpOptions> allOptionTypes() {
    List<OpOptions> all = new ArrayList<>();
    all.add(new OpOptions.Conv2D(pad(), r.nextInt(), r.nextInt(), act(), r.nextInt(), r.nextInt()));
    all.add(new OpOptions.DepthwiseConv2D(pad(), r.nextInt(), r.nextInt(), r.nextInt(), act(), r.nextInt(),
        r.nextInt()));
    all.add(new OpOptions.Pool2D(pad(), r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), act()));
    all.add(new OpOptions.Svdf(r.nextInt(), act()));
    all.add(new OpOptions.FullyConnected(act(), (byte) r.nextInt(), r.nextBoolean()));
    all.add(new OpOptions.Softmax(floatValue()));
    all.add(new OpOptions.Concatenation(r.nextInt(), act()));
    all.add(new OpOptions.Arithmetic(act()));
    all.add(new OpOptions.Resize(r.nextBoolean(), r.nextBoolean()));
    all.add(new OpOptions.Reshape(intList()));
    all.add(new OpOptions.Reducer(r.nextBoolean()));
    all.add(new OpOptions.Squeeze(intList()));
    all.add(new OpOptions.StridedSlice(r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(),
        r.nextBoolean()));
    all.add(new OpOptions.Split(r.nextInt()));
    all.add(new OpOptions.TransposeConv(pad(), r.nextInt(), r.nextInt(), act()));
    all.add(new OpOptions.Pack(r.nextInt(), r.nextInt()));
    all.add(new OpOptions.Unpack(r.nextInt(), r.nextInt()));
    all.add(new OpOptions.LeakyRelu(floatValue()));
    all.add(new OpOptions.BlockSize(r.nextInt()));
    java.util.Collections.shuffle(all, r);
    return all;
  }

  /** An op whose options table is the record's type (a random one when several share it). */
  private BuiltinOp opFor(OpOptions o) {
    BuiltinOp[] candidates;
    if (o instanceof OpOptions.Conv2D) {
      candidates = new BuiltinOp[] {BuiltinOp.CONV_2D};
    } else if (o instanceof OpOptions.DepthwiseConv2D) {
      candidates = new BuiltinOp[] {BuiltinOp.DEPTHWISE_CONV_2D};
    } else if (o instanceof OpOptions.Pool2D) {
      candidates = new BuiltinOp[] {BuiltinOp.AVERAGE_POOL_2D, BuiltinOp.MAX_POOL_2D, BuiltinOp.L2_POOL_2D};
    } else if (o instanceof OpOptions.Svdf) {
      candidates = new BuiltinOp[] {BuiltinOp.SVDF};
    } else if (o instanceof OpOptions.FullyConnected) {
      candidates = new BuiltinOp[] {BuiltinOp.FULLY_CONNECTED};
    } else if (o instanceof OpOptions.Softmax) {
      candidates = new BuiltinOp[] {BuiltinOp.SOFTMAX};
    } else if (o instanceof OpOptions.Concatenation) {
      candidates = new BuiltinOp[] {BuiltinOp.CONCATENATION};
    } else if (o instanceof OpOptions.Arithmetic) {
      candidates = new BuiltinOp[] {BuiltinOp.ADD, BuiltinOp.MUL, BuiltinOp.SUB, BuiltinOp.DIV};
    } else if (o instanceof OpOptions.Resize) {
      candidates = new BuiltinOp[] {BuiltinOp.RESIZE_BILINEAR, BuiltinOp.RESIZE_NEAREST_NEIGHBOR};
    } else if (o instanceof OpOptions.Reshape) {
      candidates = new BuiltinOp[] {BuiltinOp.RESHAPE};
    } else if (o instanceof OpOptions.Reducer) {
      candidates = new BuiltinOp[] {BuiltinOp.MEAN, BuiltinOp.SUM, BuiltinOp.REDUCE_MAX, BuiltinOp.REDUCE_MIN,
          BuiltinOp.REDUCE_PROD};
    } else if (o instanceof OpOptions.Squeeze) {
      candidates = new BuiltinOp[] {BuiltinOp.SQUEEZE};
    } else if (o instanceof OpOptions.StridedSlice) {
      candidates = new BuiltinOp[] {BuiltinOp.STRIDED_SLICE};
    } else if (o instanceof OpOptions.Split) {
      candidates = new BuiltinOp[] {BuiltinOp.SPLIT, BuiltinOp.SPLIT_V};
    } else if (o instanceof OpOptions.TransposeConv) {
      candidates = new BuiltinOp[] {BuiltinOp.TRANSPOSE_CONV};
    } else if (o instanceof OpOptions.Pack) {
      candidates = new BuiltinOp[] {BuiltinOp.PACK};
    } else if (o instanceof OpOptions.Unpack) {
      candidates = new BuiltinOp[] {BuiltinOp.UNPACK};
    } else if (o instanceof OpOptions.LeakyRelu) {
      candidates = new BuiltinOp[] {BuiltinOp.LEAKY_RELU};
    } else if (o instanceof OpOptions.BlockSize) {
      candidates = new BuiltinOp[] {BuiltinOp.DEPTH_TO_SPACE, BuiltinOp.SPACE_TO_DEPTH};
    } else {
      throw new AssertionError("no op for " + o);
    }
    return candidates[r.nextInt(candidates.length)];
  }

  private Padding pad() {
    return Padding.values()[r.nextInt(Padding.values().length)];
  }

  private Activation act() {
    return Activation.values()[r.nextInt(Activation.values().length)];
  }

  private float floatValue() {
    return r.nextBoolean() ? r.nextFloat() * 10 : Float.intBitsToFloat(r.nextInt());
  }

  private List<Integer> intList() {
    List<Integer> out = new ArrayList<>();
    for (int i = r.nextInt(6); i > 0; i--) {
      out.add(r.nextBoolean() ? r.nextInt(10) - 1 : r.nextInt());
    }
    return out;
  }

  /** Op inputs: random tensors, some -1 (absent optional input). */
  private int[] inputs(int nTensors) {
    int[] in = new int[r.nextInt(5)];
    for (int i = 0; i < in.length; i++) {
      in[i] = r.nextInt(4) == 0 ? -1 : r.nextInt(nTensors);
    }
    return in;
  }

  private int[] outputs(int nTensors) {
    return indices(nTensors, 1 + r.nextInt(3));
  }

  private int[] indices(int nTensors, int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextInt(nTensors);
    }
    return out;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** Up to {@code max} characters: ASCII, punctuation, accented letters, CJK and an astral code point. */
  private String string(int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1 + r.nextInt(max); i > 0; i--) {
      switch (r.nextInt(10)) {
        case 0 -> sb.append("é;/:_".charAt(r.nextInt(5)));
        case 1 -> sb.append((char) (0x4e00 + r.nextInt(0x100)));
        case 2 -> sb.appendCodePoint(0x1f600 + r.nextInt(16));
        default -> sb.append((char) ('a' + r.nextInt(26)));
      }
    }
    return sb.toString();
  }
}
