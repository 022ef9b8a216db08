package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.lower.Fusion;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.Lowering;
import io.tinyforge.tflite.TfliteReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A RAM limit that only optional kernel scratch breaks is met by leaving that scratch out where it must. */
class OptionalScratchTest {
  private static final Path AD01 = ProjectGeneratorTest.ROOT
      .resolve("../shared/models/mlperf_tiny_ad01_int8.tflite").normalize();
  private static final Pattern FC_CALL = Pattern.compile("tfk_fc_s8_dsp\\((&op\\d+_params)[^;]*, (\\w+|\\([^;]*\\)), "
      + "(\\d+)u?\\);");

  private static Board board() throws Exception {
    return BoardRegistry.load(ProjectGeneratorTest.ROOT).get("qemu-mps2-an500");
  }

  @Test
  void ad01FitsItsLiveSetBoundWithoutTheScratchOfItsWidestLayers() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(AD01), "../shared/models is absent: skipping");
    byte[] bytes = Files.readAllBytes(AD01);
    LoweredModel fused = Fusion.fuse(Lowering.lower(TfliteReader.read(bytes, "ad01"))).scheduled();

    ArenaLayout.Layout fast = ArenaLayout.plan(fused, board(), 0, Map.of(), "ad01");
    assertFalse(fast.choice().leanScratch());
    long bound = io.tinyforge.memory.PatchPlanner.smallestPeak(fused, board().alignment(), ScratchSizes.of(board()));
    assertTrue(fast.choice().plan().arenaBytes() > bound, "the DSP scratch sits on the peak without a limit");

    ArenaLayout.Layout lean = ArenaLayout.plan(fused, board(), bound, Map.of(), "ad01");
    assertTrue(lean.choice().leanScratch());
    assertEquals(bound, lean.choice().plan().arenaBytes());

    // the emitted calls: no scratch where the plan left it out, scratch elsewhere
    CProject p = ProjectGenerator.generate(ProjectGeneratorTest.ROOT, board(),
        Lowering.lower(TfliteReader.read(bytes, "ad01")), bytes, "ad01.tflite", bound, Map.of());
    String c = new String(p.files().get("model.c"), StandardCharsets.UTF_8);
    Matcher m = FC_CALL.matcher(c);
    int without = 0;
    int with = 0;
    while (m.find()) {
      if (m.group(3).equals("0")) {
        assertEquals("NULL", m.group(2), m.group());
        without++;
      } else {
        with++;
      }
    }
    assertTrue(without >= 1 && with >= 1, "without " + without + ", with " + with + "\n" + c);
  }
}
