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
  void ad01KeepsItsLiveSetBoundWithoutTheScratchOfItsWidestLayers() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(AD01), "../shared/models is absent: skipping");
    byte[] bytes = Files.readAllBytes(AD01);
    LoweredModel fused = Fusion.fuse(Lowering.lower(TfliteReader.read(bytes, "ad01"))).scheduled();
    long bound = io.tinyforge.memory.PatchPlanner.smallestPeak(fused, board().alignment(), ScratchSizes.of(board()));
    // every optional scratch kept: the 640-wide layers' widened input sits on the peak
    long withAll = io.tinyforge.memory.MemoryPlanner.arenaBytes(
        io.tinyforge.memory.TensorGraph.of(fused, ScratchSizes.of(board())), board().alignment(), new int[0]);
    assertTrue(withAll > bound, withAll + " vs " + bound);

    for (long limit : new long[] {0, bound}) {
      ArenaLayout.Layout l = ArenaLayout.plan(fused, board(), limit, Map.of(), "ad01");
      assertTrue(l.choice().leanScratch());
      assertEquals(bound, l.choice().plan().arenaBytes(), "limit " + limit);
    }

    // the emitted calls: no scratch where the plan left it out, scratch elsewhere
    CProject p = ProjectGenerator.generate(ProjectGeneratorTest.ROOT, board(),
        Lowering.lower(TfliteReader.read(bytes, "ad01")), bytes, "ad01.tflite", 0, Map.of());
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
    assertEquals(2, without, "the two 640-wide layers\n" + c);
    assertEquals(8, with, c);
  }

  /** A model whose optional scratch is off the peak keeps all of it. */
  @Test
  void scratchOffThePeakStays() throws Exception {
    Path kws = ProjectGeneratorTest.ROOT.resolve("../shared/models/mlperf_tiny_kws_ref_int8.tflite").normalize();
    Assumptions.assumeTrue(Files.isRegularFile(kws), "../shared/models is absent: skipping");
    LoweredModel fused = Fusion.fuse(Lowering.lower(TfliteReader.read(kws))).scheduled();
    assertFalse(ArenaLayout.plan(fused, board(), 0, Map.of(), "kws").choice().leanScratch());
  }
}
