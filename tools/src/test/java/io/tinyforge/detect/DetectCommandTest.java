package io.tinyforge.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.QemuLauncher;
import io.tinyforge.cli.CliRun;
import io.tinyforge.sim.oracle.Oracle;
import io.tinyforge.tflite.TfliteReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gen-firmware detect} on the shared YOLO-Fastest person model and darknet's sample photo (a person with a
 * dog and a horse), on qemu-mps2-an500; the refusals of non-YOLO models and bad input. Needs ../shared/models (and
 * QEMU, the Arm toolchain and the TFLM oracle for the end-to-end test); skips with a message otherwise.
 */
class DetectCommandTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  static final Path MODELS = ROOT.resolve("../shared/models").normalize();
  static final Path YOLO = MODELS.resolve("yolo_fastest_v1.1_person_int8.tflite");
  static final Path PHOTO = MODELS.resolve("yolo_fastest_sample_person.jpg");
  static final Path ANCHORS = MODELS.resolve("yolo_fastest_v1.1_person_anchors.txt");
  static final Path CACHE = ROOT.resolve("tools/target/verify-shared-cache");
  private static final Pattern PERSON = Pattern.compile("^person (\\d\\.\\d+) x0=(-?\\d+) y0=(-?\\d+) x1=(-?\\d+) "
      + "y1=(-?\\d+)$", Pattern.MULTILINE);

  static void assumeShared() {
    assumeTrue(Files.isRegularFile(YOLO) && Files.isRegularFile(PHOTO) && Files.isRegularFile(ANCHORS),
        "skipped: " + MODELS + " (the shared YOLO model, anchors and photo) is absent");
  }

  @Test
  void onQemuTheTargetMatchesTheSimulatorAndTflmAndFindsThePerson(@TempDir Path tmp) throws IOException {
    assumeShared();
    assumeTrue(QemuLauncher.available(), "skipped: QEMU (qemu-system-arm) is not installed");
    Path png = tmp.resolve("boxes.png");
    Path tensors = tmp.resolve("tensors");
    long t0 = System.nanoTime();
    CliRun r = CliRun.of("detect", "--board", "qemu-mps2-an500", YOLO.toString(), "--image", PHOTO.toString(),
        "--anchors", ANCHORS.toString(), "--classes", "person", "--out", png.toString(), "--save-tensors",
        tensors.toString(), "--cache-dir", CACHE.toString());
    System.out.printf("detect on qemu-mps2-an500: %.1f s%n%s", (System.nanoTime() - t0) / 1e9, r.out());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("target output == simulator output: 2 outputs, 9,000 bytes, bit-exact"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("instructions per inference: ")), r.out());
    assertTrue(r.err().contains("input 100% (307,200 of 307,200 bytes"), r.err());

    // the photo shows a person
    Matcher m = PERSON.matcher(r.out());
    boolean confident = false;
    while (m.find()) {
      float score = Float.parseFloat(m.group(1));
      int x0 = Integer.parseInt(m.group(2));
      int y0 = Integer.parseInt(m.group(3));
      int x1 = Integer.parseInt(m.group(4));
      int y1 = Integer.parseInt(m.group(5));
      assertTrue(0 <= x0 && x0 < x1 && x1 <= 640 && 0 <= y0 && y0 < y1 && y1 <= 424, m.group());
      confident |= score > 0.5f;
    }
    assertTrue(confident, "a person with score > 0.5: " + r.out());

    BufferedImage drawn = ImageIO.read(png.toFile());
    assertEquals(640, drawn.getWidth());
    assertEquals(424, drawn.getHeight());

    // the target's raw output bytes equal TFLM's for the same input tensor
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    byte[] input = Files.readAllBytes(tensors.resolve("input_0.bin"));
    assertEquals(320 * 320 * 3, input.length);
    Oracle.RunResult tflm = Oracle.run(List.of(Oracle.Job.outputsOnly(YOLO, List.<byte[][]>of(new byte[][] {input}))))
        .get(0).runs().get(0);
    assertEquals(null, tflm.error());
    assertEquals(2, tflm.outputs().length);
    for (int o = 0; o < 2; o++) {
      assertArrayEquals(tflm.outputs()[o], Files.readAllBytes(tensors.resolve("output_" + o + ".bin")),
          "output " + o + ": target vs TFLM");
    }
  }

  @Test
  void anchorsGoFinestGridFirst() {
    assumeShared();
    YoloLayout l = YoloLayout.of(TfliteReader.read(YOLO), Anchors.read(ANCHORS));
    assertEquals(320, l.inputW());
    assertEquals(1, l.classes());
    YoloHead h0 = l.heads().get(0);
    YoloHead h1 = l.heads().get(1);
    assertEquals(List.of(0, 20, 20), List.of(h0.output(), h0.gridH(), h0.gridW()));
    assertEquals(List.of(1, 10, 10), List.of(h1.output(), h1.gridH(), h1.gridW()));
    // MANIFEST: 20x20 uses anchors 0,1,2 = 8,18 23,55 48,126; 10x10 uses 3,4,5 = 179,94 94,214 216,261
    assertArrayEquals(new float[] {8, 18}, h0.anchors().get(0));
    assertArrayEquals(new float[] {48, 126}, h0.anchors().get(2));
    assertArrayEquals(new float[] {179, 94}, h1.anchors().get(0));
    assertArrayEquals(new float[] {216, 261}, h1.anchors().get(2));
  }

  @Test
  void aClassifierIsNotAYoloModel() {
    Path person = MODELS.resolve("tflm_person_detect_int8.tflite");
    assumeTrue(Files.isRegularFile(person) && Files.isRegularFile(PHOTO), "skipped: ../shared/models is absent");
    CliRun r = CliRun.of("detect", "--sim-only", person.toString(), "--image", PHOTO.toString(), "--anchors",
        ANCHORS.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertOneLineError(r, "1x96x96x1");
  }

  @Test
  void anchorsThatDoNotFitTheHeadsAreRefused(@TempDir Path tmp) throws IOException {
    assumeShared();
    // 8 anchors over 2 heads = 4 per head, and 18 channels are not 4 x (5 + classes)
    Path eight = Files.writeString(tmp.resolve("eight.txt"), "10,14, 23,27, 37,58, 81,82, 1,2, 3,4, 5,6, 7,8\n");
    CliRun r = CliRun.of("detect", "--sim-only", YOLO.toString(), "--image", PHOTO.toString(), "--anchors",
        eight.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertOneLineError(r, "18 channels");
    Path five = Files.writeString(tmp.resolve("five.txt"), "10,14, 23,27, 37,58, 81,82, 5,5\n");
    r = CliRun.of("detect", "--sim-only", YOLO.toString(), "--image", PHOTO.toString(), "--anchors", five.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertOneLineError(r, "same number of anchors");
  }

  @Test
  void missingOrUnreadableImageIsBadInput(@TempDir Path tmp) throws IOException {
    assumeShared();
    CliRun r = CliRun.of("detect", "--sim-only", YOLO.toString(), "--image", tmp.resolve("nope.jpg").toString(),
        "--anchors", ANCHORS.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertOneLineError(r, "not found");
    Path junk = Files.writeString(tmp.resolve("junk.jpg"), "not an image");
    r = CliRun.of("detect", "--sim-only", YOLO.toString(), "--image", junk.toString(), "--anchors",
        ANCHORS.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertOneLineError(r, "junk.jpg");
    r = CliRun.of("detect", "--sim-only", YOLO.toString(), "--image", PHOTO.toString(), "--anchors",
        ANCHORS.toString(), "--classes", "person,dog");
    assertEquals(2, r.code(), r.out() + r.err());
    assertOneLineError(r, "--classes");
  }

  @Test
  void simOnlyNeedsNoBoard() {
    assumeShared();
    CliRun r = CliRun.of("detect", "--sim-only", YOLO.toString(), "--image", PHOTO.toString(), "--anchors",
        ANCHORS.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("simulator only"), r.out());
    assertTrue(Pattern.compile("^class0 0\\.", Pattern.MULTILINE).matcher(r.out()).find(), r.out());
    assertFalse(r.out().contains("bit-exact"), r.out());
  }

  private static void assertOneLineError(CliRun r, String needle) {
    String err = r.err().strip();
    assertTrue(err.startsWith("error: ") && !err.contains("\n"), "one-line error: " + r.err());
    assertTrue(err.contains(needle), needle + " in: " + err);
    assertFalse(err.contains("Exception"), err);
  }
}
