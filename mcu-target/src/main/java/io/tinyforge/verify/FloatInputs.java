package io.tinyforge.verify;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Random values for a float32 model input (one that feeds a QUANTIZE): random bytes would be NaNs and infinities,
 * so the host makes finite values spread over the QUANTIZE's int8 range, including points between the grid steps
 * to exercise rounding, and sends them with SET_INPUT.
 */
final class FloatInputs {
  private FloatInputs() {}

  static byte[] generate(Model model, int input, byte[] prngBytes) {
    Tensor t = model.input(input);
    Quantization q = consumerQuantization(model, t.index());
    float scale = q == null ? 1f / 64 : q.scale();
    int zp = q == null ? 0 : q.zeroPoint();
    int n = t.shape().elementCount();
    ByteBuffer out = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      int level = prngBytes[(2 * i) % prngBytes.length];          // -128..127
      int frac = prngBytes[(2 * i + 1) % prngBytes.length] & 0xFF; // 0..255
      out.putFloat(scale * ((level - zp) + (frac - 128) / 256f));
    }
    return out.array();
  }

  private static Quantization consumerQuantization(Model model, int tensor) {
    for (Operator op : model.operators()) {
      if (op.op() == BuiltinOp.QUANTIZE && op.input(0) == tensor) {
        return model.tensor(op.output(0)).quantization();
      }
    }
    return null;
  }
}
