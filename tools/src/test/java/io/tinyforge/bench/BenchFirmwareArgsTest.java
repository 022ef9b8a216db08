package io.tinyforge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad arguments end with exit 2 and one line, before anything is built. */
class BenchFirmwareArgsTest {
  @TempDir
  Path dir;

  private int run(StringWriter err, String... args) {
    return BenchFirmware.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
  }

  @Test
  void unknownBoardIsBadUsage() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "--board", "no-such-board", "--no-tflm"));
    assertTrue(err.toString().startsWith("error: "), err.toString());
  }

  @Test
  void aBoardThatIsNotQemuIsBadUsage() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "--board", "teensy41", "--no-tflm"));
    assertTrue(err.toString().contains("not a QEMU board"), err.toString());
  }

  @Test
  void anUnknownModelIsBadUsage() throws Exception {
    Files.createDirectories(dir.resolve("models"));
    Files.write(dir.resolve("models/mlperf_tiny_kws_ref_int8.tflite"), new byte[] {0});
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "--shared", dir.toString(), "--model", "nothing_like_it", "--no-tflm"));
    assertTrue(err.toString().contains("no benchmark model matches 'nothing_like_it'"), err.toString());
  }

  @Test
  void anUnknownOptionIsBadUsage() {
    assertEquals(2, run(new StringWriter(), "--frobnicate"));
  }
}
