package io.tinyforge.profile;

import io.tinyforge.board.Board;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The smallest step of a board's counter, in its unit: one SysTick tick under QEMU -icount (40 instructions on
 * MPS2, 31.25 on AN547), one cycle for DWT CYCCNT, one nanosecond for the host clock (nominal: the clock's real
 * granularity may be coarser).
 */
public record CounterResolution(double step, String unit, String describe) {

  public static CounterResolution of(Board board) {
    Board.Counter c = board.counter();
    if (c.instructionsPerTick().isPresent()) {
      BigDecimal perTick = c.instructionsPerTick().get().stripTrailingZeros();
      return new CounterResolution(perTick.doubleValue(), c.unit(), String.format(Locale.ROOT,
          "1 tick = %s %s (SysTick under QEMU -icount)", perTick.toPlainString(), c.unit()));
    }
    return new CounterResolution(1, c.unit(), "1 " + singular(c.unit()) + " ("
        + (c.kind().equals("dwt-cyccnt") ? "DWT CYCCNT" : c.kind()) + ")");
  }

  /** The largest whole number of units {@code ticks} steps can span (31.25 x 2 = 62.5 -> 63). */
  public long units(int ticks) {
    return (long) Math.ceil(step * ticks);
  }

  private static String singular(String unit) {
    return unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
  }
}
