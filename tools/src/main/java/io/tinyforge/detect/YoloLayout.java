package io.tinyforge.detect;

import io.tinyforge.TinyforgeException;
import io.tinyforge.model.Model;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How a model's outputs are YOLO heads, given its anchors file: every output is an int8 {@code 1xHxWxC} tensor, the
 * anchors split evenly over the heads ({@code A = anchors / heads}), and {@code C = A * (5 + classes)} with the same
 * class count everywhere. As in darknet's cfgs the finest grid takes the first A anchors, the next grid the next A,
 * and so on (YOLO-Fastest: 20x20 gets anchors 0,1,2 and 10x10 gets 3,4,5). The input must be one int8
 * {@code 1xHxWx3} image tensor.
 */
public record YoloLayout(int inputW, int inputH, float inputScale, int inputZeroPoint, List<YoloHead> heads,
    int classes) {
  public YoloLayout {
    heads = List.copyOf(heads);
  }

  public static YoloLayout of(Model model, Anchors anchors) {
    String name = model.source() == null ? "the model" : model.source();
    if (model.inputs().size() != 1) {
      throw new TinyforgeException(name + " has " + model.inputs().size() + " inputs; a YOLO detector has one image "
          + "input");
    }
    Tensor in = model.input(0);
    int[] is = in.shape().toArray();
    if (in.type() != TensorType.INT8 || is.length != 4 || is[0] != 1 || is[3] != 3) {
      throw new TinyforgeException(name + ": input " + in.label() + " is " + in.type() + " " + dims(is)
          + "; detect needs an int8 1xHxWx3 (RGB) image input");
    }
    Quantization iq = perTensor(in, name, "input");
    int outs = model.outputs().size();
    if (anchors.count() % outs != 0) {
      throw new TinyforgeException(name + " has " + outs + " output(s) but the anchors file has " + anchors.count()
          + " anchors; every YOLO head needs the same number of anchors (anchors = heads x anchors per head)");
    }
    int perHead = anchors.count() / outs;
    List<int[]> grids = new ArrayList<>(); // {output, gridH, gridW}
    int classes = -1;
    for (int o = 0; o < outs; o++) {
      Tensor t = model.output(o);
      int[] s = t.shape().toArray();
      if (t.type() != TensorType.INT8 || s.length != 4 || s[0] != 1) {
        throw new TinyforgeException(name + ": output " + o + " " + t.label() + " is " + t.type() + " " + dims(s)
            + ", not a YOLO head (an int8 1xHxWxC grid of anchors x (x,y,w,h,obj,classes) logits)");
      }
      int c = s[3];
      if (c % perHead != 0 || c / perHead < 6) {
        throw new TinyforgeException(name + ": output " + o + " " + t.label() + " has " + c + " channels; with "
            + perHead + " anchors per head (" + anchors.count() + " anchors, " + outs + " heads) a YOLO head has "
            + perHead + " x (5 + classes) channels, classes >= 1");
      }
      int k = c / perHead - 5;
      if (classes >= 0 && k != classes) {
        throw new TinyforgeException(name + ": output " + o + " has " + k + " classes per anchor, an earlier head "
            + classes + "; YOLO heads must agree");
      }
      classes = k;
      perTensor(t, name, "output " + o);
      grids.add(new int[] {o, s[1], s[2]});
    }
    List<int[]> byFineness = new ArrayList<>(grids);
    byFineness.sort(Comparator.comparingInt((int[] g) -> -g[1] * g[2])); // stable: ties keep output order
    YoloHead[] heads = new YoloHead[outs];
    for (int r = 0; r < byFineness.size(); r++) {
      int[] g = byFineness.get(r);
      Tensor t = model.output(g[0]);
      heads[g[0]] = new YoloHead(g[0], g[1], g[2], anchors.sizes().subList(r * perHead, (r + 1) * perHead), classes,
          t.quantization().scale(), t.quantization().zeroPoint());
    }
    return new YoloLayout(is[2], is[1], iq.scale(), iq.zeroPoint(), Arrays.asList(heads), classes);
  }

  private static Quantization perTensor(Tensor t, String name, String what) {
    Quantization q = t.quantization();
    if (q == null || q.scales().isEmpty() || q.isPerChannel() || !(q.scale() > 0)) {
      throw new TinyforgeException(name + ": " + what + " " + t.label() + " has no per-tensor quantization; detect "
          + "needs a scale and zero point to (de)quantize it");
    }
    return q;
  }

  private static String dims(int[] s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length; i++) {
      b.append(i == 0 ? "" : "x").append(s[i]);
    }
    return b.length() == 0 ? "scalar" : b.toString();
  }
}
