package io.tinyforge.quantize;

/**
 * Affine int8 parameters for a float range, as TFLite chooses them: the range is widened to contain 0 (so 0 is
 * exact, which zero padding and ReLU need), scale = (max - min) / 255 and the zero point is the rounded integer
 * that maps min to -128, clamped to [-128, 127].
 */
public record QuantRange(double min, double max) {

  public QuantRange {
    if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
      throw new IllegalArgumentException("bad range [" + min + ", " + max + "]");
    }
  }

  public QuantRange union(QuantRange o) {
    return o == null ? this : new QuantRange(Math.min(min, o.min), Math.max(max, o.max));
  }

  /** Scale of the int8 grid covering this range (with 0 included). */
  public float scale() {
    double lo = Math.min(min, 0);
    double hi = Math.max(max, 0);
    double s = (hi - lo) / 255.0;
    // An all-zero tensor still needs a positive scale; any value represents 0 exactly.
    return s > 0 ? (float) s : 1e-8f;
  }

  public int zeroPoint() {
    double lo = Math.min(min, 0);
    long zp = Math.round(-128 - lo / scale());
    return (int) Math.max(-128, Math.min(127, zp));
  }

  /** TFLite's rounding: half away from zero. */
  public static long roundHalfAway(double x) {
    return (long) (Math.signum(x) * Math.floor(Math.abs(x) + 0.5));
  }

  /** q = clamp(round(x / scale) + zero point) for one value, dividing in float as TFLM's QUANTIZE does. */
  public static byte quantize(float x, float scale, int zeroPoint) {
    long q = roundHalfAway(x / scale) + zeroPoint;
    return (byte) Math.max(-128, Math.min(127, q));
  }
}
