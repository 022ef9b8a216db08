package io.tinyforge.sim;

import io.tinyforge.lower.QuantMath;
import io.tinyforge.lower.SvdfParams;

/**
 * Integer SVDF (TFLM EvalIntegerSvdfReference) with int16 or int8 time weights and state. The state tensor's bytes
 * in the arena are the persistent activation state: this kernel shifts and rewrites them on every invoke.
 */
public final class SvdfKernels {
  private SvdfKernels() {}

  static void register(KernelRegistry r) {
    r.register(SvdfParams.class, (p, a) -> svdf(p, a.bytes(p.input()), a.bytes(p.weightsFeature()),
        a.bytes(p.weightsTime()), a.ints(p.bias()), a.bytes(p.state()), a.bytes(p.output())));
  }

  public static void svdf(SvdfParams p, byte[] input, byte[] weightsFeature, byte[] weightsTime, int[] bias,
      byte[] stateBytes, byte[] output) {
    final int filters = p.filters();
    final int memory = p.memory();
    final int stateCount = p.batches() * filters * memory;
    final boolean wide = p.stateBytes() == 2;
    final int stateMin = wide ? Short.MIN_VALUE : Byte.MIN_VALUE;
    final int stateMax = wide ? Short.MAX_VALUE : Byte.MAX_VALUE;
    int[] state = new int[stateCount];
    for (int i = 0; i < stateCount; i++) {
      state[i] = read(stateBytes, i, wide);
    }
    // The whole state moves one value towards the start; each row's last value is then overwritten below.
    System.arraycopy(state, 1, state, 0, stateCount - 1);
    for (int b = 0; b < p.batches(); b++) {
      int in0 = b * p.inputSize();
      for (int f = 0; f < filters; f++) {
        int w0 = f * p.inputSize();
        int acc = 0;
        for (int c = 0; c < p.inputSize(); c++) {
          acc += weightsFeature[w0 + c] * (input[in0 + c] - p.inputZeroPoint());
        }
        acc = QuantMath.multiplyByQuantizedMultiplier(acc, p.featureMultiplier(), p.featureShift());
        // As the oracle's TFLM does it: clamp first, then add the state zero point, narrowing with wrap-around
        // (newer TFLM sources add the zero point before the clamp; the oracle decides).
        int clamped = Math.max(stateMin, Math.min(stateMax, acc));
        int stored = clamped + p.stateZeroPoint();
        state[(b * filters + f) * memory + memory - 1] = wide ? (short) stored : (byte) stored;
      }
    }
    for (int i = 0; i < stateCount; i++) {
      write(stateBytes, i, state[i], wide);
    }
    for (int b = 0; b < p.batches(); b++) {
      for (int u = 0; u < p.units(); u++) {
        int sum = bias[u];
        for (int r = 0; r < p.rank(); r++) {
          int f = u * p.rank() + r;
          int s0 = (b * filters + f) * memory;
          int dot = 0;
          for (int m = 0; m < memory; m++) {
            dot += read(weightsTime, f * memory + m, wide) * (state[s0 + m] - p.stateZeroPoint());
          }
          sum += dot;
        }
        int v = QuantMath.multiplyByQuantizedMultiplier(sum, p.outputMultiplier(), p.outputShift())
            + p.outputZeroPoint();
        output[b * p.units() + u] = (byte) Math.max(-128, Math.min(127, v));
      }
    }
  }

  private static int read(byte[] data, int i, boolean wide) {
    return wide ? (short) ((data[2 * i] & 0xff) | (data[2 * i + 1] << 8)) : data[i];
  }

  private static void write(byte[] data, int i, int v, boolean wide) {
    if (wide) {
      data[2 * i] = (byte) v;
      data[2 * i + 1] = (byte) (v >> 8);
    } else {
      data[i] = (byte) v;
    }
  }
}
