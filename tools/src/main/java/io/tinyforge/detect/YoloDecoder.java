package io.tinyforge.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Darknet's YOLO (v3-style) decoding of int8 heads: for cell (cx, cy) and anchor a with dequantized logits tx, ty,
 * tw, th, obj, cls_k: x = (sigmoid(tx) + cx) / gridW, y = (sigmoid(ty) + cy) / gridH, w = anchor_w * exp(tw) /
 * inputW, h = anchor_h * exp(th) / inputH, score_k = sigmoid(obj) * sigmoid(cls_k). Boxes are relative to the
 * network input (0..1).
 */
public final class YoloDecoder {
  private YoloDecoder() {}

  /**
   * Every (cell, anchor, class) whose score is above {@code threshold}, from the raw output bytes of each head.
   *
   * @param outputs the model's outputs, indexed by {@link YoloHead#output()}
   */
  public static List<Detection> decode(List<YoloHead> heads, byte[][] outputs, int inputW, int inputH,
      float threshold) {
    List<Detection> out = new ArrayList<>();
    for (YoloHead h : heads) {
      byte[] b = outputs[h.output()];
      if (b.length != h.byteSize()) {
        throw new IllegalArgumentException("output " + h.output() + " has " + b.length + " bytes, head needs "
            + h.byteSize());
      }
      for (int cy = 0; cy < h.gridH(); cy++) {
        for (int cx = 0; cx < h.gridW(); cx++) {
          int cell = (cy * h.gridW() + cx) * h.channels();
          for (int a = 0; a < h.anchors().size(); a++) {
            int base = cell + a * h.stride();
            float obj = sigmoid(value(h, b[base + 4]));
            if (obj <= threshold) {
              continue; // score = obj * p(class) <= obj
            }
            float x = (sigmoid(value(h, b[base])) + cx) / h.gridW();
            float y = (sigmoid(value(h, b[base + 1])) + cy) / h.gridH();
            float w = (float) (h.anchors().get(a)[0] * Math.exp(value(h, b[base + 2])) / inputW);
            float hh = (float) (h.anchors().get(a)[1] * Math.exp(value(h, b[base + 3])) / inputH);
            for (int k = 0; k < h.classes(); k++) {
              float score = obj * sigmoid(value(h, b[base + 5 + k]));
              if (score > threshold) {
                out.add(new Detection(k, score, x - w / 2, y - hh / 2, x + w / 2, y + hh / 2));
              }
            }
          }
        }
      }
    }
    return out;
  }

  static float value(YoloHead h, byte q) {
    return h.scale() * (q - h.zeroPoint());
  }

  static float sigmoid(float v) {
    return (float) (1.0 / (1.0 + Math.exp(-v)));
  }
}
