package io.tinyforge.profile;

import io.tinyforge.board.Board;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The smallest step of a board's counter, in its unit: one SysTick tick under QEMU -icount (40 instructions on
 * MPS2, 31.25 on AN547), one cycle for DWT CYCCNT, one nanosecond for the host clock (nominal: the clock's real
 * granularity may be coarser). {@code wallClock}: the count is elapsed time, so it varies between runs of the
 * same code (the host board), unlike QEMU's instruction-driven ticks.
 */
public record CounterResolution(double step, String unit, String describe, boolean wallClock) {

  public static CounterResolution of(Board board) {
    Board.Counter c = board.counter();
    if (c.instructionsPerTick().isPresent()) {
      BigDecimal perTick = c.instructionsPerTick().get().stripTrailingZeros();
      return new CounterResolution(perTick.doubleValue(), c.unit(), String.format(Locale.ROOT,
          "1 tick = %s %s (SysTick under QEMU -icount)", perTick.toPlainString(), c.unit()), false);
    }
    if (c.kind().equals("dwt-cyccnt")) {
      return new CounterResolution(1, c.unit(), "1 cycle (DWT CYCCNT)", false);
    }
    return new CounterResolution(1, c.unit(), "1 " + c.unit() + " (" + c.kind() + ": wall-clock time, it varies "
        + "from run to run)", true);
  }
}
