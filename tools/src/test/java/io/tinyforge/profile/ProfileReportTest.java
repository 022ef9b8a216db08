package io.tinyforge.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tinyforge.serial.TargetSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The table, JSON and chart of a profile built by hand (no target): every figure follows from the counts. */
class ProfileReportTest {
  static final CounterResolution TICK40 = new CounterResolution(40, "instructions", "1 tick = 40 instructions",
      false);
  static final List<OpRow> OPS = List.of(
      new OpRow(0, "CONV_2D", List.of("1x8x8x1"), "1x8x8x8", 4608),
      new OpRow(1, "MAX_POOL_2D", List.of("1x8x8x8"), "1x4x4x8", 0),
      new OpRow(2, "RESHAPE", List.of("1x4x4x8"), "1x128", 0),
      new OpRow(3, "CONV_2D", List.of("1x4x4x8"), "1x4x4x16", 18432));

  /** Three runs; the median whole (seed 11) is the one shown; op 2 has no hook (counted in op 3). */
  static Profile profile(List<Long> baseline) {
    ProfileRun a = new ProfileRun("random seed 10", 60_160, List.of(40_000L, 10_000L, TargetSession.NOT_RUN, 10_080L));
    ProfileRun b = new ProfileRun("random seed 11", 50_120, List.of(30_000L, 10_000L, TargetSession.NOT_RUN, 10_080L));
    ProfileRun c = new ProfileRun("random seed 12", 45_160, List.of(25_000L, 10_000L, TargetSession.NOT_RUN, 10_120L));
    return new Profile("m.tflite", "qemu-mps2-an500", "QEMU", "instructions", TICK40, OPS, List.of(a, c, b),
        baseline, baseline.isEmpty() ? Optional.of("--no-overhead") : Optional.empty());
  }

  @Test
  void theMedianRunIsShownAndItsCountsAddUpWithTheReturn() {
    Profile p = profile(List.of(60_000L, 45_000L, 50_000L));
    assertEquals("random seed 11", p.shown().input());
    assertEquals(50_080, p.shown().sumOfOps());
    assertEquals(40, p.shown().afterLastOp());
    assertEquals(3, p.shown().hookCalls());
    assertEquals(Optional.of(120L), p.overhead(), "same seed's baseline: 50,120 - 50,000");
    String t = ProfileReport.table(p);
    assertTrue(t.contains("input: random seed 11 (the median of 3 runs)"), t);
    assertTrue(t.contains("sum of the 3 per-op counts: 50,080 = whole inference 50,120 - 40 after the last op"), t);
    assertTrue(t.contains("(no hook: counted in the next op)"), t);
    assertTrue(t.contains("whole inference over 3 runs: min 45,160, max 60,160 instructions"), t);
    assertTrue(t.contains("+120 instructions, +0.240%; 3 hook calls, about 40 each"), t);
    String conv0 = t.lines().filter(l -> l.startsWith("   0  CONV_2D")).findFirst().orElseThrow();
    assertTrue(conv0.matches(".*\\s4,608\\s+30,000\\s+6\\.51\\s+59\\.9%$"), conv0);
  }

  @Test
  void jsonCarriesEveryRunAndTheShownOne() {
    JsonObject j = JsonParser.parseString(ProfileReport.json(profile(List.of()))).getAsJsonObject();
    assertEquals(50_120, j.get("whole").getAsLong());
    assertEquals(50_080, j.get("sum_of_ops").getAsLong());
    assertEquals(40, j.get("after_last_op").getAsLong());
    assertEquals(40.0, j.getAsJsonObject("counter").get("resolution").getAsDouble());
    assertTrue(j.getAsJsonArray("ops").get(2).getAsJsonObject().get("count").isJsonNull());
    assertEquals(18432, j.getAsJsonArray("ops").get(3).getAsJsonObject().get("macs").getAsLong());
    assertEquals(3, j.getAsJsonArray("runs").size());
    assertTrue(j.getAsJsonObject("overhead").get("added").isJsonNull());
    assertEquals("--no-overhead", j.getAsJsonObject("overhead").get("note").getAsString());
  }

  @Test
  void theSvgHasOneBarPerOpThatRanColouredByTypeWithALegend() throws Exception {
    Profile p = profile(List.of());
    ChartScene scene = ProfileChart.layout(p);
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
        ChartRenderer.svg(scene).getBytes(StandardCharsets.UTF_8)));
    NodeList rects = d.getElementsByTagName("rect");
    String conv = null;
    Set<String> fills = new HashSet<>();
    int bars = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      Element r = (Element) rects.item(i);
      if (r.getElementsByTagName("title").getLength() == 0) {
        continue;
      }
      bars++;
      String title = r.getElementsByTagName("title").item(0).getTextContent();
      fills.add(r.getAttribute("fill"));
      if (title.contains("CONV_2D")) {
        conv = conv == null ? r.getAttribute("fill") : conv;
        assertEquals(conv, r.getAttribute("fill"), "one colour per op type");
      }
    }
    assertEquals(3, bars, "ops 0, 1 and 3 ran; op 2 has no bar");
    assertEquals(2, fills.size(), "CONV_2D and MAX_POOL_2D");
    String text = d.getDocumentElement().getTextContent();
    assertTrue(text.contains("CONV_2D 80.0%"), text);
    assertTrue(text.contains("MAX_POOL_2D 20.0%"), text);
    assertTrue(text.contains("operator index"), text);
    assertNotEquals(ProfileChart.PALETTE.get(0), ProfileChart.PALETTE.get(1));
  }

  @Test
  void thePngIsADecodableImageOfTheSceneSize() throws IOException {
    ChartScene scene = ProfileChart.layout(profile(List.of()));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(ChartRenderer.png(scene)));
    assertEquals(scene.width(), img.getWidth());
    assertEquals(scene.height(), img.getHeight());
  }

  @Test
  void axisStepsAreRound() {
    assertEquals(200_000, ProfileChart.niceStep(1_698_600));
    assertEquals(10_000, ProfileChart.niceStep(42_720));
    assertEquals(1, ProfileChart.niceStep(3));
    assertEquals("1.8M", ProfileChart.shortNumber(1_800_000));
    assertEquals("250k", ProfileChart.shortNumber(250_000));
  }
}
