package io.tinyforge.cgen;

import io.tinyforge.TinyforgeException;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;

/** The C element type of a tensor. */
final class CTypes {
  private CTypes() {}

  static String of(Tensor t) {
    return of(t.type(), t);
  }

  static String of(TensorType type, Tensor t) {
    return switch (type) {
      case INT8 -> "int8_t";
      case UINT8 -> "uint8_t";
      case INT16 -> "int16_t";
      case INT32 -> "int32_t";
      case INT64 -> "int64_t";
      case FLOAT32 -> "float";
      case BOOL -> "uint8_t";
      default -> throw new TinyforgeException("tensor " + t.label() + " has type " + type
          + ", which the C code generator cannot store");
    };
  }
}
