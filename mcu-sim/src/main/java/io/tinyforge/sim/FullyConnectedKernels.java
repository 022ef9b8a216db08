package io.tinyforge.sim;

import io.tinyforge.lower.FullyConnectedParams;

/** FULLY_CONNECTED int8 (TFLM reference FullyConnected / FullyConnectedPerChannel). */
public final class FullyConnectedKernels {
  private FullyConnectedKernels() {}

  static void register(KernelRegistry r) {
    r.register(FullyConnectedParams.class, (p, a) -> {
      if (Int16Kernels.isInt16(a, p.input())) {
        Int16Kernels.fullyConnected(p, a.bytes(p.input()), a.bytes(p.filter()), Int16Kernels.longs(a, p.bias()),
            a.bytes(p.output()));
      } else {
        fullyConnected(p, a.bytes(p.input()), a.bytes(p.filter()), p.bias() >= 0 ? a.ints(p.bias()) : null,
            a.bytes(p.output()));
      }
    });
  }

  public static void fullyConnected(FullyConnectedParams p, byte[] input, byte[] filter, int[] bias,
      byte[] output) {
    final int depth = p.accumDepth();
    final int outD = p.outputDepth();
    final int inOff = p.inputOffset();
    final int fOff = p.filterOffset();
    final int outOff = p.outputOffset();
    final int actMin = p.activationMin();
    final int actMax = p.activationMax();
    final int[] mult = p.outputMultiplier();
    final int[] shift = p.outputShift();
    final boolean perChannel = p.perChannel();
    final int[] x = new int[depth];
    for (int b = 0; b < p.batches(); b++) {
      final int inBase = b * depth;
      for (int d = 0; d < depth; d++) {
        x[d] = input[inBase + d] + inOff;
      }
      for (int oc = 0; oc < outD; oc++) {
        final int fBase = oc * depth;
        int acc = 0;
        if (fOff == 0) {
          for (int d = 0; d < depth; d++) {
            acc += filter[fBase + d] * x[d];
          }
        } else {
          for (int d = 0; d < depth; d++) {
            acc += (filter[fBase + d] + fOff) * x[d];
          }
        }
        if (bias != null) {
          acc += bias[oc];
        }
        final int ch = perChannel ? oc : 0;
        output[b * outD + oc] = Requantize.toInt8(acc, mult[ch], shift[ch], outOff, actMin, actMax);
      }
    }
  }
}
