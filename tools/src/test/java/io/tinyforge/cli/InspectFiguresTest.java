package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.ModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gen-firmware inspect} on models built here, so every figure (MACs, parameter bytes, weight bytes, largest
 * activation, quantization columns) is computed by hand; an op whose MACs cannot be counted; the --help footer.
 */
class InspectFiguresTest {
  @TempDir
  Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /**
   * x[1,5,5,2] -> CONV_2D 3x3 SAME, 3 filters -> y[1,5,5,3] -> RESHAPE -> r[1,75] -> FULLY_CONNECTED 4 units -> z.
   * By hand: conv 25 outputs x 3 channels x (3x3x2) taps = 1,350 MACs, params 54 weight + 12 bias bytes; reshape
   * 0 MACs, 8 bytes of shape; FC 4 outputs x 75 = 300 MACs, params 300 + 16. Totals 1,650 MACs, 390 weight bytes,
   * 9 tensors; the largest activation is y (75 bytes; r is as large but comes later).
   */
  private Path smallModel() throws Exception {
    Quantization act = Quantization.perTensor(0.5f, -2);
    ModelBuilder b = new ModelBuilder("small");
    int x = b.activation("x", TensorType.INT8, new Shape(1, 5, 5, 2), act);
    int w = b.constInt8("w", new Shape(3, 3, 3, 2), new byte[54],
        new Quantization(List.of(0.1f, 0.2f, 0.3f), List.of(0L, 0L, 0L), 0));
    int bias = b.constInt32("bias", new Shape(3), new int[3], null);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 5, 5, 3), act);
    int shape = b.constInt32("shape", new Shape(2), new int[] {1, 75}, null);
    int r = b.activation("r", TensorType.INT8, new Shape(1, 75), act);
    int fw = b.constInt8("fw", new Shape(4, 75), new byte[300], Quantization.perTensor(0.01f, 0));
    int fb = b.constInt32("fb", new Shape(4), new int[4], Quantization.perTensor(0.005f, 0));
    int z = b.activation("z", TensorType.INT8, new Shape(1, 4), Quantization.perTensor(0.25f, 7));
    b.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.RELU, 1, 1), new int[] {x, w, bias},
        new int[] {y});
    b.op(BuiltinOp.RESHAPE, new OpOptions.Reshape(List.of(1, 75)), new int[] {y, shape}, new int[] {r});
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, 0, false), new int[] {r, fw, fb},
        new int[] {z});
    Path p = tmp.resolve("small.tflite");
    Files.write(p, b.inputs(x).outputs(z).toBytes());
    return p;
  }

  @Test
  void handComputedFiguresInJson() throws Exception {
    CliRun r = run("inspect", "--json", smallModel().toString());
    assertEquals(0, r.code(), r.err());
    JsonObject doc = JsonParser.parseString(r.out()).getAsJsonObject();
    JsonArray ops = doc.getAsJsonArray("ops");
    long[][] expected = {{1350, 66}, {0, 8}, {300, 316}}; // {macs, param_bytes}
    for (int i = 0; i < expected.length; i++) {
      JsonObject op = ops.get(i).getAsJsonObject();
      assertEquals(expected[i][0], op.get("macs").getAsLong(), "op " + i + " macs");
      assertEquals(expected[i][1], op.get("param_bytes").getAsLong(), "op " + i + " param_bytes");
    }
    JsonObject w = ops.get(0).getAsJsonObject().getAsJsonArray("inputs").get(1).getAsJsonObject();
    assertEquals(3, w.get("per_channel").getAsInt());
    assertEquals(0, w.get("quantized_dimension").getAsInt());
    JsonObject totals = doc.getAsJsonObject("totals");
    assertEquals(1650, totals.get("macs").getAsLong());
    assertEquals(390, totals.get("weight_bytes").getAsLong());
    assertEquals(9, totals.get("tensors").getAsInt());
    assertEquals(0, totals.get("uncounted_ops").getAsInt());
    JsonObject big = totals.getAsJsonObject("largest_activation");
    assertEquals("y", big.get("name").getAsString());
    assertEquals(75, big.get("bytes").getAsInt());
    JsonObject z = ops.get(2).getAsJsonObject().getAsJsonArray("outputs").get(0).getAsJsonObject();
    assertEquals(0.25f, z.get("scale").getAsFloat());
    assertEquals(7, z.get("zero_point").getAsInt());
  }

  @Test
  void handComputedFiguresInTheTable() throws Exception {
    CliRun r = run("inspect", smallModel().toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("totals: 3 ops, 9 tensors, 390 weight bytes, 1,650 MACs, largest activation 'y' "
        + "(75 bytes)"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s*0\\s+CONV_2D\\s+1x5x5x2\\s+1x5x5x3\\s+s=0.5 zp=-2\\s+"
        + "1,350\\s+66")), r.out());
    assertTrue(r.out().contains("output 0: 'z' INT8 1x4 s=0.25 zp=7"), r.out());
  }

  @Test
  void opWhoseMacsCannotBeCountedIsShownAsUnknown() throws Exception {
    // a CONV_2D with a rank-3 filter: readable, not compilable, and inspect still prints what it can
    Quantization q = Quantization.perTensor(0.5f, 0);
    ModelBuilder b = new ModelBuilder("odd");
    int x = b.activation("x", TensorType.INT8, new Shape(1, 4, 4, 2), q);
    int w = b.constInt8("w3d", new Shape(3, 3, 2), new byte[18], q);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 4, 4, 3), q);
    b.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1), new int[] {x, w, -1},
        new int[] {y});
    Path p = tmp.resolve("odd.tflite");
    Files.write(p, b.inputs(x).outputs(y).toBytes());

    CliRun r = run("inspect", p.toString());
    assertEquals(2, r.code());
    assertTrue(r.out().contains("0 MACs (1 ops not counted)"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s*0\\s+CONV_2D.*\\s\\?\\s+18")), r.out());
    assertTrue(r.err().contains("weights 'w3d' have shape 3x3x2 (rank 3), expected rank 4"), r.err());

    CliRun json = run("inspect", "--json", p.toString());
    assertEquals(2, json.code());
    JsonObject doc = JsonParser.parseString(json.out()).getAsJsonObject();
    JsonObject op = doc.getAsJsonArray("ops").get(0).getAsJsonObject();
    assertTrue(op.get("macs").isJsonNull(), "macs null when not countable");
    assertTrue(op.getAsJsonArray("inputs").get(2).isJsonNull(), "absent optional input is null");
    assertEquals(1, doc.getAsJsonObject("totals").get("uncounted_ops").getAsInt());
    assertEquals(0, doc.getAsJsonObject("totals").get("macs").getAsLong());
  }

  @Test
  void helpDocumentsTheJsonFields() {
    CliRun r = run("inspect", "--help");
    assertEquals(0, r.code());
    for (String field : List.of("--json", "ops[]", "macs", "param_bytes", "scale", "zero_point", "per_channel",
        "quantized_dimension", "weight_bytes", "uncounted_ops", "largest_activation", "compiles", "reason")) {
      assertTrue(r.out().contains(field), "help names " + field + ": " + r.out());
    }
  }
}
