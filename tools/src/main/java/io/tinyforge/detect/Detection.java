package io.tinyforge.detect;

/**
 * One detected box: class index, score (objectness x class probability) and corners x0,y0 (top left) to x1,y1
 * (bottom right), either relative to the network input (0..1) or in image pixels, as the producer says.
 */
public record Detection(int classId, float score, float x0, float y0, float x1, float y1) {
  public float area() {
    return Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  }

  /** Intersection over union; 0 when either box is empty. */
  public float iou(Detection o) {
    float w = Math.min(x1, o.x1) - Math.max(x0, o.x0);
    float h = Math.min(y1, o.y1) - Math.max(y0, o.y0);
    if (w <= 0 || h <= 0) {
      return 0;
    }
    float inter = w * h;
    float union = area() + o.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
