package io.tinyforge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The FlexRAM split and its register values. Expected values are written from the register descriptions (i.MX
 * RT1060 reference manual IOMUXC_GPR chapter, NXP AN12077), not computed by the code under test.
 */
class FlexRamSplitTest {
  static final int BANK = 32 * 1024;

  @Test
  void everyCandidateUsesAllSixteenBanksWithPowerOfTwoTcms() {
    List<FlexRamSplit> all = FlexRamSplit.candidates(16, BANK, 0, 24 * 1024);
    assertEquals(List.of(1, 2, 4, 8, 16), all.stream().map(FlexRamSplit::dtcmBanks).toList(),
        "DTCM sizes tried, smallest first");
    for (FlexRamSplit s : all) {
      assertEquals(16, s.itcmBanks() + s.dtcmBanks() + s.ocramBanks(), s.describe());
      assertEquals(0, s.itcmBanks(), "code runs from flash: no ITCM");
      assertEquals(1, Integer.bitCount(s.dtcmBanks()), s.describe());
    }
  }

  @Test
  void minimumsRoundUpToPowersOfTwo() {
    // 40 KiB of stack and data need 2 banks of DTCM (64 KiB); 70 KiB of ITCM code need 4 banks (128 KiB).
    List<FlexRamSplit> all = FlexRamSplit.candidates(16, BANK, 70 * 1024, 40 * 1024);
    assertEquals(new FlexRamSplit(4, 2, 10, BANK), all.get(0));
    assertEquals(new FlexRamSplit(4, 8, 4, BANK), all.get(all.size() - 1), "16 DTCM banks would leave no ITCM");
    assertTrue(FlexRamSplit.candidates(16, BANK, 512 * 1024, 24 * 1024).isEmpty(), "ITCM takes every bank");
  }

  @Test
  void registerValuesOfKnownSplits() {
    // ITCM 0 / DTCM 256 KiB / OCRAM 256 KiB: banks 0-7 OCRAM (01), 8-15 DTCM (10); DTCM size code 9 (256 KiB),
    // ITCM size 0; GPR16: FLEXRAM_BANK_CFG_SEL (bit 2) + INIT_DTCM_EN (bit 1), ITCM disabled.
    FlexRamSplit s = new FlexRamSplit(0, 8, 8, BANK);
    assertEquals(0xAAAA5555, s.gpr17());
    assertEquals(0x00900000, s.gpr14Sizes());
    assertEquals(0b110, s.gpr16Bits());
    // The fuse default as a bank configuration: 8 OCRAM, 4 DTCM (128 KiB, code 8), 4 ITCM (128 KiB, code 8).
    FlexRamSplit fuse = new FlexRamSplit(4, 4, 8, BANK);
    assertEquals(0xFFAA5555, fuse.gpr17());
    assertEquals(0x00880000, fuse.gpr14Sizes());
    assertEquals(0b111, fuse.gpr16Bits());
    // All DTCM: 512 KiB is code 10.
    FlexRamSplit dtcm = new FlexRamSplit(0, 16, 0, BANK);
    assertEquals(0xAAAAAAAA, dtcm.gpr17());
    assertEquals(0x00A00000, dtcm.gpr14Sizes());
  }

  @Test
  void sizeCodesFollowTheReferenceManual() {
    assertEquals(0, FlexRamSplit.sizeCode(0));
    assertEquals(3, FlexRamSplit.sizeCode(4 * 1024));
    assertEquals(6, FlexRamSplit.sizeCode(32 * 1024));
    assertEquals(7, FlexRamSplit.sizeCode(64 * 1024));
    assertEquals(10, FlexRamSplit.sizeCode(512 * 1024));
    assertThrows(IllegalArgumentException.class, () -> FlexRamSplit.sizeCode(96 * 1024));
  }

  @Test
  void refusesSplitsTheHardwareCannotTake() {
    assertThrows(IllegalArgumentException.class, () -> new FlexRamSplit(0, 3, 13, BANK), "DTCM of 3 banks");
    assertThrows(IllegalArgumentException.class, () -> new FlexRamSplit(8, 8, 1, BANK), "17 banks");
  }
}
