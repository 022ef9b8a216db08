package io.tinyforge.codegen;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Seeded random model inputs: uniform int8/int16 bytes; float32 inputs mostly inside the range of the QUANTIZE
 * that consumes them, some beyond it (saturation), and a few special values (NaN, infinities, huge).
 */
final class ModelInputs {
  private ModelInputs() {}

  static byte[][] random(Model m, Random rnd) {
    byte[][] in = new byte[m.inputs().size()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = forTensor(m, m.input(i), rnd);
    }
    return in;
  }

  static byte[] forTensor(Model m, Tensor t, Random rnd) {
    int n = t.shape().elementCount();
    switch (t.type()) {
      case INT8, INT16, UINT8 -> {
        byte[] b = new byte[t.byteSize()];
        rnd.nextBytes(b);
        return b;
      }
      case FLOAT32 -> {
        Quantization q = consumerQuantization(m, t);
        float scale = q == null ? 1f : q.scale();
        int zp = q == null ? 0 : q.zeroPoint();
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          float v;
          int pick = rnd.nextInt(100);
          if (pick == 0) {
            float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3e9f, -3e9f, 1e30f};
            v = special[rnd.nextInt(special.length)];
          } else {
            int qv = pick < 6 ? rnd.nextInt(400) - 200 : rnd.nextInt(256) - 128;
            v = scale * (qv - zp + (rnd.nextFloat() - 0.5f));
          }
          b.putFloat(v);
        }
        return b.array();
      }
      default -> throw new IllegalArgumentException("no random input for " + t.type());
    }
  }

  private static Quantization consumerQuantization(Model m, Tensor t) {
    for (Operator op : m.operators()) {
      if (op.op() == BuiltinOp.QUANTIZE && op.input(0) == t.index()) {
        return m.tensor(op.output(0)).quantization();
      }
    }
    return null;
  }
}
