package io.tinyforge.sim;

import io.tinyforge.lower.HardSwishParams;
import io.tinyforge.lower.LeakyReluParams;
import io.tinyforge.lower.QuantMath;
import io.tinyforge.lower.Relu6Params;
import io.tinyforge.lower.ReluParams;
import io.tinyforge.lower.SigmoidTanhParams;
import io.tinyforge.lower.SoftmaxParams;

/**
 * int8 activation kernels: RELU, RELU6, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH and SOFTMAX, each the integer
 * arithmetic of TFLM's reference kernel.
 */
public final class ActivationKernels {
  private ActivationKernels() {}

  static void register(KernelRegistry r) {
    r.register(ReluParams.class, (p, a) -> relu(p, a.bytes(p.input()), a.bytes(p.output())));
    r.register(Relu6Params.class, (p, a) -> relu6(p, a.bytes(p.input()), a.bytes(p.output())));
    r.register(LeakyReluParams.class, (p, a) -> leakyRelu(p, a.bytes(p.input()), a.bytes(p.output())));
    r.register(HardSwishParams.class, (p, a) -> hardSwish(p, a.bytes(p.input()), a.bytes(p.output())));
    r.register(SigmoidTanhParams.class, (p, a) -> sigmoidTanh(p, a.bytes(p.input()), a.bytes(p.output())));
    r.register(SoftmaxParams.class, (p, a) -> softmax(p, a.bytes(p.input()), a.bytes(p.output())));
  }

  public static void relu(ReluParams p, byte[] in, byte[] out) {
    for (int i = 0; i < p.count(); i++) {
      int v = p.outputOffset() + QuantMath.multiplyByQuantizedMultiplier(in[i] - p.inputZeroPoint(),
          p.outputMultiplier(), p.outputShift());
      out[i] = ElementwiseKernels.clamp(v, p.activationMin(), p.activationMax());
    }
  }

  public static void relu6(Relu6Params p, byte[] in, byte[] out) {
    for (int i = 0; i < p.count(); i++) {
      int v = in[i];
      out[i] = (byte) (v > p.upper() ? p.upper() : v < p.lower() ? p.lower() : v);
    }
  }

  public static void leakyRelu(LeakyReluParams p, byte[] in, byte[] out) {
    for (int i = 0; i < p.count(); i++) {
      out[i] = (byte) p.apply(in[i]);
    }
  }

  /** reference_ops::HardSwish, every intermediate an int16 as in TFLite (narrowing casts wrap). */
  public static void hardSwish(HardSwishParams p, byte[] in, byte[] out) {
    final int reluishExp = p.reluishMultiplierExponent();
    final short reluishMult = (short) p.reluishMultiplierFixedpointInt16();
    final short outputMult = (short) p.outputMultiplierFixedpointInt16();
    for (int i = 0; i < p.count(); i++) {
      short inputValue = (short) (in[i] - p.inputZeroPoint());
      short hires = (short) (inputValue * (1 << 7));
      short preshiftOutputScale = srdhm16(hires, outputMult);
      short reluish = hires;
      if (reluishExp > 0) {
        reluish = saturatingLeftShift16(reluish, reluishExp - 1);
      }
      reluish = srdhm16(reluish, reluishMult);
      if (reluishExp > 0) {
        reluish = saturatingLeftShift16(reluish, 1);
      }
      if (reluishExp < 0) {
        reluish = roundingDivideByPOT16(reluish, -reluishExp);
      }
      reluish = (short) ((reluish + (1 << 15)) >> 1);
      short preshiftOutput = sdhm16(reluish, preshiftOutputScale);
      short outputValue = roundingDivideByPOT16(preshiftOutput, -p.outputMultiplierExponent());
      outputValue = (short) (outputValue + p.outputZeroPoint());
      out[i] = ElementwiseKernels.clamp(outputValue, -128, 127);
    }
  }

  /** gemmlowp SaturatingRoundingDoublingHighMul for int16. */
  static short srdhm16(short a, short b) {
    if (a == b && a == Short.MIN_VALUE) {
      return Short.MAX_VALUE;
    }
    int ab = a * b;
    int nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (short) ((ab + nudge) / (1 << 15));
  }

  /** hard_swish.h SaturatingDoublingHighMul: like the above but truncating (C division) instead of rounding. */
  static short sdhm16(short a, short b) {
    if (a == b && a == Short.MIN_VALUE) {
      return Short.MAX_VALUE;
    }
    return (short) ((a * b) / (1 << 15));
  }

  static short saturatingLeftShift16(short value, int amount) {
    long result = (long) value * (1L << amount);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, result));
  }

  /** gemmlowp RoundingDivideByPOT instantiated for int16 (the mask is narrowed to int16 as in the template). */
  static short roundingDivideByPOT16(short x, int exponent) {
    short mask = (short) ((1L << exponent) - 1);
    short remainder = (short) (x & mask);
    short threshold = (short) ((mask >> 1) + (x < 0 ? 1 : 0));
    return (short) ((x >> exponent) + (remainder > threshold ? 1 : 0));
  }

  public static void sigmoidTanh(SigmoidTanhParams p, byte[] in, byte[] out) {
    final int radius = p.inputRangeRadius();
    for (int i = 0; i < p.count(); i++) {
      int x = in[i] - p.inputZeroPoint();
      if (x <= -radius) {
        out[i] = -128;
      } else if (x >= radius) {
        out[i] = 127;
      } else {
        int q4 = QuantMath.multiplyByQuantizedMultiplier(x, p.inputMultiplier(), p.inputLeftShift());
        int v;
        if (p.tanh()) {
          v = QuantMath.roundingDivideByPOT(FixedPointFunctions.tanh(q4, 4), 31 - 7);
        } else {
          v = QuantMath.roundingDivideByPOT(FixedPointFunctions.logistic(q4, 4), 31 - 8) - 128;
        }
        out[i] = ElementwiseKernels.clamp(v, -128, 127);
      }
    }
  }

  /** int8 in; int8 or int16 (little-endian) out. */
  public static void softmax(SoftmaxParams p, byte[] in, byte[] out) {
    final int depth = p.depth();
    final int[] bitsOverUnit = new int[1];
    final int outMin = p.outputBytes() == 1 ? Byte.MIN_VALUE : Short.MIN_VALUE;
    final int outMax = p.outputBytes() == 1 ? Byte.MAX_VALUE : Short.MAX_VALUE;
    for (int row = 0; row < p.outerSize(); row++) {
      int base = row * depth;
      int max = -128;
      for (int c = 0; c < depth; c++) {
        max = Math.max(max, in[base + c]);
      }
      int sumOfExps = 0; // Q12.19
      for (int c = 0; c < depth; c++) {
        int diff = in[base + c] - max;
        if (diff >= p.diffMin()) {
          sumOfExps += FixedPointFunctions.rescale(expOfDiff(p, diff), 0, 12);
        }
      }
      int shiftedScale = FixedPointFunctions.reciprocal(sumOfExps, 12, bitsOverUnit);
      int exponent = bitsOverUnit[0] + 31 - 8 * p.outputBytes();
      for (int c = 0; c < depth; c++) {
        int diff = in[base + c] - max;
        int v = outMin;
        if (diff >= p.diffMin()) {
          int unsat = QuantMath.roundingDivideByPOT(
              QuantMath.saturatingRoundingDoublingHighMul(shiftedScale, expOfDiff(p, diff)), exponent);
          v = Math.max(outMin, Math.min(outMax, unsat + outMin));
        }
        if (p.outputBytes() == 1) {
          out[base + c] = (byte) v;
        } else {
          out[2 * (base + c)] = (byte) v;
          out[2 * (base + c) + 1] = (byte) (v >> 8);
        }
      }
    }
  }

  /** exp(beta * scale * diff) in Q0.31 for a non-positive input difference. */
  private static int expOfDiff(SoftmaxParams p, int diff) {
    int rescaled = QuantMath.multiplyByQuantizedMultiplierGreaterThanOne(diff, p.inputMultiplier(),
        p.inputLeftShift());
    return FixedPointFunctions.expOnNegativeValues(rescaled, 5);
  }
}
