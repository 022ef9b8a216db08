package io.tinyforge.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.tinyforge.board.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's output: an aligned markdown table for people, JSON for machines. */
public final class BenchTable {
  static final String NA = "n/a";

  /** Column titles; the table's cells follow this order. */
  static final List<String> HEADERS = List.of("model", "board", "ours instr", "TFLM ref instr",
      "TFLM+CMSIS-NN instr", "ours/CMSIS-NN", "our arena", "TFLM arena (notes)", "TFLM arena (host, now)",
      "ours/TFLM arena", "our flash", "TFLM flash (notes)", "zero-input output");

  private BenchTable() {}

  /** The rows as a markdown table whose columns line up in plain text; text columns left, figures right. */
  public static String format(List<BenchRow> rows) {
    List<List<String>> cells = new ArrayList<>();
    for (BenchRow r : rows) {
      cells.add(cells(r));
    }
    int[] width = new int[HEADERS.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = Math.max(3, HEADERS.get(i).length());
      for (List<String> c : cells) {
        width[i] = Math.max(width[i], c.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, HEADERS, width);
    sb.append('|');
    for (int i = 0; i < width.length; i++) {
      sb.append(leftAligned(i) ? "-".repeat(width[i] + 2) : "-".repeat(width[i] + 1) + ":").append('|');
    }
    sb.append('\n');
    for (List<String> c : cells) {
      line(sb, c, width);
    }
    for (BenchRow r : rows) {
      if (r.error() != null) {
        sb.append(String.format(Locale.ROOT, "FAILED %s on %s: %s%n", r.model(), r.board(), r.error()));
      } else if (r.check() == BenchRow.Check.WRONG) {
        sb.append(String.format(Locale.ROOT, "WRONG %s on %s: all-zero input gave %s, TFLM gives %s%n",
            r.model(), r.board(), ints(r.outputs()), ints(r.expected())));
      }
    }
    return sb.toString();
  }

  static List<String> cells(BenchRow r) {
    String arenaRatio = ratio(r.arenaRatio());
    if (r.arenaRatio() != null && r.arenaRatioIsHost()) {
      arenaRatio += " (host)";
    }
    String check = r.check().mark();
    if (r.error() != null) {
      check = "FAILED";
    }
    return List.of(r.model(), r.board(), count(r.oursInstr()), count(r.tflmReferenceInstr()),
        count(r.tflmCmsisNnInstr()), ratio(r.instrRatio()), count(r.ourArena()), count(r.tflmArenaNotes()),
        count(r.tflmArenaHost()), arenaRatio, count(r.ourFlash()), count(r.tflmFlash()), check);
  }

  /** The rows as JSON: one object per row, figures as numbers, unknown figures as null. */
  public static String json(List<BenchRow> rows, String referenceSource) {
    JsonObject root = new JsonObject();
    root.addProperty("unit", "instructions under QEMU -icount shift=0,sleep=off (not cycles)");
    root.add("reference", referenceSource == null ? JsonNull.INSTANCE : new JsonPrimitive(referenceSource));
    JsonArray list = new JsonArray();
    for (BenchRow r : rows) {
      JsonObject o = new JsonObject();
      o.addProperty("model", r.model());
      o.addProperty("board", r.board());
      o.add("ours_instructions", num(r.oursInstr()));
      o.add("ours_counter_unit", r.unit() == null ? JsonNull.INSTANCE : new JsonPrimitive(r.unit()));
      o.add("tflm_reference_instructions", num(r.tflmReferenceInstr()));
      o.add("tflm_cmsis_nn_instructions", num(r.tflmCmsisNnInstr()));
      o.add("ratio_ours_cmsis_nn", num(r.instrRatio()));
      o.add("our_arena_bytes", num(r.ourArena()));
      o.add("tflm_arena_used_bytes_notes", num(r.tflmArenaNotes()));
      o.add("tflm_arena_used_bytes_host", num(r.tflmArenaHost()));
      o.add("ratio_ours_tflm_arena", num(r.arenaRatio()));
      o.add("our_flash_bytes", num(r.ourFlash()));
      o.add("tflm_flash_bytes_notes", num(r.tflmFlash()));
      MemoryUsage.FlashSplit f = r.ourFlashSplit();
      o.add("our_flash_code_bytes", f == null ? JsonNull.INSTANCE : num(f.codeBytes()));
      o.add("our_flash_weights_biases_bytes", f == null ? JsonNull.INSTANCE : num(f.weightsBytes()));
      o.add("our_flash_requant_tables_bytes", f == null ? JsonNull.INSTANCE : num(f.requantBytes()));
      o.add("our_flash_other_const_bytes", f == null ? JsonNull.INSTANCE : num(f.otherBytes()));
      o.add("outputs", intArray(r.outputs()));
      o.add("expected_outputs", intArray(r.expected()));
      o.addProperty("output_check", r.check().name().toLowerCase(Locale.ROOT));
      o.add("error", r.error() == null ? JsonNull.INSTANCE : new JsonPrimitive(r.error()));
      list.add(o);
    }
    root.add("rows", list);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(root) + "\n";
  }

  private static boolean leftAligned(int column) {
    return column <= 1 || column == HEADERS.size() - 1;
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    sb.append('|');
    for (int i = 0; i < width.length; i++) {
      String c = cells.get(i);
      String pad = " ".repeat(width[i] - c.length());
      sb.append(' ').append(leftAligned(i) ? c + pad : pad + c).append(" |");
    }
    sb.append('\n');
  }

  static String count(Long v) {
    return v == null ? NA : String.format(Locale.ROOT, "%,d", v);
  }

  static String ratio(Double v) {
    return v == null ? NA : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String ints(List<Integer> values) {
    return values == null ? NA : values.toString();
  }

  private static JsonElement num(Number n) {
    if (n == null) {
      return JsonNull.INSTANCE;
    }
    if (n instanceof Double d) {
      return new JsonPrimitive(Math.round(d * 10000) / 10000.0);
    }
    return new JsonPrimitive(n);
  }

  private static JsonElement intArray(List<Integer> values) {
    if (values == null) {
      return JsonNull.INSTANCE;
    }
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
