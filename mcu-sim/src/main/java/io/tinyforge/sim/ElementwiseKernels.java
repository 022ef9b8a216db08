package io.tinyforge.sim;

import io.tinyforge.lower.AddSubParams;
import io.tinyforge.lower.MinMaxParams;
import io.tinyforge.lower.MulParams;
import io.tinyforge.lower.PreluParams;
import io.tinyforge.lower.QuantMath;

/**
 * Two-operand int8 kernels with broadcasting: ADD, SUB (TFLM AddFunc / BroadcastQuantSubSlow), MUL
 * (MulElementwise), MAXIMUM, MINIMUM (MaximumMinimumBroadcastSlow) and PRELU (BroadcastPrelu4DSlow).
 */
public final class ElementwiseKernels {
  private ElementwiseKernels() {}

  static void register(KernelRegistry r) {
    r.register(AddSubParams.class, (p, a) -> {
      if (Int16Kernels.isInt16(a, p.input1())) {
        Int16Kernels.addSub(p, a.bytes(p.input1()), a.bytes(p.input2()), a.bytes(p.output()));
      } else {
        addSub(p, a.bytes(p.input1()), a.bytes(p.input2()), a.bytes(p.output()));
      }
    });
    r.register(MulParams.class, (p, a) -> {
      if (Int16Kernels.isInt16(a, p.input1())) {
        Int16Kernels.mul(p, a.bytes(p.input1()), a.bytes(p.input2()), a.bytes(p.output()));
      } else {
        mul(p, a.bytes(p.input1()), a.bytes(p.input2()), a.bytes(p.output()));
      }
    });
    r.register(MinMaxParams.class, (p, a) -> minMax(p, a.bytes(p.input1()), a.bytes(p.input2()),
        a.bytes(p.output())));
    r.register(PreluParams.class, (p, a) -> prelu(p, a.bytes(p.input()), a.bytes(p.alpha()), a.bytes(p.output())));
  }

  public static void addSub(AddSubParams p, byte[] in1, byte[] in2, byte[] out) {
    int[][] idx = indices(p.outputDims(), p.input1Strides(), p.input2Strides());
    int[] i1 = idx[0];
    int[] i2 = idx[1];
    final int shift = p.leftShift();
    for (int i = 0; i < i1.length; i++) {
      int shifted1 = (p.input1Offset() + in1[i1[i]]) * (1 << shift);
      int shifted2 = (p.input2Offset() + in2[i2[i]]) * (1 << shift);
      int scaled1 = QuantMath.multiplyByQuantizedMultiplierSmallerThanOneExp(shifted1, p.input1Multiplier(),
          p.input1Shift());
      int scaled2 = QuantMath.multiplyByQuantizedMultiplierSmallerThanOneExp(shifted2, p.input2Multiplier(),
          p.input2Shift());
      int raw = p.subtract() ? scaled1 - scaled2 : scaled1 + scaled2;
      int v = QuantMath.multiplyByQuantizedMultiplierSmallerThanOneExp(raw, p.outputMultiplier(), p.outputShift())
          + p.outputOffset();
      out[i] = clamp(v, p.activationMin(), p.activationMax());
    }
  }

  public static void mul(MulParams p, byte[] in1, byte[] in2, byte[] out) {
    int[][] idx = indices(p.outputDims(), p.input1Strides(), p.input2Strides());
    int[] i1 = idx[0];
    int[] i2 = idx[1];
    for (int i = 0; i < i1.length; i++) {
      int a = p.input1Offset() + in1[i1[i]];
      int b = p.input2Offset() + in2[i2[i]];
      int v = p.outputOffset() + QuantMath.multiplyByQuantizedMultiplier(a * b, p.outputMultiplier(),
          p.outputShift());
      out[i] = clamp(v, p.activationMin(), p.activationMax());
    }
  }

  public static void minMax(MinMaxParams p, byte[] in1, byte[] in2, byte[] out) {
    int[][] idx = indices(p.outputDims(), p.input1Strides(), p.input2Strides());
    int[] i1 = idx[0];
    int[] i2 = idx[1];
    for (int i = 0; i < i1.length; i++) {
      byte a = in1[i1[i]];
      byte b = in2[i2[i]];
      out[i] = p.maximum() ? (a > b ? a : b) : (a < b ? a : b);
    }
  }

  public static void prelu(PreluParams p, byte[] in, byte[] alpha, byte[] out) {
    int[][] idx = indices(p.outputDims(), p.inputStrides(), p.alphaStrides());
    int[] ii = idx[0];
    int[] ia = idx[1];
    for (int i = 0; i < ii.length; i++) {
      int x = p.inputOffset() + in[ii[i]];
      int v;
      if (x >= 0) {
        v = QuantMath.multiplyByQuantizedMultiplier(x, p.outputMultiplier1(), p.outputShift1());
      } else {
        int al = p.alphaOffset() + alpha[ia[i]];
        v = QuantMath.multiplyByQuantizedMultiplier(x * al, p.outputMultiplier2(), p.outputShift2());
      }
      out[i] = clamp(v + p.outputOffset(), -128, 127);
    }
  }

  /**
   * The operand element index of every output element, in output (row-major) order: a 6-deep walk of the output
   * extents adding each operand's stride (0 on broadcast dimensions).
   */
  static int[][] indices(int[] dims, int[] s1, int[] s2) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    int[] i1 = new int[n];
    int[] i2 = new int[n];
    int k = 0;
    for (int a = 0, o1a = 0, o2a = 0; a < dims[0]; a++, o1a += s1[0], o2a += s2[0]) {
      for (int b = 0, o1b = o1a, o2b = o2a; b < dims[1]; b++, o1b += s1[1], o2b += s2[1]) {
        for (int c = 0, o1c = o1b, o2c = o2b; c < dims[2]; c++, o1c += s1[2], o2c += s2[2]) {
          for (int d = 0, o1d = o1c, o2d = o2c; d < dims[3]; d++, o1d += s1[3], o2d += s2[3]) {
            for (int e = 0, o1e = o1d, o2e = o2d; e < dims[4]; e++, o1e += s1[4], o2e += s2[4]) {
              for (int f = 0, o1f = o1e, o2f = o2e; f < dims[5]; f++, o1f += s1[5], o2f += s2[5]) {
                i1[k] = o1f;
                i2[k] = o2f;
                k++;
              }
            }
          }
        }
      }
    }
    return new int[][] {i1, i2};
  }

  static byte clamp(int v, int min, int max) {
    return (byte) Math.min(max, Math.max(min, v));
  }
}
