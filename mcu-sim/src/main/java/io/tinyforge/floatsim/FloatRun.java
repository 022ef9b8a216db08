package io.tinyforge.floatsim;

import io.tinyforge.model.Model;

/** One float inference: the values of every tensor by index (null for tensors the run never wrote). */
public final class FloatRun {
  private final Model model;
  private final float[][] values;

  FloatRun(Model model, float[][] values) {
    this.model = model;
    this.values = values;
  }

  /** Values of tensor {@code index} (not a copy; do not modify). */
  public float[] tensor(int index) {
    return values[index];
  }

  public float[] output(int i) {
    return values[model.outputs().get(i)];
  }
}
