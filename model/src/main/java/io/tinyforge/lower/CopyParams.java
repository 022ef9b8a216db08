package io.tinyforge.lower;

/**
 * RESHAPE, SQUEEZE, EXPAND_DIMS: the output holds the input's bytes unchanged (the C generator aliases the two
 * buffers; the simulator copies).
 */
public record CopyParams(int input, int output, int bytes) implements KernelParams {
  @Override
  public int[] inputTensors() {
    return new int[] {input};
  }

  @Override
  public int[] outputTensors() {
    return new int[] {output};
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
