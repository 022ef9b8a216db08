package io.tinyforge.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.tinyforge.TinyforgeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verification protocol as data, read from {@code firmware/protocol/protocol.json}: the single definition both
 * the C target code ({@link CProtocolEmitter}) and the Java host code (JavaProtocolGenerator, in mcu-target's build) are
 * generated from. Loading validates everything the generators rely on, so they can stay simple.
 */
public record ProtocolDefinition(String name, int version, int maxPayload, Crc32Params crc32, HashParams hash,
    PrngParams prng, List<ErrorCode> errors, List<StructType> types, List<Message> messages, long fingerprint) {

  /** Where the definition lives, relative to the repository root. */
  public static final String RELATIVE_PATH = "firmware/protocol/protocol.json";

  /** Bytes of the frame header: version, type, seq, length (u16). */
  public static final int HEADER_BYTES = 5;
  /** Bytes of the CRC-32 trailer. */
  public static final int TRAILER_BYTES = 4;

  public ProtocolDefinition {
    errors = List.copyOf(errors);
    types = List.copyOf(types);
    messages = List.copyOf(messages);
  }

  /** Field value kinds on the wire; all multi-byte values are little-endian. */
  public enum Kind {
    U8(1), U16(2), U32(4), I32(4), U64(8), F32(4),
    /** u8 length then that many UTF-8 bytes. */
    STR(-1),
    /** the rest of the payload; only as the last field. */
    BYTES(-1),
    /** a {@link StructType}. */
    STRUCT(-1);

    private final int size;

    Kind(int size) {
      this.size = size;
    }

    /** Fixed size in bytes, or -1 when variable. */
    public int size() {
      return size;
    }

    public boolean isScalar() {
      return size > 0;
    }
  }

  /**
   * One field. {@code array} fields are a u8 count followed by that many elements; {@code structName} is set for
   * {@link Kind#STRUCT}.
   */
  public record Field(String name, Kind kind, String structName, boolean array, String doc) {}

  public record StructType(String name, String doc, List<Field> fields) {
    public StructType {
      fields = List.copyOf(fields);
    }
  }

  /** A message; {@code toTarget} for requests from the host, replies go to the host. */
  public record Message(String name, int id, boolean toTarget, String doc, List<Field> fields) {
    public Message {
      fields = List.copyOf(fields);
    }
  }

  public record ErrorCode(String name, int code, String doc) {}

  public record Crc32Params(long polynomial, long init, long xorOut) {}

  public record HashParams(long offsetBasis, long prime) {}

  /** xorshift32 with shifts a, b, c; see protocol.json for the exact recipe. */
  public record PrngParams(int a, int b, int c, long seedMix, long zeroReplacement, int outputShift) {}

  /** Loads the definition of the repository at {@code repoRoot}. */
  public static ProtocolDefinition loadFromRepo(Path repoRoot) {
    return load(repoRoot.resolve(RELATIVE_PATH));
  }

  public static ProtocolDefinition load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT,
          "cannot read the protocol definition " + file + " (" + e.getMessage() + "); run from a tinyforge checkout");
    }
    return parse(text, file.toString());
  }

  public static ProtocolDefinition parse(String json, String source) {
    try {
      JsonObject root = JsonParser.parseString(json).getAsJsonObject();
      return new Reader(source, fingerprint(json)).read(root);
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      throw new TinyforgeException("protocol definition " + source + " is not valid JSON of the expected shape: "
          + e.getMessage());
    }
  }

  /**
   * CRC-32 of the definition text (line endings normalised): both generated sides carry it, so a host built from
   * one version of protocol.json notices firmware built from another.
   */
  static long fingerprint(String json) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(json.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  public Message message(String name) {
    return messages.stream().filter(m -> m.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no message " + name));
  }

  public StructType type(String name) {
    return types.stream().filter(t -> t.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no type " + name));
  }

  /** Largest frame body: header + payload + CRC. */
  public int maxBodyBytes() {
    return HEADER_BYTES + maxPayload + TRAILER_BYTES;
  }

  /** Largest encoded frame on the wire: two delimiters plus COBS overhead (one byte per 254). */
  public int maxWireBytes() {
    int body = maxBodyBytes();
    return body + body / 254 + 1 + 2;
  }

  /** Turns the JSON into records, checking each rule the generators depend on. */
  private static final class Reader {
    private final String source;
    private final long fingerprint;

    Reader(String source, long fingerprint) {
      this.source = source;
      this.fingerprint = fingerprint;
    }

    ProtocolDefinition read(JsonObject root) {
      String name = string(root, "name");
      int version = integer(root, "version");
      require(version >= 1 && version <= 255, "version must be 1..255");
      int maxPayload = integer(root, "maxPayload");
      require(maxPayload >= 64 && maxPayload <= 65535, "maxPayload must be 64..65535");

      JsonObject crc = root.getAsJsonObject("crc32");
      Crc32Params crc32 = new Crc32Params(hex32(crc, "polynomial"), hex32(crc, "init"), hex32(crc, "xorOut"));
      JsonObject h = root.getAsJsonObject("hash");
      require("fnv1a64".equals(string(h, "algorithm")), "hash.algorithm must be fnv1a64");
      HashParams hash = new HashParams(hex64(h, "offsetBasis"), hex64(h, "prime"));
      JsonObject p = root.getAsJsonObject("prng");
      require("xorshift32".equals(string(p, "algorithm")), "prng.algorithm must be xorshift32");
      PrngParams prng = new PrngParams(shift(p, "a"), shift(p, "b"), shift(p, "c"), hex32(p, "seedMix"),
          hex32(p, "zeroReplacement"), shift(p, "outputShift"));
      require(prng.zeroReplacement() != 0, "prng.zeroReplacement must not be 0");

      List<ErrorCode> errors = new ArrayList<>();
      Set<Integer> codes = new HashSet<>();
      for (JsonElement e : root.getAsJsonArray("errors")) {
        JsonObject o = e.getAsJsonObject();
        ErrorCode ec = new ErrorCode(identifier(o, "name"), integer(o, "code"), optString(o, "doc"));
        require(ec.code() > 0 && ec.code() <= 65535 && codes.add(ec.code()), "error code of " + ec.name()
            + " must be unique and 1..65535");
        errors.add(ec);
      }

      Map<String, StructType> types = new LinkedHashMap<>();
      for (JsonElement e : root.getAsJsonArray("types")) {
        JsonObject o = e.getAsJsonObject();
        String tn = identifier(o, "name");
        List<Field> fields = fields(o.getAsJsonArray("fields"), "type " + tn, Map.of());
        for (Field f : fields) {
          require(f.kind() != Kind.BYTES && f.kind() != Kind.STRUCT, "type " + tn + "." + f.name()
              + ": struct fields must be scalars, str or scalar arrays");
        }
        require(types.put(tn, new StructType(tn, optString(o, "doc"), fields)) == null, "type " + tn + " twice");
      }

      List<Message> messages = new ArrayList<>();
      Set<Integer> ids = new HashSet<>();
      Set<String> names = new HashSet<>();
      for (JsonElement e : root.getAsJsonArray("messages")) {
        JsonObject o = e.getAsJsonObject();
        String mn = identifier(o, "name");
        int id = integer(o, "id");
        String dir = string(o, "direction");
        require(dir.equals("to_target") || dir.equals("to_host"), mn + ": direction must be to_target or to_host");
        boolean toTarget = dir.equals("to_target");
        require(id >= 1 && id <= 255 && ids.add(id), mn + ": id must be unique and 1..255");
        require(names.add(mn), "message " + mn + " twice");
        require(toTarget == (id < 128), mn + ": requests (to_target) use ids < 128, replies ids >= 128");
        List<Field> fields = fields(o.getAsJsonArray("fields"), "message " + mn, types);
        if (toTarget) {
          // the target decodes requests in place, without allocating: no arrays, no nested structs
          for (Field f : fields) {
            require(!f.array() && f.kind() != Kind.STRUCT && f.kind() != Kind.STR,
                mn + "." + f.name() + ": requests may only hold scalars and a trailing bytes field");
          }
        }
        messages.add(new Message(mn, id, toTarget, optString(o, "doc"), fields));
      }
      require(names.contains("HELLO") && names.contains("HELLO_REPLY") && names.contains("ERROR"),
          "the protocol needs HELLO, HELLO_REPLY and ERROR");
      require(errors.stream().anyMatch(x -> x.name().equals("BAD_FRAME")), "the protocol needs error BAD_FRAME");
      return new ProtocolDefinition(name, version, maxPayload, crc32, hash, prng, errors,
          List.copyOf(types.values()), messages, fingerprint);
    }

    private List<Field> fields(JsonArray array, String owner, Map<String, StructType> types) {
      List<Field> out = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < array.size(); i++) {
        JsonObject o = array.get(i).getAsJsonObject();
        String fn = identifier(o, "name");
        require(seen.add(fn), owner + ": field " + fn + " twice");
        String t = string(o, "type");
        boolean arr = o.has("array") && o.get("array").getAsBoolean();
        Kind kind;
        String structName = null;
        if (types.containsKey(t)) {
          kind = Kind.STRUCT;
          structName = t;
          require(arr, owner + "." + fn + ": struct fields must be arrays");
        } else {
          try {
            kind = Kind.valueOf(t.toUpperCase(java.util.Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw fail(owner + "." + fn + ": unknown type '" + t + "'");
          }
          require(kind != Kind.STRUCT, owner + "." + fn + ": unknown type '" + t + "'");
        }
        require(!(arr && (kind == Kind.BYTES || kind == Kind.STR)), owner + "." + fn + ": no arrays of " + t);
        require(kind != Kind.BYTES || i == array.size() - 1, owner + "." + fn + ": bytes must be the last field");
        out.add(new Field(fn, kind, structName, arr, optString(o, "doc")));
      }
      return out;
    }

    private String identifier(JsonObject o, String key) {
      String s = string(o, key);
      require(s.matches("[A-Za-z][A-Za-z0-9_]*"), key + " '" + s + "' is not an identifier");
      return s;
    }

    private String string(JsonObject o, String key) {
      require(o.has(key) && o.get(key).isJsonPrimitive(), "missing string '" + key + "'");
      return o.get(key).getAsString();
    }

    private static String optString(JsonObject o, String key) {
      return o.has(key) ? o.get(key).getAsString() : "";
    }

    private int integer(JsonObject o, String key) {
      require(o.has(key) && o.get(key).isJsonPrimitive(), "missing number '" + key + "'");
      return o.get(key).getAsInt();
    }

    private int shift(JsonObject o, String key) {
      int v = integer(o, key);
      require(v > 0 && v < 32, "prng." + key + " must be 1..31");
      return v;
    }

    private long hex32(JsonObject o, String key) {
      long v = hex64(o, key);
      require(v >= 0 && v <= 0xFFFFFFFFL, key + " must fit 32 bits");
      return v;
    }

    private long hex64(JsonObject o, String key) {
      String s = string(o, key);
      require(s.startsWith("0x"), key + " must be written as 0x...");
      try {
        return Long.parseUnsignedLong(s.substring(2), 16);
      } catch (NumberFormatException e) {
        throw fail(key + " '" + s + "' is not a hex number");
      }
    }

    private void require(boolean ok, String what) {
      if (!ok) {
        throw fail(what);
      }
    }

    private TinyforgeException fail(String what) {
      return new TinyforgeException("protocol definition " + source + ": " + what);
    }
  }
}
