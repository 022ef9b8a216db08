package io.tinyforge.protocol;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.tinyforge.TinyforgeException;
import io.tinyforge.protocol.ProtocolDefinition.Field;
import io.tinyforge.protocol.ProtocolDefinition.Kind;
import io.tinyforge.protocol.ProtocolDefinition.Message;
import io.tinyforge.protocol.ProtocolDefinition.StructType;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the target side of the verification protocol, {@code tf_protocol.h} and {@code tf_protocol.c}, from a
 * {@link ProtocolDefinition} and the FreeMarker templates in {@code templates/protocol/}. The C snippets per field
 * are prepared here so the templates only lay them out.
 *
 * <p>mcu-target's build runs {@link #main} in process-classes, so its jar carries the C side rendered from the same
 * protocol.json as the Java side it was compiled with ({@link #BUNDLED}); firmware builds write those copies.
 */
public final class CProtocolEmitter {
  /** Template folder relative to the repository root. */
  public static final String TEMPLATE_DIR = "templates/protocol";
  public static final List<String> OUTPUTS = List.of("tf_protocol.h", "tf_protocol.c");
  /** Class-path folder of the copies rendered by the build. */
  public static final String BUNDLED = "io/tinyforge/protocol/c/";

  private final ProtocolDefinition def;
  private final String source;
  private final Path templateDir;

  public CProtocolEmitter(ProtocolDefinition def, String source, Path templateDir) {
    this.def = def;
    this.source = source;
    this.templateDir = templateDir;
  }

  /** Loads the repository's definition and templates. */
  public static CProtocolEmitter forRepo(Path repoRoot) {
    return new CProtocolEmitter(ProtocolDefinition.loadFromRepo(repoRoot), ProtocolDefinition.RELATIVE_PATH,
        repoRoot.resolve(TEMPLATE_DIR));
  }

  /**
   * Build step: {@code CProtocolEmitter <protocol.json> <template dir> <out dir>} renders the C side into the out
   * dir. One line on stderr and exit code 2 or 3 when the definition or the templates are unusable.
   */
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: CProtocolEmitter <protocol.json> <template dir> <out dir>");
      System.exit(TinyforgeException.EXIT_BAD_INPUT);
    }
    try {
      new CProtocolEmitter(ProtocolDefinition.load(Path.of(args[0])), ProtocolDefinition.RELATIVE_PATH,
          Path.of(args[1])).emit(Path.of(args[2]));
    } catch (TinyforgeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(e.exitCode());
    }
  }

  /**
   * Writes the build's rendering of tf_protocol.h and tf_protocol.c (from this jar or mcu-target/target/classes)
   * into {@code outDir}; returns the files written.
   */
  public static List<Path> emitBundled(Path outDir) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String name : OUTPUTS) {
      try (InputStream in = CProtocolEmitter.class.getClassLoader().getResourceAsStream(BUNDLED + name)) {
        if (in == null) {
          throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "the C protocol source " + name
              + " is not in this build of mcu-target (its process-classes phase renders it); rebuild with"
              + " tools/gen-firmware or mvn package");
        }
        texts.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT,
            "cannot read the bundled C protocol source " + name + " (" + e.getMessage() + ")");
      }
    }
    return write(texts, outDir);
  }

  /** Writes tf_protocol.h and tf_protocol.c into {@code outDir}; returns the files written. */
  public List<Path> emit(Path outDir) {
    return write(render(), outDir);
  }

  private static List<Path> write(Map<String, String> texts, Path outDir) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(outDir);
      for (Map.Entry<String, String> e : texts.entrySet()) {
        Path p = outDir.resolve(e.getKey());
        // leave an identical file alone so make-style rebuild checks stay quiet
        if (!Files.exists(p) || !Files.readString(p, StandardCharsets.UTF_8).equals(e.getValue())) {
          Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
        }
        written.add(p);
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT,
          "cannot write the protocol sources to " + outDir + " (" + e.getMessage() + ")");
    }
    return written;
  }

  /** File name -> generated text. */
  public Map<String, String> render() {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_33);
    try {
      cfg.setDirectoryForTemplateLoading(templateDir.toFile());
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT,
          "protocol templates not found in " + templateDir + "; run from a tinyforge checkout");
    }
    cfg.setDefaultEncoding("UTF-8");
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setNumberFormat("computer");
    Map<String, Object> model = dataModel();
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : OUTPUTS) {
      try {
        Template t = cfg.getTemplate(name + ".ftl");
        Writer w = new StringWriter();
        t.process(model, w);
        out.put(name, w.toString());
      } catch (IOException | TemplateException e) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT,
            "protocol template " + templateDir.resolve(name + ".ftl") + " failed: " + e.getMessage());
      }
    }
    return out;
  }

  private Map<String, Object> dataModel() {
    Map<String, Object> m = new HashMap<>();
    m.put("source", source);
    m.put("name", def.name());
    m.put("version", def.version());
    m.put("maxPayload", def.maxPayload());
    m.put("fingerprint", hex32(def.fingerprint()));
    m.put("headerBytes", ProtocolDefinition.HEADER_BYTES);
    m.put("trailerBytes", ProtocolDefinition.TRAILER_BYTES);
    m.put("maxBody", def.maxBodyBytes());
    m.put("maxWire", def.maxWireBytes());
    m.put("crcPoly", hex32(def.crc32().polynomial()));
    m.put("crcXorOut", hex32(def.crc32().xorOut()));
    m.put("crcStart", hex32(def.crc32().init() ^ def.crc32().xorOut()));
    m.put("fnvBasis", String.format(Locale.ROOT, "0x%016X", def.hash().offsetBasis()));
    m.put("fnvPrime", String.format(Locale.ROOT, "0x%016X", def.hash().prime()));
    m.put("prngSeedMix", hex32(def.prng().seedMix()));
    m.put("prngZero", hex32(def.prng().zeroReplacement()));
    m.put("prngA", def.prng().a());
    m.put("prngB", def.prng().b());
    m.put("prngC", def.prng().c());
    m.put("prngOutputShift", def.prng().outputShift());

    List<Map<String, Object>> errors = new ArrayList<>();
    for (ProtocolDefinition.ErrorCode e : def.errors()) {
      errors.add(Map.of("name", e.name(), "code", e.code(), "doc", comment(e.doc())));
    }
    m.put("errors", errors);

    List<Map<String, Object>> types = new ArrayList<>();
    for (StructType t : def.types()) {
      Map<String, Object> tm = new HashMap<>();
      tm.put("cName", snake(t.name()));
      tm.put("cType", structType(t.name()));
      tm.put("doc", comment(t.doc()));
      tm.put("fields", fields(t.fields(), false));
      types.add(tm);
    }
    m.put("types", types);

    List<Map<String, Object>> messages = new ArrayList<>();
    for (Message msg : def.messages()) {
      Map<String, Object> mm = new HashMap<>();
      mm.put("name", msg.name());
      mm.put("id", msg.id());
      mm.put("doc", comment(msg.doc()));
      mm.put("toTarget", msg.toTarget());
      mm.put("cName", msg.name().toLowerCase(Locale.ROOT));
      mm.put("cType", "tf_" + msg.name().toLowerCase(Locale.ROOT) + "_t");
      mm.put("fields", fields(msg.fields(), msg.toTarget()));
      mm.put("hasBytes", msg.fields().stream().anyMatch(f -> f.kind() == Kind.BYTES));
      mm.put("fixedBytes", msg.fields().stream().filter(f -> f.kind().isScalar()).mapToInt(f -> f.kind().size()).sum());
      messages.add(mm);
    }
    m.put("messages", messages);
    return m;
  }

  /** Declaration, encoder and decoder snippets of each field; {@code v} is the value, {@code w} the writer. */
  private List<Map<String, Object>> fields(List<Field> fields, boolean decoded) {
    List<Map<String, Object>> out = new ArrayList<>();
    int offset = 0;
    for (Field f : fields) {
      String n = snake(f.name());
      String decl;
      String enc;
      String dec = "";
      if (f.array()) {
        String elem = f.kind() == Kind.STRUCT ? structType(f.structName()) : cType(f.kind());
        String put = f.kind() == Kind.STRUCT ? "put_" + snake(f.structName()) + "(w, &v->" + n + "[i]);"
            : "put_" + f.kind().name().toLowerCase(Locale.ROOT) + "(w, v->" + n + "[i]);";
        decl = "  const " + elem + " *" + n + ";\n  uint8_t " + n + "_count;";
        enc = "  {\n    uint32_t i;\n    put_u8(w, v->" + n + "_count);\n    for (i = 0; i < v->" + n
            + "_count; i++) {\n      " + put + "\n    }\n  }";
      } else if (f.kind() == Kind.STR) {
        decl = "  const char *" + n + ";";
        enc = "  put_str(w, v->" + n + ");";
      } else if (f.kind() == Kind.BYTES) {
        decl = "  const uint8_t *" + n + ";\n  uint32_t " + n + "_len;";
        enc = "  put_bytes(w, v->" + n + ", v->" + n + "_len);";
        dec = "  out->" + n + " = payload + " + offset + "u;\n  out->" + n + "_len = len - " + offset + "u;";
      } else {
        decl = "  " + cType(f.kind()) + " " + n + ";";
        enc = "  put_" + f.kind().name().toLowerCase(Locale.ROOT) + "(w, v->" + n + ");";
        dec = "  out->" + n + " = " + getter(f.kind(), "payload + " + offset + "u") + ";";
        offset += f.kind().size();
      }
      Map<String, Object> fm = new HashMap<>();
      fm.put("decl", decl);
      fm.put("encode", decoded ? "" : enc);
      fm.put("decode", dec);
      fm.put("doc", comment(f.doc()));
      out.add(fm);
    }
    return out;
  }

  private static String getter(Kind k, String at) {
    return switch (k) {
      case U8 -> "(" + at + ")[0]";
      case U16 -> "get_u16(" + at + ")";
      case U32 -> "get_u32(" + at + ")";
      case I32 -> "(int32_t)get_u32(" + at + ")";
      case U64 -> "get_u64(" + at + ")";
      case F32 -> "get_f32(" + at + ")";
      default -> throw new IllegalArgumentException(k.name());
    };
  }

  private static String cType(Kind k) {
    return switch (k) {
      case U8 -> "uint8_t";
      case U16 -> "uint16_t";
      case U32 -> "uint32_t";
      case I32 -> "int32_t";
      case U64 -> "uint64_t";
      case F32 -> "float";
      default -> throw new IllegalArgumentException(k.name());
    };
  }

  private static String structType(String name) {
    return "tf_" + snake(name) + "_t";
  }

  /** camelCase or CamelCase -> snake_case. */
  static String snake(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static String hex32(long v) {
    return String.format(Locale.ROOT, "0x%08X", v);
  }

  /** Keeps doc text from closing a C comment early. */
  private static String comment(String doc) {
    return doc == null ? "" : doc.replace("*/", "* /");
  }
}
