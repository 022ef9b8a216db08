package io.tinyforge.cgen;

/** Exact spelling of a float value for C99: a hexadecimal literal, so no decimal rounding can change it. */
final class FloatLiteral {
  private FloatLiteral() {}

  /** The whole float literal with its {@code f} suffix; NaN and infinities as the math.h macros. */
  static String hex(float v) {
    if (Float.isNaN(v)) {
      return "NAN";
    }
    if (Float.isInfinite(v)) {
      return v > 0 ? "INFINITY" : "-INFINITY";
    }
    return Float.toHexString(v) + "f";
  }
}
