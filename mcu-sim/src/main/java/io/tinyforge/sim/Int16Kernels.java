package io.tinyforge.sim;

import io.tinyforge.lower.AddSubParams;
import io.tinyforge.lower.ConvParams;
import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.FullyConnectedParams;
import io.tinyforge.lower.MulParams;
import io.tinyforge.lower.PadParams;
import io.tinyforge.lower.PoolParams;
import io.tinyforge.lower.QuantMath;
import io.tinyforge.model.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * 16x8 kernels: int16 activations with zero point 0, int8 weights, int64 bias and accumulator, as TFLM's reference
 * int16 kernels (reference_integer_ops ConvPerChannel / DepthwiseConvPerChannel / FullyConnected with int16 input,
 * MaxPool16 / AveragePool16). The lowered params are the int8 ones; the int8 kernel families hand an op to these
 * when its input tensor is INT16. Offsets are 0 here (TFLM applies none for int16).
 */
public final class Int16Kernels {
  private Int16Kernels() {}

  static boolean isInt16(TensorArena a, int tensor) {
    return a.model().tensor(tensor).type() == TensorType.INT16;
  }

  static short[] shorts(byte[] data) {
    short[] v = new short[data.length / 2];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(v);
    return v;
  }

  static long[] longs(TensorArena a, int tensor) {
    if (tensor < 0) {
      return null;
    }
    return a.derived(tensor, "int64-bias", b -> {
      long[] v = new long[b.length / 8];
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
      return v;
    });
  }

  private static void put(byte[] out, int i, int v) {
    out[2 * i] = (byte) v;
    out[2 * i + 1] = (byte) (v >> 8);
  }

  private static int requantize(long acc, int multiplier, int shift, int actMin, int actMax) {
    int v = QuantMath.multiplyByQuantizedMultiplier64(acc, multiplier, shift);
    return Math.max(actMin, Math.min(actMax, v));
  }

  public static void conv(ConvParams p, byte[] inputBytes, byte[] filter, long[] bias, byte[] output) {
    short[] input = shorts(inputBytes);
    final int inH = p.inputHeight();
    final int inW = p.inputWidth();
    final int inD = p.inputDepth();
    final int fD = p.filterInputDepth();
    final int outD = p.outputDepth();
    final int perGroup = outD / (inD / fD);
    final int[] mult = p.outputMultiplier();
    final int[] shift = p.outputShift();
    int o = 0;
    for (int b = 0; b < p.batches(); b++) {
      for (int oy = 0; oy < p.outputHeight(); oy++) {
        for (int ox = 0; ox < p.outputWidth(); ox++) {
          for (int oc = 0; oc < outD; oc++) {
            int c0 = (oc / perGroup) * fD;
            long acc = 0;
            for (int fy = 0; fy < p.filterHeight(); fy++) {
              int y = oy * p.strideHeight() - p.padHeight() + p.dilationHeight() * fy;
              if (y < 0 || y >= inH) {
                continue;
              }
              for (int fx = 0; fx < p.filterWidth(); fx++) {
                int x = ox * p.strideWidth() - p.padWidth() + p.dilationWidth() * fx;
                if (x < 0 || x >= inW) {
                  continue;
                }
                int in0 = ((b * inH + y) * inW + x) * inD + c0;
                int f0 = ((oc * p.filterHeight() + fy) * p.filterWidth() + fx) * fD;
                for (int c = 0; c < fD; c++) {
                  acc += (long) (filter[f0 + c] * input[in0 + c]);
                }
              }
            }
            if (bias != null) {
              acc += bias[oc];
            }
            put(output, o++, requantize(acc, mult[oc], shift[oc], p.activationMin(), p.activationMax()));
          }
        }
      }
    }
  }

  public static void depthwise(DepthwiseParams p, byte[] inputBytes, byte[] filter, long[] bias, byte[] output) {
    short[] input = shorts(inputBytes);
    final int inH = p.inputHeight();
    final int inW = p.inputWidth();
    final int inD = p.inputDepth();
    final int outD = p.outputDepth();
    final int[] mult = p.outputMultiplier();
    final int[] shift = p.outputShift();
    for (int b = 0; b < p.batches(); b++) {
      for (int oy = 0; oy < p.outputHeight(); oy++) {
        for (int ox = 0; ox < p.outputWidth(); ox++) {
          for (int ic = 0; ic < inD; ic++) {
            for (int m = 0; m < p.depthMultiplier(); m++) {
              int oc = ic * p.depthMultiplier() + m;
              long acc = 0;
              for (int fy = 0; fy < p.filterHeight(); fy++) {
                int y = oy * p.strideHeight() - p.padHeight() + p.dilationHeight() * fy;
                for (int fx = 0; fx < p.filterWidth(); fx++) {
                  int x = ox * p.strideWidth() - p.padWidth() + p.dilationWidth() * fx;
                  if (y < 0 || y >= inH || x < 0 || x >= inW) {
                    continue;
                  }
                  int in = input[((b * inH + y) * inW + x) * inD + ic];
                  int f = filter[(fy * p.filterWidth() + fx) * outD + oc];
                  acc += (long) (f * in);
                }
              }
              if (bias != null) {
                acc += bias[oc];
              }
              int o = ((b * p.outputHeight() + oy) * p.outputWidth() + ox) * outD + oc;
              put(output, o, requantize(acc, mult[oc], shift[oc], p.activationMin(), p.activationMax()));
            }
          }
        }
      }
    }
  }

  public static void fullyConnected(FullyConnectedParams p, byte[] inputBytes, byte[] filter, long[] bias,
      byte[] output) {
    short[] input = shorts(inputBytes);
    final int depth = p.accumDepth();
    final int[] mult = p.outputMultiplier();
    final int[] shift = p.outputShift();
    for (int b = 0; b < p.batches(); b++) {
      for (int oc = 0; oc < p.outputDepth(); oc++) {
        long acc = 0;
        for (int d = 0; d < depth; d++) {
          acc += (long) ((filter[oc * depth + d] + p.filterOffset()) * input[b * depth + d]);
        }
        if (bias != null) {
          acc += bias[oc];
        }
        int ch = p.perChannel() ? oc : 0;
        put(output, b * p.outputDepth() + oc,
            requantize(acc, mult[ch], shift[ch], p.activationMin(), p.activationMax()));
      }
    }
  }

  public static void pool(PoolParams p, byte[] inputBytes, byte[] output) {
    short[] input = shorts(inputBytes);
    final int inH = p.inputHeight();
    final int inW = p.inputWidth();
    final int depth = p.depth();
    final boolean average = p.kind() == PoolParams.Kind.AVERAGE;
    int o = 0;
    for (int b = 0; b < p.batches(); b++) {
      for (int oy = 0; oy < p.outputHeight(); oy++) {
        for (int ox = 0; ox < p.outputWidth(); ox++) {
          int y0 = oy * p.strideHeight() - p.padHeight();
          int x0 = ox * p.strideWidth() - p.padWidth();
          int fy0 = Math.max(0, -y0);
          int fy1 = Math.min(p.filterHeight(), inH - y0);
          int fx0 = Math.max(0, -x0);
          int fx1 = Math.min(p.filterWidth(), inW - x0);
          for (int c = 0; c < depth; c++) {
            int acc = average ? 0 : Short.MIN_VALUE;
            int count = 0;
            for (int fy = fy0; fy < fy1; fy++) {
              for (int fx = fx0; fx < fx1; fx++) {
                int v = input[((b * inH + y0 + fy) * inW + x0 + fx) * depth + c];
                acc = average ? acc + v : Math.max(acc, v);
                count++;
              }
            }
            if (average) {
              // TFLM: a window with no taps leaves the output unwritten; the generator never plans one.
              acc = count == 0 ? 0 : (acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count);
            }
            put(output, o++, Math.max(p.activationMin(), Math.min(p.activationMax(), acc)));
          }
        }
      }
    }
  }

  /** PAD / PADV2 on int16: the int8 layout walk over pairs of bytes (pad value given low byte first). */
  public static void pad(PadParams p, byte[] in, byte padLow, byte padHigh, byte[] out) {
    int[] d = p.outputDims();
    int[] l = p.leftPadding();
    int[] r = p.rightPadding();
    int dst = 0;
    int src = 0;
    for (int a = 0; a < d[0]; a++) {
      for (int b = 0; b < d[1]; b++) {
        for (int h = 0; h < d[2]; h++) {
          for (int w = 0; w < d[3]; w++) {
            for (int c = 0; c < d[4]; c++) {
              boolean padded = a < l[0] || a >= d[0] - r[0] || b < l[1] || b >= d[1] - r[1] || h < l[2]
                  || h >= d[2] - r[2] || w < l[3] || w >= d[3] - r[3] || c < l[4] || c >= d[4] - r[4];
              if (padded) {
                out[dst++] = padLow;
                out[dst++] = padHigh;
              } else {
                out[dst++] = in[src++];
                out[dst++] = in[src++];
              }
            }
          }
        }
      }
    }
  }

  /** ADD / SUB on int16 (TFLM AddElementwise / SubElementwise arithmetic with left shift 15), broadcasting. */
  public static void addSub(AddSubParams p, byte[] in1Bytes, byte[] in2Bytes, byte[] out) {
    short[] in1 = shorts(in1Bytes);
    short[] in2 = shorts(in2Bytes);
    int[][] idx = ElementwiseKernels.indices(p.outputDims(), p.input1Strides(), p.input2Strides());
    final int shift = p.leftShift();
    for (int i = 0; i < idx[0].length; i++) {
      int shifted1 = (p.input1Offset() + in1[idx[0][i]]) * (1 << shift);
      int shifted2 = (p.input2Offset() + in2[idx[1][i]]) * (1 << shift);
      int scaled1 = QuantMath.multiplyByQuantizedMultiplierSmallerThanOneExp(shifted1, p.input1Multiplier(),
          p.input1Shift());
      int scaled2 = QuantMath.multiplyByQuantizedMultiplierSmallerThanOneExp(shifted2, p.input2Multiplier(),
          p.input2Shift());
      int raw = p.subtract() ? scaled1 - scaled2 : scaled1 + scaled2;
      int v = QuantMath.multiplyByQuantizedMultiplierSmallerThanOneExp(raw, p.outputMultiplier(), p.outputShift())
          + p.outputOffset();
      put(out, i, Math.max(p.activationMin(), Math.min(p.activationMax(), v)));
    }
  }

  /** MUL on int16 (TFLM MulElementwise arithmetic: the product rescaled once), broadcasting. */
  public static void mul(MulParams p, byte[] in1Bytes, byte[] in2Bytes, byte[] out) {
    short[] in1 = shorts(in1Bytes);
    short[] in2 = shorts(in2Bytes);
    int[][] idx = ElementwiseKernels.indices(p.outputDims(), p.input1Strides(), p.input2Strides());
    for (int i = 0; i < idx[0].length; i++) {
      int a = p.input1Offset() + in1[idx[0][i]];
      int b = p.input2Offset() + in2[idx[1][i]];
      int v = p.outputOffset() + QuantMath.multiplyByQuantizedMultiplier(a * b, p.outputMultiplier(),
          p.outputShift());
      put(out, i, Math.max(p.activationMin(), Math.min(p.activationMax(), v)));
    }
  }
}
