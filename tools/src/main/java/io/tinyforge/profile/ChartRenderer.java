package io.tinyforge.profile;

import io.tinyforge.profile.ChartScene.Anchor;
import io.tinyforge.profile.ChartScene.Line;
import io.tinyforge.profile.ChartScene.Rect;
import io.tinyforge.profile.ChartScene.Shape;
import io.tinyforge.profile.ChartScene.Text;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws a {@link ChartScene} as SVG text or as a PNG (Java2D, no external tool). */
public final class ChartRenderer {
  private static final String FONT = "DejaVu Sans, Arial, Helvetica, sans-serif";

  private ChartRenderer() {}

  public static String svg(ChartScene scene) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"%s\">%n", scene.width(), scene.height(), scene.width(),
        scene.height(), FONT));
    sb.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n",
        scene.width(), scene.height()));
    for (Shape s : scene.shapes()) {
      if (s instanceof Rect r) {
        sb.append(String.format(Locale.ROOT, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"",
            num(r.x()), num(r.y()), num(r.w()), num(r.h()), r.fill()));
        if (r.tooltip().isEmpty()) {
          sb.append("/>\n");
        } else {
          sb.append("><title>").append(escape(r.tooltip())).append("</title></rect>\n");
        }
      } else if (s instanceof Line l) {
        sb.append(String.format(Locale.ROOT,
            "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>%n", num(l.x1()),
            num(l.y1()), num(l.x2()), num(l.y2()), l.stroke()));
      } else if (s instanceof Text t) {
        sb.append(String.format(Locale.ROOT,
            "<text x=\"%s\" y=\"%s\" font-size=\"%d\" text-anchor=\"%s\" fill=\"%s\"%s>%s</text>%n", num(t.x()),
            num(t.y()), t.size(), t.anchor().name().toLowerCase(Locale.ROOT), t.fill(),
            t.bold() ? " font-weight=\"bold\"" : "", escape(t.text())));
      }
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  public static byte[] png(ChartScene scene) {
    BufferedImage img = new BufferedImage(scene.width(), scene.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, scene.width(), scene.height());
      g.setStroke(new BasicStroke(1f));
      for (Shape s : scene.shapes()) {
        if (s instanceof Rect r) {
          g.setColor(Color.decode(r.fill()));
          g.fill(new Rectangle2D.Double(r.x(), r.y(), r.w(), r.h()));
        } else if (s instanceof Line l) {
          g.setColor(Color.decode(l.stroke()));
          g.draw(new Line2D.Double(l.x1(), l.y1(), l.x2(), l.y2()));
        } else if (s instanceof Text t) {
          g.setColor(Color.decode(t.fill()));
          g.setFont(new Font(Font.SANS_SERIF, t.bold() ? Font.BOLD : Font.PLAIN, t.size()));
          double w = g.getFontMetrics().getStringBounds(t.text(), g).getWidth();
          double x = t.anchor() == Anchor.START ? t.x() : t.anchor() == Anchor.MIDDLE ? t.x() - w / 2 : t.x() - w;
          g.drawString(t.text(), (float) x, (float) t.y());
        }
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String num(double v) {
    String s = String.format(Locale.ROOT, "%.1f", v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
