package io.tinyforge.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * How the i.MX RT FlexRAM banks are shared between ITCM, DTCM and OCRAM, and the IOMUXC_GPR values that select it
 * at start-up (i.MX RT1060 reference manual, IOMUXC_GPR chapter; NXP AN12077 "Using the i.MX RT FlexRAM"):
 * GPR17 holds two bits per bank (00 unused, 01 OCRAM, 10 DTCM, 11 ITCM), GPR16 bit 2 (FLEXRAM_BANK_CFG_SEL) makes
 * the core use GPR17 instead of the fuses and bits 0/1 enable ITCM/DTCM, GPR14 bits 19:16 / 23:20 give the ITCM /
 * DTCM size (0 = none, else log2(KiB) + 1: 32 KiB = 6 ... 512 KiB = 10). The TCM sizes are powers of two; OCRAM
 * takes the banks left over.
 */
public record FlexRamSplit(int itcmBanks, int dtcmBanks, int ocramBanks, int bankBytes) {
  static final int BANK_UNUSED = 0b00;
  static final int BANK_OCRAM = 0b01;
  static final int BANK_DTCM = 0b10;
  static final int BANK_ITCM = 0b11;

  public FlexRamSplit {
    if (itcmBanks < 0 || dtcmBanks < 0 || ocramBanks < 0 || itcmBanks + dtcmBanks + ocramBanks > 16) {
      throw new IllegalArgumentException("FlexRAM split " + itcmBanks + "/" + dtcmBanks + "/" + ocramBanks
          + " banks does not fit 16 banks");
    }
    if (!tcmSize(itcmBanks) || !tcmSize(dtcmBanks)) {
      throw new IllegalArgumentException("FlexRAM split: ITCM and DTCM must be 0 or a power of two of banks, got "
          + itcmBanks + " and " + dtcmBanks);
    }
    if (bankBytes <= 0 || Integer.bitCount(bankBytes) != 1 || bankBytes < 4096) {
      throw new IllegalArgumentException("FlexRAM bank size " + bankBytes + " is not a power of two >= 4 KiB");
    }
  }

  private static boolean tcmSize(int banks) {
    return banks == 0 || Integer.bitCount(banks) == 1;
  }

  public long itcmBytes() {
    return (long) itcmBanks * bankBytes;
  }

  public long dtcmBytes() {
    return (long) dtcmBanks * bankBytes;
  }

  public long ocramBytes() {
    return (long) ocramBanks * bankBytes;
  }

  /** GPR17: OCRAM banks first (bank 0 up), then DTCM, then ITCM; banks beyond them unused. */
  public int gpr17() {
    int value = 0;
    int bank = 0;
    for (int i = 0; i < ocramBanks; i++, bank++) {
      value |= BANK_OCRAM << (2 * bank);
    }
    for (int i = 0; i < dtcmBanks; i++, bank++) {
      value |= BANK_DTCM << (2 * bank);
    }
    for (int i = 0; i < itcmBanks; i++, bank++) {
      value |= BANK_ITCM << (2 * bank);
    }
    return value;
  }

  /** GPR14 bits 23:16 (DTCM size code, ITCM size code); the start-up code keeps the register's other bits. */
  public int gpr14Sizes() {
    return (sizeCode(dtcmBytes()) << 20) | (sizeCode(itcmBytes()) << 16);
  }

  /** GPR16 bits 2:0: FLEXRAM_BANK_CFG_SEL, INIT_DTCM_EN, INIT_ITCM_EN. */
  public int gpr16Bits() {
    return (1 << 2) | (dtcmBanks > 0 ? 1 << 1 : 0) | (itcmBanks > 0 ? 1 : 0);
  }

  /** The GPR14 size field for a TCM of {@code bytes}: 0 for none, else log2(KiB) + 1. */
  static int sizeCode(long bytes) {
    if (bytes == 0) {
      return 0;
    }
    long kib = bytes / 1024;
    if (bytes % 1024 != 0 || Long.bitCount(kib) != 1 || kib < 4 || kib > 512) {
      throw new IllegalArgumentException("a TCM of " + bytes + " bytes has no GPR14 size code");
    }
    return Long.numberOfTrailingZeros(kib) + 1;
  }

  /** "ITCM 0 KiB / DTCM 512 KiB / OCRAM 0 KiB (banks 0/16/0)". */
  public String describe() {
    return String.format(java.util.Locale.ROOT, "ITCM %d KiB / DTCM %d KiB / OCRAM %d KiB (banks %d/%d/%d of %d KiB)",
        itcmBytes() / 1024, dtcmBytes() / 1024, ocramBytes() / 1024, itcmBanks, dtcmBanks, ocramBanks,
        bankBytes / 1024);
  }

  /**
   * Every split of {@code banks} banks with at least {@code itcmMinBytes} of ITCM (the smallest power of two of
   * banks that holds it) and {@code dtcmMinBytes} of DTCM, all remaining banks OCRAM; ordered by DTCM size,
   * smallest first. Empty when the minimums do not fit.
   */
  public static List<FlexRamSplit> candidates(int banks, int bankBytes, long itcmMinBytes, long dtcmMinBytes) {
    int itcm = 0;
    while ((long) itcm * bankBytes < itcmMinBytes) {
      itcm = itcm == 0 ? 1 : itcm * 2;
    }
    List<FlexRamSplit> out = new ArrayList<>();
    for (int dtcm = 1; dtcm <= banks; dtcm *= 2) {
      if ((long) dtcm * bankBytes >= dtcmMinBytes && itcm + dtcm <= banks) {
        out.add(new FlexRamSplit(itcm, dtcm, banks - itcm - dtcm, bankBytes));
      }
    }
    return out;
  }
}
