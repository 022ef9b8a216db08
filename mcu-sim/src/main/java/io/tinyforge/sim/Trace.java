package io.tinyforge.sim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A traced run: for each op in order, the bytes of the tensors it wrote (copies taken right after the op), plus
 * the model outputs. {@link #tensor(int)} gives any tensor's bytes by index (inputs, constants and every
 * intermediate), used to find the first layer where another runtime differs.
 */
public final class Trace {
  /** One executed op: its index in the model, name, and the bytes of each output tensor after it ran. */
  public record Step(int opIndex, String opName, Map<Integer, byte[]> outputs) {}

  private final List<Step> steps;
  private final Map<Integer, byte[]> tensors;
  private final byte[][] outputs;

  Trace(List<Step> steps, Map<Integer, byte[]> tensors, byte[][] outputs) {
    this.steps = List.copyOf(steps);
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.outputs = outputs;
  }

  public List<Step> steps() {
    return steps;
  }

  /** Bytes of tensor {@code index} as the run left it, or null for a tensor the run never touched. */
  public byte[] tensor(int index) {
    byte[] b = tensors.get(index);
    return b == null ? null : b.clone();
  }

  /** Every non-constant tensor (graph inputs and everything the ops wrote), by index. */
  public Map<Integer, byte[]> tensors() {
    return tensors;
  }

  public byte[][] outputs() {
    byte[][] copy = new byte[outputs.length][];
    for (int i = 0; i < outputs.length; i++) {
      copy[i] = outputs[i].clone();
    }
    return copy;
  }
}
