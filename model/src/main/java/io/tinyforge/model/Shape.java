package io.tinyforge.model;

import java.util.Arrays;

/** An immutable tensor shape (dimensions outermost first, NHWC for images). */
public final class Shape {
  private final int[] dims;

  public Shape(int... dims) {
    this.dims = dims.clone();
  }

  public int rank() {
    return dims.length;
  }

  public int dim(int i) {
    return dims[i];
  }

  /** Dimension counted from the end: dimFromEnd(1) is the innermost (channels for NHWC). */
  public int dimFromEnd(int i) {
    return dims[dims.length - i];
  }

  public int[] toArray() {
    return dims.clone();
  }

  /** Number of elements; shapes are checked by the reader so this fits in an int. */
  public int elementCount() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return (int) n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** "1x96x96x1"; a scalar prints as "scalar". */
  @Override
  public String toString() {
    if (dims.length == 0) {
      return "scalar";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append('x');
      }
      sb.append(dims[i]);
    }
    return sb.toString();
  }
}
