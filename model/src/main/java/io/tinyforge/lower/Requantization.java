package io.tinyforge.lower;

/**
 * The epilogue every weighted op shares: each output channel's accumulator is rescaled by
 * {@code multiplier[c] * 2^shift[c]} (QuantizeMultiplier's pair, positive shift = left), offset by the output zero
 * point and clamped to the fused activation's range. One entry per channel, or one for a per-tensor filter.
 */
public record Requantization(int[] multiplier, int[] shift, int outputOffset, int activationMin,
    int activationMax) {

  public Requantization {
    if (multiplier.length != shift.length) {
      throw new IllegalArgumentException(multiplier.length + " multipliers but " + shift.length + " shifts");
    }
    multiplier = multiplier.clone();
    shift = shift.clone();
  }

  @Override
  public int[] multiplier() {
    return multiplier.clone();
  }

  @Override
  public int[] shift() {
    return shift.clone();
  }

  /**
   * This epilogue with its clamp narrowed to {@code [lo, hi]}, or null when the two ranges do not overlap (two
   * clamps in a row would then not be one clamp).
   */
  public Requantization narrowedTo(int lo, int hi) {
    int min = Math.max(activationMin, lo);
    int max = Math.min(activationMax, hi);
    return min <= max ? new Requantization(multiplier, shift, outputOffset, min, max) : null;
  }
}
