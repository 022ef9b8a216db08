package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import io.tinyforge.model.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal NumPy .npy (format 1.0-3.0) reader and writer for little-endian, C-order numeric arrays. */
final class Npy {
  private Npy() {}

  /** A decoded array: element type, shape and raw little-endian element bytes. */
  record Array(TensorType type, int[] shape, byte[] data) {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  static boolean looksLikeNpy(byte[] file) {
    return file.length >= 10 && Arrays.equals(Arrays.copyOf(file, 6), MAGIC);
  }

  static Array read(byte[] file, String name) {
    if (!looksLikeNpy(file)) {
      throw new TinyforgeException(name + ": not a .npy file (no \\x93NUMPY magic)");
    }
    int major = file[6];
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = b.getShort(8) & 0xffff;
      start = 10;
    } else if (major == 2 || major == 3) {
      headerLen = b.getInt(8);
      start = 12;
    } else {
      throw new TinyforgeException(name + ": unsupported .npy version " + major);
    }
    if (start + headerLen > file.length || headerLen < 0) {
      throw new TinyforgeException(name + ": truncated .npy header");
    }
    String header = new String(file, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = field(header, "descr", "'([^']*)'", name);
    String fortran = field(header, "fortran_order", "(True|False)", name);
    String shapeText = field(header, "shape", "\\(([^)]*)\\)", name);
    TensorType type = typeOf(descr, name);
    List<Integer> dims = new ArrayList<>();
    for (String s : shapeText.split(",")) {
      if (!s.isBlank()) {
        dims.add(Integer.parseInt(s.trim()));
      }
    }
    int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    if (fortran.equals("True") && shape.length > 1) {
      throw new TinyforgeException(name + ": Fortran-order .npy arrays are not supported; save with order='C'");
    }
    int offset = start + headerLen;
    long bytes = count * type.bytes();
    if (file.length - offset != bytes) {
      throw new TinyforgeException(name + ": .npy data holds " + (file.length - offset) + " bytes, its header says "
          + bytes);
    }
    return new Array(type, shape, Arrays.copyOfRange(file, offset, file.length));
  }

  static byte[] write(TensorType type, int[] shape, byte[] data) {
    StringBuilder sh = new StringBuilder("(");
    for (int d : shape) {
      sh.append(d).append(", ");
    }
    if (shape.length > 1) {
      sh.setLength(sh.length() - 2);
    } else if (shape.length == 1) {
      sh.setLength(sh.length() - 1);
    }
    sh.append(")");
    String dict = "{'descr': '" + descrOf(type) + "', 'fortran_order': False, 'shape': " + sh + ", }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    return b.array();
  }

  private static String field(String header, String key, String valueRegex, String name) {
    Matcher m = Pattern.compile("'" + key + "'\\s*:\\s*" + valueRegex).matcher(header);
    if (!m.find()) {
      throw new TinyforgeException(name + ": .npy header lacks '" + key + "'");
    }
    return m.group(1);
  }

  static TensorType typeOf(String descr, String name) {
    return switch (descr) {
      case "|i1", "i1", "<i1" -> TensorType.INT8;
      case "|u1", "u1", "<u1" -> TensorType.UINT8;
      case "<i2" -> TensorType.INT16;
      case "<i4" -> TensorType.INT32;
      case "<f4" -> TensorType.FLOAT32;
      case "<i8" -> TensorType.INT64;
      default -> throw new TinyforgeException(name + ": .npy dtype '" + descr
          + "' is not supported; use int8, int16, int32 or float32 little-endian");
    };
  }

  static String descrOf(TensorType type) {
    return switch (type) {
      case INT8 -> "|i1";
      case UINT8 -> "|u1";
      case INT16 -> "<i2";
      case INT32 -> "<i4";
      case FLOAT32 -> "<f4";
      case INT64 -> "<i8";
      default -> throw new TinyforgeException("cannot write a " + type + " tensor as .npy");
    };
  }
}
