package io.tinyforge.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A tensor of the graph. Constant tensors carry their data as a read-only little-endian view of the model file
 * (no copy); activations have none. {@code quantization} is null when the tensor has no quantization.
 */
public record Tensor(int index, String name, TensorType type, Shape shape, Quantization quantization,
    ByteBuffer data, boolean isVariable) {

  public Tensor {
    data = data == null ? null : data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  public boolean isConstant() {
    return data != null;
  }

  /** A fresh read-only view of the constant data, positioned at 0 (each caller gets its own position). */
  public ByteBuffer constantData() {
    if (data == null) {
      throw new IllegalStateException("tensor " + index + " '" + name + "' has no constant data");
    }
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Bytes of the whole tensor: elements times element size. */
  public int byteSize() {
    return shape.elementCount() * type.bytes();
  }

  /** Name for messages: the tensor's name (control characters escaped, so messages stay one line), or #index. */
  public String label() {
    return name == null || name.isEmpty() ? "#" + index : "'" + Names.printable(name) + "'";
  }
}
