package io.tinyforge.model;

/** TFLite padding scheme (flatbuffer codes SAME=0, VALID=1). */
public enum Padding {
  SAME, VALID;

  public static Padding fromCode(int code) {
    return code == 1 ? VALID : SAME;
  }

  public int code() {
    return this == VALID ? 1 : 0;
  }
}
