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
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * person_detect generated and linked for the i.MX RT boards by gen-firmware itself: the ELF passes the image check
 * (every section inside the board's memories, vector table, FlexSPI configuration block and image vector table), and
 * the raw image that a flasher writes at the start of flash carries the boot header at the offsets the boot ROM reads.
 */
class RealBoardImagesTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"imxrt1060-evk", "teensy41"})
  void personDetectLinksWithAValidBootImage(String boardName) throws IOException {
    Path root = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
    Board board = BoardRegistry.load(root).get(boardName);
    assumeTrue(FirmwareBuild.toolchainAvailable(board), "arm-none-eabi-gcc not found: real-board link skipped");
    Path model = root.resolve("../shared/models/tflm_person_detect_int8.tflite").normalize();
    assumeTrue(Files.isRegularFile(model), model + " is absent (../shared missing): real-board link skipped");
    Path out = dir.resolve(boardName);

    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc = GenFirmware.run(new String[] {"--board", boardName, model.toString(), "-o", out.toString()},
        new PrintWriter(o, true), new PrintWriter(e, true));
    assertEquals(0, rc, o + "\n" + e);
    assertTrue(o.toString().contains("built " + out.resolve("firmware.elf")), o.toString());

    ElfFile elf = ElfFile.read(out.resolve("firmware.elf"));
    assertEquals(List.of(), ImageCheck.check(elf, board), "image problems of " + boardName);

    // person_detect's 46,080-byte arena (pointwise convolutions in place) fits the 128 KiB DTCM beside the 32 KiB
    // stack: it must be placed there
    ElfFile.Section arena = elf.allocatedSections().stream().filter(sec -> sec.name().equals(".tf_arena_fast"))
        .findFirst().orElseThrow(() -> new AssertionError("no .tf_arena_fast section: arena not in DTCM"));
    assertTrue(arena.size() >= 46_080, "arena section of " + arena.size() + " bytes");
    assertTrue(board.memory("dtcm").orElseThrow().contains(arena.address(), arena.size()), "arena outside DTCM");

    // The flashed binary starts at the FlexSPI base: 'FCFB' configuration block at 0, the image vector table at
    // 0x1000 (tag 0xD1, big-endian length 32, version 0x40..0x43), its entry pointing into the image.
    byte[] bin = Files.readAllBytes(out.resolve("firmware.bin"));
    assertTrue(bin.length > 0x2000, "image too small: " + bin.length);
    assertEquals("FCFB", new String(bin, 0, 4, java.nio.charset.StandardCharsets.US_ASCII), "FlexSPI config tag");
    ByteBuffer ivt = ByteBuffer.wrap(bin, 0x1000, 32).slice().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0xD1, ivt.get(0) & 0xFF, "IVT tag");
    assertEquals(32, ((ivt.get(1) & 0xFF) << 8) | (ivt.get(2) & 0xFF), "IVT length");
    int version = ivt.get(3) & 0xFF;
    assertTrue(version >= 0x40 && version <= 0x43, "IVT version " + Integer.toHexString(version));
    long entry = ivt.getInt(4) & 0xFFFFFFFFL;
    long flashBase = 0x60000000L;
    assertTrue(entry > flashBase && entry < flashBase + bin.length, "IVT entry 0x" + Long.toHexString(entry)
        + " lies outside the image");
    long self = ivt.getInt(20) & 0xFFFFFFFFL;
    assertEquals(flashBase + 0x1000, self, "IVT self pointer");
    // The weights really are in flash: the image holds at least person_detect's 218,920 weight bytes.
    assertTrue(bin.length > 218_920, "image of " + bin.length + " bytes cannot hold the weights");
  }
}
