package io.tinyforge.tflite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts of {@code ../shared/models/MANIFEST.md}, parsed from its text: the Files table (inputs, outputs,
 * operator counts) and the per-model notes (tensor counts, dtypes, weights, options). These are the golden data
 * the reader is checked against; they were dumped with flatc, not by tinyforge.
 */
public final class Manifest {

  /** One model input or output as the table states it; {@code scale} is null for "no-quant". */
  public record TensorFact(String name, String type, int[] shape, Float scale, Long zeroPoint) {}

  /** One {@code .tflite} row of the Files table. */
  public record Row(String file, String description, long bytes, List<TensorFact> inputs,
      List<TensorFact> outputs, Map<String, Integer> opCounts) {}

  /** The "### `file`" notes of one model; maps are empty when a line is absent. */
  public record Notes(String producer, int operators, int tensors, int subgraphs,
      Map<String, Integer> nonConstantDtypes, Map<String, Integer> constantDtypes, int variableTensors,
      Map<String, Integer> weights, Map<String, Integer> biases, Map<String, Integer> opVersions,
      Map<String, Map<String, Integer>> options) {}

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final Map<String, Notes> notes = new LinkedHashMap<>();

  public static Manifest load(Path file) {
    try {
      return new Manifest(Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Manifest(List<String> lines) {
    boolean inFiles = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("## ")) {
        inFiles = line.equals("## Files");
      }
      if (inFiles && line.startsWith("| `") && line.substring(3, line.indexOf('`', 3)).endsWith(".tflite")) {
        Row r = parseRow(line);
        rows.put(r.file(), r);
      }
      if (line.startsWith("### `") && line.endsWith(".tflite`")) {
        String file = line.substring(5, line.length() - 1);
        List<String> body = new ArrayList<>();
        for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("#"); j++) {
          body.add(lines.get(j));
        }
        notes.put(file, parseNotes(file, body));
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalStateException("MANIFEST.md: no .tflite rows found in the '## Files' table");
    }
  }

  public List<Row> tfliteRows() {
    return List.copyOf(rows.values());
  }

  public Row row(String file) {
    Row r = rows.get(file);
    if (r == null) {
      throw new IllegalArgumentException("MANIFEST.md has no row for " + file);
    }
    return r;
  }

  public Notes notes(String file) {
    return notes.get(file);
  }

  // ---- Files table ----

  private static Row parseRow(String line) {
    String[] cells = line.split("\\|", -1);
    // cells[0] is empty (leading '|'): file, bytes, sha, source, license, inputs, outputs, ops
    String first = cells[1].trim();
    String file = first.substring(1, first.indexOf('`', 1));
    int br = first.indexOf("<br>");
    String description = br < 0 ? "" : first.substring(br + 4).trim();
    long bytes = Long.parseLong(cells[2].trim());
    return new Row(file, description, bytes, tensorFacts(cells[6]), tensorFacts(cells[7]), opCounts(cells[8]));
  }

  private static final Pattern TENSOR = Pattern.compile(
      "`([^`]*)`\\s+(\\w+)\\s+([0-9x]+)\\s+(?:no-quant|s=(\\S+)\\s+zp=(-?\\d+))");

  private static List<TensorFact> tensorFacts(String cell) {
    List<TensorFact> out = new ArrayList<>();
    for (String part : cell.trim().split("<br>")) {
      Matcher m = TENSOR.matcher(part.trim());
      if (!m.matches()) {
        throw new IllegalStateException("MANIFEST.md: cannot parse tensor fact '" + part + "'");
      }
      String name = m.group(1).equals("(unnamed)") ? "" : m.group(1);
      String[] dims = m.group(3).split("x");
      int[] shape = new int[dims.length];
      for (int i = 0; i < dims.length; i++) {
        shape[i] = Integer.parseInt(dims[i]);
      }
      Float scale = m.group(4) == null ? null : Float.parseFloat(m.group(4));
      Long zp = m.group(5) == null ? null : Long.parseLong(m.group(5));
      out.add(new TensorFact(name, m.group(2).toUpperCase(), shape, scale, zp));
    }
    return out;
  }

  private static final Pattern COUNT = Pattern.compile("(.+?)\\s+x(\\d+)");

  /** "CONV_2D x14, SOFTMAX x1" -> {CONV_2D=14, SOFTMAX=1}. */
  private static Map<String, Integer> opCounts(String cell) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String part : cell.trim().split(",\\s*")) {
      Matcher m = COUNT.matcher(part.trim());
      if (!m.matches()) {
        throw new IllegalStateException("MANIFEST.md: cannot parse operator count '" + part + "'");
      }
      out.merge(m.group(1), Integer.parseInt(m.group(2)), Integer::sum);
    }
    return out;
  }

  // ---- per-model notes ----

  private static final Pattern PRODUCER = Pattern.compile(
      "- producer: (.*); (\\d+) operators, (\\d+) tensors, (\\d+) subgraph\\(s\\).*");
  private static final Pattern DTYPES = Pattern.compile(
      "- non-constant tensor dtypes: (.*); constant tensor dtypes: (.*); variable \\(state\\) tensors: (\\d+)");
  private static final Pattern OP_LINE = Pattern.compile("- ([A-Z][A-Z0-9_]*): (.*)");

  private static Notes parseNotes(String file, List<String> body) {
    String producer = null;
    int operators = -1;
    int tensors = -1;
    int subgraphs = -1;
    Map<String, Integer> nonConst = Map.of();
    Map<String, Integer> konst = Map.of();
    int variables = -1;
    Map<String, Integer> weights = new LinkedHashMap<>();
    Map<String, Integer> biases = new LinkedHashMap<>();
    Map<String, Integer> versions = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> options = new LinkedHashMap<>();
    for (String line : body) {
      Matcher m;
      if ((m = PRODUCER.matcher(line)).matches()) {
        producer = m.group(1);
        operators = Integer.parseInt(m.group(2));
        tensors = Integer.parseInt(m.group(3));
        subgraphs = Integer.parseInt(m.group(4));
      } else if ((m = DTYPES.matcher(line)).matches()) {
        nonConst = typeCounts(m.group(1));
        konst = typeCounts(m.group(2));
        variables = Integer.parseInt(m.group(3));
      } else if (line.startsWith("- weights: ")) {
        weights = semicolonCounts(line.substring("- weights: ".length()));
      } else if (line.startsWith("- biases: ")) {
        biases = semicolonCounts(line.substring("- biases: ".length()));
      } else if (line.startsWith("- operator versions in the opcode table: ")) {
        for (String part : line.substring("- operator versions in the opcode table: ".length()).split(",\\s*")) {
          int v = part.lastIndexOf(" v");
          versions.put(part.substring(0, v).trim(), Integer.parseInt(part.substring(v + 2).trim()));
        }
      } else if ((m = OP_LINE.matcher(line)).matches()) {
        options.put(m.group(1), semicolonCounts(m.group(2)));
      }
    }
    if (producer == null) {
      throw new IllegalStateException("MANIFEST.md: notes of " + file + " have no producer line");
    }
    return new Notes(producer, operators, tensors, subgraphs, nonConst, konst, variables, weights, biases, versions,
        options);
  }

  /** "INT8 28, INT32 29" -> {INT8=28, INT32=29}. */
  private static Map<String, Integer> typeCounts(String text) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (text.trim().equals("none")) {
      return out;
    }
    for (String part : text.split(",\\s*")) {
      String[] kv = part.trim().split("\\s+");
      out.put(kv[0], Integer.parseInt(kv[1]));
    }
    return out;
  }

  /** "pad=SAME stride=2x2 act=RELU x1; pad=VALID ... x4" -> {"pad=SAME stride=2x2 act=RELU"=1, ...}. */
  private static Map<String, Integer> semicolonCounts(String text) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String part : text.split(";\\s*")) {
      Matcher m = COUNT.matcher(part.trim());
      if (!m.matches()) {
        throw new IllegalStateException("MANIFEST.md: cannot parse '" + part + "'");
      }
      out.merge(m.group(1).trim(), Integer.parseInt(m.group(2)), Integer::sum);
    }
    return out;
  }
}
