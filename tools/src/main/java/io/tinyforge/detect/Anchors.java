package io.tinyforge.detect;

import io.tinyforge.TinyforgeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * YOLO anchor boxes as darknet writes them: width,height pairs in pixels of the network input, separated by commas
 * and/or white space ({@code 8,18,  23,55,  48,126, ...}), in the order of the cfg's {@code anchors=} line.
 */
public record Anchors(List<float[]> sizes) {
  public Anchors {
    sizes = List.copyOf(sizes);
  }

  public int count() {
    return sizes.size();
  }

  public float width(int i) {
    return sizes.get(i)[0];
  }

  public float height(int i) {
    return sizes.get(i)[1];
  }

  public static Anchors read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new TinyforgeException("anchors file " + file + " not found");
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new TinyforgeException("cannot read anchors file " + file + " (" + e.getMessage() + ")");
    }
  }

  public static Anchors parse(String text, String source) {
    List<Float> values = new ArrayList<>();
    for (String tok : text.strip().split("[,\\s]+")) {
      if (tok.isEmpty()) {
        continue;
      }
      float v;
      try {
        v = Float.parseFloat(tok);
      } catch (NumberFormatException e) {
        throw new TinyforgeException("anchors file " + source + ": '" + tok + "' is not a number (expected w,h pairs "
            + "in input pixels, e.g. 8,18, 23,55)");
      }
      if (!(v > 0) || Float.isInfinite(v)) {
        throw new TinyforgeException("anchors file " + source + ": anchor sizes must be positive, got " + tok);
      }
      values.add(v);
    }
    if (values.isEmpty() || values.size() % 2 != 0) {
      throw new TinyforgeException("anchors file " + source + " holds " + values.size() + " numbers; expected w,h "
          + "pairs (an even count, at least 2)");
    }
    List<float[]> sizes = new ArrayList<>();
    for (int i = 0; i < values.size(); i += 2) {
      sizes.add(new float[] {values.get(i), values.get(i + 1)});
    }
    return new Anchors(sizes);
  }
}
