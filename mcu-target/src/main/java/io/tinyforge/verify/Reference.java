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
}
