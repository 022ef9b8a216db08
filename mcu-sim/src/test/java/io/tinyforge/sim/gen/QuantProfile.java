package io.tinyforge.sim.gen;

import java.util.Random;

/**
 * Quantization regimes for generated conv-like ops, chosen to reach the corners of the requantization:
 * ordinary, saturating outputs, multipliers above one (positive shifts), tiny multipliers (large negative shifts),
 * multipliers flushed to zero, extreme zero points, tiny and huge scales.
 */
public enum QuantProfile {
  NORMAL, SATURATING, LARGE_MULTIPLIER, TINY_MULTIPLIER, FLUSHED_TO_ZERO, EXTREME_ZERO_POINTS, TINY_SCALES,
  HUGE_SCALES;

  /** Scales and zero points for input, weights (base) and output; depth is the accumulation length. */
  public record Choice(float inScale, int inZp, float weightScale, float outScale, int outZp) {}

  public Choice pick(Random r, int depth) {
    float in;
    float w;
    int inZp = r.nextInt(256) - 128;
    int outZp = r.nextInt(256) - 128;
    switch (this) {
      case TINY_SCALES -> {
        in = logUniform(r, 1e-7, 1e-5);
        w = logUniform(r, 1e-6, 1e-4);
      }
      case HUGE_SCALES -> {
        in = logUniform(r, 10, 1000);
        w = logUniform(r, 1, 50);
      }
      default -> {
        in = logUniform(r, 0.005, 0.2);
        w = logUniform(r, 0.001, 0.05);
      }
    }
    double typical = (double) in * w * Math.sqrt(Math.max(1, depth)) * 5400.0 / 64.0;
    double out = switch (this) {
      case SATURATING -> typical / logUniform(r, 20, 80);
      case LARGE_MULTIPLIER -> (double) in * w / logUniform(r, 2, 300);
      case TINY_MULTIPLIER -> typical * logUniform(r, 1e3, 1e6);
      case FLUSHED_TO_ZERO -> (double) in * w * Math.pow(2, 33 + r.nextInt(4));
      default -> typical * logUniform(r, 0.5, 2);
    };
    if (this == EXTREME_ZERO_POINTS) {
      inZp = r.nextBoolean() ? -128 : 127;
      outZp = r.nextBoolean() ? -128 : 127;
    }
    return new Choice(in, inZp, w, (float) out, outZp);
  }

  static float logUniform(Random r, double lo, double hi) {
    return (float) Math.exp(Math.log(lo) + r.nextDouble() * (Math.log(hi) - Math.log(lo)));
  }

  /** Deterministic rotation: every other model NORMAL, the rest cycling through the corners. */
  public static QuantProfile cycle(int index) {
    QuantProfile[] all = values();
    return index % 2 == 0 ? NORMAL : all[1 + (index / 2) % (all.length - 1)];
  }

  public static QuantProfile random(Random r) {
    // Half the models use ordinary quantization; the rest spread over the corners.
    if (r.nextBoolean()) {
      return NORMAL;
    }
    QuantProfile[] all = values();
    return all[1 + r.nextInt(all.length - 1)];
  }
}
