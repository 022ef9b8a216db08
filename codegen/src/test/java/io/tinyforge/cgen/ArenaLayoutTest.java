package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.lower.Fusion;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.Lowering;
import io.tinyforge.memory.FlexRamSplit;
import io.tinyforge.memory.MemoryPlan;
import io.tinyforge.memory.MemoryPlanner;
import io.tinyforge.memory.TensorGraph;
import io.tinyforge.tflite.TfliteReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which memories hold the arena, and the FlexRAM split, on the boards of boards/. */
class ArenaLayoutTest {
  static LoweredModel digits() throws IOException {
    byte[] bytes = Files.readAllBytes(ProjectGeneratorTest.DIGITS);
    return Fusion.fuse(Lowering.lower(TfliteReader.read(bytes, "digits"))).scheduled();
  }

  static Board board(String name) {
    return BoardRegistry.load(ProjectGeneratorTest.ROOT).get(name);
  }

  @Test
  void aSmallArenaTakesTheSmallestDtcmThatHoldsIt() throws IOException {
    ArenaLayout.Layout l = ArenaLayout.plan(digits(), board("imxrt1060-evk"), 0, Map.of(), "digits");
    // 32 KiB of DTCM minus 8 KiB stack and 16 KiB data reserve leave 8 KiB: enough for the digits arena.
    assertTrue(l.plan().arenaBytes() <= 8 * 1024, "digits arena " + l.plan().arenaBytes());
    assertEquals(new FlexRamSplit(0, 1, 15, 32 * 1024), l.split().orElseThrow());
    assertEquals(l.plan().arenaBytes(), l.plan().regionBytes(0), "all of it in DTCM");
    // as tight as a one-arena plan (tighter: the FULLY_CONNECTED scratch that would raise the peak is left out)
    assertTrue(l.plan().regionBytes(0) <= MemoryPlanner.plan(TensorGraph.of(digits(),
        ScratchSizes.of(board("imxrt1060-evk"))), 32).arenaBytes());
    assertEquals(MemoryPlanner.plan(TensorGraph.of(digits(), ScratchSizes.of(board("imxrt1060-evk"))
        .withoutOptional()), 32).arenaBytes(), l.plan().regionBytes(0));
    assertEquals(0, l.plan().regionBytes(1));
    assertEquals(0x8000L, l.linkerSymbols().get("__flexram_dtcm_length"));
    assertEquals(0x80000L + 15 * 0x8000L, l.linkerSymbols().get("__ocram_length"), "OCRAM2 + 15 FlexRAM banks");
  }

  @Test
  void aRegionLimitMakesThePlanSpanTwoMemories() throws IOException {
    LoweredModel m = digits();
    long single = ArenaLayout.plan(m, board("qemu-mps2-an500"), 0, Map.of(), "digits").plan().arenaBytes();
    ArenaLayout.Layout l = ArenaLayout.plan(m, board("qemu-mps2-an500"), 0, Map.of("ram", single / 2), "digits");
    MemoryPlan p = l.plan();
    assertTrue(p.regionBytes(0) > 0 && p.regionBytes(0) <= single / 2, "ram part " + p.regionBytes(0));
    assertTrue(p.regionBytes(1) > 0, "nothing in psram");
    assertEquals("psram", l.regions().get(1).memory());
  }

  @Test
  void spanningPlanEmitsOneArrayPerMemory() throws IOException {
    LoweredModel lowered = Lowering.lower(TfliteReader.read(Files.readAllBytes(ProjectGeneratorTest.DIGITS),
        "digits"));
    byte[] bytes = Files.readAllBytes(ProjectGeneratorTest.DIGITS);
    long single = ArenaLayout.plan(digits(), board("qemu-mps2-an500"), 0, Map.of(), "digits").plan().arenaBytes();
    CProject p = ProjectGenerator.generate(ProjectGeneratorTest.ROOT, board("qemu-mps2-an500"), lowered, bytes,
        "digits_int8.tflite", 0, Map.of("ram", single / 2));
    String c = new String(p.files().get("model.c"), StandardCharsets.UTF_8);
    assertTrue(c.contains("static uint8_t tf_arena_ram["), c);
    assertTrue(c.contains("TF_ARENA_IN(\".bss.tf_arena_more\")"), "psram array in its section");
    assertTrue(c.contains("tf_arena_of_tensor"), "model_tensor finds each tensor's array");
  }

  @Test
  void inputsKeptInAnotherMemoryLeaveTheArena() throws IOException {
    LoweredModel m = digits();
    int input = m.model().inputs().get(0);
    long inputBytes = m.model().tensor(input).byteSize();
    ArenaLayout.Layout plain = ArenaLayout.plan(m, board("qemu-mps2-an500"), 0, Map.of(), "digits");
    ArenaLayout.Layout l = ArenaLayout.plan(m, board("qemu-mps2-an500"), 0, Map.of(), "psram", "digits");
    ArenaLayout.InputPlace place = l.inputs().orElseThrow();
    assertEquals("psram", place.memory());
    assertEquals(".bss.tf_input_psram", place.section());
    assertEquals(java.util.List.of(input), place.tensors());
    assertTrue(place.bytes() >= inputBytes && place.bytes() < inputBytes + 16, "bytes " + place.bytes());
    assertEquals(-1, l.plan().tensorOffset(input), "the input has no place in the arena");
    assertTrue(plain.plan().tensorOffset(input) >= 0);
    assertTrue(l.plan().arenaBytes() <= plain.plan().arenaBytes());
    // the psram the inputs take is not offered to the arena
    assertEquals(16L * 1024 * 1024 - place.bytes(), l.regions().get(1).capacity());

    byte[] bytes = Files.readAllBytes(ProjectGeneratorTest.DIGITS);
    CProject p = ProjectGenerator.generate(ProjectGeneratorTest.ROOT, board("qemu-mps2-an500"),
        Lowering.lower(TfliteReader.read(bytes, "digits")), bytes, "digits_int8.tflite", 0, Map.of(), "psram");
    String c = new String(p.files().get("model.c"), StandardCharsets.UTF_8);
    assertTrue(c.contains("tf_input_t" + input + "[") && c.contains("section(\".bss.tf_input_psram\")"), c);
    assertTrue(c.contains("case " + input + ": p = tf_input_t" + input + "; break;"), "model_tensor finds it");

    TinyforgeException ram = assertThrows(TinyforgeException.class, () -> ArenaLayout.plan(m,
        board("qemu-mps2-an500"), 0, Map.of(), "ram", "digits"));
    assertTrue(ram.getMessage().contains("use one of [psram]"), ram.getMessage());
    TinyforgeException evk = assertThrows(TinyforgeException.class, () -> ArenaLayout.plan(m,
        board("imxrt1060-evk"), 0, Map.of(), "ocram", "digits"));
    assertTrue(evk.getMessage().contains("use one of [sdram]"), evk.getMessage());
  }

  @Test
  void nothingFitsExitsTwoNamingTheSmallestReachablePeak() throws IOException {
    TinyforgeException e = assertThrows(TinyforgeException.class, () -> ArenaLayout.plan(digits(),
        board("qemu-mps2-an500"), 0, Map.of("ram", 64L, "psram", 64L), "digits"));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("smallest peak reachable"), e.getMessage());
  }

  /**
   * A limit only the model inputs break: on a board whose input memory its plans use anyway the inputs go there;
   * where that memory is opt-in external RAM the error names it and what the rest needs.
   */
  @Test
  void aLimitTheInputsBreakMovesThemOrNamesTheInputMemory() throws IOException {
    // YOLO-Fastest's 320x320x3 input (300 KiB) is above the peak of everything after it
    java.nio.file.Path yolo = ProjectGeneratorTest.ROOT.resolve("../shared/models/yolo_fastest_v1.1_person_int8.tflite")
        .normalize();
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(yolo), "../shared/models is absent: skipping");
    LoweredModel m = io.tinyforge.lower.Fusion.fuse(Lowering.lower(TfliteReader.read(yolo))).scheduled();
    TinyforgeException tight = assertThrows(TinyforgeException.class, () -> ArenaLayout.plan(m,
        board("qemu-mps2-an500"), 1, Map.of(), "psram", "yolo"));
    java.util.regex.Matcher peak = java.util.regex.Pattern.compile("smallest peak reachable .* is ([0-9,]+) bytes")
        .matcher(tight.getMessage());
    assertTrue(peak.find(), tight.getMessage());
    long rest = Long.parseLong(peak.group(1).replace(",", ""));
    // the rest fits that limit once the inputs are elsewhere ...
    assertTrue(ArenaLayout.plan(m, board("qemu-mps2-an500"), rest, Map.of(), "psram", "yolo").plan()
        .arenaBytes() <= rest);
    // ... so without the option qemu-mps2-an500 keeps them in its psram (a memory its plans use anyway) by itself
    final long limit = rest;
    ArenaLayout.Layout auto = ArenaLayout.plan(m, board("qemu-mps2-an500"), limit, Map.of(), "yolo");
    assertTrue(auto.plan().arenaBytes() <= limit);
    ArenaLayout.InputPlace place = auto.inputs().orElseThrow();
    assertEquals("psram", place.memory());
    assertTrue(place.forLimit());
    assertEquals(java.util.List.of(m.model().inputs().get(0)), place.tensors());
    // ... while on the EVK, whose input memory is opt-in external SDRAM, the error names the way out in one line
    TinyforgeException e = assertThrows(TinyforgeException.class, () -> ArenaLayout.plan(m,
        board("imxrt1060-evk"), limit, Map.of(), "yolo"));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("with the model inputs in sdram (e.g. a camera frame in external RAM) the "
        + "other activations need") && e.getMessage().contains("add --input-memory sdram"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    // a board without an input memory keeps the plain advice
    TinyforgeException plain = assertThrows(TinyforgeException.class, () -> ArenaLayout.plan(m,
        board("qemu-mps2-an386"), limit, Map.of(), "yolo"));
    assertTrue(plain.getMessage().endsWith("raise the limit to at least that or use a board with more RAM"),
        plain.getMessage());
  }

  @Test
  void regionLimitOfAnUnknownMemoryOrOneMemoryBoardIsRefused() throws IOException {
    TinyforgeException unknown = assertThrows(TinyforgeException.class, () -> ArenaLayout.plan(digits(),
        board("qemu-mps2-an500"), 0, Map.of("sdram", 1024L), "digits"));
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.getMessage().contains("[ram, psram]"), unknown.getMessage());
    TinyforgeException single = assertThrows(TinyforgeException.class, () -> ArenaLayout.plan(digits(),
        board("qemu-mps2-an386"), 0, Map.of("ram", 1024L), "digits"));
    assertTrue(single.getMessage().contains("arena_memories"), single.getMessage());
  }
}
