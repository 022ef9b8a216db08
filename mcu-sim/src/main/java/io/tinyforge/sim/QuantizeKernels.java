package io.tinyforge.sim;

import io.tinyforge.lower.DequantizeParams;
import io.tinyforge.lower.QuantMath;
import io.tinyforge.lower.QuantizeParams;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** QUANTIZE (float32 or int8/int16 in, int8/int16 out; int8/int16 -> int32 too) and DEQUANTIZE (int8/int16 -> float32). */
public final class QuantizeKernels {
  private QuantizeKernels() {}

  static void register(KernelRegistry r) {
    r.register(QuantizeParams.class, (p, a) -> quantize(p, a.bytes(p.input()), a.bytes(p.output())));
    r.register(DequantizeParams.class, (p, a) -> dequantize(p, a.bytes(p.input()), a.bytes(p.output())));
  }

  public static void quantize(QuantizeParams p, byte[] in, byte[] out) {
    ByteBuffer src = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer dst = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    final int min = p.outputBytes() == 1 ? Byte.MIN_VALUE : p.outputBytes() == 2 ? Short.MIN_VALUE : Integer.MIN_VALUE;
    final int max = p.outputBytes() == 1 ? Byte.MAX_VALUE : p.outputBytes() == 2 ? Short.MAX_VALUE : Integer.MAX_VALUE;
    for (int i = 0; i < p.count(); i++) {
      int v;
      if (p.kind() == QuantizeParams.Kind.FROM_FLOAT) {
        // AffineQuantize: TfLiteRound(val / scale) in float, converted to int32, plus the zero point.
        float q = QuantMath.roundf(src.getFloat(i * 4) / p.scale());
        v = hostFloatToInt32(q) + p.zeroPoint();
      } else {
        int x = p.inputBytes() == 1 ? in[i] : src.getShort(i * 2);
        v = QuantMath.multiplyByQuantizedMultiplier(x - p.inputZeroPoint(), p.multiplier(), p.shift())
            + p.zeroPoint();
      }
      v = Math.max(min, Math.min(max, v));
      if (p.outputBytes() == 1) {
        out[i] = (byte) v;
      } else if (p.outputBytes() == 4) {
        dst.putInt(i * 4, v);
      } else {
        dst.putShort(i * 2, (short) v);
      }
    }
  }

  /**
   * static_cast&lt;int32_t&gt;(float) as compiled for the x86-64 host running the oracle (cvttss2si): NaN and
   * values outside the int32 range become INT32_MIN. (Arm's VCVT saturates instead; the firmware must match
   * the oracle explicitly.)
   */
  static int hostFloatToInt32(float f) {
    if (Float.isNaN(f) || f >= 2147483648.0f || f < -2147483648.0f) {
      return Integer.MIN_VALUE;
    }
    return (int) f;
  }

  public static void dequantize(DequantizeParams p, byte[] in, byte[] out) {
    ByteBuffer src = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer dst = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < p.count(); i++) {
      int x = p.inputBytes() == 1 ? in[i] : src.getShort(i * 2);
      dst.putFloat(i * 4, p.scale() * (float) (x - p.zeroPoint()));
    }
  }
}
