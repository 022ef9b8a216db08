package io.tinyforge.sim;

import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/**
 * What a caller needs to feed or read one model input/output (like the TFLite interpreter's
 * get_input_details): name, tensor index, shape, element type and per-tensor quantization (scale 0 when none).
 */
public record TensorDetails(String name, int index, int[] shape, TensorType type, float scale, int zeroPoint) {
  public TensorDetails {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public int elementCount() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  public int byteSize() {
    return elementCount() * type.bytes();
  }

  static TensorDetails of(Tensor t) {
    float scale = t.quantization() == null ? 0f : t.quantization().scale();
    int zp = t.quantization() == null ? 0 : t.quantization().zeroPoint();
    return new TensorDetails(t.name(), t.index(), t.shape().toArray(), t.type(), scale, zp);
  }
}
