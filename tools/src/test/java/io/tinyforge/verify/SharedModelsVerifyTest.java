package io.tinyforge.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.QemuLauncher;
import io.tinyforge.cli.GenFirmware;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The proof on real models: {@code gen-firmware verify} on the three QEMU boards with 10 seeded random inputs
 * each, all bit-exact; run twice with identical instruction counts; a perturbed kernel build fails and names the
 * operator. Needs ../shared/models, QEMU, arm-none-eabi-gcc and the code generator.
 */
class SharedModelsVerifyTest {
  static final Path MODELS = FakeModel.root().resolve("../shared/models").normalize();
  static final Path CACHE = FakeModel.root().resolve("tools/target/verify-shared-cache");

  record Run(int code, String out, String err) {}

  static Run cli(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GenFirmware.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  static List<String> args(String board, Path model, String... more) {
    List<String> a = new ArrayList<>(List.of("verify", "--board", board, model.toString(), "--qemu", "--random", "10",
        "--seed", "1", "--cache-dir", CACHE.toString()));
    a.addAll(List.of(more));
    return a;
  }

  static String countLine(String out) {
    return out.lines().filter(l -> l.startsWith("instructions per inference")).findFirst().orElse("(none)");
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
      "tflm_hello_world_int8.tflite, qemu-mps2-an500",
      "tflm_hello_world_int8.tflite, qemu-mps2-an386",
      "tflm_hello_world_int8.tflite, qemu-mps3-an547",
      "tflm_micro_speech_int8.tflite, qemu-mps2-an500",
      "tflm_micro_speech_int8.tflite, qemu-mps2-an386",
      "tflm_micro_speech_int8.tflite, qemu-mps3-an547",
      "mlperf_tiny_kws_ref_int8.tflite, qemu-mps2-an500",
      "mlperf_tiny_kws_ref_int8.tflite, qemu-mps2-an386",
      "mlperf_tiny_kws_ref_int8.tflite, qemu-mps3-an547",
      "tflm_person_detect_int8.tflite, qemu-mps2-an500",
      "tflm_person_detect_int8.tflite, qemu-mps2-an386",
      "tflm_person_detect_int8.tflite, qemu-mps3-an547"})
  void bitExactAndRepeatable(String file, String board) {
    Path model = MODELS.resolve(file);
    assumeTrue(Files.isRegularFile(model), "../shared/models missing");
    assumeTrue(QemuLauncher.available(), "QEMU missing");
    Run first = cli(args(board, model));
    assumeFalse(first.err().contains("firmware generation is not built yet"), "the code generator has not landed");
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("10/10 bit-exact"), first.out());
    System.out.println(file + " " + board + ": " + countLine(first.out()));
    Run second = cli(args(board, model));
    assertEquals(0, second.code(), second.out() + second.err());
    assertTrue(second.err().contains("firmware reused"), second.err());
    assertEquals(countLine(first.out()), countLine(second.out()), "instruction counts repeat");
  }

  @ParameterizedTest(name = "perturbed op {1} of {0}")
  @CsvSource({"tflm_micro_speech_int8.tflite, 2, FULLY_CONNECTED", "mlperf_tiny_kws_ref_int8.tflite, 4, CONV_2D"})
  void aPerturbedKernelIsCaughtAndNamed(String file, int op, String opName) {
    Path model = MODELS.resolve(file);
    assumeTrue(Files.isRegularFile(model), "../shared/models missing");
    assumeTrue(QemuLauncher.available(), "QEMU missing");
    Run r = cli(args("qemu-mps2-an386", model, "--test-perturb-op", Integer.toString(op)));
    assumeFalse(r.err().contains("firmware generation is not built yet"), "the code generator has not landed");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("first differing operator: #" + op + " " + opName), r.out());
  }
}
