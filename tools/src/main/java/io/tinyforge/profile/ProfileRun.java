package io.tinyforge.profile;

import io.tinyforge.serial.TargetSession;
import java.util.List;

/**
 * One profiled inference: which input ("random seed 3", "file cat.bin"), the whole-inference count (INVOKE's counter around model_invoke) and
 * per operator the counter's advance since the previous operator ({@link TargetSession#NOT_RUN}: its hook did not
 * run, e.g. an operator fused into the next one), all in the board's counter unit.
 */
public record ProfileRun(String input, long whole, List<Long> opCounts) {
  public ProfileRun {
    opCounts = List.copyOf(opCounts);
  }

  public static boolean ran(long count) {
    return count != TargetSession.NOT_RUN;
  }

  /** The sum of the per-op counts: the counter's reading when the last operator's hook ran. */
  public long sumOfOps() {
    return opCounts.stream().filter(ProfileRun::ran).mapToLong(Long::longValue).sum();
  }

  /** Hook calls in this run (operators whose hook ran). */
  public int hookCalls() {
    return (int) opCounts.stream().filter(ProfileRun::ran).count();
  }

  /** What the counter advanced after the last operator's hook: the return from model_invoke. */
  public long afterLastOp() {
    return whole - sumOfOps();
  }
}
