package io.tinyforge.sim;

/** Float <-> int8 conversions with TFLite's rounding, for preparing inputs and reading outputs. */
public final class QuantUtil {
  private QuantUtil() {}

  /** q = clamp(round(x / scale) + zeroPoint, -128, 127), division and rounding in float as TFLite's Quantize. */
  public static byte[] quantize(float[] values, float scale, int zeroPoint) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      float r = (float) io.tinyforge.lower.QuantMath.round(values[i] / scale);
      long q = (long) r + zeroPoint;
      out[i] = (byte) Math.max(-128, Math.min(127, q));
    }
    return out;
  }

  /** x = scale * (q - zeroPoint). */
  public static float[] dequantize(byte[] values, float scale, int zeroPoint) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = scale * (values[i] - zeroPoint);
    }
    return out;
  }

  /** float32 values as little-endian bytes (for float-I/O models). */
  public static byte[] floatBytes(float[] values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  /** Little-endian float32 bytes as floats. */
  public static float[] floats(byte[] bytes) {
    float[] out = new float[bytes.length / 4];
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }
}
