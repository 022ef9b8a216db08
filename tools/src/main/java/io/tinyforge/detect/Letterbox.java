package io.tinyforge.detect;

import java.awt.image.BufferedImage;

/**
 * Fits an image into the network input the way darknet's {@code letterbox_image} does: scale it by the one factor
 * that makes it fit ({@code newW x newH}, integer arithmetic as in darknet), centre it, and fill the borders with
 * grey 127 (darknet uses 0.5, i.e. 127.5; an integer grey keeps the padding exact in uint8). Resampling is bilinear
 * with corners aligned ({@code src = dst * (srcW-1)/(newW-1)}), as darknet's {@code resize_image}. {@link #stretch}
 * is the plain resize to the whole input instead (no padding, aspect ratio not kept).
 *
 * <p>Pixels are RGB 0..255 and quantized with the input tensor's parameters: {@code q = round(p / 255 / scale) +
 * zeroPoint}, clamped to int8 (YOLO inputs are 0..1 floats; for scale 1/255 and zero point -128, q = p - 128).
 */
public record Letterbox(int srcW, int srcH, int netW, int netH, int newW, int newH, int padX, int padY) {
  /** Grey of the borders. */
  public static final int PAD = 127;

  public static Letterbox letterbox(int srcW, int srcH, int netW, int netH) {
    int newW;
    int newH;
    if ((long) netW * srcH < (long) netH * srcW) { // netW/srcW < netH/srcH: width decides
      newW = netW;
      newH = Math.max(1, (int) ((long) srcH * netW / srcW));
    } else {
      newH = netH;
      newW = Math.max(1, (int) ((long) srcW * netH / srcH));
    }
    return new Letterbox(srcW, srcH, netW, netH, newW, newH, (netW - newW) / 2, (netH - newH) / 2);
  }

  public static Letterbox stretch(int srcW, int srcH, int netW, int netH) {
    return new Letterbox(srcW, srcH, netW, netH, netW, netH, 0, 0);
  }

  /** The network input as RGB floats 0..255, row-major {@code netH x netW x 3}. */
  public float[] rgb(BufferedImage img) {
    if (img.getWidth() != srcW || img.getHeight() != srcH) {
      throw new IllegalArgumentException("image is " + img.getWidth() + "x" + img.getHeight() + ", expected " + srcW
          + "x" + srcH);
    }
    int[] argb = img.getRGB(0, 0, srcW, srcH, null, 0, srcW);
    float[] out = new float[netW * netH * 3];
    java.util.Arrays.fill(out, PAD);
    double sx = newW > 1 ? (srcW - 1) / (double) (newW - 1) : 0;
    double sy = newH > 1 ? (srcH - 1) / (double) (newH - 1) : 0;
    for (int y = 0; y < newH; y++) {
      double fy = y * sy;
      int y0 = (int) fy;
      int y1 = Math.min(y0 + 1, srcH - 1);
      double dy = fy - y0;
      for (int x = 0; x < newW; x++) {
        double fx = x * sx;
        int x0 = (int) fx;
        int x1 = Math.min(x0 + 1, srcW - 1);
        double dx = fx - x0;
        int o = ((y + padY) * netW + (x + padX)) * 3;
        for (int c = 0; c < 3; c++) {
          int shift = 16 - 8 * c; // R, G, B
          double top = (1 - dx) * ch(argb[y0 * srcW + x0], shift) + dx * ch(argb[y0 * srcW + x1], shift);
          double bottom = (1 - dx) * ch(argb[y1 * srcW + x0], shift) + dx * ch(argb[y1 * srcW + x1], shift);
          out[o + c] = (float) ((1 - dy) * top + dy * bottom);
        }
      }
    }
    return out;
  }

  private static int ch(int argb, int shift) {
    return (argb >>> shift) & 0xFF;
  }

  /** One pixel value (0..255) as the int8 the input tensor holds. */
  public static byte quantize(float pixel, float scale, int zeroPoint) {
    long q = Math.round(pixel / 255.0 / scale) + zeroPoint;
    return (byte) Math.max(-128, Math.min(127, q));
  }

  public static byte[] quantize(float[] pixels, float scale, int zeroPoint) {
    byte[] out = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = quantize(pixels[i], scale, zeroPoint);
    }
    return out;
  }

  /** A box relative to the network input (0..1) in pixels of the original image, clamped to it. */
  public Detection toImage(Detection d) {
    return new Detection(d.classId(), d.score(), imgX(d.x0()), imgY(d.y0()), imgX(d.x1()), imgY(d.y1()));
  }

  private float imgX(float xn) {
    return clamp((xn * netW - padX) * srcW / newW, srcW);
  }

  private float imgY(float yn) {
    return clamp((yn * netH - padY) * srcH / newH, srcH);
  }

  private static float clamp(float v, int max) {
    return Math.max(0, Math.min(max, v));
  }
}
