package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gen-firmware inspect}, run in-process. The expected shapes and MAC counts are written out by hand from the
 * models' documented architectures (examples/README.md for digits; MobileNet v1 0.25 for person_detect, whose layer
 * list the shared MANIFEST.md notes describe), with the convention conv: output elements x kh x kw x in_c,
 * depthwise: output elements x kh x kw, fully connected: outputs x depth.
 */
class InspectCommandTest {
  @TempDir
  Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static Path root() {
    return Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  }

  private static Path digits() {
    Path p = root().resolve("examples/digits_int8.tflite");
    assertTrue(Files.isRegularFile(p), "committed model missing: " + p);
    return p;
  }

  private static Path shared(String file) {
    Path p = root().resolve("../shared/models").resolve(file).normalize();
    assumeTrue(Files.isRegularFile(p), "shared models absent (../shared/models from the repo root): " + p);
    return p;
  }

  // ---- digits: the architecture from examples/README.md, by hand ----

  /** One op of the digits model: name, data input shape, weights shape (null if none), output shape. */
  private record Layer(String op, int[] in, int[] weights, int[] out) {}

  private static final List<Layer> DIGITS = List.of(
      new Layer("CONV_2D", new int[] {1, 8, 8, 1}, new int[] {8, 3, 3, 1}, new int[] {1, 8, 8, 8}),
      new Layer("MAX_POOL_2D", new int[] {1, 8, 8, 8}, null, new int[] {1, 4, 4, 8}),
      new Layer("CONV_2D", new int[] {1, 4, 4, 8}, new int[] {16, 3, 3, 8}, new int[] {1, 4, 4, 16}),
      new Layer("RESHAPE", new int[] {1, 4, 4, 16}, null, new int[] {1, 256}),
      new Layer("FULLY_CONNECTED", new int[] {1, 256}, new int[] {10, 256}, new int[] {1, 10}),
      new Layer("SOFTMAX", new int[] {1, 10}, null, new int[] {1, 10}));

  private static long elements(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** MACs by the convention in the class comment, from the hand-written shapes. */
  private static long handMacs(Layer l) {
    return switch (l.op()) {
      case "CONV_2D" -> elements(l.out()) * l.weights()[1] * l.weights()[2] * l.weights()[3];
      case "FULLY_CONNECTED" -> elements(l.out()) * l.weights()[1];
      default -> 0;
    };
  }

  private static long digitsTotalMacs() {
    long total = DIGITS.stream().mapToLong(InspectCommandTest::handMacs).sum();
    // 512*9*1 + 256*9*8 + 10*256: spelled out so a slip in handMacs shows too
    assertEquals(4608 + 18432 + 2560, total);
    return total;
  }

  @Test
  void tableOnDigits() {
    CliRun r = run("inspect", digits().toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    List<String> lines = Arrays.asList(r.out().split("\\R"));
    List<String> rows = new ArrayList<>();
    for (String line : lines) {
      if (line.matches("\\s*\\d+\\s+[A-Z_0-9]+\\s.*")) {
        rows.add(line.trim());
      }
    }
    assertEquals(DIGITS.size(), rows.size(), "one row per op:\n" + r.out());
    for (int i = 0; i < rows.size(); i++) {
      String[] cols = rows.get(i).split("\\s+");
      Layer l = DIGITS.get(i);
      assertEquals(String.valueOf(i), cols[0]);
      assertEquals(l.op(), cols[1], "op " + i);
      assertEquals(shape(l.in()), cols[2], "op " + i + " input shape");
      assertEquals(shape(l.out()), cols[3], "op " + i + " output shape");
      assertEquals(String.format("%,d", handMacs(l)), cols[cols.length - 2], "op " + i + " MACs: " + rows.get(i));
    }
    assertTrue(r.out().contains("input 0: 'serving_default_image:0' INT8 1x8x8x1 s=0.003921569 zp=-128"), r.out());
    assertTrue(r.out().contains("output 0: 'StatefulPartitionedCall_1:0' INT8 1x10 s=0.00390625 zp=-128"), r.out());
    String totals = lines.stream().filter(s -> s.startsWith("totals:")).findFirst().orElse("");
    assertTrue(totals.contains("6 ops"), totals);
    assertTrue(totals.contains(String.format("%,d MACs", digitsTotalMacs())), totals);
    assertEquals("compiles: yes", lines.get(lines.size() - 1));
  }

  @Test
  void jsonOnDigits() {
    CliRun r = run("inspect", "--json", digits().toString());
    assertEquals(0, r.code(), r.err());
    JsonObject doc = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals(digits().toString(), doc.get("model").getAsString());
    assertTrue(doc.get("compiles").getAsBoolean());
    assertFalse(doc.has("reason") && !doc.get("reason").isJsonNull(), "no reason when it compiles");
    JsonArray ops = doc.getAsJsonArray("ops");
    assertEquals(DIGITS.size(), ops.size());
    for (int i = 0; i < ops.size(); i++) {
      JsonObject op = ops.get(i).getAsJsonObject();
      Layer l = DIGITS.get(i);
      assertEquals(i, op.get("index").getAsInt());
      assertEquals(l.op(), op.get("op").getAsString(), "op " + i);
      JsonArray inputs = op.getAsJsonArray("inputs");
      assertArrayEquals(l.in(), ints(inputs.get(0).getAsJsonObject().getAsJsonArray("shape")), "op " + i + " in");
      assertFalse(inputs.get(0).getAsJsonObject().get("constant").getAsBoolean(), "op " + i + " reads activation");
      if (l.weights() != null) {
        JsonObject w = inputs.get(1).getAsJsonObject();
        assertArrayEquals(l.weights(), ints(w.getAsJsonArray("shape")), "op " + i + " weights");
        assertTrue(w.get("constant").getAsBoolean());
        assertEquals("INT8", w.get("type").getAsString());
      }
      JsonObject out = op.getAsJsonArray("outputs").get(0).getAsJsonObject();
      assertArrayEquals(l.out(), ints(out.getAsJsonArray("shape")), "op " + i + " out");
      assertEquals("INT8", out.get("type").getAsString());
      assertEquals(handMacs(l), op.get("macs").getAsLong(), "op " + i + " MACs");
    }
    JsonObject in = ops.get(0).getAsJsonObject().getAsJsonArray("inputs").get(0).getAsJsonObject();
    assertEquals(Float.parseFloat("0.003921568859368563"), in.get("scale").getAsFloat(), "input scale (README)");
    assertEquals(-128, in.get("zero_point").getAsInt());
    JsonObject last = ops.get(5).getAsJsonObject().getAsJsonArray("outputs").get(0).getAsJsonObject();
    assertEquals(0.00390625f, last.get("scale").getAsFloat());
    assertEquals(-128, last.get("zero_point").getAsInt());
    JsonObject totals = doc.getAsJsonObject("totals");
    assertEquals(6, totals.get("ops").getAsInt());
    assertEquals(digitsTotalMacs(), totals.get("macs").getAsLong());
  }

  // ---- person_detect: MobileNet v1 0.25 on 96x96x1, by hand ----

  @Test
  void personDetectMacTotal() {
    Path model = shared("tflm_person_detect_int8.tflite");
    // MobileNet v1 with width 0.25: stride-2 first layer (here a depthwise with multiplier 8 on the 1-channel
    // input, 96 -> 48), then 13 depthwise 3x3 + pointwise 1x1 blocks; stride 2 in blocks 2, 4, 6 and 12
    // (48 -> 24 -> 12 -> 6 -> 3); a 3x3 average pool and a 1x1 conv to 2 classes.
    long macs = 48L * 48 * 8 * 3 * 3; // first layer: depthwise, out 48x48x8
    int[][] blocks = { // {output size, in channels, out channels} of each depthwise + pointwise pair
        {48, 8, 16}, {24, 16, 32}, {24, 32, 32}, {12, 32, 64}, {12, 64, 64}, {6, 64, 128},
        {6, 128, 128}, {6, 128, 128}, {6, 128, 128}, {6, 128, 128}, {6, 128, 128}, {3, 128, 256}, {3, 256, 256}};
    for (int[] b : blocks) {
      long hw = (long) b[0] * b[0];
      macs += hw * b[1] * 3 * 3; // depthwise 3x3
      macs += hw * b[2] * b[1]; // pointwise 1x1
    }
    macs += 2L * 256; // final 1x1 conv on the pooled 1x1x256
    assertEquals(7_157_888L, macs, "hand arithmetic");

    CliRun r = run("inspect", "--json", model.toString());
    assertEquals(0, r.code(), r.err());
    JsonObject totals = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("totals");
    assertEquals(macs, totals.get("macs").getAsLong());
    assertEquals(31, totals.get("ops").getAsInt());
    CliRun table = run("inspect", model.toString());
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().contains(String.format("%,d MACs", macs)), table.out());
  }

  // ---- refusals and errors ----

  @Test
  void floatModelDoesNotCompileNamingFloat32() {
    Path model = shared("tflm_hello_world_float.tflite");
    CliRun r = run("inspect", model.toString());
    // the table is still printed, then the verdict
    assertTrue(r.out().contains("FULLY_CONNECTED"), r.out());
    String verdict = Arrays.stream(r.out().split("\\R")).filter(s -> s.startsWith("compiles:")).findFirst()
        .orElse("");
    assertTrue(verdict.startsWith("compiles: no"), r.out());
    assertTrue(verdict.contains("FLOAT32"), verdict);
    assertEquals(2, r.code(), "a model that does not compile is bad input for scripts");
    assertOneLineError(r, "FLOAT32");

    CliRun json = run("inspect", "--json", model.toString());
    JsonObject doc = JsonParser.parseString(json.out()).getAsJsonObject();
    assertFalse(doc.get("compiles").getAsBoolean());
    assertTrue(doc.get("reason").getAsString().contains("FLOAT32"), doc.get("reason").getAsString());
  }

  @Test
  void missingFileIsExit2WithOneLine() {
    Path missing = tmp.resolve("no_such_model.tflite");
    CliRun r = run("inspect", missing.toString());
    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertOneLineError(r, missing.toString(), "no such model file");
  }

  @Test
  void corruptFileIsExit2WithOneLine() throws Exception {
    byte[] bytes = Files.readAllBytes(digits());
    Path cut = tmp.resolve("cut.tflite");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    CliRun r = run("inspect", cut.toString());
    assertEquals(2, r.code());
    assertOneLineError(r, cut.toString(), "truncated");
  }

  private static void assertOneLineError(CliRun r, String... fragments) {
    String[] lines = r.err().strip().split("\\R");
    assertEquals(1, lines.length, "exactly one line on stderr, no stack trace:\n" + r.err());
    assertTrue(lines[0].startsWith("error: "), lines[0]);
    for (String f : fragments) {
      assertTrue(lines[0].contains(f), "stderr should contain '" + f + "': " + lines[0]);
    }
  }

  private static String shape(int[] dims) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : "x").append(dims[i]);
    }
    return sb.toString();
  }

  private static int[] ints(JsonArray a) {
    int[] out = new int[a.size()];
    int i = 0;
    for (JsonElement e : a) {
      out[i++] = e.getAsInt();
    }
    return out;
  }
}
