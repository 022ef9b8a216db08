package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code inspect} on the int8 model TensorFlow 2.21 writes for a Keras Flatten (SHAPE -> STRIDED_SLICE -> PACK ->
 * RESHAPE): the shape ops are folded at load, inspect says so, and the model compiles.
 */
class InspectFoldingTest {
  private static Path fixture() {
    Path p = Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize()
        .resolve("tools/models/fixtures/keras3_flatten_int8.tflite");
    assertTrue(Files.isRegularFile(p), "committed fixture missing: " + p);
    return p;
  }

  @Test
  void tableNamesTheFoldedOpsAndTheModelCompiles() {
    CliRun r = CliRun.of("inspect", fixture().toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("folded at load (static shape arithmetic): SHAPE (op 2 of the file)"), r.out());
    assertTrue(r.out().contains("PACK (op 4 of the file)"), r.out());
    assertFalse(r.out().lines().anyMatch(l -> l.matches("\\s*\\d+\\s+(SHAPE|STRIDED_SLICE|PACK)\\s.*")),
        "no shape op row left in the op table:\n" + r.out());
    assertTrue(r.out().strip().endsWith("compiles: yes"), r.out());
  }

  @Test
  void jsonListsTheFoldedOps() {
    CliRun r = CliRun.of("inspect", fixture().toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject doc = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals(3, doc.getAsJsonArray("folded").size());
    assertEquals(5, doc.getAsJsonArray("ops").size());
    assertTrue(doc.get("compiles").getAsBoolean());
  }
}
