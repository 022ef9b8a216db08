package io.tinyforge.model;

import java.util.List;

/**
 * One operator of the graph, in execution order. Inputs hold tensor indices; -1 marks an optional input that is
 * absent (e.g. a FULLY_CONNECTED without bias). {@code customCode} is set only for CUSTOM ops.
 */
public record Operator(int index, int opcode, int version, String customCode, List<Integer> inputs,
    List<Integer> outputs, OpOptions options) {

  public Operator {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** The builtin op, or null when the code is newer than {@link BuiltinOp} knows. */
  public BuiltinOp op() {
    return BuiltinOp.fromCode(opcode);
  }

  /** Printable name: CONV_2D, CUSTOM(ethos-u), BUILTIN_200. */
  public String opName() {
    if (opcode == BuiltinOp.CUSTOM.code()) {
      return "CUSTOM(" + Names.printable(customCode) + ")";
    }
    return BuiltinOp.nameOf(opcode);
  }

  /** Input tensor index i, or -1 when absent or beyond the list. */
  public int input(int i) {
    return i < inputs.size() ? inputs.get(i) : -1;
  }

  public int output(int i) {
    return outputs.get(i);
  }

  /** Options of the expected record type (the reader guarantees the type matches the op). */
  public <T extends OpOptions> T options(Class<T> type) {
    return type.cast(options);
  }
}
