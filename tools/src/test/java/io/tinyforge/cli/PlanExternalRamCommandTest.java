package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} with the i.MX RT boards' external RAM: unused without an option (and said so), used for the model
 * inputs or the arena only when asked, each use reported with the board's expected slowdown; naming an external
 * memory a board lacks is a one-line error with exit 2 that writes nothing.
 */
class PlanExternalRamCommandTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
  static final String DIGITS = ROOT.resolve("examples/digits_int8.tflite").toString();

  @TempDir
  Path dir;

  @Test
  void withoutAnOptionNothingGoesExternal() throws Exception {
    Path json = dir.resolve("plan.json");
    CliRun r = CliRun.of("plan", DIGITS, "--board", "imxrt1060-evk", "--no-tflm", "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("external RAM (EVK SDRAM, Teensy PSRAM): not used; the arena stays on chip"), r.out());
    assertTrue(r.out().contains("sdram is used only on request: --input-memory sdram"), r.out());
    assertFalse(r.out().contains("region sdram"), r.out());
    JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals("unused", j.get("externalRam").getAsString());
    assertEquals(2, j.getAsJsonArray("regions").size(), "the SDRAM is not an arena region unless asked for");
  }

  @Test
  void inputsInSdramAreReportedWithTheExpectedSlowdown() throws Exception {
    Path json = dir.resolve("plan.json");
    CliRun r = CliRun.of("plan", DIGITS, "--board", "imxrt1060-evk", "--no-tflm", "--input-memory", "sdram",
        "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("in sdram (.bss.tf_input_sdram, external, --input-memory)"), r.out());
    assertTrue(r.out().contains("external RAM sdram: 0 bytes of arena, 64 bytes of model inputs; expected ~3x "
        + "slower than on-chip for the buffers placed there"), r.out());
    assertFalse(r.out().contains("not used; the arena stays on chip"), r.out());
    JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertTrue(j.getAsJsonObject("inputs").get("external").getAsBoolean());
    JsonArray ext = j.getAsJsonArray("externalRam");
    assertEquals(1, ext.size());
    JsonObject sdram = ext.get(0).getAsJsonObject();
    assertEquals("sdram", sdram.get("memory").getAsString());
    assertEquals(64, sdram.get("inputBytes").getAsLong());
    assertEquals(3.0, sdram.get("expectedSlowdown").getAsDouble());
    assertEquals("TF_EXTRAM_SEMC_SDRAM", sdram.get("initDefine").getAsString());
  }

  @Test
  void regionLimitOptsTheArenaIntoPsram() throws Exception {
    Path json = dir.resolve("plan.json");
    CliRun r = CliRun.of("plan", DIGITS, "--board", "teensy41", "--no-tflm", "--region-limit", "dtcm=0",
        "--region-limit", "ocram=0", "--region-limit", "psram=65536", "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("region psram"), r.out());
    assertTrue(r.out().contains("expected ~8x slower than on-chip for the buffers placed there"), r.out());
    JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    JsonObject last = j.getAsJsonArray("regions").get(2).getAsJsonObject();
    assertEquals("psram", last.get("memory").getAsString());
    assertTrue(last.get("external").getAsBoolean());
    assertTrue(last.get("usedBytes").getAsLong() > 0, "the arena is in the PSRAM");
  }

  @Test
  void anExternalMemoryTheBoardLacksIsAOneLineErrorThatWritesNothing() {
    Path json = dir.resolve("plan.json");
    CliRun plan = CliRun.of("plan", DIGITS, "--board", "qemu-mps2-an500", "--no-tflm", "--input-memory", "sdram",
        "--json", json.toString());
    assertEquals(2, plan.code());
    assertTrue(plan.err().contains("'sdram'") && plan.err().contains("use one of [psram]"), plan.err());
    assertEquals(1, plan.err().strip().lines().count(), plan.err());
    assertFalse(Files.exists(json), "no plan written");

    Path out = dir.resolve("project");
    for (String[] option : new String[][] {{"--input-memory", "sdram"}, {"--region-limit", "sdram=4096"}}) {
      CliRun gen = CliRun.of("--board", "qemu-mps2-an500", DIGITS, "-o", out.toString(), option[0], option[1]);
      assertEquals(2, gen.code(), gen.out());
      assertEquals(1, gen.err().strip().lines().count(), gen.err());
      assertFalse(gen.err().contains("\tat "), "no stack trace");
      assertFalse(Files.exists(out), "nothing written for " + option[0]);
    }
    CliRun teensy = CliRun.of("--board", "teensy41", DIGITS, "-o", out.toString(), "--input-memory", "sdram");
    assertEquals(2, teensy.code());
    assertTrue(teensy.err().contains("use one of [psram]"), teensy.err());
    assertFalse(Files.exists(out));
  }
}
