package io.tinyforge.sim;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.util.Random;

/** Seeded random model inputs: uniform int8 or int16, or float32 around the range of the QUANTIZE that consumes it. */
final class RandomInputs {
  private RandomInputs() {}

  static byte[][] forModel(Simulator sim, Random rnd) {
    Model m = sim.model();
    byte[][] in = new byte[m.inputs().size()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = forTensor(m, m.input(i), rnd);
    }
    return in;
  }

  static byte[] forTensor(Model m, Tensor t, Random rnd) {
    int n = t.shape().elementCount();
    if (t.type() == TensorType.INT8 || t.type() == TensorType.INT16) {
      byte[] b = new byte[n * t.type().bytes()];
      rnd.nextBytes(b);
      return b;
    }
    if (t.type() == TensorType.FLOAT32) {
      Quantization q = consumerQuantization(m, t);
      float scale = q == null ? 1f : q.scale();
      int zp = q == null ? 0 : q.zeroPoint();
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        // Mostly in range, a few beyond it to exercise saturation.
        int qv = rnd.nextInt(20) == 0 ? rnd.nextInt(400) - 200 : rnd.nextInt(256) - 128;
        v[i] = scale * (qv - zp + (rnd.nextFloat() - 0.5f));
      }
      return QuantUtil.floatBytes(v);
    }
    throw new IllegalArgumentException("no random input for " + t.type());
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
