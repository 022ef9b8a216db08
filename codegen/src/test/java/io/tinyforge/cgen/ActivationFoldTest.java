package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.board.BoardRegistry;
import io.tinyforge.lower.Lowering;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.tflite.TfliteReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** LEAKY_RELUs in place on a 1x1 DSP conv's output are applied by the conv's epilogue; no activation is lost. */
class ActivationFoldTest {
  private static final Path YOLO = ProjectGeneratorTest.ROOT
      .resolve("../shared/models/yolo_fastest_v1.1_person_int8.tflite").normalize();

  private static String modelC(String board, byte[] bytes) {
    CProject p = ProjectGenerator.generate(ProjectGeneratorTest.ROOT,
        BoardRegistry.load(ProjectGeneratorTest.ROOT).get(board),
        Lowering.lower(TfliteReader.read(bytes, "yolo")), bytes, "yolo.tflite", 0, Map.of(), null);
    return new String(p.files().get("model.c"), StandardCharsets.UTF_8);
  }

  private static int count(String c, String what) {
    return c.split(Pattern.quote(what), -1).length - 1;
  }

  @Test
  void yoloLeakyReluAfterPointwiseConvsRunsInTheirEpilogueOnTheM7() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(YOLO), "../shared/models is absent: skipping");
    byte[] bytes = Files.readAllBytes(YOLO);
    Model model = TfliteReader.read(bytes, "yolo");
    int leaky = 0;
    for (Operator o : model.operators()) {
      leaky += o.opName().equals("LEAKY_RELU") ? 1 : 0;
    }
    String c = modelC("qemu-mps2-an500", bytes);
    int folded = count(c, "tfk_conv_1x1_s8_dsp_lut(");
    assertTrue(folded > 0, "some LEAKY_RELU folded");
    // every activation either runs as a table pass or inside its conv, never both, never lost
    assertEquals(leaky, count(c, "tfk_lut_s8(") + folded, "LEAKY_RELU ops " + leaky);
    assertEquals(folded, count(c, "which applies its table: no call"));
    // each folded conv writes the activation's output tensor: the one its LEAKY_RELU names
    Matcher m = Pattern.compile("applies the table of LEAKY_RELU #(\\d+)").matcher(c);
    int seen = 0;
    while (m.find()) {
      Operator act = model.operators().get(Integer.parseInt(m.group(1)));
      assertEquals("LEAKY_RELU", act.opName());
      int out = act.outputs().get(0);
      int call = c.indexOf("tfk_conv_1x1_s8_dsp_lut(", m.end());
      assertTrue(c.substring(call, c.indexOf(';', call)).contains("TF_T" + out + ")"), "op " + act.index());
      seen++;
    }
    assertEquals(folded, seen);

    String helium = modelC("qemu-mps3-an547", bytes);
    assertFalse(helium.contains("_lut("), "the Helium kernels apply no table");
    assertEquals(leaky, count(helium, "tfk_lut_s8("));
  }
}
