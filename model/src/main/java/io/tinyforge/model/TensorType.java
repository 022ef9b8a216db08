package io.tinyforge.model;

/** TFLite tensor element types, with their flatbuffer codes and byte sizes (0 where not fixed). */
public enum TensorType {
  FLOAT32(0, 4), FLOAT16(1, 2), INT32(2, 4), UINT8(3, 1), INT64(4, 8), STRING(5, 0), BOOL(6, 1), INT16(7, 2),
  COMPLEX64(8, 8), INT8(9, 1), FLOAT64(10, 8), COMPLEX128(11, 16), UINT64(12, 8), RESOURCE(13, 0), VARIANT(14, 0),
  UINT32(15, 4), UINT16(16, 2), INT4(17, 0);

  private final int code;
  private final int bytes;

  TensorType(int code, int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  public int code() {
    return code;
  }

  /** Bytes per element; 0 for types without a fixed size (STRING, RESOURCE, VARIANT, packed INT4). */
  public int bytes() {
    return bytes;
  }

  public boolean isFloat() {
    return this == FLOAT32 || this == FLOAT16 || this == FLOAT64;
  }

  public static TensorType fromCode(int code) {
    for (TensorType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
