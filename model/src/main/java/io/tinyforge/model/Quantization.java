package io.tinyforge.model;

import java.util.List;

/**
 * Affine quantization of a tensor: real = scale * (q - zeroPoint). Per-tensor when there is one scale,
 * per-channel along {@code quantizedDimension} otherwise.
 */
public record Quantization(List<Float> scales, List<Long> zeroPoints, int quantizedDimension) {

  public Quantization {
    scales = List.copyOf(scales);
    zeroPoints = List.copyOf(zeroPoints);
  }

  public static Quantization perTensor(float scale, long zeroPoint) {
    return new Quantization(List.of(scale), List.of(zeroPoint), 0);
  }

  public boolean isPerChannel() {
    return scales.size() > 1;
  }

  public float scale() {
    return scales.get(0);
  }

  public int zeroPoint() {
    return zeroPoints.isEmpty() ? 0 : (int) (long) zeroPoints.get(0);
  }

  public int channelCount() {
    return scales.size();
  }

  public String describe() {
    if (isPerChannel()) {
      return "per-channel(" + scales.size() + ")";
    }
    return "s=" + scales.get(0) + " zp=" + zeroPoint();
  }
}
