package io.tinyforge.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Letterbox geometry, resampling, pixel quantization and box back-mapping, with values worked out by hand. */
class LetterboxTest {
  private static final float EPS = 1e-4f;

  @Test
  void wideImageIsScaledToTheWidthAndCentredVertically() {
    // 640x424 into 320x320: factor 1/2, 320x212, (320 - 212) / 2 = 54 rows of padding on top
    Letterbox l = Letterbox.letterbox(640, 424, 320, 320);
    assertEquals(new Letterbox(640, 424, 320, 320, 320, 212, 0, 54), l);
  }

  @Test
  void tallImageIsScaledToTheHeightAndCentredHorizontally() {
    // 100x200 into 320x320: factor 1.6, 160x320, 80 columns on the left
    assertEquals(new Letterbox(100, 200, 320, 320, 160, 320, 80, 0), Letterbox.letterbox(100, 200, 320, 320));
  }

  @Test
  void pixelsToInt8WithTheInputQuantization() {
    float s = 0.003921569f; // YOLO-Fastest's input: 1/255, zero point -128, so q = p - 128
    assertEquals(-128, Letterbox.quantize(0f, s, -128));
    assertEquals(-1, Letterbox.quantize(127f, s, -128));
    assertEquals(0, Letterbox.quantize(128f, s, -128));
    assertEquals(127, Letterbox.quantize(255f, s, -128));
    // scale 2/255, zero point 3: 100 -> 50 + 3; 255 -> 127.5 + 3, clamped to 127; 0 -> 3
    assertEquals(53, Letterbox.quantize(100f, 2f / 255f, 3));
    assertEquals(127, Letterbox.quantize(255f, 2f / 255f, 3));
    assertEquals(3, Letterbox.quantize(0f, 2f / 255f, 3));
  }

  @Test
  void bordersAreGreyAndTheImageSitsInTheMiddle() {
    // 4x2 image into 4x4: same width, 4x2, one row of padding above and below; same size = no resampling
    BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0x0A141E); // (10, 20, 30)
    img.setRGB(3, 1, 0xFF0001); // (255, 0, 1)
    Letterbox l = Letterbox.letterbox(4, 2, 4, 4);
    assertEquals(1, l.padY());
    byte[] q = Letterbox.quantize(l.rgb(img), 0.003921569f, -128);
    assertEquals(4 * 4 * 3, q.length);
    // row 0: grey 127 -> -1
    for (int i = 0; i < 12; i++) {
      assertEquals(-1, q[i], "row 0 byte " + i);
    }
    // row 1, column 0 = image (0,0): 10-128, 20-128, 30-128
    int o = (1 * 4 + 0) * 3;
    assertEquals(-118, q[o]);
    assertEquals(-108, q[o + 1]);
    assertEquals(-98, q[o + 2]);
    // row 2, column 3 = image (3,1): 127, -128, -127
    o = (2 * 4 + 3) * 3;
    assertEquals(127, q[o]);
    assertEquals(-128, q[o + 1]);
    assertEquals(-127, q[o + 2]);
    // row 3: grey again
    assertEquals(-1, q[(3 * 4 + 2) * 3 + 1]);
  }

  @Test
  void bilinearWithAlignedCorners() {
    // 2x1 stretched to 3x1: the middle sample sits halfway between the two source pixels
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0x000000);
    img.setRGB(1, 0, 0x64C8FF); // (100, 200, 255)
    float[] px = Letterbox.stretch(2, 1, 3, 1).rgb(img);
    assertEquals(0f, px[0], EPS);
    assertEquals(50f, px[3], EPS);
    assertEquals(100f, px[4], EPS);
    assertEquals(127.5f, px[5], EPS);
    assertEquals(255f, px[8], EPS);
  }

  @Test
  void boxesMapBackToImagePixels() {
    Letterbox l = Letterbox.letterbox(640, 424, 320, 320); // factor 2 back, 54 rows of padding
    Detection net = new Detection(0, 0.8f, 0.25f, 0.5f, 0.75f, 0.75f);
    Detection img = l.toImage(net);
    // x: 0.25*320 = 80 -> 160; 0.75*320 = 240 -> 480. y: 0.5*320 = 160, -54 = 106 -> 212; 0.75*320 = 240 -> 372
    assertEquals(160f, img.x0(), EPS);
    assertEquals(212f, img.y0(), EPS);
    assertEquals(480f, img.x1(), EPS);
    assertEquals(372f, img.y1(), EPS);
    assertEquals(0.8f, img.score(), 0f);
    // parts in the padding are clamped to the image: 0.1*320 = 32 < 54 -> 0; 1.0*320 -> 640
    Detection edge = l.toImage(new Detection(0, 1, 0f, 0.1f, 1f, 1f));
    assertEquals(0f, edge.y0(), EPS);
    assertEquals(640f, edge.x1(), EPS);
    assertEquals(424f, edge.y1(), EPS);
  }
}
