package io.tinyforge.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.ElfFile;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.ImageCheck;
import io.tinyforge.cli.GenFirmware;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * yolo_fastest (768,000 bytes of live activations at its peak, one 614,400-byte buffer) built for the i.MX RT1062
 * boards with no option: the arena must span DTCM and OCRAM with all data on chip, and the image must carry a
 * FlexRAM split that the start-up code can apply (GPR17 banks consistent with the linked DTCM and OCRAM lengths).
 */
class FlexRamImagesTest {
  static final long DTCM = 0x20000000L;
  static final long OCRAM = 0x20200000L;
  static final long OCRAM2_BYTES = 512 * 1024;
  static final long BANK = 32 * 1024;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"imxrt1060-evk", "teensy41"})
  void yoloFitsOnChipWithAPlannedSplit(String boardName) throws Exception {
    Path root = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
    Board board = BoardRegistry.load(root).get(boardName);
    assumeTrue(FirmwareBuild.toolchainAvailable(board), "arm-none-eabi-gcc not found: real-board link skipped");
    Path model = root.resolve("../shared/models/yolo_fastest_v1.1_person_int8.tflite").normalize();
    assumeTrue(Files.isRegularFile(model), model + " is absent (../shared missing): skipped");
    Path out = dir.resolve(boardName);

    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc = GenFirmware.run(new String[] {"--board", boardName, model.toString(), "-o", out.toString()},
        new PrintWriter(o, true), new PrintWriter(e, true));
    assertEquals(0, rc, o + "\n" + e);
    assertTrue(o.toString().contains("FlexRAM split: "), o.toString());

    ElfFile elf = ElfFile.read(out.resolve("firmware.elf"));
    assertEquals(List.of(), ImageCheck.check(elf, board), "image problems of " + boardName);

    assertEquals(1, value(elf, "__flexram_planned"), "the image applies a planned split");
    long gpr17 = value(elf, "__flexram_gpr17");
    int ocramBanks = 0;
    int dtcmBanks = 0;
    int itcmBanks = 0;
    for (int bank = 0; bank < 16; bank++) {
      int code = (int) (gpr17 >>> (2 * bank)) & 3;
      ocramBanks += code == 1 ? 1 : 0;
      dtcmBanks += code == 2 ? 1 : 0;
      itcmBanks += code == 3 ? 1 : 0;
    }
    assertEquals(16, ocramBanks + dtcmBanks + itcmBanks, "every bank has a role");
    assertEquals(1, Integer.bitCount(dtcmBanks), "DTCM is a power of two of banks");
    long dtcmLength = value(elf, "__flexram_dtcm_length");
    long ocramLength = value(elf, "__ocram_length");
    assertEquals(dtcmBanks * BANK, dtcmLength, "linked DTCM length = DTCM banks of GPR17");
    assertEquals(OCRAM2_BYTES + ocramBanks * BANK, ocramLength, "linked OCRAM = OCRAM2 + OCRAM banks of GPR17");
    // GPR14 DTCM size field (bits 23:20): log2(KiB) + 1; GPR16: bank config select + DTCM enable.
    assertEquals(Long.numberOfTrailingZeros(dtcmLength / 1024) + 1, (value(elf, "__flexram_gpr14_sizes") >> 20) & 0xF);
    assertEquals(0b110, value(elf, "__flexram_gpr16_bits"));

    // The arena: in DTCM and OCRAM as linked, nothing in external RAM, at least the 768,000-byte live peak
    // (no patches: the plan fits without recomputation).
    ElfFile.Section fast = section(elf, ".tf_arena_fast");
    ElfFile.Section slow = section(elf, ".tf_arena");
    assertTrue(fast.address() >= DTCM && fast.address() + fast.size() <= DTCM + dtcmLength, "DTCM arena " + fast);
    assertTrue(slow.address() >= OCRAM && slow.address() + slow.size() <= OCRAM + ocramLength, "OCRAM arena " + slow);
    assertTrue(fast.size() > 0 && slow.size() > 0, "the arena spans both memories");
    assertTrue(fast.size() + slow.size() >= 768_000, "arena of " + (fast.size() + slow.size()) + " bytes");
    String modelC = Files.readString(out.resolve("model.c"));
    assertTrue(!modelC.contains("as a patch stage"), "no patches needed");
    ElfFile.Section stack = section(elf, ".stack");
    assertTrue(stack.address() >= DTCM && stack.address() + stack.size() <= DTCM + dtcmLength, "stack in DTCM");
    // While the split changes, the stack is at the end of OCRAM2, outside FlexRAM.
    assertEquals(OCRAM + OCRAM2_BYTES, value(elf, "__imxrt_reset_stack"));
    long reset = elf.readLoadWord(board.vectorTable().orElseThrow() + 4).orElseThrow() & ~1L;
    assertEquals(value(elf, "Reset_Handler") & ~1L, reset, "reset vector: the FlexRAM-aware Reset_Handler");
    assertTrue(elf.symbol("imxrt_flexram_apply").isPresent(), "FlexRAM start-up code linked");
  }

  private static long value(ElfFile elf, String symbol) {
    return elf.symbol(symbol).orElseThrow(() -> new AssertionError("no symbol " + symbol)).value();
  }

  private static ElfFile.Section section(ElfFile elf, String name) {
    return elf.section(name).orElseThrow(() -> new AssertionError("no section " + name));
  }
}
