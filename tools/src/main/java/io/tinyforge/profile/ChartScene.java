package io.tinyforge.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * A chart as a few drawing primitives in pixel coordinates (y down), so the SVG and the PNG are drawn from the same
 * layout. Text y is the baseline.
 */
public final class ChartScene {
  public enum Anchor { START, MIDDLE, END }

  public sealed interface Shape permits Rect, Line, Text {}

  /** A filled rectangle; {@code tooltip} becomes an SVG title (empty: none). */
  public record Rect(double x, double y, double w, double h, String fill, String tooltip) implements Shape {}

  public record Line(double x1, double y1, double x2, double y2, String stroke) implements Shape {}

  public record Text(double x, double y, String text, int size, Anchor anchor, String fill, boolean bold)
      implements Shape {}

  private final int width;
  private final int height;
  private final List<Shape> shapes = new ArrayList<>();

  public ChartScene(int width, int height) {
    this.width = width;
    this.height = height;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public List<Shape> shapes() {
    return List.copyOf(shapes);
  }

  public ChartScene add(Shape s) {
    shapes.add(s);
    return this;
  }
}
