package io.tinyforge.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * person_detect built for the i.MX RT boards with and without external RAM. Without an option nothing external is
 * in the image: no DCD (the image vector table's DCD word is 0), no PSRAM start-up code, nothing linked at the
 * external addresses. With {@code --input-memory sdram} (EVK) the boot header carries the SEMC set-up, checked
 * command by command against a table written down from the RT1060 reference manual and the IS42S16160J datasheet,
 * and the input buffer lies in the SDRAM; with {@code --input-memory psram} (Teensy 4.1) the FlexSPI2 command table
 * in the image matches the APS6404L's commands, and the input lies in the PSRAM.
 */
class ExternalRamImagesTest {
  static final long FLASH = 0x60000000L;
  static final long SDRAM = 0x80000000L;
  static final long PSRAM = 0x70000000L;

  @TempDir
  Path dir;

  private record Built(Board board, Path out, ElfFile elf, byte[] bin, String stdout) {}

  private Built build(String boardName, String... options) throws Exception {
    Path root = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
    Board board = BoardRegistry.load(root).get(boardName);
    assumeTrue(FirmwareBuild.toolchainAvailable(board), "arm-none-eabi-gcc not found: real-board link skipped");
    Path model = root.resolve("../shared/models/tflm_person_detect_int8.tflite").normalize();
    assumeTrue(Files.isRegularFile(model), model + " is absent (../shared missing): skipped");
    Path out = dir.resolve(boardName + (options.length > 0 ? "-ext" : ""));
    List<String> args = new ArrayList<>(List.of("--board", boardName, model.toString(), "-o", out.toString()));
    args.addAll(List.of(options));
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc = GenFirmware.run(args.toArray(String[]::new), new PrintWriter(o, true), new PrintWriter(e, true));
    assertEquals(0, rc, o + "\n" + e);
    ElfFile elf = ElfFile.read(out.resolve("firmware.elf"));
    assertEquals(List.of(), ImageCheck.check(elf, board), "image problems of " + boardName);
    return new Built(board, out, elf, Files.readAllBytes(out.resolve("firmware.bin")), o.toString());
  }

  /** The image vector table's DCD word (IVT at flash offset 0x1000, DCD pointer its fourth word). */
  private static long dcdPointer(byte[] bin) {
    return ByteBuffer.wrap(bin, 0x1000 + 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
  }

  private static void assertNothingExternal(Built b, long externalOrigin, long externalLength) throws Exception {
    assertEquals(0, dcdPointer(b.bin()), "no DCD in an image that does not use external RAM");
    assertTrue(b.elf().symbol("tf_imxrt_dcd").filter(s -> s.value() != 0).isEmpty(), "DCD linked");
    assertTrue(b.elf().symbol("imxrt_psram_init").isEmpty(), "PSRAM start-up code linked");
    assertTrue(b.elf().symbol("tf_psram_lut").isEmpty(), "PSRAM command table linked");
    for (ElfFile.Section s : b.elf().allocatedSections()) {
      boolean inside = s.address() >= externalOrigin && s.address() < externalOrigin + externalLength;
      assertFalse(inside && s.size() > 0, "section " + s.name() + " in external RAM");
    }
    // the reset code's zeroing of the arena part in a third memory stays a no-op (0..0), as before
    assertEquals(0, b.elf().symbol("__tf_arena_more_start").map(ElfFile.Symbol::value).orElse(0L));
    assertFalse(Files.readString(b.out().resolve("Makefile")).contains("TF_EXTRAM"), "external RAM define");
  }

  private static long inputBuffer(Built b) {
    return b.elf().symbols().stream().filter(s -> s.name().startsWith("tf_input_t")).findFirst()
        .orElseThrow(() -> new AssertionError("no input buffer symbol")).value();
  }

  @Test
  void evkImageWithoutTheOptionHasNoSdramSetUp() throws Exception {
    Built b = build("imxrt1060-evk");
    assertNothingExternal(b, SDRAM, 32L << 20);
    assertFalse(containsWord(b.bin(), 0x030B0031L), "no MPU set-up for the SDRAM");
  }

  /** True if the little-endian 32-bit {@code word} occurs word-aligned in {@code bin}. */
  static boolean containsWord(byte[] bin, long word) {
    ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 4 <= bin.length; i += 4) {
      if ((b.getInt(i) & 0xFFFFFFFFL) == word) {
        return true;
      }
    }
    return false;
  }

  @Test
  void teensyImageWithoutTheOptionHasNoPsramSetUp() throws Exception {
    assertNothingExternal(build("teensy41"), PSRAM, 8L << 20);
  }

  @Test
  void evkInputInSdramCarriesTheSemcSetUpInTheBootHeader() throws Exception {
    Built b = build("imxrt1060-evk", "--input-memory", "sdram");
    long input = inputBuffer(b);
    assertTrue(input >= SDRAM && input + 96 * 96 <= SDRAM + (32L << 20), "input buffer at 0x" + Long.toHexString(input));
    assertTrue(b.stdout().contains("model inputs outside the arena: 9,216 bytes in sdram"), b.stdout());
    // the build summary counts the input buffer apart from the RAM the application uses
    assertTrue(b.stdout().contains("; model inputs 9,216 bytes in a memory of their own"), b.stdout());
    io.tinyforge.board.MemoryUsage usage = io.tinyforge.board.MemoryUsage.of(b.elf(), b.board());
    assertEquals(9216, usage.inputBytes());
    assertEquals(usage.dataBytes() + usage.bssBytes() + usage.arenaBytes() + usage.stackBytes(), usage.ramBytes());
    assertTrue(usage.bssBytes() < 9216, "bss " + usage.bssBytes());
    assertTrue(Files.readString(b.out().resolve("Makefile")).contains("-DTF_EXTRAM_SEMC_SDRAM=1"));

    long dcd = dcdPointer(b.bin());
    assertEquals(b.elf().symbol("tf_imxrt_dcd").orElseThrow().value(), dcd, "IVT points at the DCD");
    assertTrue(dcd > FLASH + 0x1000 && dcd < FLASH + 0x2000, "DCD inside the boot header: 0x" + Long.toHexString(dcd));
    assertEquals(expectedSemcDcd(), parseDcd(b.bin(), (int) (dcd - FLASH)));

    // The start-up code maps the SDRAM write-back: MPU RASR = AP full access (3 << 24) | TEX 1 (1 << 19) | C | B |
    // SIZE 24 (2^25 = 32 MiB, 24 << 1) | enable = 0x030B0031, a constant of the code (ARMv7-M ARM, MPU chapter)
    assertTrue(containsWord(b.bin(), 0x030B0031L), "MPU attributes for the SDRAM in the image");

    // ImageCheck reads the DCD too: a damaged header or command is reported
    byte[] elfBytes = Files.readAllBytes(b.out().resolve("firmware.elf"));
    int at = (int) (long) b.elf().fileOffsetOfLoadAddress(dcd).orElseThrow();
    byte[] badTag = elfBytes.clone();
    badTag[at] = (byte) 0xD1;
    assertTrue(ImageCheck.check(ElfFile.parse(badTag, "bad.elf"), b.board()).stream()
        .anyMatch(p -> p.contains("bad DCD header")), "a wrong DCD tag is caught");
    byte[] badCommand = elfBytes.clone();
    badCommand[at + 4] = (byte) 0xAB;
    assertTrue(ImageCheck.check(ElfFile.parse(badCommand, "bad.elf"), b.board()).stream()
        .anyMatch(p -> p.contains("bad DCD command")), "an unknown DCD command is caught");
  }

  @Test
  void teensyInputInPsramRunsTheFlexspi2SetUp() throws Exception {
    Built b = build("teensy41", "--input-memory", "psram");
    long input = inputBuffer(b);
    assertTrue(input >= PSRAM && input + 96 * 96 <= PSRAM + (8L << 20), "input buffer at 0x" + Long.toHexString(input));
    assertTrue(Files.readString(b.out().resolve("Makefile")).contains("-DTF_EXTRAM_FLEXSPI2_PSRAM=1"));
    assertEquals(0, dcdPointer(b.bin()), "the Teensy sets its PSRAM up in code, not through a DCD");
    assertTrue(b.elf().symbol("imxrt_psram_init").isPresent(), "PSRAM start-up code linked");

    // The LUT: opcode << 10 | pads << 8 | operand per instruction, two per word (first in the low half); opcodes
    // CMD_SDR 0x01, RADDR_SDR 0x02, WRITE_SDR 0x08, READ_SDR 0x09, DUMMY_SDR 0x0C; pads 0 = 1 line, 2 = 4 lines
    // (RT1060 RM, FlexSPI "Look Up Table"). Commands from the APS6404L datasheet. Written out by hand.
    long[] expected = {
        0x0A1806EBL, 0x26043206L, 0, 0, // 0xEB quad read, 24-bit address, 6 wait cycles, read (4 lines)
        0x0A180638L, 0x00002204L, 0, 0, // 0x38 quad write, 24-bit address, write (4 lines)
        0x00000466L, 0, 0, 0,           // 0x66 reset enable (1 line)
        0x00000499L, 0, 0, 0,           // 0x99 reset (1 line)
        0x0818049FL, 0x00002404L, 0, 0, // 0x9F read ID, 24 address bits, read (1 line)
        0x00000435L, 0, 0, 0,           // 0x35 enter quad mode (1 line)
        0x000006F5L, 0, 0, 0,           // 0xF5 leave quad mode (4 lines)
    };
    long lut = b.elf().symbol("tf_psram_lut").orElseThrow().value();
    assertEquals(expected.length * 4L, b.elf().symbol("tf_psram_lut").orElseThrow().size());
    for (int i = 0; i < expected.length; i++) {
      long word = b.elf().readLoadWord(lut + 4L * i).orElseThrow();
      assertEquals(expected[i], word, "LUT word " + i + ": 0x" + Long.toHexString(word));
    }
  }

  /** One DCD command as data: kind ("write", "clear", "set", "wait-set", "wait-clear"), address, value or mask. */
  record Op(String kind, long address, long value) {
    @Override
    public String toString() {
      return String.format("%s 0x%08x 0x%08x", kind, address, value);
    }
  }

  /** The DCD at {@code at}: header (tag 0xD2, big-endian length, version 0x41), then its commands. */
  static List<Op> parseDcd(byte[] bin, int at) {
    ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.BIG_ENDIAN);
    assertEquals(0xD2, bin[at] & 0xFF, "DCD tag");
    int length = b.getShort(at + 1) & 0xFFFF;
    assertEquals(0x41, bin[at + 3] & 0xFF, "DCD version");
    assertTrue(length <= 1768, "the ROM reads at most 1768 DCD bytes, this one has " + length);
    List<Op> ops = new ArrayList<>();
    int p = at + 4;
    while (p < at + length) {
      int tag = bin[p] & 0xFF;
      int len = b.getShort(p + 1) & 0xFFFF;
      int param = bin[p + 3] & 0xFF;
      if (tag == 0xCC) {
        String kind = switch (param) {
          case 0x04 -> "write";
          case 0x0C -> "clear";
          case 0x1C -> "set";
          default -> throw new AssertionError("write parameter 0x" + Integer.toHexString(param));
        };
        for (int q = p + 4; q < p + len; q += 8) {
          ops.add(new Op(kind, b.getInt(q) & 0xFFFFFFFFL, b.getInt(q + 4) & 0xFFFFFFFFL));
        }
      } else if (tag == 0xCF) {
        assertEquals(12, len, "check command without a count");
        String kind = switch (param) {
          case 0x1C -> "wait-set";
          case 0x04 -> "wait-clear";
          default -> throw new AssertionError("check parameter 0x" + Integer.toHexString(param));
        };
        ops.add(new Op(kind, b.getInt(p + 4) & 0xFFFFFFFFL, b.getInt(p + 8) & 0xFFFFFFFFL));
      } else {
        throw new AssertionError("unknown DCD command tag 0x" + Integer.toHexString(tag));
      }
      p += len;
    }
    assertEquals(at + length, p, "commands end where the header says");
    return ops;
  }

  /**
   * The SEMC set-up written down independently: addresses from the RT1060 reference manual (CCM, CCM_ANALOG,
   * IOMUXC, SEMC chapters), timings from the IS42S16160J-6 datasheet counted in 132 MHz cycles (7.58 ns) minus one:
   * tRP 18 ns = 3 -> 2, tRCD 18 = 3 -> 2, tRC 60 = 8 -> 7, tWR 12 = 2 -> 1, tRAS 42 = 6 -> 5, tXSR 70 = 10 -> 9,
   * tRRD 12 = 2 -> 1; refresh 8192 rows / 64 ms: one row every 8 periods of 128 cycles (7.76 us).
   */
  static List<Op> expectedSemcDcd() {
    List<Op> e = new ArrayList<>();
    e.add(new Op("write", 0x400D8030L, 0x00002001L));      // PLL2 enabled, 528 MHz
    e.add(new Op("wait-set", 0x400D8030L, 0x80000000L));   // PLL2 locked
    e.add(new Op("clear", 0x400D8100L, 0x00800000L));      // PFD2 ungated
    e.add(new Op("clear", 0x400FC014L, 0x000700C0L));      // CBCDR SEMC_PODF, SEMC_ALT_CLK_SEL, SEMC_CLK_SEL
    e.add(new Op("set", 0x400FC014L, 0x00020040L));        // SEMC = alternate (PLL2 PFD2 396 MHz) / 3
    e.add(new Op("set", 0x400FC074L, 0x00000030L));        // CCGR3 CG2: SEMC clock on
    e.add(new Op("wait-clear", 0x400FC048L, 0x00000001L)); // CDHIPR SEMC_PODF_BUSY
    for (int n = 0; n <= 38; n++) {
      e.add(new Op("write", 0x401F8014L + 4 * n, 0));           // GPIO_EMC_nn: ALT0 = SEMC
      e.add(new Op("write", 0x401F8204L + 4 * n, 0x000110F9L)); // HYS, PKE, speed 3, DSE 7, fast slew
    }
    e.add(new Op("write", 0x401F80B0L, 0x00000010L));      // GPIO_EMC_39 (DQS): ALT0 with SION
    e.add(new Op("write", 0x401F82A0L, 0x000110F9L));
    e.add(new Op("write", 0x402F0000L, 0x00000001L));      // MCR software reset
    e.add(new Op("wait-clear", 0x402F0000L, 0x00000001L));
    e.add(new Op("write", 0x402F0000L, 0x10000006L));      // MCR: bus timeout 16, DQS loopback, disabled
    e.add(new Op("write", 0x402F0004L, 0));                // IOCR: A8 pad = SDRAM address bit 8
    e.add(new Op("write", 0x402F0008L, 0x00030524L));      // BMCR0
    e.add(new Op("write", 0x402F000CL, 0x06030524L));      // BMCR1
    e.add(new Op("write", 0x402F0010L, 0x8000001BL));      // BR0: 0x80000000, 32 MiB (MS 13), valid
    for (int n = 1; n <= 8; n++) {
      e.add(new Op("write", 0x402F0010L + 4 * n, 0));      // BR1..BR8 invalid
    }
    e.add(new Op("write", 0x402F0038L, 0));                // INTEN
    e.add(new Op("write", 0x402F0040L, 0x00000F31L));      // SDRAMCR0: 16-bit, burst 8, 9 column bits, CL 3
    e.add(new Op("write", 0x402F0044L, 0x00552722L));      // SDRAMCR1: tRAS 5, CKE off 5, tWR 1, tRC 7, tRCD 2, tRP 2
    e.add(new Op("write", 0x402F0048L, 0x00010709L));      // SDRAMCR2: tRRD 1, refresh to refresh 7, tXSR 9
    e.add(new Op("write", 0x402F004CL, 0x08070800L));      // SDRAMCR3: urgent 8, refresh every 7+1, prescaler 8
    e.add(new Op("write", 0x402F0094L, 2));                // IPCR1: 2 bytes
    e.add(new Op("write", 0x402F0098L, 0));                // IPCR2: no byte mask
    e.add(new Op("write", 0x402F0000L, 0x10000004L));      // MCR enabled
    e.add(new Op("write", 0x402F003CL, 3));                // INTR: clear done and error
    e.add(new Op("write", 0x402F0090L, SDRAM));            // IPCR0: the SDRAM's address
    e.add(new Op("write", 0x402F009CL, 0xA55A000FL));      // precharge all
    e.add(new Op("wait-set", 0x402F003CL, 1));
    for (int i = 0; i < 2; i++) {
      e.add(new Op("write", 0x402F003CL, 1));
      e.add(new Op("write", 0x402F009CL, 0xA55A000CL));    // auto refresh
      e.add(new Op("wait-set", 0x402F003CL, 1));
    }
    e.add(new Op("write", 0x402F003CL, 1));
    e.add(new Op("write", 0x402F00A0L, 0x33));             // mode register: CAS latency 3, burst 8
    e.add(new Op("write", 0x402F009CL, 0xA55A000AL));      // mode set
    e.add(new Op("wait-set", 0x402F003CL, 1));
    e.add(new Op("set", 0x402F004CL, 1));                  // SDRAMCR3 REN: refresh on
    return e;
  }
}
