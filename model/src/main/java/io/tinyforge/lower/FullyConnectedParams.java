package io.tinyforge.lower;

/**
 * FULLY_CONNECTED int8. Per-tensor follows reference_integer_ops::FullyConnected (one multiplier, filterOffset
 * applied); per-channel follows FullyConnectedPerChannel (one multiplier per output channel, filter offset ignored,
 * so it is stored as 0). Input row b is input[b * accumDepth ...]; filter row c is filter[c * accumDepth ...].
 */
public record FullyConnectedParams(int input, int filter, int bias, int output,
    int batches, int accumDepth, int outputDepth, boolean perChannel,
    int inputOffset, int filterOffset, int outputOffset,
    int[] outputMultiplier, int[] outputShift,
    int activationMin, int activationMax) implements KernelParams {

  public FullyConnectedParams {
    outputMultiplier = outputMultiplier.clone();
    outputShift = outputShift.clone();
  }

  @Override
  public int[] outputMultiplier() {
    return outputMultiplier.clone();
  }

  @Override
  public int[] outputShift() {
    return outputShift.clone();
  }

  @Override
  public int[] inputTensors() {
    return bias >= 0 ? new int[] {input, filter, bias} : new int[] {input, filter};
  }

  @Override
  public int[] outputTensors() {
    return new int[] {output};
  }
}
