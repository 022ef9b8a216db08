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

  /** Registers a constant and returns its C name. */
  String use(Tensor t) {
    used.put(t.index(), t);
    return name(t.index());
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
