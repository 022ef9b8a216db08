package io.tinyforge.cgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Template data for the C of one operator: its file-scope constants (arrays, structs, pointer tables) and its
 * kernel calls, as plain maps and lists that {@code templates/project/model.c.ftl} prints. Nothing here is C text:
 * values are numbers, names and argument descriptors ({@link Arg}).
 */
final class CDecl {
  private CDecl() {}

  /** {@code static const <ctype> <name>[] = {values};} with integer values. */
  static Map<String, Object> intArray(String ctype, String name, int[] values) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "array");
    m.put("ctype", ctype);
    m.put("name", name);
    List<Long> v = new ArrayList<>();
    for (int x : values) {
      v.add((long) x);
    }
    m.put("values", v);
    return m;
  }

  /** {@code static const <ctype> <name>[] = {values};} with unsigned (size_t) values. */
  static Map<String, Object> sizeArray(String name, long[] values) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "sizes");
    m.put("ctype", "size_t");
    m.put("name", name);
    List<Long> v = new ArrayList<>();
    for (long x : values) {
      v.add(x);
    }
    m.put("values", v);
    return m;
  }

  /**
   * {@code static const <ctype> <name>[] = {{.field = value, ...}, ...};}: an array of structs, each built with
   * {@link Struct} (its own name is not printed).
   */
  static Map<String, Object> structArray(String ctype, String name, List<Struct> elements) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "structs");
    m.put("ctype", ctype);
    m.put("name", name);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Struct s : elements) {
      // only the fields: an element's name would keep identical tables of two patch bands apart
      list.add(Map.of("fields", s.build().get("fields")));
    }
    m.put("elements", list);
    return m;
  }

  /** A table of pointers: {@code static <const> void *const <name>[] = {args};}. */
  static Map<String, Object> pointerArray(String name, boolean constTarget, List<Map<String, Object>> pointers) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "pointers");
    m.put("constTarget", constTarget);
    m.put("name", name);
    m.put("values", List.copyOf(pointers));
    return m;
  }

  /** {@code static const <ctype> <name> = {.field = value, ...};}; build with {@link Struct}. */
  static Struct struct(String ctype, String name) {
    return new Struct(ctype, name);
  }

  /** Builder of a struct constant; field values are Long, List of Long (array fields) or Arg maps. */
  static final class Struct {
    private final Map<String, Object> map = new LinkedHashMap<>();
    private final List<Map<String, Object>> fields = new ArrayList<>();

    Struct(String ctype, String name) {
      map.put("kind", "struct");
      map.put("ctype", ctype);
      map.put("name", name);
      map.put("fields", fields);
    }

    Struct f(String field, long value) {
      fields.add(Map.of("name", field, "value", value));
      return this;
    }

    Struct f(String field, int[] values) {
      List<Long> v = new ArrayList<>();
      for (int x : values) {
        v.add((long) x);
      }
      fields.add(Map.of("name", field, "value", v));
      return this;
    }

    Struct ref(String field, Map<String, Object> arg) {
      fields.add(Map.of("name", field, "value", arg));
      return this;
    }

    Map<String, Object> build() {
      return map;
    }
  }

  /** A kernel call {@code fn(args...);}. */
  static Map<String, Object> call(String function, List<Map<String, Object>> args) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fn", function);
    m.put("args", List.copyOf(args));
    return m;
  }
}
