package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.board.Board;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * External RAM (board.json "external": true) is never chosen by the planner on its own: the layout is that of the
 * on-chip memories until --input-memory or --region-limit names it, and only then does the generated project switch
 * on its start-up set-up.
 */
class ExternalRamLayoutTest {
  @Test
  void withoutAnOptionTheLayoutHasOnlyTheOnChipMemories() throws IOException {
    for (String name : List.of("imxrt1060-evk", "teensy41")) {
      Board board = ArenaLayoutTest.board(name);
      ArenaLayout.Layout l = ArenaLayout.plan(ArenaLayoutTest.digits(), board, 0, Map.of(), "digits");
      assertEquals(List.of("dtcm", "ocram"), l.regions().stream().map(ArenaLayout.Region::memory).toList(), name);
      assertEquals(List.of(), ArenaLayout.externalInUse(board, l), name);
    }
  }

  @Test
  void inputMemoryAloneKeepsTheArenaOnChip() throws IOException {
    Board evk = ArenaLayoutTest.board("imxrt1060-evk");
    ArenaLayout.Layout l = ArenaLayout.plan(ArenaLayoutTest.digits(), evk, 0, Map.of(), "sdram", "digits");
    assertEquals(List.of("dtcm", "ocram"), l.regions().stream().map(ArenaLayout.Region::memory).toList());
    assertEquals("sdram", l.inputs().orElseThrow().memory());
    assertEquals(List.of("sdram"), ArenaLayout.externalInUse(evk, l).stream().map(Board.ArenaMemory::memory).toList());
  }

  @Test
  void regionLimitOptsTheArenaIn() throws IOException {
    Board evk = ArenaLayoutTest.board("imxrt1060-evk");
    ArenaLayout.Layout room = ArenaLayout.plan(ArenaLayoutTest.digits(), evk, 0, Map.of("sdram", 4096L), "digits");
    assertEquals(List.of("dtcm", "ocram", "sdram"), room.regions().stream().map(ArenaLayout.Region::memory).toList());
    // digits fits the DTCM: asked-for SDRAM that the plan does not need stays unused and uninitialised
    assertEquals(List.of(), ArenaLayout.externalInUse(evk, room));
    ArenaLayout.Layout forced = ArenaLayout.plan(ArenaLayoutTest.digits(), evk, 0,
        Map.of("dtcm", 0L, "ocram", 0L, "sdram", 4096L), "digits");
    assertTrue(forced.plan().regionBytes(2) > 0, "the arena is in the SDRAM");
    assertEquals(List.of("sdram"), ArenaLayout.externalInUse(evk, forced).stream().map(Board.ArenaMemory::memory)
        .toList());
  }

  @Test
  void theProjectSwitchesTheSetUpOnOnlyWhenTheSdramIsUsed() throws IOException {
    Board evk = ArenaLayoutTest.board("imxrt1060-evk");
    byte[] bytes = java.nio.file.Files.readAllBytes(ProjectGeneratorTest.DIGITS);
    io.tinyforge.lower.LoweredModel lowered = io.tinyforge.lower.Lowering.lower(
        io.tinyforge.tflite.TfliteReader.read(bytes, "digits"));
    CProject plain = ProjectGenerator.generate(ProjectGeneratorTest.ROOT, evk, lowered, bytes, "digits.tflite");
    CProject sdram = ProjectGenerator.generate(ProjectGeneratorTest.ROOT, evk, lowered, bytes, "digits.tflite", 0,
        Map.of(), "sdram");
    String plainMake = new String(plain.files().get("Makefile"), StandardCharsets.UTF_8);
    String sdramMake = new String(sdram.files().get("Makefile"), StandardCharsets.UTF_8);
    assertTrue(!plainMake.contains("TF_EXTRAM"), plainMake);
    assertTrue(sdramMake.contains("DEFINES += -DTF_EXTRAM_SEMC_SDRAM=1"), sdramMake);
    assertTrue(new String(sdram.files().get("CMakeLists.txt"), StandardCharsets.UTF_8)
        .contains("\"TF_EXTRAM_SEMC_SDRAM=1\""));
    assertTrue(new String(sdram.files().get("model.c"), StandardCharsets.UTF_8)
        .contains("__attribute__((section(\".bss.tf_input_sdram\")"));
  }
}
