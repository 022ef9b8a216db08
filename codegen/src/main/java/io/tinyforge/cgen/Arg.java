package io.tinyforge.cgen;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Descriptors of the things a kernel call or a constant refers to; the template's {@code arg} macro prints each
 * kind. Kept as maps so that FreeMarker reads them without reflection.
 */
final class Arg {
  private Arg() {}

  private static Map<String, Object> of(String kind, Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The arena pointer of tensor {@code index} (typed by the tensor's element type). */
  static Map<String, Object> tensor(int index) {
    return of("tensor", "id", index);
  }

  /** The arena pointer of tensor {@code index} plus {@code elements} elements (a band of its rows). */
  static Map<String, Object> tensorAt(int index, long elements) {
    return elements == 0 ? tensor(index) : of("tensorAt", "id", index, "elements", elements);
  }

  /** A constant array in model_weights.c. */
  static Map<String, Object> weight(String name) {
    return of("weight", "name", name);
  }

  /** The first element of a tensor read at run time (PADV2's pad value when it is not a constant). */
  static Map<String, Object> firstElement(int index) {
    return of("first", "id", index);
  }

  /** A scratch area at {@code offset} in the arena array {@code arena} (e.g. tf_arena), typed. */
  static Map<String, Object> scratch(String arena, int offset, String ctype) {
    return of("scratch", "arena", arena, "offset", offset, "ctype", ctype);
  }

  /** The address of a file-scope constant of this op (a struct). */
  static Map<String, Object> address(String name) {
    return of("address", "name", name);
  }

  /** The name of a file-scope array of this op. */
  static Map<String, Object> name(String name) {
    return of("name", "name", name);
  }

  static Map<String, Object> integer(long value) {
    return of("int", "value", value);
  }

  /** An unsigned size (size_t arguments). */
  static Map<String, Object> size(long value) {
    return of("size", "value", value);
  }

  /** A float constant, exact (C99 hexadecimal literal). */
  static Map<String, Object> real(float value) {
    return of("float", "value", FloatLiteral.hex(value));
  }

  static Map<String, Object> none() {
    return of("null");
  }
}
