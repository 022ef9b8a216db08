package io.tinyforge.codegen;

import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.TfliteWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutants of a valid model, of two kinds. Byte mutants (bit flips, runs of 00/ff/random bytes, a 4-byte
 * word bumped or replaced, a cut) mostly test the reader. Graph mutants change one thing the reader cannot judge
 * and re-serialise the model with {@link TfliteWriter}: a scale (huge, subnormal, a power of two anywhere in
 * float's range), a zero point, a dimension (0, -1, 1, huge), constant data cut, dropped or given to an
 * activation, an op's input or output pointed at another tensor, the model's inputs or outputs changed, a tensor's
 * type. Those are what reach lowering, the planner, the simulator and the C emitter.
 */
final class ModelMutator {
  private ModelMutator() {}

  /** One mutant: its bytes and how it was made (for the failure message). */
  record Mutant(byte[] bytes, String how) {}

  static Mutant mutate(byte[] original, Model parsed, Random r) {
    StringBuilder how = new StringBuilder();
    byte[] bytes;
    if (parsed != null && r.nextInt(4) != 0) {
      Model m = parsed;
      int steps = r.nextInt(5) == 0 ? 2 : 1;
      for (int s = 0; s < steps; s++) {
        m = mutateGraph(m, r, how);
      }
      bytes = TfliteWriter.write(m);
    } else {
      bytes = original.clone();
      int steps = r.nextInt(4) == 0 ? 2 + r.nextInt(2) : 1;
      for (int s = 0; s < steps; s++) {
        bytes = mutateBytes(bytes, r, how);
      }
    }
    return new Mutant(bytes, how.toString().trim());
  }

  // ---- graph mutants ----

  private static final float[] ODD_SCALES = {1e10f, 1e-45f, 1e-30f, 1e30f, Float.MIN_NORMAL, Float.MAX_VALUE,
      1e-20f, 1e20f, 1e-10f, 65536f, 1f / 65536f, 0.5f, 1f, 3f};

  static Model mutateGraph(Model m, Random r, StringBuilder how) {
    List<Tensor> tensors = new ArrayList<>(m.tensors());
    List<Operator> ops = new ArrayList<>(m.operators());
    List<Integer> inputs = new ArrayList<>(m.inputs());
    List<Integer> outputs = new ArrayList<>(m.outputs());
    int ti = r.nextInt(tensors.size());
    Tensor t = tensors.get(ti);
    switch (r.nextInt(10)) {
      case 0, 1 -> {
        Quantization q = t.quantization();
        if (q == null || q.scales().isEmpty()) {
          q = Quantization.perTensor(1f, 0);
        }
        List<Float> scales = new ArrayList<>(q.scales());
        int k = r.nextInt(scales.size());
        float s = r.nextBoolean() ? ODD_SCALES[r.nextInt(ODD_SCALES.length)]
            : Math.scalb(1f + r.nextFloat(), r.nextInt(277) - 150);
        scales.set(k, s);
        how.append("scale[").append(ti).append(',').append(k).append("]=").append(s).append(' ');
        tensors.set(ti, withQuant(t, new Quantization(scales, q.zeroPoints(), q.quantizedDimension())));
      }
      case 2 -> {
        Quantization q = t.quantization();
        if (q == null || q.zeroPoints().isEmpty()) {
          return m;
        }
        List<Long> zps = new ArrayList<>(q.zeroPoints());
        long zp = r.nextInt(4) == 0 ? (r.nextBoolean() ? 128 : -129) : r.nextInt(601) - 300;
        zps.set(r.nextInt(zps.size()), zp);
        how.append("zp[").append(ti).append("]=").append(zp).append(' ');
        tensors.set(ti, withQuant(t, new Quantization(q.scales(), zps, q.quantizedDimension())));
      }
      case 3 -> {
        int[] dims = t.shape().toArray();
        if (dims.length == 0) {
          dims = new int[] {1};
        }
        int k = r.nextInt(dims.length);
        dims[k] = new int[] {0, -1, 1, 2, 1 << 20, 1 << 15, dims[k] + 1, Math.max(0, dims[k] - 1)}[r.nextInt(8)];
        how.append("shape[").append(ti).append("]=").append(Arrays.toString(dims)).append(' ');
        tensors.set(ti, new Tensor(t.index(), t.name(), t.type(), new Shape(dims), t.quantization(), t.data(),
            t.isVariable()));
      }
      case 4 -> {
        ByteBuffer data;
        if (t.isConstant()) {
          int len = t.constantData().remaining();
          data = r.nextBoolean() ? null : slice(t.constantData(), r.nextInt(Math.max(1, len)));
          how.append(data == null ? "dropdata[" : "cutdata[").append(ti).append("] ");
        } else {
          data = ByteBuffer.allocate(Math.max(0, Math.min(t.byteSize(), 1 << 16)));
          how.append("constdata[").append(ti).append("] ");
        }
        tensors.set(ti, new Tensor(t.index(), t.name(), t.type(), t.shape(), t.quantization(), data, false));
      }
      case 5, 6 -> {
        int oi = r.nextInt(ops.size());
        Operator op = ops.get(oi);
        boolean output = r.nextInt(3) == 0;
        List<Integer> list = new ArrayList<>(output ? op.outputs() : op.inputs());
        if (list.isEmpty()) {
          return m;
        }
        int k = r.nextInt(list.size());
        int to = r.nextInt(6) == 0 ? -1 : r.nextInt(tensors.size());
        if (output && to < 0) {
          to = 0;
        }
        list.set(k, to);
        how.append("op").append(oi).append(output ? ".out[" : ".in[").append(k).append("]=").append(to).append(' ');
        ops.set(oi, new Operator(op.index(), op.opcode(), op.version(), op.customCode(),
            output ? op.inputs() : list, output ? list : op.outputs(), op.options()));
      }
      case 7 -> {
        List<Integer> list = r.nextBoolean() ? inputs : outputs;
        String which = list == inputs ? "inputs" : "outputs";
        int to = r.nextInt(tensors.size());
        if (list.isEmpty() || r.nextInt(3) == 0) {
          list.add(to);
        } else {
          list.set(r.nextInt(list.size()), to);
        }
        how.append(which).append('=').append(list).append(' ');
      }
      case 8 -> {
        TensorType[] types = {TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.FLOAT32,
            TensorType.UINT8, TensorType.INT64, TensorType.BOOL};
        TensorType type = types[r.nextInt(types.length)];
        how.append("type[").append(ti).append("]=").append(type).append(' ');
        tensors.set(ti, new Tensor(t.index(), t.name(), type, t.shape(), t.quantization(), t.data(),
            t.isVariable()));
      }
      default -> {
        // a per-channel quantization turned per-tensor or the reverse, or moved to another dimension
        Quantization q = t.quantization();
        if (q == null) {
          return m;
        }
        int dim = r.nextInt(Math.max(1, t.shape().rank() + 1));
        List<Float> scales = new ArrayList<>();
        List<Long> zps = new ArrayList<>();
        int n = r.nextBoolean() ? 1 : Math.max(1, t.shape().rank() > dim ? t.shape().dim(dim) : 3);
        for (int i = 0; i < Math.min(n, 4096); i++) {
          scales.add(q.scales().isEmpty() ? 0.1f : q.scales().get(i % q.scales().size()));
          zps.add(0L);
        }
        how.append("quant[").append(ti).append("] ").append(scales.size()).append(" along ").append(dim).append(' ');
        tensors.set(ti, withQuant(t, new Quantization(scales, zps, dim)));
      }
    }
    return new Model(m.source(), m.schemaVersion(), m.description(), tensors, ops, inputs, outputs, m.metadata());
  }

  private static Tensor withQuant(Tensor t, Quantization q) {
    return new Tensor(t.index(), t.name(), t.type(), t.shape(), q, t.data(), t.isVariable());
  }

  private static ByteBuffer slice(ByteBuffer b, int len) {
    byte[] out = new byte[len];
    b.get(out, 0, Math.min(len, b.remaining()));
    return ByteBuffer.wrap(out);
  }

  // ---- byte mutants ----

  static byte[] mutateBytes(byte[] b, Random r, StringBuilder how) {
    if (b.length == 0) {
      return b;
    }
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    switch (r.nextInt(4)) {
      case 0 -> {
        int n = 1 + r.nextInt(8);
        how.append("flip").append(n).append("bits ");
        for (int i = 0; i < n; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> {
        int pos = r.nextInt(b.length);
        int len = Math.min(b.length - pos, 1 + r.nextInt(32));
        int fill = r.nextInt(3);
        how.append("run@").append(pos).append('+').append(len).append(' ');
        for (int i = pos; i < pos + len; i++) {
          b[i] = fill == 0 ? 0 : fill == 1 ? (byte) 0xff : (byte) r.nextInt();
        }
      }
      case 2 -> {
        int pos = r.nextInt(Math.max(1, b.length / 4)) * 4;
        if (pos + 4 > b.length) {
          return b;
        }
        int old = le.getInt(pos);
        int value = switch (r.nextInt(4)) {
          case 0 -> old + (1 + r.nextInt(64)) * (r.nextBoolean() ? 1 : -1);
          case 1 -> new int[] {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE}[r.nextInt(5)];
          case 2 -> old * (2 + r.nextInt(1000));
          default -> r.nextInt();
        };
        how.append("word@").append(pos).append(' ').append(old).append("->").append(value).append(' ');
        le.putInt(pos, value);
      }
      default -> {
        int cut = r.nextInt(b.length);
        how.append("cut@").append(cut).append(' ');
        return Arrays.copyOf(b, cut);
      }
    }
    return b;
  }
}
