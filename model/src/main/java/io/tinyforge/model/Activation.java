package io.tinyforge.model;

/** Fused activation functions (flatbuffer ActivationFunctionType codes 0..5). */
public enum Activation {
  NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT;

  public static Activation fromCode(int code) {
    return code >= 0 && code < values().length ? values()[code] : null;
  }

  public int code() {
    return ordinal();
  }
}
