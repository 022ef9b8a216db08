package io.tinyforge.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.QemuLauncher;
import io.tinyforge.cli.CliRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 16x8 CNN from TensorFlow's converter (examples/cnn16x8_digits.tflite) verifies bit-exact on every QEMU board:
 * its 8 held-out samples and 10 random int16 inputs generated on the target.
 */
class Int16VerifyTest {
  static final Path MODEL = SharedModelsVerifyTest.ROOT.resolve("examples/cnn16x8_digits.tflite");
  static final Path SAMPLES = SharedModelsVerifyTest.ROOT.resolve("examples/cnn16x8_samples");
  static final Path CACHE = SharedModelsVerifyTest.ROOT.resolve("tools/target/verify-int16-cache");

  @ParameterizedTest(name = "cnn16x8_digits on {0}")
  @ValueSource(strings = {"qemu-mps2-an500", "qemu-mps2-an386", "qemu-mps3-an547"})
  void cnn16x8VerifiesOnQemu(String board) {
    assumeTrue(QemuLauncher.available(), "QEMU missing");
    CliRun samples = CliRun.of(List.of("verify", "--board", board, MODEL.toString(), "--qemu", "--inputs",
        SAMPLES.toString(), "--cache-dir", CACHE.toString()));
    assertEquals(0, samples.code(), samples.out() + samples.err());
    assertTrue(samples.out().contains("8/8 bit-exact"), samples.out());
    CliRun random = CliRun.of(List.of("verify", "--board", board, MODEL.toString(), "--qemu", "--random", "10",
        "--seed", "1", "--cache-dir", CACHE.toString()));
    assertEquals(0, random.code(), random.out() + random.err());
    assertTrue(random.out().contains("10/10 bit-exact"), random.out());
  }

  static final Path ACT_MODEL = SharedModelsVerifyTest.ROOT.resolve("examples/act16x8_digits.tflite");
  static final Path ACT_SAMPLES = SharedModelsVerifyTest.ROOT.resolve("examples/act16x8_samples");

  /** The 16x8 MLP with int16 LOGISTIC, TANH and SOFTMAX (examples/act16x8_digits.tflite) on every QEMU board. */
  @ParameterizedTest(name = "act16x8_digits on {0}")
  @ValueSource(strings = {"qemu-mps2-an500", "qemu-mps2-an386", "qemu-mps3-an547"})
  void act16x8VerifiesOnQemu(String board) {
    assumeTrue(QemuLauncher.available(), "QEMU missing");
    CliRun samples = CliRun.of(List.of("verify", "--board", board, ACT_MODEL.toString(), "--qemu", "--inputs",
        ACT_SAMPLES.toString(), "--cache-dir", CACHE.toString()));
    assertEquals(0, samples.code(), samples.out() + samples.err());
    assertTrue(samples.out().contains("8/8 bit-exact"), samples.out());
    CliRun random = CliRun.of(List.of("verify", "--board", board, ACT_MODEL.toString(), "--qemu", "--random", "10",
        "--seed", "1", "--cache-dir", CACHE.toString()));
    assertEquals(0, random.code(), random.out() + random.err());
    assertTrue(random.out().contains("10/10 bit-exact"), random.out());
  }
}
