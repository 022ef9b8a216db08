package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --board} on a board with several arena memories: per-region report, JSON, SVG, bad limits. */
class PlanRegionsCommandTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
  static final String DIGITS = ROOT.resolve("examples/digits_int8.tflite").toString();

  @TempDir
  Path dir;

  @Test
  void printsBytesPerMemoryTheSplitAndThatExternalRamIsUnused() throws Exception {
    Path json = dir.resolve("plan.json");
    Path svg = dir.resolve("plan.svg");
    CliRun r = CliRun.of("plan", DIGITS, "--board", "imxrt1060-evk", "--no-tflm", "--json", json.toString(),
        "--svg", svg.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("region dtcm"), r.out());
    assertTrue(r.out().contains("region ocram"), r.out());
    assertTrue(r.out().contains("FlexRAM split: ITCM 0 KiB / DTCM 32 KiB / OCRAM 480 KiB"), r.out());
    assertTrue(r.out().contains("external RAM (EVK SDRAM, Teensy PSRAM): not used"), r.out());
    JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(2, j.getAsJsonArray("regions").size());
    assertEquals("dtcm", j.getAsJsonArray("regions").get(0).getAsJsonObject().get("memory").getAsString());
    assertEquals(1, j.getAsJsonObject("flexram").get("dtcmBanks").getAsInt());
    assertTrue(Files.readString(svg).contains("dtcm ("), "region label in the SVG");
  }

  @Test
  void regionLimitSpansTwoMemoriesOnAn500() throws Exception {
    Path json = dir.resolve("plan.json");
    CliRun r = CliRun.of("plan", DIGITS, "--board", "qemu-mps2-an500", "--no-tflm", "--region-limit", "ram=256",
        "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    long ram = j.getAsJsonArray("regions").get(0).getAsJsonObject().get("usedBytes").getAsLong();
    long psram = j.getAsJsonArray("regions").get(1).getAsJsonObject().get("usedBytes").getAsLong();
    assertTrue(ram <= 256 && psram > 0, "ram " + ram + ", psram " + psram);
    assertTrue(j.get("flexram").isJsonNull());
  }

  @Test
  void badRegionLimitsAreOneLineErrors() {
    CliRun unknown = CliRun.of("plan", DIGITS, "--board", "qemu-mps2-an500", "--no-tflm", "--region-limit",
        "sdram=1024");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("'sdram'"), unknown.err());
    assertFalse(unknown.err().contains("\tat "), "no stack trace");
    CliRun noBoard = CliRun.of("plan", DIGITS, "--no-tflm", "--region-limit", "ram=1024");
    assertEquals(2, noBoard.code());
    assertTrue(noBoard.err().contains("--region-limit needs --board"), noBoard.err());
  }
}
