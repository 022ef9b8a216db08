package io.tinyforge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.bench.ReferenceFigures.Build;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The notes parser, on a made-up notes file with the real file's shape, and on the real file when present. */
class ReferenceFiguresTest {
  // Invented figures: the parser must take every number from the text, none from itself.
  static final String NOTES = String.join("\n",
      "# Figures",
      "",
      "Some words. With a sentence that ends.",
      "",
      "| model (shared/models) | M7 TFLM+CMSIS-NN instr | M7 TFLM reference instr | M55 TFLM+CMSIS-NN instr "
          + "| TFLM arena_used_bytes (M7) | live-set lower bound |",
      "|---|---:|---:|---:|---:|---:|",
      "| tflm_person_detect_int8 | 1,000,001 | 4,000,004 | 300,003 | 80,008 | 50,005 |",
      "| mlperf_tiny_ic_resnet8_int8 | 2,000,002 | 9,000,009 | 600,006 | 40,004 | 30,003 |",
      "| mlperf_tiny_ad01_int8 | 5,005 | 7,007 | — | 2,002 | 707 |",
      "",
      "person_detect firmware with TFLM+CMSIS-NN on M7: 123,456 B flash without test data (flatbuffer 1 B), TFLM",
      "core ~1 KB.",
      "",
      "Expected outputs (int8), for cross-checks:",
      "- person_detect `[not_person, person]`: all-zero input `10 -10`; `some_input.bin` `-3 3`;",
      "  `other.bin` `5 -5`.",
      "- vww all-zero input: `7 -7`. ic resnet8 all-zero input: `-1 -128 12`.",
      "- kws all-zero input: `-1 -127`.",
      "Trailing words.");

  @Test
  void readsTheTableByItsHeaders() {
    ReferenceFigures f = ReferenceFigures.parse(NOTES);
    assertEquals(List.of("tflm_person_detect_int8", "mlperf_tiny_ic_resnet8_int8", "mlperf_tiny_ad01_int8"),
        f.models());
    assertEquals(OptionalLong.of(1_000_001), f.instructions("tflm_person_detect_int8", "M7", Build.CMSIS_NN));
    assertEquals(OptionalLong.of(4_000_004), f.instructions("tflm_person_detect_int8", "M7", Build.REFERENCE));
    assertEquals(OptionalLong.of(600_006), f.instructions("mlperf_tiny_ic_resnet8_int8", "M55", Build.CMSIS_NN));
    assertEquals(OptionalLong.of(40_004), f.arenaUsedBytes("mlperf_tiny_ic_resnet8_int8"));
    assertEquals("M7", f.arenaCore());
  }

  @Test
  void figuresTheNotesLackAreEmpty() {
    ReferenceFigures f = ReferenceFigures.parse(NOTES);
    assertEquals(OptionalLong.empty(), f.instructions("tflm_person_detect_int8", "M55", Build.REFERENCE));
    assertEquals(OptionalLong.empty(), f.instructions("tflm_person_detect_int8", "M4", Build.CMSIS_NN));
    assertEquals(OptionalLong.empty(), f.instructions("mlperf_tiny_ad01_int8", "M55", Build.CMSIS_NN), "a dash");
    assertEquals(OptionalLong.empty(), f.arenaUsedBytes("mlperf_tiny_vww_96_int8"), "vww has no table row");
    assertEquals(OptionalLong.empty(), f.tflmFlash("tflm_person_detect_int8", "M55"), "flash is an M7 figure");
    assertEquals(Optional.empty(), f.zeroInputOutputs("mlperf_tiny_ad01_int8"));
  }

  @Test
  void readsFlashAndExpectedOutputsFromTheProse() {
    ReferenceFigures f = ReferenceFigures.parse(NOTES);
    assertEquals(OptionalLong.of(123_456), f.tflmFlash("tflm_person_detect_int8", "M7"));
    assertEquals(Optional.of(List.of(10, -10)), f.zeroInputOutputs("tflm_person_detect_int8"));
    assertEquals(Optional.of(List.of(7, -7)), f.zeroInputOutputs("mlperf_tiny_vww_96_int8"));
    assertEquals(Optional.of(List.of(-1, -128, 12)), f.zeroInputOutputs("mlperf_tiny_ic_resnet8_int8"));
    assertEquals(Optional.of(List.of(-1, -127)), f.zeroInputOutputs("mlperf_tiny_kws_ref_int8"));
  }

  @Test
  void aTextWithoutTableGivesNoModels() {
    ReferenceFigures f = ReferenceFigures.parse("no table here\n| just | one row |\n");
    assertTrue(f.models().isEmpty());
    assertEquals("", f.arenaCore());
  }

  @Test
  void coreNamesFollowTheNotes() {
    assertEquals("M7", ReferenceFigures.coreName("cortex-m7"));
    assertEquals("M55", ReferenceFigures.coreName("cortex-m55"));
  }

  @Test
  void theSharedNotesParseCompletely() throws Exception {
    Path notes = Path.of(System.getProperty("tinyforge.root", ".."), "../shared/notes/REFERENCE-FIGURES.md");
    assumeTrue(Files.isRegularFile(notes), notes + " is absent");
    ReferenceFigures f = ReferenceFigures.load(notes).orElseThrow();
    assertFalse(f.models().isEmpty(), "no model rows in " + notes);
    for (String m : f.models()) {
      assertTrue(f.instructions(m, "M7", Build.CMSIS_NN).isPresent(), m + ": M7 CMSIS-NN instr");
      assertTrue(f.instructions(m, "M7", Build.REFERENCE).isPresent(), m + ": M7 reference instr");
      assertTrue(f.instructions(m, "M55", Build.CMSIS_NN).isPresent(), m + ": M55 CMSIS-NN instr");
      assertTrue(f.arenaUsedBytes(m).isPresent(), m + ": arena_used_bytes");
    }
    assertTrue(f.zeroInputOutputs("tflm_person_detect_int8").isPresent(), "person_detect expected outputs");
    assertTrue(f.tflmFlash("tflm_person_detect_int8", "M7").isPresent(), "person_detect TFLM flash");
  }
}
