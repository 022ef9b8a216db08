package io.tinyforge.sim;

import io.tinyforge.lower.ConcatParams;
import io.tinyforge.lower.PadParams;
import io.tinyforge.lower.ResizeBilinearParams;
import io.tinyforge.lower.ResizeNearestParams;
import io.tinyforge.lower.SplitParams;
import io.tinyforge.lower.StridedSliceParams;
import io.tinyforge.lower.TransposeParams;

/**
 * Kernels that move values without arithmetic (plus bilinear interpolation): CONCATENATION / PACK, SPLIT /
 * SPLIT_V / UNPACK, PAD / PADV2, RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR, STRIDED_SLICE and TRANSPOSE.
 */
public final class DataMovementKernels {
  private DataMovementKernels() {}

  static void register(KernelRegistry r) {
    r.register(ConcatParams.class, (p, a) -> {
      byte[][] ins = new byte[p.inputs().length][];
      for (int i = 0; i < ins.length; i++) {
        ins[i] = a.bytes(p.inputs()[i]);
      }
      concat(p, ins, a.bytes(p.output()));
    });
    r.register(SplitParams.class, (p, a) -> {
      byte[][] outs = new byte[p.outputs().length][];
      for (int i = 0; i < outs.length; i++) {
        outs[i] = a.bytes(p.outputs()[i]);
      }
      split(p, a.bytes(p.input()), outs);
    });
    r.register(PadParams.class, (p, a) -> {
      if (Int16Kernels.isInt16(a, p.input())) {
        byte[] v = p.padValueTensor() >= 0 ? a.bytes(p.padValueTensor())
            : new byte[] {(byte) p.padValue(), (byte) (p.padValue() >> 8)};
        Int16Kernels.pad(p, a.bytes(p.input()), v[0], v[1], a.bytes(p.output()));
      } else {
        pad(p, a.bytes(p.input()), p.padValueTensor() >= 0 ? a.bytes(p.padValueTensor())[0] : (byte) p.padValue(),
            a.bytes(p.output()));
      }
    });
    r.register(ResizeNearestParams.class, (p, a) -> resizeNearest(p, a.bytes(p.input()), a.bytes(p.output())));
    r.register(ResizeBilinearParams.class, (p, a) -> resizeBilinear(p, a.bytes(p.input()), a.bytes(p.output())));
    r.register(StridedSliceParams.class, (p, a) -> stridedSlice(p, a.bytes(p.input()), a.bytes(p.output())));
    r.register(TransposeParams.class, (p, a) -> transpose(p, a.bytes(p.input()), a.bytes(p.output())));
  }

  public static void concat(ConcatParams p, byte[][] inputs, byte[] out) {
    final int eb = p.elementBytes();
    int o = 0;
    for (int k = 0; k < p.outerSize(); k++) {
      for (int i = 0; i < inputs.length; i++) {
        int n = p.copySizes()[i] * eb;
        System.arraycopy(inputs[i], k * n, out, o, n);
        o += n;
      }
    }
  }

  public static void split(SplitParams p, byte[] in, byte[][] outputs) {
    final int eb = p.elementBytes();
    int src = 0;
    for (int k = 0; k < p.outerSize(); k++) {
      for (int i = 0; i < outputs.length; i++) {
        int n = p.copySizes()[i] * eb;
        System.arraycopy(in, src, outputs[i], k * n, n);
        src += n;
      }
    }
  }

  public static void pad(PadParams p, byte[] in, byte padValue, byte[] out) {
    int[] d = p.outputDims();
    int[] l = p.leftPadding();
    int[] r = p.rightPadding();
    int src = 0;
    int dst = 0;
    for (int b = 0; b < d[0]; b++) {
      boolean pb = b < l[0] || b >= d[0] - r[0];
      for (int q = 0; q < d[1]; q++) {
        boolean pq = pb || q < l[1] || q >= d[1] - r[1];
        for (int h = 0; h < d[2]; h++) {
          boolean ph = pq || h < l[2] || h >= d[2] - r[2];
          for (int w = 0; w < d[3]; w++) {
            boolean pw = ph || w < l[3] || w >= d[3] - r[3];
            for (int c = 0; c < d[4]; c++) {
              out[dst++] = (pw || c < l[4] || c >= d[4] - r[4]) ? padValue : in[src++];
            }
          }
        }
      }
    }
  }

  public static void resizeNearest(ResizeNearestParams p, byte[] in, byte[] out) {
    final int depth = p.depth();
    final int rowOffset = p.inputWidth() * depth;
    final int batchOffset = p.inputHeight() * rowOffset;
    int o = 0;
    for (int b = 0; b < p.batches(); b++) {
      for (int y = 0; y < p.outputHeight(); y++) {
        int rowBase = b * batchOffset + p.sourceRows()[y] * rowOffset;
        for (int x = 0; x < p.outputWidth(); x++) {
          System.arraycopy(in, rowBase + p.sourceCols()[x] * depth, out, o, depth);
          o += depth;
        }
      }
    }
  }

  /** ResizeBilinearInteger: four 10-bit-weighted neighbours summed in 64 bits, rounded half away from zero. */
  public static void resizeBilinear(ResizeBilinearParams p, byte[] in, byte[] out) {
    final int depth = p.depth();
    final int inH = p.inputHeight();
    final int inW = p.inputWidth();
    final long one = 1 << 10;
    int o = 0;
    for (int b = 0; b < p.batches(); b++) {
      for (int y = 0; y < p.outputHeight(); y++) {
        final int y0 = p.rowLow()[y];
        final int y1 = p.rowHigh()[y];
        final long dy = p.rowScaled()[y] - one * y0;
        for (int x = 0; x < p.outputWidth(); x++) {
          final int x0 = p.colLow()[x];
          final int x1 = p.colHigh()[x];
          final long dx = p.colScaled()[x] - one * x0;
          final int i00 = ((b * inH + y0) * inW + x0) * depth;
          final int i10 = ((b * inH + y1) * inW + x0) * depth;
          final int i01 = ((b * inH + y0) * inW + x1) * depth;
          final int i11 = ((b * inH + y1) * inW + x1) * depth;
          for (int c = 0; c < depth; c++) {
            long sum = in[i00 + c] * (one - dy) * (one - dx)
                + in[i10 + c] * dy * (one - dx)
                + in[i01 + c] * (one - dy) * dx
                + in[i11 + c] * dy * dx;
            long round = sum > 0 ? (1 << 19) : -(1 << 19);
            out[o++] = (byte) ((sum + round) / (1 << 20));
          }
        }
      }
    }
  }

  /** reference_ops::StridedSlice: a 5-D walk writing elements to the output in order. */
  public static void stridedSlice(StridedSliceParams p, byte[] in, byte[] out) {
    final int eb = p.elementBytes();
    final int[] d = p.inputDims();
    final int[] st = p.start();
    final int[] sp = p.stop();
    final int[] s = p.stride();
    int o = 0;
    for (int i0 = st[0]; before(i0, sp[0], s[0]); i0 += s[0]) {
      for (int i1 = st[1]; before(i1, sp[1], s[1]); i1 += s[1]) {
        for (int i2 = st[2]; before(i2, sp[2], s[2]); i2 += s[2]) {
          for (int i3 = st[3]; before(i3, sp[3], s[3]); i3 += s[3]) {
            int base = (((i0 * d[1] + i1) * d[2] + i2) * d[3] + i3) * d[4];
            for (int i4 = st[4]; before(i4, sp[4], s[4]); i4 += s[4]) {
              System.arraycopy(in, (base + i4) * eb, out, o, eb);
              o += eb;
            }
          }
        }
      }
    }
  }

  private static boolean before(int index, int stop, int stride) {
    return stride < 0 ? index > stop : index < stop;
  }

  public static void transpose(TransposeParams p, byte[] in, byte[] out) {
    final int eb = p.elementBytes();
    final int[] d = p.outputDims();
    final int[] s = p.inputStrides();
    final int rank = d.length;
    int total = 1;
    for (int x : d) {
      total *= x;
    }
    int[] idx = new int[rank];
    int src = 0;
    for (int o = 0; o < total; o++) {
      System.arraycopy(in, src * eb, out, o * eb, eb);
      // Odometer increment of the output coordinates, updating the input offset incrementally.
      for (int k = rank - 1; k >= 0; k--) {
        idx[k]++;
        src += s[k];
        if (idx[k] < d[k]) {
          break;
        }
        src -= s[k] * d[k];
        idx[k] = 0;
      }
    }
  }
}
