package io.tinyforge.quantize;

import io.tinyforge.TinyforgeException;
import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import java.util.List;

/** Checks calibration (or test) samples against a model's inputs before anything runs on them. */
public final class CalibrationSet {
  private CalibrationSet() {}

  /** Throws a one-line error naming the sample and input when the set is empty, mis-sized or not finite. */
  public static void check(Model m, List<float[][]> samples) {
    if (samples.isEmpty()) {
      throw new TinyforgeException("the calibration set is empty; give at least one sample per input");
    }
    for (int s = 0; s < samples.size(); s++) {
      float[][] sample = samples.get(s);
      if (sample.length != m.inputs().size()) {
        throw new TinyforgeException("calibration sample " + s + " has " + sample.length + " inputs, the model has "
            + m.inputs().size());
      }
      for (int i = 0; i < sample.length; i++) {
        Tensor t = m.input(i);
        if (sample[i].length != t.shape().elementCount()) {
          throw new TinyforgeException("calibration sample " + s + " input " + i + " holds " + sample[i].length
              + " values, the model's input " + t.label() + " " + t.shape() + " needs " + t.shape().elementCount());
        }
        for (int k = 0; k < sample[i].length; k++) {
          if (!Float.isFinite(sample[i][k])) {
            throw new TinyforgeException("calibration sample " + s + " input " + i + " value " + k + " is "
                + sample[i][k] + "; calibration data must be finite (remove NaN/Inf samples)");
          }
        }
      }
    }
  }
}
