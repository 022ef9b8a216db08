package io.tinyforge.quantize;

import io.tinyforge.TinyforgeException;

/**
 * How an activation's range is estimated from the calibration samples. Weights always take their exact extremes.
 *
 * <ul>
 *   <li>{@code minmax}: the smallest and largest value seen (TFLite's converter default);</li>
 *   <li>{@code ema}: each sample's min and max averaged with decay 0.99, as quantization-aware training tracks them,
 *       so a few extreme samples move the range less;</li>
 *   <li>{@code kl}: the clipping threshold whose 128-level quantized histogram of |x| is closest to the full one in
 *       KL divergence (TensorRT's entropy calibration);</li>
 *   <li>{@code percentile=P}: the P-th and (100-P)-th percentiles of the values, dropping the outer tails.</li>
 * </ul>
 */
public sealed interface CalibrationMethod {
  record MinMax() implements CalibrationMethod {}

  record Ema(double decay) implements CalibrationMethod {}

  record Kl() implements CalibrationMethod {}

  record Percentile(double percent) implements CalibrationMethod {}

  /** Parses {@code minmax | ema | kl | percentile=P}; a bad value is a one-line usage error. */
  static CalibrationMethod parse(String text) {
    String t = text.trim().toLowerCase();
    if (t.equals("minmax")) {
      return new MinMax();
    }
    if (t.equals("ema")) {
      return new Ema(0.99);
    }
    if (t.equals("kl") || t.equals("entropy")) {
      return new Kl();
    }
    if (t.startsWith("percentile=")) {
      try {
        double p = Double.parseDouble(t.substring("percentile=".length()));
        if (p > 50 && p <= 100) {
          return new Percentile(p);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TinyforgeException("--method " + text + ": the percentile must be a number in (50, 100], "
          + "e.g. percentile=99.99");
    }
    throw new TinyforgeException("--method " + text + ": unknown calibration method; use minmax, ema, kl or "
        + "percentile=P (e.g. percentile=99.99)");
  }

  /** The name as given on the command line. */
  default String label() {
    if (this instanceof Percentile p) {
      return "percentile=" + p.percent();
    }
    return this instanceof MinMax ? "minmax" : this instanceof Ema ? "ema" : "kl";
  }
}
