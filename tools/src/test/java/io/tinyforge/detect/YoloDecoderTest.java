package io.tinyforge.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoding on hand-built int8 heads whose boxes are worked out by hand below (sigmoid(0) = 0.5, exp(0) = 1,
 * sigmoid(20) = 1 - 2e-9), and NMS on hand-placed boxes.
 */
class YoloDecoderTest {
  private static final float EPS = 1e-5f;

  /** A 2x2 head, 1 anchor 16x32, 1 class, scale 0.5, zero point 10, on a 64x64 input: logit 0 is q=10. */
  @Test
  void oneCellDecodesToTheHandComputedBox() {
    YoloHead h = new YoloHead(0, 2, 2, List.of(new float[] {16, 32}), 1, 0.5f, 10);
    byte[] b = new byte[2 * 2 * 6];
    Arrays.fill(b, (byte) -30); // logit 0.5 * (-30 - 10) = -20 everywhere: objectness ~ 2e-9
    int base = (0 * 2 + 1) * 6; // cell cx=1, cy=0
    b[base] = 10; // tx = 0
    b[base + 1] = 10; // ty = 0
    b[base + 2] = 10; // tw = 0
    b[base + 3] = 10; // th = 0
    b[base + 4] = 50; // obj logit 0.5 * 40 = 20
    b[base + 5] = 50; // class logit 20
    List<Detection> d = YoloDecoder.decode(List.of(h), new byte[][] {b}, 64, 64, 0.5f);
    assertEquals(1, d.size(), d.toString());
    Detection x = d.get(0);
    // x = (0.5 + 1) / 2 = 0.75, y = (0.5 + 0) / 2 = 0.25, w = 16 / 64 = 0.25, h = 32 / 64 = 0.5
    assertEquals(0, x.classId());
    assertEquals(0.625f, x.x0(), EPS);
    assertEquals(0.875f, x.x1(), EPS);
    assertEquals(0.0f, x.y0(), EPS);
    assertEquals(0.5f, x.y1(), EPS);
    assertTrue(x.score() > 0.9999f, "sigmoid(20)^2: " + x.score());
  }

  /** Objectness logit 0 and class logit 0 give score 0.5 * 0.5 = 0.25: below 0.5, above 0.2. */
  @Test
  void scoreIsObjectnessTimesClassProbability() {
    YoloHead h = new YoloHead(0, 1, 1, List.of(new float[] {10, 10}), 1, 0.5f, 10);
    byte[] b = {10, 10, 10, 10, 10, 10};
    assertEquals(List.of(), YoloDecoder.decode(List.of(h), new byte[][] {b}, 20, 20, 0.5f));
    List<Detection> d = YoloDecoder.decode(List.of(h), new byte[][] {b}, 20, 20, 0.2f);
    assertEquals(1, d.size());
    assertEquals(0.25f, d.get(0).score(), EPS);
    // one cell: x = y = 0.5, w = h = 10 / 20 = 0.5
    assertEquals(0.25f, d.get(0).x0(), EPS);
    assertEquals(0.75f, d.get(0).y1(), EPS);
  }

  /**
   * Two anchors and two classes (7 channels per anchor): the box sits in anchor 1 of cell cx=0, cy=1 and is class 1;
   * tw = ln 2 doubles the anchor's width. Scale ln2/2, zero point 0: q = 2 is ln 2, q = +-29 about +-20.
   */
  @Test
  void secondAnchorSecondClassAndExp() {
    float s = (float) (Math.log(2) / 2);
    YoloHead h = new YoloHead(0, 2, 2, List.of(new float[] {16, 32}, new float[] {8, 8}), 2, s, 0);
    byte[] b = new byte[2 * 2 * 14];
    Arrays.fill(b, (byte) -29);
    int base = (1 * 2 + 0) * 14 + 7;
    b[base] = 0; // tx 0
    b[base + 1] = 0; // ty 0
    b[base + 2] = 2; // tw ln 2
    b[base + 3] = 0; // th 0
    b[base + 4] = 29; // obj ~20
    b[base + 5] = -29; // class 0 ~ -20
    b[base + 6] = 29; // class 1 ~ 20
    List<Detection> d = YoloDecoder.decode(List.of(h), new byte[][] {b}, 64, 64, 0.5f);
    assertEquals(1, d.size(), d.toString());
    Detection x = d.get(0);
    assertEquals(1, x.classId());
    // x = (0.5 + 0) / 2 = 0.25, w = 8 * 2 / 64 = 0.25; y = (0.5 + 1) / 2 = 0.75, h = 8 / 64 = 0.125
    assertEquals(0.125f, x.x0(), EPS);
    assertEquals(0.375f, x.x1(), EPS);
    assertEquals(0.6875f, x.y0(), EPS);
    assertEquals(0.8125f, x.y1(), EPS);
  }

  /** Heads are read from the output their record names, whatever the list order. */
  @Test
  void headsReadTheirOwnOutput() {
    YoloHead coarse = new YoloHead(1, 1, 1, List.of(new float[] {32, 32}), 1, 1f, 0);
    YoloHead fine = new YoloHead(0, 2, 2, List.of(new float[] {8, 8}), 1, 1f, 0);
    byte[] out0 = new byte[24];
    Arrays.fill(out0, (byte) -20);
    byte[] out1 = {0, 0, 0, 0, 20, 20}; // the coarse head's only cell: x = y = 0.5, w = h = 32/64 = 0.5
    List<Detection> d = YoloDecoder.decode(List.of(coarse, fine), new byte[][] {out0, out1}, 64, 64, 0.5f);
    assertEquals(1, d.size(), d.toString());
    assertEquals(0.25f, d.get(0).x0(), EPS);
    assertEquals(0.75f, d.get(0).x1(), EPS);
  }

  @Test
  void nmsDropsOverlapsWithinAClassOnly() {
    Detection a = new Detection(0, 0.9f, 0, 0, 10, 10);
    Detection b = new Detection(0, 0.8f, 1, 0, 11, 10); // IoU with a: 90 / 110 = 0.818
    Detection c = new Detection(0, 0.7f, 20, 20, 30, 30); // no overlap
    Detection d = new Detection(1, 0.6f, 0, 0, 10, 10); // same place as a, other class
    Detection e = new Detection(0, 0.95f, 5, 0, 15, 10); // IoU with a: 50 / 150 = 0.333, with b: 60 / 140 = 0.429
    List<Detection> kept = Nms.apply(List.of(a, b, c, d, e), 0.45f);
    // by score: e (kept), a (0.333 with e: kept), b (0.818 with a: dropped), c (kept), d (other class: kept)
    assertEquals(List.of(e, a, c, d), kept);
    // at 0.9 nothing overlaps enough: b stays too
    assertEquals(List.of(e, a, b, c, d), Nms.apply(List.of(a, b, c, d, e), 0.9f));
  }

  @Test
  void iouByHand() {
    Detection a = new Detection(0, 1, 0, 0, 4, 4);
    Detection b = new Detection(0, 1, 2, 2, 6, 6); // overlap 2x2 = 4; union 16 + 16 - 4 = 28
    assertEquals(4f / 28f, a.iou(b), EPS);
    assertEquals(0f, a.iou(new Detection(0, 1, 4, 0, 8, 4)), EPS); // touching edges
  }
}
