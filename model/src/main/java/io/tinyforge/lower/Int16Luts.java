package io.tinyforge.lower;

/**
 * The lookup tables of TFLM's int16 LOGISTIC, TANH and SOFTMAX, built once here at compile time and shared by the
 * simulator and the C generator (the device never computes them).
 *
 * <p>LOGISTIC and TANH share one 256-entry unsigned Q0.16 table of the logistic function sampled every 1/24 on
 * [0, 255/24]: both kernels only look up |x| and mirror the result, TANH reading it at twice the rate because
 * tanh(x) = 2 sigmoid(2x) - 1.
 *
 * <p>SOFTMAX uses two 513-entry signed Q0.15 tables over a symmetric int16 index: exp(x) on [-10, 0] and 1 / (1 + x)
 * on [0, 1]. Each has 512 segments plus a closing sample for the last slope; every segment start is nudged by half
 * the error its linear interpolation makes at the segment's midpoint, which is what TFLM's Prepare does in float
 * arithmetic. The float steps here are kept in float so that every intermediate rounds as it does there.
 */
public final class Int16Luts {
  private Int16Luts() {}

  /** Entries of the sigmoid table. */
  public static final int SIGMOID_ENTRIES = 256;
  /** Entries of each softmax table: 512 segments plus the closing sample. */
  public static final int SOFTMAX_ENTRIES = 513;

  private static final int[] SIGMOID = buildSigmoid();
  private static final short[] EXP = buildSegments(false);
  private static final short[] ONE_OVER_ONE_PLUS_X = buildSegments(true);

  /** The sigmoid table (values 0..65535), a fresh copy. */
  public static int[] sigmoid() {
    return SIGMOID.clone();
  }

  /** exp on [-10, 0] in Q0.15 (513 entries), a fresh copy. */
  public static short[] exp() {
    return EXP.clone();
  }

  /** 1 / (1 + x) on [0, 1] in Q0.15 (513 entries), a fresh copy. */
  public static short[] oneOverOnePlusX() {
    return ONE_OVER_ONE_PLUS_X.clone();
  }

  private static int[] buildSigmoid() {
    int[] t = new int[SIGMOID_ENTRIES];
    for (int i = 0; i < t.length; i++) {
      double s = 1.0 / (1.0 + Math.exp(-i / 24.0));
      t[i] = (int) Math.min(65535, Math.round(s * 65536.0));
    }
    return t;
  }

  private static float function(boolean reciprocal, float x) {
    return reciprocal ? 1.0f / (1.0f + x) : (float) Math.exp(x);
  }

  /** The 513 interpolation samples of exp on [-10, 0] or of 1/(1+x) on [0, 1], output range [-1, 1) as Q0.15. */
  private static short[] buildSegments(boolean reciprocal) {
    final float lo = reciprocal ? 0.0f : -10.0f;
    final float hi = reciprocal ? 1.0f : 0.0f;
    final int segments = SOFTMAX_ENTRIES - 1;
    final float step = (hi - lo) / segments;
    final float halfStep = step / 2;
    // 65536 codes over the output range [-1, 1]
    final float codesPerUnit = 65536.0f / 2.0f;
    short[] t = new short[SOFTMAX_ENTRIES];
    for (int i = 0; i < segments; i++) {
      float start = function(reciprocal, lo + i * step);
      float middle = function(reciprocal, lo + i * step + halfStep);
      float end = function(reciprocal, lo + (i + 1) * step);
      float startCode = QuantMath.roundf(start * codesPerUnit);
      float interpolatedMiddle = QuantMath.roundf((end * codesPerUnit + startCode) / 2);
      float exactMiddle = QuantMath.roundf(middle * codesPerUnit);
      float bias = QuantMath.roundf((interpolatedMiddle - exactMiddle) / 2);
      t[i] = clampToShort(startCode - bias);
    }
    t[segments] = clampToShort(QuantMath.roundf(function(reciprocal, hi) * codesPerUnit));
    return t;
  }

  private static short clampToShort(float v) {
    return (short) Math.max(-32768f, Math.min(32767f, v));
  }

  /**
   * Interpolated lookup in a 513-entry table indexed by a signed 16-bit value: the top 9 bits pick the segment,
   * the low 7 bits the position inside it (rounded to nearest).
   */
  public static int lookup(short[] table, int value) {
    int index = 256 + (value >> 7);
    int within = value & 0x7f;
    int base = table[index];
    // the slope is held in the table's own 16-bit type
    int slope = (short) (table[index + 1] - base);
    return (short) (base + ((slope * within + 64) >> 7));
  }
}
