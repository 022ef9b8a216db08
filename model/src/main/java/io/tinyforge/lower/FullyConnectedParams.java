package io.tinyforge.lower;

/**
 * FULLY_CONNECTED int8 or 16x8. Per-tensor follows reference_integer_ops::FullyConnected (one multiplier,
 * filterOffset applied); per-channel follows FullyConnectedPerChannel (one multiplier per output channel, filter
 * offset ignored, so it is stored as 0). Input row b is input[b * accumDepth ...]; filter row c is
 * filter[c * accumDepth ...].
 */
public record FullyConnectedParams(int input, int filter, int bias, int output, int batches, int accumDepth,
    int outputDepth, boolean perChannel, int inputOffset, int filterOffset, Requantization requant)
    implements WeightedParams {

  @Override
  public FullyConnectedParams withEpilogue(int output, Requantization requant) {
    return new FullyConnectedParams(input, filter, bias, output, batches, accumDepth, outputDepth, perChannel,
        inputOffset, filterOffset, requant);
  }

  @Override
  public <R> R accept(KernelParams.Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
