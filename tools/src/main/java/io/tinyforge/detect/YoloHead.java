package io.tinyforge.detect;

import java.util.List;

/**
 * One YOLO output head: a {@code 1 x gridH x gridW x anchors*(5+classes)} int8 tensor of raw logits, channels per
 * anchor in darknet order (tx, ty, tw, th, objectness, class 0, class 1, ...).
 *
 * @param output index of the model output
 * @param anchors the anchors of this head, {w, h} in network-input pixels
 * @param scale dequantization: real = scale * (q - zeroPoint)
 */
public record YoloHead(int output, int gridH, int gridW, List<float[]> anchors, int classes, float scale,
    int zeroPoint) {
  public YoloHead {
    anchors = List.copyOf(anchors);
  }

  /** Channels per anchor: 4 box + objectness + classes. */
  public int stride() {
    return 5 + classes;
  }

  public int channels() {
    return anchors.size() * stride();
  }

  public int byteSize() {
    return gridH * gridW * channels();
  }
}
