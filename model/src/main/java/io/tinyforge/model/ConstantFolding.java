package io.tinyforge.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds shape arithmetic into constants when a model is read. Shapes are static in every model tinyforge takes, so
 * a SHAPE op always yields a known value, and so does any integer op whose inputs are all constant. The current
 * TensorFlow converter writes a Keras Flatten as SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE; after this pass the
 * RESHAPE reads a constant shape tensor and the three ops before it are gone.
 *
 * <p>Only INT32/INT64 results are folded (index arithmetic, never data: folding an int8 op would need the kernels'
 * rounding). An op this pass cannot evaluate, or whose result disagrees with its output tensor's shape, stays in the
 * graph for the checker to judge. Tensor indices never change; the remaining ops are renumbered in order and
 * {@link Model#folded()} says what was folded.
 */
public final class ConstantFolding {
  private ConstantFolding() {}

  /** The model with every foldable op replaced by constant data on its output; the same model when none is. */
  public static Model fold(Model model) {
    List<Tensor> tensors = new ArrayList<>(model.tensors());
    List<Operator> kept = new ArrayList<>();
    List<String> folded = new ArrayList<>(model.folded());
    for (Operator op : model.operators()) {
      long[] value = op.outputs().size() == 1 && !model.outputs().contains(op.output(0))
          ? evaluate(op, tensors) : null;
      if (value == null) {
        kept.add(op);
        continue;
      }
      Tensor out = tensors.get(op.output(0));
      tensors.set(out.index(), new Tensor(out.index(), out.name(), out.type(), out.shape(), out.quantization(),
          encode(value, out.type()), false));
      folded.add(op.opName() + " (op " + op.index() + " of the file) -> tensor " + out.index() + " "
          + out.label() + " [" + out.shape() + "] " + out.type().name().toLowerCase() + " = " + describe(value));
    }
    if (kept.size() == model.operators().size()) {
      return model;
    }
    List<Operator> renumbered = new ArrayList<>(kept.size());
    for (Operator op : kept) {
      renumbered.add(new Operator(renumbered.size(), op.opcode(), op.version(), op.customCode(), op.inputs(),
          op.outputs(), op.options()));
    }
    return new Model(model.source(), model.schemaVersion(), model.description(), tensors, renumbered,
        model.inputs(), model.outputs(), model.metadata(), folded);
  }

  private static String describe(long[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length && i < 8; i++) {
      sb.append(i == 0 ? "" : ", ").append(v[i]);
    }
    return sb.append(v.length > 8 ? ", ...]" : "]").toString();
  }

  private static boolean isIndexType(TensorType t) {
    return t == TensorType.INT32 || t == TensorType.INT64;
  }

  /** The op's single result as integers, or null when it is not foldable. */
  private static long[] evaluate(Operator op, List<Tensor> tensors) {
    BuiltinOp kind = op.op();
    Tensor out = tensors.get(op.output(0));
    if (kind == null || !isIndexType(out.type())) {
      return null;
    }
    if (kind == BuiltinOp.SHAPE) {
      int in = op.input(0);
      if (in < 0) {
        return null;
      }
      int[] dims = tensors.get(in).shape().toArray();
      long[] v = new long[dims.length];
      for (int i = 0; i < dims.length; i++) {
        v[i] = dims[i];
      }
      return v.length == out.shape().elementCount() ? v : null;
    }
    List<long[]> args = new ArrayList<>();
    List<Tensor> argTensors = new ArrayList<>();
    for (int i : op.inputs()) {
      if (i < 0) {
        continue;
      }
      Tensor t = tensors.get(i);
      if (!t.isConstant() || !isIndexType(t.type())) {
        return null;
      }
      args.add(decode(t));
      argTensors.add(t);
    }
    if (args.isEmpty()) {
      return null;
    }
    long[] v = switch (kind) {
      case RESHAPE, SQUEEZE, EXPAND_DIMS, CAST -> args.get(0);
      case PACK -> op.options(OpOptions.Pack.class).axis() == 0 || allScalars(argTensors) ? concat(args) : null;
      case CONCATENATION -> allVectors(argTensors) ? concat(args) : null;
      case STRIDED_SLICE -> args.size() == 4
          ? stridedSlice(argTensors.get(0).shape(), args, op.options(OpOptions.StridedSlice.class)) : null;
      case ADD, SUB, MUL, FLOOR_DIV -> args.size() == 2 ? binary(kind, args.get(0), args.get(1)) : null;
      case REDUCE_PROD -> product(args.get(0), argTensors.get(0).shape().rank());
      default -> null;
    };
    return v != null && v.length == out.shape().elementCount() ? v : null;
  }

  /**
   * PACK along axis 0 and CONCATENATION of 1-D vectors both lay their inputs end to end; other axes of multi-dimensional
   * index tensors do not occur in shape arithmetic, and their length check in {@link #evaluate} would not catch a
   * different interleaving, so they are not folded.
   */
  private static long[] concat(List<long[]> args) {
    int n = 0;
    for (long[] a : args) {
      n += a.length;
    }
    long[] v = new long[n];
    int k = 0;
    for (long[] a : args) {
      System.arraycopy(a, 0, v, k, a.length);
      k += a.length;
    }
    return v;
  }

  private static boolean allScalars(List<Tensor> ts) {
    return ts.stream().allMatch(t -> t.shape().elementCount() == 1);
  }

  private static boolean allVectors(List<Tensor> ts) {
    return ts.stream().allMatch(t -> t.shape().rank() <= 1);
  }

  /** TensorFlow's strided slice of an index tensor (begin/end/shrink masks; ellipsis and new-axis masks not folded). */
  private static long[] stridedSlice(Shape shape, List<long[]> args, OpOptions.StridedSlice o) {
    long[] data = args.get(0);
    long[] begin = args.get(1);
    long[] end = args.get(2);
    long[] stride = args.get(3);
    int rank = shape.rank();
    if (o.ellipsisMask() != 0 || o.newAxisMask() != 0 || rank == 0 || begin.length != rank || end.length != rank
        || stride.length != rank || o.offset()) {
      return null;
    }
    int[][] picks = new int[rank][];
    for (int d = 0; d < rank; d++) {
      int size = shape.dim(d);
      long s = stride[d];
      if (s == 0) {
        return null;
      }
      boolean shrink = (o.shrinkAxisMask() >> d & 1) != 0;
      long b = begin[d] < 0 ? begin[d] + size : begin[d];
      long e;
      if (shrink) {
        if (b < 0 || b >= size) {
          return null;
        }
        picks[d] = new int[] {(int) b};
        continue;
      }
      e = end[d] < 0 ? end[d] + size : end[d];
      if ((o.beginMask() >> d & 1) != 0) {
        b = s > 0 ? 0 : size - 1;
      }
      if ((o.endMask() >> d & 1) != 0) {
        e = s > 0 ? size : -1;
      }
      b = s > 0 ? Math.max(0, Math.min(b, size)) : Math.max(-1, Math.min(b, size - 1));
      e = s > 0 ? Math.max(0, Math.min(e, size)) : Math.max(-1, Math.min(e, size - 1));
      List<Integer> idx = new ArrayList<>();
      for (long i = b; s > 0 ? i < e : i > e; i += s) {
        idx.add((int) i);
      }
      picks[d] = idx.stream().mapToInt(Integer::intValue).toArray();
    }
    List<Long> out = new ArrayList<>();
    collect(data, shape, picks, 0, 0, out);
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  private static void collect(long[] data, Shape shape, int[][] picks, int dim, long offset, List<Long> out) {
    if (dim == shape.rank()) {
      out.add(data[(int) offset]);
      return;
    }
    for (int i : picks[dim]) {
      collect(data, shape, picks, dim + 1, offset * shape.dim(dim) + i, out);
    }
  }

  /** Element-wise integer arithmetic where one side may be a single value (the only broadcast shape code needs). */
  private static long[] binary(BuiltinOp kind, long[] a, long[] b) {
    if (a.length != b.length && a.length != 1 && b.length != 1) {
      return null;
    }
    long[] v = new long[Math.max(a.length, b.length)];
    for (int i = 0; i < v.length; i++) {
      long x = a[a.length == 1 ? 0 : i];
      long y = b[b.length == 1 ? 0 : i];
      if (kind == BuiltinOp.FLOOR_DIV && y == 0) {
        return null;
      }
      v[i] = switch (kind) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        default -> Math.floorDiv(x, y);
      };
    }
    return v;
  }

  /** REDUCE_PROD of a vector over its only axis (the product of the dimensions Flatten computes). */
  private static long[] product(long[] a, int rank) {
    if (rank != 1) {
      return null;
    }
    long p = 1;
    for (long x : a) {
      p *= x;
    }
    return new long[] {p};
  }

  private static long[] decode(Tensor t) {
    ByteBuffer b = t.constantData();
    long[] v = new long[t.shape().elementCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.type() == TensorType.INT64 ? b.getLong() : b.getInt();
    }
    return v;
  }

  private static ByteBuffer encode(long[] v, TensorType type) {
    ByteBuffer b = ByteBuffer.allocate(v.length * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      if (type == TensorType.INT64) {
        b.putLong(x);
      } else {
        b.putInt((int) x);
      }
    }
    b.flip();
    return b;
  }
}
