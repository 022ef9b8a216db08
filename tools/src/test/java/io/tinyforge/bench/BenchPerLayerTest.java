package io.tinyforge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.QemuLauncher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench-firmware --per-layer} prints the profile table of every model after the benchmark table. */
class BenchPerLayerTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();

  @Test
  void theDigitsModelGetsItsPerOpTable(@TempDir Path work) {
    assumeTrue(QemuLauncher.available(), "QEMU missing: skipping");
    assumeTrue(FirmwareBuild.toolchainAvailable(BoardRegistry.load(ROOT).get("qemu-mps2-an500")),
        "arm-none-eabi-gcc missing: skipping");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = BenchFirmware.run(new String[] {"--model", ROOT.resolve("examples/digits_int8.tflite").toString(),
        "--board", "qemu-mps2-an500", "--no-tflm", "--per-layer", "--work", work.toString()},
        new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, rc, out + "\n" + err);
    String o = out.toString();
    assertTrue(o.indexOf("| digits_int8 |") < o.indexOf("profile: digits_int8.tflite on qemu-mps2-an500"), o);
    assertTrue(o.contains("sum of the 6 per-op counts: "), o);
    assertTrue(o.contains("   4  FULLY_CONNECTED"), o);
    assertTrue(o.contains("profiling overhead: whole inference"), o);
  }
}
