package io.tinyforge.cgen;

import io.tinyforge.board.Board;
import java.util.Locale;

/**
 * The instruction-set extensions a board's core offers to the kernels. The generator chooses every kernel variant
 * from this at compile time ({@code tfk_..._dsp}, {@code tfk_..._mve}); the C files never pick a variant on their
 * own. Each level includes the ones before it (an MVE core also has the DSP instructions).
 */
enum Isa {
  /** Plain C: the host build and cores without the DSP extension. */
  PORTABLE,
  /** Armv7E-M / Armv8-M DSP extension (SMLAD, SXTB16, SSAT): Cortex-M4, M7, M33. */
  DSP,
  /** Armv8.1-M Helium (MVE) on top of DSP: Cortex-M55, M85. */
  MVE;

  static Isa of(Board board) {
    return ofCore(board.core());
  }

  static Isa ofCore(String core) {
    return switch (core.toLowerCase(Locale.ROOT)) {
      case "cortex-m55", "cortex-m85" -> MVE;
      case "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m35p" -> DSP;
      default -> PORTABLE;
    };
  }

  boolean hasDsp() {
    return this != PORTABLE;
  }

  boolean hasMve() {
    return this == MVE;
  }
}
