package io.tinyforge.verify;

import java.util.List;

/** What the target's results are compared with: the bit-exact simulator (or a stand-in in tests). */
public interface Reference {
  /** One operator's first output after it ran. */
  record OpOutput(int opIndex, String opName, int tensor, byte[] bytes) {}

  /** The outputs, in model order. */
  byte[][] run(byte[][] inputs);

  /** Every operator's first output, in execution order. */
  List<OpOutput> trace(byte[][] inputs);

  /** Whether results depend on earlier runs (state tensors): then the runs form one sequence from a reset. */
  default boolean stateful() {
    return false;
  }

  /** Starts a new sequence (state back to its start value); nothing for a stateless reference. */
  default void reset() {}

  /** The state tensors after the last run, by tensor index (empty for a stateless reference). */
  default java.util.Map<Integer, byte[]> state() {
    return java.util.Map.of();
  }
}
