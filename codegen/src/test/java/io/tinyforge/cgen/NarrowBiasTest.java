package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.board.BoardRegistry;
import io.tinyforge.lower.Lowering;
import io.tinyforge.model.Model;
import io.tinyforge.tflite.TfliteReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The DSP kernels that read their biases once per call get each layer's at the narrowest width that holds them. */
class NarrowBiasTest {
  private static final Path PERSON = ProjectGeneratorTest.ROOT
      .resolve("../shared/models/tflm_person_detect_int8.tflite").normalize();
  private static final Pattern NARROW_CALL = Pattern.compile("_narrow_bias\\([^;]*?tf_w(\\d+)_b(\\d), (\\d),");

  private static String modelC(String board) throws Exception {
    byte[] bytes = Files.readAllBytes(PERSON);
    CProject p = ProjectGenerator.generate(ProjectGeneratorTest.ROOT,
        BoardRegistry.load(ProjectGeneratorTest.ROOT).get(board),
        Lowering.lower(TfliteReader.read(bytes, "person_detect")), bytes, "person_detect.tflite", 0, Map.of(), null);
    return new String(p.files().get("model.c"), StandardCharsets.UTF_8);
  }

  @Test
  void personDetectBiasesAtTheNarrowestWidthOnTheM7() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(PERSON), "../shared/models is absent: skipping");
    Model model = TfliteReader.read(PERSON);
    String c = modelC("qemu-mps2-an500");
    Matcher m = NARROW_CALL.matcher(c);
    int calls = 0;
    int[] byWidth = new int[5];
    while (m.find()) {
      int tensor = Integer.parseInt(m.group(1));
      int width = Integer.parseInt(m.group(2));
      assertEquals(width, Integer.parseInt(m.group(3)), "the width argument names the array's width");
      ByteBuffer b = model.tensor(tensor).constantData();
      long max = 0;
      for (int i = 0; i < model.tensor(tensor).shape().elementCount(); i++) {
        int v = b.getInt(4 * i);
        max = Math.max(max, v < 0 ? -(long) v - 1 : v);
      }
      int narrowest = max < (1 << 15) ? 2 : max < (1 << 23) ? 3 : 4;
      assertEquals(narrowest, width, "tensor " + tensor);
      byWidth[width]++;
      calls++;
    }
    // every 3x3 depthwise layer after the one-input first one (13) and the 14 1x1 convolutions: the raw biases of
    // all fit 3 bytes
    assertEquals(27, calls, c);
    assertTrue(byWidth[2] > 0 && byWidth[3] > 0, java.util.Arrays.toString(byWidth));
  }

  @Test
  void heliumAndPortableKernelsKeepInt32Biases() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(PERSON), "../shared/models is absent: skipping");
    assertFalse(modelC("qemu-mps3-an547").contains("_narrow_bias"));
    assertFalse(modelC("host").contains("_narrow_bias"));
  }
}
