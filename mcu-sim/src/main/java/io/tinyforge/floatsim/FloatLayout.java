package io.tinyforge.floatsim;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;

/** Data movement in float: concatenation/pack, split/unpack, pad, transpose, strided slice and the resize ops. */
final class FloatLayout {
  private FloatLayout() {}

  private static int product(int[] dims, int from, int to) {
    int p = 1;
    for (int d = from; d < to; d++) {
      p *= dims[d];
    }
    return p;
  }

  /** CONCATENATION and PACK: each input contributes a contiguous chunk per outer index. */
  static void concat(FloatContext c, Operator op, int axis, Activation act) {
    int[] os = c.dims(op.output(0));
    int rank = os.length;
    int a = axis < 0 ? axis + rank : axis;
    int outer = product(os, 0, a);
    float[] out = c.newOut(op, 0);
    int k = 0;
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < op.inputs().size(); i++) {
        float[] in = c.in(op, i);
        int chunk = in.length / outer;
        for (int j = 0; j < chunk; j++) {
          out[k++] = FloatContext.activate(in[o * chunk + j], act);
        }
      }
    }
  }

  /** SPLIT, SPLIT_V and UNPACK: the inverse of {@link #concat}. */
  static void split(FloatContext c, Operator op, int inputIndex, int axis) {
    float[] in = c.in(op, inputIndex);
    int[] is = c.dims(op.input(inputIndex));
    int a = axis < 0 ? axis + is.length : axis;
    int outer = product(is, 0, a);
    float[][] outs = new float[op.outputs().size()][];
    for (int j = 0; j < outs.length; j++) {
      outs[j] = c.newOut(op, j);
    }
    int k = 0;
    for (int o = 0; o < outer; o++) {
      for (float[] out : outs) {
        int chunk = out.length / outer;
        System.arraycopy(in, k, out, o * chunk, chunk);
        k += chunk;
      }
    }
  }

  static void pad(FloatContext c, Operator op) {
    float[] in = c.in(op, 0);
    int[] is = c.dims(op.input(0));
    int[] os = c.dims(op.output(0));
    int[] pads = c.constInts(op, 1);
    float value = op.op() == BuiltinOp.PADV2 && c.in(op, 2) != null ? c.in(op, 2)[0] : 0f;
    float[] out = c.newOut(op, 0);
    java.util.Arrays.fill(out, value);
    int[] idx = new int[is.length];
    for (int i = 0; i < in.length; i++) {
      int o = 0;
      for (int d = 0; d < is.length; d++) {
        o = o * os[d] + idx[d] + pads[2 * d];
      }
      out[o] = in[i];
      for (int d = is.length - 1; d >= 0 && ++idx[d] == is[d]; d--) {
        idx[d] = 0;
      }
    }
  }

  static void transpose(FloatContext c, Operator op) {
    float[] in = c.in(op, 0);
    int[] is = c.dims(op.input(0));
    int[] perm = c.constInts(op, 1);
    int[] os = c.dims(op.output(0));
    int[] inStride = new int[is.length];
    for (int d = is.length - 1, s = 1; d >= 0; d--) {
      inStride[d] = s;
      s *= is[d];
    }
    float[] out = c.newOut(op, 0);
    int[] idx = new int[os.length];
    for (int i = 0; i < out.length; i++) {
      int src = 0;
      for (int d = 0; d < os.length; d++) {
        src += idx[d] * inStride[perm[d]];
      }
      out[i] = in[src];
      for (int d = os.length - 1; d >= 0 && ++idx[d] == os[d]; d--) {
        idx[d] = 0;
      }
    }
  }

  /** TensorFlow's strided slice with begin/end/shrink masks (ellipsis and new-axis masks are refused). */
  static void stridedSlice(FloatContext c, Operator op) {
    OpOptions.StridedSlice o = op.options(OpOptions.StridedSlice.class);
    if (o.ellipsisMask() != 0 || o.newAxisMask() != 0) {
      throw new ModelException("op " + op.index() + " (STRIDED_SLICE): ellipsis and new-axis masks are not "
          + "supported by the float interpreter");
    }
    float[] in = c.in(op, 0);
    int[] is = c.dims(op.input(0));
    int[] begin = c.constInts(op, 1);
    int[] end = c.constInts(op, 2);
    int[] stride = c.constInts(op, 3);
    int rank = is.length;
    int[] start = new int[rank];
    int[] stop = new int[rank];
    int[] step = new int[rank];
    for (int d = 0; d < rank; d++) {
      int n = is[d];
      int s = d < stride.length ? stride[d] : 1;
      int b = d < begin.length ? begin[d] : 0;
      int e = d < end.length ? end[d] : n;
      if ((o.shrinkAxisMask() >> d & 1) != 0) {
        b = b < 0 ? b + n : b;
        start[d] = b;
        stop[d] = b + 1;
        step[d] = 1;
        continue;
      }
      if (o.offset()) {
        e = b + e;
      }
      b = b < 0 ? b + n : b;
      e = e < 0 ? e + n : e;
      if ((o.beginMask() >> d & 1) != 0) {
        b = s > 0 ? 0 : n - 1;
      }
      if ((o.endMask() >> d & 1) != 0) {
        e = s > 0 ? n : -1;
      }
      start[d] = s > 0 ? Math.max(0, Math.min(b, n)) : Math.max(-1, Math.min(b, n - 1));
      stop[d] = s > 0 ? Math.max(0, Math.min(e, n)) : Math.max(-1, Math.min(e, n - 1));
      step[d] = s;
    }
    float[] out = c.newOut(op, 0);
    int[] k = {0};
    slice(in, is, start, stop, step, 0, 0, out, k);
  }

  private static void slice(float[] in, int[] is, int[] start, int[] stop, int[] step, int d, int offset,
      float[] out, int[] k) {
    if (d == is.length) {
      out[k[0]++] = in[offset];
      return;
    }
    for (int i = start[d]; step[d] > 0 ? i < stop[d] : i > stop[d]; i += step[d]) {
      slice(in, is, start, stop, step, d + 1, offset * is[d] + i, out, k);
    }
  }

  static void resize(FloatContext c, Operator op) {
    OpOptions.Resize o = op.options(OpOptions.Resize.class);
    float[] in = c.in(op, 0);
    int[] is = c.dims(op.input(0));
    int[] os = c.dims(op.output(0));
    float[] out = c.newOut(op, 0);
    int inH = is[1];
    int inW = is[2];
    int ch = is[3];
    int outH = os[1];
    int outW = os[2];
    boolean bilinear = op.op() == BuiltinOp.RESIZE_BILINEAR;
    float scaleH = scale(inH, outH, o.alignCorners());
    float scaleW = scale(inW, outW, o.alignCorners());
    for (int b = 0; b < os[0]; b++) {
      for (int y = 0; y < outH; y++) {
        for (int x = 0; x < outW; x++) {
          int dst = ((b * outH + y) * outW + x) * ch;
          if (!bilinear) {
            int sy = nearest(y, inH, scaleH, o);
            int sx = nearest(x, inW, scaleW, o);
            System.arraycopy(in, ((b * inH + sy) * inW + sx) * ch, out, dst, ch);
            continue;
          }
          float iy = o.halfPixelCenters() ? (y + 0.5f) * scaleH - 0.5f : y * scaleH;
          int y0 = Math.max((int) Math.floor(iy), 0);
          int y1 = Math.min((int) Math.ceil(iy), inH - 1);
          float ix = o.halfPixelCenters() ? (x + 0.5f) * scaleW - 0.5f : x * scaleW;
          int x0 = Math.max((int) Math.floor(ix), 0);
          int x1 = Math.min((int) Math.ceil(ix), inW - 1);
          float dy = iy - y0;
          float dx = ix - x0;
          for (int d = 0; d < ch; d++) {
            out[dst + d] = in[((b * inH + y0) * inW + x0) * ch + d] * (1 - dy) * (1 - dx)
                + in[((b * inH + y1) * inW + x0) * ch + d] * dy * (1 - dx)
                + in[((b * inH + y0) * inW + x1) * ch + d] * (1 - dy) * dx
                + in[((b * inH + y1) * inW + x1) * ch + d] * dy * dx;
          }
        }
      }
    }
  }

  private static float scale(int in, int out, boolean alignCorners) {
    return alignCorners && out > 1 ? (in - 1) / (float) (out - 1) : in / (float) out;
  }

  private static int nearest(int v, int inSize, float scale, OpOptions.Resize o) {
    float offset = o.halfPixelCenters() ? 0.5f : 0f;
    int r = Math.min(o.alignCorners() ? Math.round(v * scale) : (int) Math.floor((v + offset) * scale), inSize - 1);
    return o.halfPixelCenters() ? Math.max(0, r) : r;
  }
}
