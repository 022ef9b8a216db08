package io.tinyforge.verify;

import io.tinyforge.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Where two copies of a tensor first differ: element index and coordinates, expected and got values (decoded by
 * the tensor's type), and how many elements differ in all.
 */
public record Divergence(int element, int[] coordinates, long expected, long got, int differing, int elements,
    boolean isFloat) {

  /** Compares {@code got} with {@code expected}; null when they are equal. */
  public static Divergence of(Tensor tensor, byte[] expected, byte[] got) {
    int width = Math.max(1, tensor.type().bytes());
    int elements = Math.max(expected.length, got.length) / width;
    int first = -1;
    int differing = 0;
    for (int e = 0; e < elements; e++) {
      if (value(expected, e, width) != value(got, e, width)) {
        differing++;
        if (first < 0) {
          first = e;
        }
      }
    }
    if (first < 0) {
      return null;
    }
    return new Divergence(first, coordinates(tensor.shape().toArray(), first), value(expected, first, width),
        value(got, first, width), differing, elements, tensor.type() == io.tinyforge.model.TensorType.FLOAT32);
  }

  /** Little-endian signed element value; Long.MIN_VALUE when the array is too short (a size mismatch). */
  private static long value(byte[] b, int element, int width) {
    int off = element * width;
    if (off + width > b.length) {
      return Long.MIN_VALUE;
    }
    ByteBuffer bb = ByteBuffer.wrap(b, off, width).order(ByteOrder.LITTLE_ENDIAN);
    return switch (width) {
      case 1 -> bb.get();
      case 2 -> bb.getShort();
      case 4 -> bb.getInt();
      default -> bb.getLong();
    };
  }

  private static int[] coordinates(int[] shape, int flat) {
    int[] c = new int[shape.length];
    for (int i = shape.length - 1; i >= 0; i--) {
      int d = Math.max(1, shape[i]);
      c[i] = flat % d;
      flat /= d;
    }
    return c;
  }

  /** "element 5 [0,5]: expected 12, got 13 (1 of 16 elements differ)". */
  public String describe() {
    StringBuilder sb = new StringBuilder("element ").append(element).append(" [");
    for (int i = 0; i < coordinates.length; i++) {
      sb.append(i == 0 ? "" : ",").append(coordinates[i]);
    }
    return sb.append(String.format(Locale.ROOT, "]: expected %s, got %s (%d of %d elements differ)", show(expected),
        show(got), differing, elements)).toString();
  }

  private String show(long v) {
    if (v == Long.MIN_VALUE) {
      return "nothing";
    }
    return isFloat ? Float.toString(Float.intBitsToFloat((int) v)) : Long.toString(v);
  }
}
