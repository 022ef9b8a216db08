package io.tinyforge.bench;

import io.tinyforge.board.MemoryUsage;
import java.util.List;

/**
 * One model on one board: our figures (measured now) next to TFLM's (from the notes, and TFLM's host arena
 * measured now). A null figure is unknown ("n/a"). {@code error} is set when the model could not be generated,
 * built or run; the other measured figures are then null.
 *
 * @param oursInstr instructions of one model_invoke() under QEMU -icount (not cycles)
 * @param tflmArenaNotes TFLM's arena_used_bytes from the notes (a 32-bit target)
 * @param tflmArenaHost TFLM's arena_used_bytes measured now by tflite-micro on this host (64-bit bookkeeping)
 * @param ourFlash text + rodata + data of our ELF
 * @param outputs what the firmware computed for the all-zero input
 * @param expected what TFLM computes for it, per the notes
 * @param ourFlashSplit our flash by content (code, weights and biases, requantization tables, other), or null
 */
public record BenchRow(String model, String board, Long oursInstr, String unit, Long tflmReferenceInstr,
    Long tflmCmsisNnInstr, Long ourArena, Long tflmArenaNotes, Long tflmArenaHost, Long ourFlash, Long tflmFlash,
    List<Integer> outputs, List<Integer> expected, String error, MemoryUsage.FlashSplit ourFlashSplit) {

  /** A row without the flash split. */
  public BenchRow(String model, String board, Long oursInstr, String unit, Long tflmReferenceInstr,
      Long tflmCmsisNnInstr, Long ourArena, Long tflmArenaNotes, Long tflmArenaHost, Long ourFlash, Long tflmFlash,
      List<Integer> outputs, List<Integer> expected, String error) {
    this(model, board, oursInstr, unit, tflmReferenceInstr, tflmCmsisNnInstr, ourArena, tflmArenaNotes,
        tflmArenaHost, ourFlash, tflmFlash, outputs, expected, error, null);
  }

  /** How our output for the all-zero input compares with TFLM's. */
  public enum Check {
    OK("ok"), WRONG("WRONG"), NO_REFERENCE("n/a"), NOT_RUN("-");

    private final String mark;

    Check(String mark) {
      this.mark = mark;
    }

    public String mark() {
      return mark;
    }
  }

  public Check check() {
    if (outputs == null) {
      return Check.NOT_RUN;
    }
    if (expected == null) {
      return Check.NO_REFERENCE;
    }
    return outputs.equals(expected) ? Check.OK : Check.WRONG;
  }

  /** A benchmark row is good when it ran and its outputs are not known to be wrong. */
  public boolean good() {
    return error == null && check() != Check.WRONG;
  }

  /** ours / TFLM+CMSIS-NN instructions, or null. */
  public Double instrRatio() {
    return ratio(oursInstr, tflmCmsisNnInstr);
  }

  /** ours / TFLM arena: against the notes' figure, else against the host figure; null if neither. */
  public Double arenaRatio() {
    return ratio(ourArena, tflmArenaNotes != null ? tflmArenaNotes : tflmArenaHost);
  }

  /** Whether {@link #arenaRatio()} is against the host figure (the notes have none). */
  public boolean arenaRatioIsHost() {
    return tflmArenaNotes == null && tflmArenaHost != null;
  }

  private static Double ratio(Long a, Long b) {
    return a == null || b == null || b == 0 ? null : (double) a / b;
  }
}
