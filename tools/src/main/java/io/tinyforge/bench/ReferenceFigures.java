package io.tinyforge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TFLM figures of {@code shared/notes/REFERENCE-FIGURES.md}, read from the file at run time so the benchmark
 * never carries numbers of its own:
 * <ul>
 *   <li>the markdown table: one row per model (first cell = the model's file name without {@code .tflite}); the
 *       columns are found by their header words (a core such as {@code M7}, {@code CMSIS-NN} or {@code reference},
 *       {@code instr}, {@code arena_used_bytes}), not by position;</li>
 *   <li>the prose line "{@code <label> firmware with TFLM+CMSIS-NN on <core>: <n> B flash}";</li>
 *   <li>the expected int8 outputs: clauses "{@code <label> ... all-zero input[:] `<ints>`}".</li>
 * </ul>
 * A label ({@code person_detect}, {@code ic resnet8}) belongs to the model whose name contains it once spaces are
 * read as underscores.
 */
public final class ReferenceFigures {
  /** Which TFLM build an instruction count is of. */
  public enum Build { CMSIS_NN, REFERENCE }

  private static final Pattern FLASH = Pattern.compile(
      "([A-Za-z0-9_]+) firmware with TFLM\\+CMSIS-NN on (M\\d+):\\s*([\\d,]+)\\s*B flash");
  private static final Pattern ZERO_OUTPUT = Pattern.compile("all-zero input:?\\s*`([-\\d\\s]+)`");

  private final List<String> headers;
  private final Map<String, List<String>> rows;
  private final Map<String, List<Integer>> zeroOutputs;
  private final Map<String, Flash> flash;

  private record Flash(String core, long bytes) {}

  private ReferenceFigures(List<String> headers, Map<String, List<String>> rows,
      Map<String, List<Integer>> zeroOutputs, Map<String, Flash> flash) {
    this.headers = headers;
    this.rows = rows;
    this.zeroOutputs = zeroOutputs;
    this.flash = flash;
  }

  /** The figures of {@code file}, or empty when the file does not exist. */
  public static Optional<ReferenceFigures> load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
  }

  /** Parses the notes' text; parts it cannot find are simply absent (every query then answers empty). */
  public static ReferenceFigures parse(String markdown) {
    List<String> headers = List.of();
    Map<String, List<String>> rows = new LinkedHashMap<>();
    String[] lines = markdown.split("\r?\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      if (isTableRow(lines[i]) && isSeparatorRow(lines[i + 1])) {
        headers = cells(lines[i]);
        int j = i + 2;
        for (; j < lines.length && isTableRow(lines[j]); j++) {
          List<String> c = cells(lines[j]);
          if (!c.isEmpty() && !c.get(0).isEmpty()) {
            rows.put(stripModelName(c.get(0)), c);
          }
        }
        break; // the first table is the figures table
      }
    }
    Map<String, List<Integer>> zero = new LinkedHashMap<>();
    int expected = markdown.indexOf("Expected outputs");
    String prose = expected < 0 ? markdown : markdown.substring(expected);
    for (String clause : prose.split(";|\\.\\s|\\n-\\s|\\n\\n")) {
      Matcher m = ZERO_OUTPUT.matcher(clause);
      if (m.find()) {
        String label = clause.substring(0, m.start()).replaceAll("`[^`]*`", " ");
        label = label.replaceFirst("^\\s*-\\s*", "").replace(":", " ").strip();
        if (label.isEmpty()) {
          continue;
        }
        List<Integer> values = new ArrayList<>();
        for (String v : m.group(1).strip().split("\\s+")) {
          values.add(Integer.parseInt(v));
        }
        zero.put(normalise(label), List.copyOf(values));
      }
    }
    Map<String, Flash> flash = new LinkedHashMap<>();
    Matcher f = FLASH.matcher(markdown.replaceAll("\\s+", " "));
    while (f.find()) {
      flash.put(normalise(f.group(1)), new Flash(f.group(2), Long.parseLong(f.group(3).replace(",", ""))));
    }
    return new ReferenceFigures(List.copyOf(headers), rows, zero, flash);
  }

  /** The models of the table, in its order (file names without {@code .tflite}). */
  public List<String> models() {
    return List.copyOf(rows.keySet());
  }

  /** TFLM's instructions per Invoke() of {@code model} on {@code core} (e.g. "M7") for that build. */
  public OptionalLong instructions(String model, String core, Build build) {
    String kind = build == Build.CMSIS_NN ? "cmsis-nn" : "reference";
    return cell(model, h -> hasWord(h, core) && h.toLowerCase(Locale.ROOT).contains(kind)
        && h.toLowerCase(Locale.ROOT).contains("instr"));
  }

  /** TFLM's arena_used_bytes of {@code model} as the notes give it. */
  public OptionalLong arenaUsedBytes(String model) {
    return cell(model, h -> h.contains("arena_used_bytes"));
  }

  /** The core the arena figure was measured on ("M7"), from its column header, or "" if it names none. */
  public String arenaCore() {
    for (String h : headers) {
      if (h.contains("arena_used_bytes")) {
        Matcher m = Pattern.compile("\\b(M\\d+)\\b").matcher(h);
        return m.find() ? m.group(1) : "";
      }
    }
    return "";
  }

  /** Flash of the TFLM+CMSIS-NN firmware of {@code model} on {@code core}, if the notes give it. */
  public OptionalLong tflmFlash(String model, String core) {
    return lookup(flash, model).filter(fl -> fl.core().equalsIgnoreCase(core))
        .map(fl -> OptionalLong.of(fl.bytes())).orElse(OptionalLong.empty());
  }

  /** The int8 outputs TFLM computes for the all-zero input (all outputs in order), if the notes give them. */
  public Optional<List<Integer>> zeroInputOutputs(String model) {
    return lookup(zeroOutputs, model);
  }

  /** "M7" for "cortex-m7", "M55" for "cortex-m55": how the notes name cores. */
  public static String coreName(String boardCore) {
    String c = boardCore.toUpperCase(Locale.ROOT);
    return c.startsWith("CORTEX-") ? c.substring("CORTEX-".length()) : c;
  }

  private OptionalLong cell(String model, java.util.function.Predicate<String> header) {
    List<String> row = rows.get(model);
    if (row == null) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < headers.size() && i < row.size(); i++) {
      if (header.test(headers.get(i))) {
        return number(row.get(i));
      }
    }
    return OptionalLong.empty();
  }

  /** The entry whose label the model's name contains; the longest such label when several do. */
  private static <T> Optional<T> lookup(Map<String, T> byLabel, String model) {
    String name = model.toLowerCase(Locale.ROOT);
    String best = null;
    for (String label : byLabel.keySet()) {
      if (name.contains(label) && (best == null || label.length() > best.length())) {
        best = label;
      }
    }
    return best == null ? Optional.empty() : Optional.of(byLabel.get(best));
  }

  static String normalise(String label) {
    return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
  }

  static OptionalLong number(String cell) {
    String digits = cell.replace(",", "").replace("_", "").strip();
    if (!digits.matches("\\d+")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(digits));
  }

  private static boolean hasWord(String header, String word) {
    return Pattern.compile("(^|[^A-Za-z0-9])" + Pattern.quote(word) + "([^A-Za-z0-9]|$)",
        Pattern.CASE_INSENSITIVE).matcher(header).find();
  }

  private static String stripModelName(String cell) {
    String s = cell.replace("`", "").strip();
    return s.endsWith(".tflite") ? s.substring(0, s.length() - ".tflite".length()) : s;
  }

  private static boolean isTableRow(String line) {
    String t = line.strip();
    return t.startsWith("|") && t.endsWith("|") && t.length() > 1;
  }

  private static boolean isSeparatorRow(String line) {
    return isTableRow(line) && line.strip().matches("\\|(\\s*:?-+:?\\s*\\|)+");
  }

  private static List<String> cells(String line) {
    String t = line.strip();
    String[] parts = t.substring(1, t.length() - 1).split("\\|", -1);
    List<String> out = new ArrayList<>();
    for (String p : parts) {
      out.add(p.strip());
    }
    return out;
  }
}
