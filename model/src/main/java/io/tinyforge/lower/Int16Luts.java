package io.tinyforge.lower;

/**
 * The lookup tables of TFLM's int16 LOGISTIC, TANH and SOFTMAX, built once here at compile time and shared by the
 * simulator and the C generator (the device never computes them).
 *
 * <p>LOGISTIC and TANH share one 256-entry unsigned Q0.16 table of the logistic function sampled every 1/24 on
 * [0, 255/24]: both kernels only look up |x| and mirror the result, TANH reading it at twice the rate because
 * tanh(x) = 2 sigmoid(2x) - 1. This one is data, not computed (see {@link #SIGMOID}).
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

  /**
   * sigmoid(i / 24) in Q0.16 as TFLM's int16 kernels have it: within one unit of the rounded value but not equal
   * to it (a per-entry nudge no formula reproduces), so the values are measured from the TFLM oracle by
   * firmware/tests/measure_sigmoid_table.py, which can also check this array against a newer tflite_micro.
   */
  private static final int[] SIGMOID = {
      32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
      43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
      51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
      57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
      61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
      63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
      64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
      64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
      65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
      65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
      65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
      65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
      65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
      65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
      65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
      65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535
  };
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
