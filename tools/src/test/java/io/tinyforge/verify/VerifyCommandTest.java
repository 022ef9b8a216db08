package io.tinyforge.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The verify command's usage errors: each one clear line, the right exit code, quickly. */
class VerifyCommandTest {
  static final Path HELLO = Path.of(System.getProperty("tinyforge.root", ".."))
      .resolve("../shared/models/tflm_hello_world_int8.tflite").normalize();

  static CliRun cli(String... args) {
    return CliRun.of(args);
  }

  static void assumeModel() {
    assumeTrue(Files.isRegularFile(HELLO), "../shared/models missing: skipping");
  }

  static void oneLine(CliRun r) {
    String e = r.err().strip();
    assertFalse(e.isEmpty(), "an error message");
    assertFalse(e.contains("\n"), "one line: " + e);
    assertFalse(e.contains("Exception"), "no stack trace: " + e);
  }

  @Test
  void aPortThatDoesNotExist() {
    assumeModel();
    long start = System.nanoTime();
    CliRun r = cli("verify", "--board", "imxrt1060-evk", HELLO.toString(), "--port", "/dev/tinyforge-missing");
    assertEquals(3, r.code(), r.err());
    oneLine(r);
    assertTrue(r.err().contains("serial port /dev/tinyforge-missing does not exist"), r.err());
    assertTrue(r.err().contains("debug probe's USB serial port"), "how the board's console is reached: " + r.err());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
  }

  @Test
  void anUnknownBoard() {
    assumeModel();
    CliRun r = cli("verify", "--board", "no-such-board", HELLO.toString());
    assertEquals(2, r.code(), r.err());
    oneLine(r);
    assertTrue(r.err().contains("unknown board 'no-such-board'"), r.err());
  }

  @Test
  void aRealBoardNeedsAPort() {
    assumeModel();
    CliRun r = cli("verify", "--board", "teensy41", HELLO.toString());
    assertEquals(2, r.code(), r.err());
    oneLine(r);
    assertTrue(r.err().contains("pass --port"), r.err());
  }

  @Test
  void aMissingModelFile() {
    CliRun r = cli("verify", "--board", "host", "/nonexistent/model.tflite");
    assertEquals(2, r.code(), r.err());
    oneLine(r);
  }

  @Test
  void portAndQemuExcludeEachOther() {
    assumeModel();
    CliRun r = cli("verify", "--board", "qemu-mps2-an500", HELLO.toString(), "--qemu", "--port", "/dev/x");
    assertEquals(2, r.code(), r.err());
  }

  @Test
  void inputsAndRandomExcludeEachOtherAndCountsArePositive() {
    assumeModel();
    CliRun r = cli("verify", "--board", "qemu-mps2-an500", HELLO.toString(), "--inputs", "/tmp", "--random", "3");
    assertEquals(2, r.code(), r.err());
    r = cli("verify", "--board", "qemu-mps2-an500", HELLO.toString(), "--random", "0");
    assertEquals(2, r.code(), r.err());
    oneLine(r);
    assertTrue(r.err().contains("--random needs a count of 1 or more"), r.err());
  }
}
