package io.tinyforge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tinyforge.TinyforgeException;
import io.tinyforge.board.MemoryUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Table and JSON formatting, the output check, and reading the firmware's console lines. */
class BenchTableTest {
  static BenchRow row(List<Integer> outputs, List<Integer> expected) {
    return new BenchRow("tflm_person_detect_int8", "qemu-mps2-an500", 500L, "instructions", 4000L, 1000L, 300L,
        600L, 700L, 1234567L, null, outputs, expected, null);
  }

  @Test
  void cellsCarryFiguresRatiosAndNa() {
    List<String> c = BenchTable.cells(row(List.of(72, -72), List.of(72, -72)));
    assertEquals(List.of("tflm_person_detect_int8", "qemu-mps2-an500", "500", "4,000", "1,000", "0.50", "300",
        "600", "700", "0.50", "1,234,567", "n/a", "ok"), c);
  }

  @Test
  void arenaRatioFallsBackToTheHostFigure() {
    BenchRow r = new BenchRow("m", "b", 1L, "instructions", null, null, 350L, null, 700L, 1L, null, List.of(1),
        null, null);
    List<String> c = BenchTable.cells(r);
    assertEquals("0.50 (host)", c.get(9));
    assertEquals("n/a", c.get(5), "no CMSIS-NN figure, no ratio");
    assertEquals("n/a", c.get(12), "no expected outputs");
  }

  @Test
  void aWrongOutputIsMarkedAndExplained() {
    BenchRow r = row(List.of(72, -71), List.of(72, -72));
    assertEquals(BenchRow.Check.WRONG, r.check());
    assertTrue(!r.good());
    String t = BenchTable.format(List.of(r));
    assertTrue(t.contains("| WRONG"), t);
    assertTrue(t.contains("WRONG tflm_person_detect_int8 on qemu-mps2-an500: all-zero input gave [72, -71], "
        + "TFLM gives [72, -72]"), t);
  }

  @Test
  void aFailedRowSaysWhy() {
    BenchRow r = new BenchRow("m", "b", null, null, 5L, 5L, null, null, null, null, null, null, null, "boom");
    assertTrue(!r.good());
    String t = BenchTable.format(List.of(r));
    assertTrue(t.contains("FAILED m on b: boom"), t);
  }

  @Test
  void tableColumnsLineUp() {
    String t = BenchTable.format(List.of(row(List.of(72, -72), List.of(72, -72)),
        new BenchRow("kws", "qemu-mps3-an547", 12L, "instructions", null, 3L, 4L, null, null, 5L, null, List.of(1),
            List.of(1), null)));
    String[] lines = t.split("\n");
    assertEquals(4, lines.length, t);
    for (String l : lines) {
      assertEquals(lines[0].length(), l.length(), "ragged line: " + l);
      assertEquals(BenchTable.HEADERS.size() + 1, l.chars().filter(ch -> ch == '|').count(), l);
    }
    assertTrue(lines[1].startsWith("|---"), lines[1]);
    assertTrue(lines[1].contains(":|"), "figures are right-aligned: " + lines[1]);
  }

  @Test
  void jsonHasNumbersAndNulls() {
    JsonObject o = JsonParser.parseString(BenchTable.json(List.of(row(List.of(72, -72), List.of(72, -72))),
        "notes.md")).getAsJsonObject();
    JsonObject r = o.getAsJsonArray("rows").get(0).getAsJsonObject();
    assertEquals(500, r.get("ours_instructions").getAsLong());
    assertEquals(0.5, r.get("ratio_ours_cmsis_nn").getAsDouble());
    assertTrue(r.get("tflm_flash_bytes_notes").isJsonNull());
    assertEquals("ok", r.get("output_check").getAsString());
    assertEquals(-72, r.getAsJsonArray("expected_outputs").get(1).getAsInt());
  }

  @Test
  void jsonSplitsOurFlashByContent() {
    BenchRow r = new BenchRow("m", "b", 1L, "instructions", null, null, 4L, null, null, 100L, null, List.of(1),
        null, null, new MemoryUsage.FlashSplit(20, 60, 15, 5));
    JsonObject o = JsonParser.parseString(BenchTable.json(List.of(r, row(null, null)), null)).getAsJsonObject();
    JsonObject split = o.getAsJsonArray("rows").get(0).getAsJsonObject();
    assertEquals(20, split.get("our_flash_code_bytes").getAsLong());
    assertEquals(60, split.get("our_flash_weights_biases_bytes").getAsLong());
    assertEquals(15, split.get("our_flash_requant_tables_bytes").getAsLong());
    assertEquals(5, split.get("our_flash_other_const_bytes").getAsLong());
    JsonObject none = o.getAsJsonArray("rows").get(1).getAsJsonObject();
    assertTrue(none.get("our_flash_code_bytes").isJsonNull(), "a row without the split has nulls");
  }

  @Test
  void consoleLinesGiveSignedOutputsAndTheCount() {
    FirmwareRun run = FirmwareRun.parse(List.of("READY abc", "OUTPUT 0 48b8", "OUTPUT 1 ff80", "COUNT 1234 "
        + "instructions", "DONE"));
    assertEquals(List.of(72, -72, -1, -128), run.outputs());
    assertEquals(1234, run.count());
    assertEquals("instructions", run.unit());
    assertThrows(TinyforgeException.class, () -> FirmwareRun.parse(List.of("READY", "OUTPUT 0 00", "DONE")));
  }
}
