package io.tinyforge.detect;

import io.tinyforge.TinyforgeException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws detections (image pixels) onto a copy of the image, with "class score" labels, and writes a PNG. */
public final class BoxPainter {
  private static final Color[] COLORS = {new Color(255, 64, 64), new Color(64, 200, 64), new Color(64, 128, 255),
      new Color(255, 200, 0), new Color(200, 64, 255), new Color(0, 200, 200)};

  private BoxPainter() {}

  public static BufferedImage paint(BufferedImage src, List<Detection> boxes, List<String> names) {
    BufferedImage img = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.drawImage(src, 0, 0, null);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      int line = Math.max(2, Math.min(img.getWidth(), img.getHeight()) / 200);
      g.setStroke(new BasicStroke(line));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, Math.min(img.getWidth(), img.getHeight()) / 30)));
      FontMetrics fm = g.getFontMetrics();
      for (Detection d : boxes) {
        Color c = COLORS[d.classId() % COLORS.length];
        int x0 = Math.round(d.x0());
        int y0 = Math.round(d.y0());
        g.setColor(c);
        g.drawRect(x0, y0, Math.round(d.x1()) - x0, Math.round(d.y1()) - y0);
        String label = String.format(Locale.ROOT, "%s %.2f", names.get(d.classId()), d.score());
        int tw = fm.stringWidth(label) + 6;
        int th = fm.getHeight();
        int ty = y0 - th >= 0 ? y0 - th : y0;
        g.fillRect(x0, ty, tw, th);
        g.setColor(Color.BLACK);
        g.drawString(label, x0 + 3, ty + fm.getAscent());
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  public static void writePng(BufferedImage img, Path out) {
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        java.nio.file.Files.createDirectories(parent);
      }
      if (!ImageIO.write(img, "png", out.toFile())) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "this Java has no PNG writer");
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot write " + out + " (" + e.getMessage()
          + ")");
    }
  }
}
