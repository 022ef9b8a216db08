package io.tinyforge.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked view of one flatbuffer table. Every offset read from the file is checked against the buffer
 * before it is followed, and every vector length against the bytes that remain, so a corrupt file can only end
 * in a {@link FormatError} (never an out-of-range read, a huge allocation or a loop over garbage).
 */
final class FlatTable {

  /** A structural problem with the bytes; the reader turns it into a one-line ModelException. */
  static final class FormatError extends RuntimeException {
    FormatError(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Elements the reader may still copy out of vectors (ints, floats, longs, string bytes), shared by all tables of
   * one file. Tables may point at the same vector, so without a bound a small file of shared vectors (thousands of
   * tensors naming one large quantization table) would expand quadratically. A file without sharing copies each
   * element once and every element takes at least one byte, so twice the file size is never reached by a real model.
   */
  private static final class CopyBudget {
    private final long limit;
    private long used;

    CopyBudget(long limit) {
      this.limit = limit;
    }

    void charge(long elements, String ctx) {
      used += elements;
      if (used > limit) {
        throw new FormatError(ctx + ": the file's vectors are shared or repeated beyond its size (over " + limit
            + " elements copied); refusing to expand them");
      }
    }
  }

  private final ByteBuffer buf;
  private final int pos;
  private final int vtable;
  private final int vtableSize;
  private final String what;
  private final CopyBudget budget;

  private FlatTable(ByteBuffer buf, int pos, String what, CopyBudget budget) {
    this.buf = buf;
    this.pos = pos;
    this.what = what;
    this.budget = budget;
    checkRange(pos, 4, what);
    long vt = (long) pos - buf.getInt(pos);
    if (vt < 0 || vt + 4 > buf.limit()) {
      throw new FormatError(what + ": vtable offset out of range");
    }
    this.vtable = (int) vt;
    this.vtableSize = Short.toUnsignedInt(buf.getShort(vtable));
    int tableSize = Short.toUnsignedInt(buf.getShort(vtable + 2));
    if (vtableSize < 4 || (vtableSize & 1) != 0) {
      throw new FormatError(what + ": invalid vtable size " + vtableSize);
    }
    checkRange(vtable, vtableSize, what + " vtable");
    checkRange(pos, tableSize, what);
  }

  /** The root table of a buffer that starts with the root offset (and a 4-byte file identifier). */
  static FlatTable root(ByteBuffer buf, String what) {
    ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    checkRange(le, 0, 8, "file header");
    long rootPos = Integer.toUnsignedLong(le.getInt(0));
    if (rootPos >= le.limit()) {
      throw new FormatError("root table offset " + rootPos + " is past the end of the file");
    }
    return new FlatTable(le, (int) rootPos, what, new CopyBudget(2L * le.limit() + 4096));
  }

  private void checkRange(long start, long length, String ctx) {
    checkRange(buf, start, length, ctx);
  }

  private static void checkRange(ByteBuffer b, long start, long length, String ctx) {
    // compared without adding: start + length can wrap around for 64-bit Buffer.offset/size fields
    if (start < 0 || length < 0 || start > b.limit() || length > b.limit() - start) {
      throw new FormatError(ctx + ": offset " + start + "+" + length + " is outside the file (" + b.limit() + " bytes)");
    }
  }

  /** Absolute position of field {@code id}, or 0 when absent. */
  private int field(int id) {
    int vo = 4 + 2 * id;
    if (vo + 2 > vtableSize) {
      return 0;
    }
    int off = Short.toUnsignedInt(buf.getShort(vtable + vo));
    return off == 0 ? 0 : pos + off;
  }

  boolean has(int id) {
    return field(id) != 0;
  }

  int getInt(int id, int dflt) {
    int p = field(id);
    if (p == 0) {
      return dflt;
    }
    checkRange(p, 4, what + " field " + id);
    return buf.getInt(p);
  }

  long getLong(int id, long dflt) {
    int p = field(id);
    if (p == 0) {
      return dflt;
    }
    checkRange(p, 8, what + " field " + id);
    return buf.getLong(p);
  }

  int getByte(int id, int dflt) {
    int p = field(id);
    if (p == 0) {
      return dflt;
    }
    checkRange(p, 1, what + " field " + id);
    return buf.get(p);
  }

  int getUByte(int id, int dflt) {
    return getByte(id, dflt) & 0xff;
  }

  boolean getBool(int id, boolean dflt) {
    int p = field(id);
    if (p == 0) {
      return dflt;
    }
    checkRange(p, 1, what + " field " + id);
    return buf.get(p) != 0;
  }

  float getFloat(int id, float dflt) {
    int p = field(id);
    if (p == 0) {
      return dflt;
    }
    checkRange(p, 4, what + " field " + id);
    return buf.getFloat(p);
  }

  /** Follows the uoffset stored at field {@code id}; -1 when the field is absent. */
  private int indirect(int id) {
    int p = field(id);
    if (p == 0) {
      return -1;
    }
    checkRange(p, 4, what + " field " + id);
    long target = p + Integer.toUnsignedLong(buf.getInt(p));
    if (target >= buf.limit()) {
      throw new FormatError(what + " field " + id + ": offset points past the end of the file");
    }
    return (int) target;
  }

  FlatTable getTable(int id, String name) {
    int p = indirect(id);
    return p < 0 ? null : new FlatTable(buf, p, name, budget);
  }

  String getString(int id) {
    int p = indirect(id);
    if (p < 0) {
      return null;
    }
    int len = vectorLength(p, 1, what + " string field " + id);
    budget.charge(len, what + " string field " + id);
    byte[] bytes = new byte[len];
    buf.get(p + 4, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Number of elements of the vector at field {@code id} (0 when absent), checked to fit in the file. */
  int vectorSize(int id, int elemBytes) {
    int p = indirect(id);
    return p < 0 ? 0 : vectorLength(p, elemBytes, what + " vector field " + id);
  }

  boolean hasVector(int id) {
    return field(id) != 0;
  }

  private int vectorLength(int p, int elemBytes, String ctx) {
    checkRange(p, 4, ctx);
    long len = Integer.toUnsignedLong(buf.getInt(p));
    checkRange(p + 4L, len * elemBytes, ctx);
    return (int) len;
  }

  int[] getIntVector(int id) {
    int p = indirect(id);
    if (p < 0) {
      return null;
    }
    int n = vectorLength(p, 4, what + " vector field " + id);
    budget.charge(n, what + " vector field " + id);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = buf.getInt(p + 4 + 4 * i);
    }
    return out;
  }

  float[] getFloatVector(int id) {
    int p = indirect(id);
    if (p < 0) {
      return null;
    }
    int n = vectorLength(p, 4, what + " vector field " + id);
    budget.charge(n, what + " vector field " + id);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = buf.getFloat(p + 4 + 4 * i);
    }
    return out;
  }

  long[] getLongVector(int id) {
    int p = indirect(id);
    if (p < 0) {
      return null;
    }
    int n = vectorLength(p, 8, what + " vector field " + id);
    budget.charge(n, what + " vector field " + id);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = buf.getLong(p + 4 + 8 * i);
    }
    return out;
  }

  /** A read-only view (no copy) of the byte vector at field {@code id}, or null when absent. */
  ByteBuffer getByteVectorView(int id) {
    int p = indirect(id);
    if (p < 0) {
      return null;
    }
    int n = vectorLength(p, 1, what + " vector field " + id);
    return buf.duplicate().position(p + 4).limit(p + 4 + n).slice().asReadOnlyBuffer();
  }

  /** Element {@code i} of a vector of tables at field {@code id}. */
  FlatTable getTableElement(int id, int i, String name) {
    int p = indirect(id);
    int n = vectorLength(p, 4, what + " vector field " + id);
    if (i < 0 || i >= n) {
      throw new FormatError(what + " vector field " + id + ": index " + i + " out of " + n);
    }
    int slot = p + 4 + 4 * i;
    long target = slot + Integer.toUnsignedLong(buf.getInt(slot));
    if (target >= buf.limit()) {
      throw new FormatError(name + ": offset points past the end of the file");
    }
    return new FlatTable(buf, (int) target, name, budget);
  }

  /** A view of {@code length} bytes at absolute file offset {@code offset} (for buffers stored outside the flatbuffer). */
  ByteBuffer sliceAt(long offset, long length, String ctx) {
    checkRange(buf, offset, length, ctx);
    return buf.duplicate().position((int) offset).limit((int) (offset + length)).slice().asReadOnlyBuffer();
  }
}
