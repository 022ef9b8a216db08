package io.tinyforge.cgen;

import io.tinyforge.model.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The constant tensors some kernel reads, collected while the ops are emitted (a constant no kernel reads, such as
 * a RESHAPE's shape or PAD's paddings, whose values the lowering already folded into the params, is left out).
 * Each becomes one array in model_weights.c.
 */
final class WeightTable {
  /** Values per line in model_weights.c. */
  static final int PER_ROW = 16;

  private final TreeMap<Integer, Tensor> used = new TreeMap<>();
  /** Arrays computed at compile time from constants (re-laid weights, folded biases), by C name. */
  private final TreeMap<String, Derived> derived = new TreeMap<>();

  /** A compile-time array that is no model tensor: {@code about} says what it was made from. */
  private record Derived(String name, String ctype, int bytesPerValue, long[] values, String about) {}

  /** Registers a constant and returns its C name. */
  String use(Tensor t) {
    used.put(t.index(), t);
    return name(t.index());
  }

  /**
   * Registers an array computed at compile time (its name must be unique in the project) and returns the name;
   * {@code ctype} is int8_t, uint8_t or int32_t.
   */
  String useDerived(String name, String ctype, long[] values, String about) {
    int size = switch (ctype) {
      case "int8_t", "uint8_t" -> 1;
      case "int32_t" -> 4;
      default -> throw new IllegalArgumentException("derived weight arrays are int8_t, uint8_t or int32_t, not "
          + ctype);
    };
    derived.put(name, new Derived(name, ctype, size, values.clone(), about));
    return name;
  }

  static String name(int tensor) {
    return "tf_w" + tensor;
  }

  boolean contains(int tensor) {
    return used.containsKey(tensor);
  }

  long totalBytes() {
    long n = 0;
    for (Tensor t : used.values()) {
      n += t.byteSize();
    }
    for (Derived d : derived.values()) {
      n += (long) d.values().length * d.bytesPerValue();
    }
    return n;
  }

  /** Template data: one entry per array, values as rows of numbers (float: exact literals). */
  List<Map<String, Object>> entries() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Tensor t : used.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name(t.index()));
      m.put("tensor", t.index());
      m.put("ctype", CTypes.of(t));
      m.put("count", Math.max(1, t.shape().elementCount()));
      m.put("bytes", t.byteSize());
      m.put("shape", t.shape().toString());
      m.put("rows", rows(t));
      m.put("derived", false);
      out.add(m);
    }
    for (Derived d : derived.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", d.name());
      m.put("tensor", -1);
      m.put("ctype", d.ctype());
      m.put("count", Math.max(1, d.values().length));
      m.put("bytes", (long) d.values().length * d.bytesPerValue());
      m.put("shape", String.valueOf(d.values().length));
      m.put("about", d.about());
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < d.values().length; i += PER_ROW) {
        List<Object> row = new ArrayList<>();
        for (int j = i; j < Math.min(d.values().length, i + PER_ROW); j++) {
          row.add(d.values()[j]);
        }
        rows.add(row);
      }
      if (rows.isEmpty()) {
        rows.add(List.of(0L));
      }
      m.put("rows", rows);
      m.put("derived", true);
      out.add(m);
    }
    return out;
  }

  private static List<List<Object>> rows(Tensor t) {
    ByteBuffer b = t.constantData();
    int n = t.shape().elementCount();
    List<List<Object>> rows = new ArrayList<>();
    List<Object> row = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object v = switch (t.type()) {
        case INT8 -> (long) b.get(i);
        case UINT8, BOOL -> (long) (b.get(i) & 0xFF);
        case INT16 -> (long) b.getShort(i * 2);
        case INT32 -> (long) b.getInt(i * 4);
        case INT64 -> b.getLong(i * 8);
        case FLOAT32 -> FloatLiteral.hex(b.getFloat(i * 4));
        default -> throw new IllegalStateException("unexpected constant type " + t.type());
      };
      row.add(v);
      if (row.size() == PER_ROW) {
        rows.add(row);
        row = new ArrayList<>();
      }
    }
    if (!row.isEmpty() || n == 0) {
      if (n == 0) {
        row.add(0L);
      }
      rows.add(row);
    }
    return rows;
  }
}
