package io.tinyforge.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.QemuLauncher;
import io.tinyforge.check.ModelChecker;
import io.tinyforge.tflite.TfliteReader;
import java.io.IOException;
import io.tinyforge.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof on real models: {@code gen-firmware verify} on the three QEMU boards with 10 seeded random inputs
 * for every shared model the checker accepts, all bit-exact; two models run twice with identical instruction counts; a perturbed kernel build fails and names the
 * operator. Needs ../shared/models, QEMU, arm-none-eabi-gcc and the code generator.
 */
class SharedModelsVerifyTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  static final Path MODELS = ROOT.resolve("../shared/models").normalize();
  static final Path CACHE = ROOT.resolve("tools/target/verify-shared-cache");

  static CliRun cli(List<String> args) {
    return CliRun.of(args);
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

  /** Every shared model the checker accepts (the others are refused with a reason elsewhere), on every QEMU board. */
  static Stream<Arguments> modelsAndBoards() throws IOException {
    if (!Files.isDirectory(MODELS)) {
      return Stream.of(Arguments.of("(../shared/models missing)", "qemu-mps2-an500"));
    }
    List<Arguments> cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(MODELS)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".tflite")).sorted().toList()) {
        try {
          ModelChecker.check(TfliteReader.read(p));
        } catch (TinyforgeException refused) {
          continue;
        }
        for (String board : List.of("qemu-mps2-an500", "qemu-mps2-an386", "qemu-mps3-an547")) {
          cases.add(Arguments.of(p.getFileName().toString(), board));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("modelsAndBoards")
  void bitExactAndRepeatable(String file, String board) {
    Path model = MODELS.resolve(file);
    assumeTrue(Files.isRegularFile(model), "../shared/models missing");
    assumeTrue(QemuLauncher.available(), "QEMU missing");
    CliRun first = cli(args(board, model));
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("10/10 bit-exact"), first.out());
    System.out.println(file + " " + board + ": " + countLine(first.out()));
    if (file.startsWith("tflm_person_detect") || file.startsWith("tflm_hello_world")) {
      // the reused firmware, same seeds: the instruction counts must repeat exactly
      CliRun second = cli(args(board, model));
      assertEquals(0, second.code(), second.out() + second.err());
      assertTrue(second.err().contains("firmware reused"), second.err());
      assertEquals(countLine(first.out()), countLine(second.out()), "instruction counts repeat");
    }
  }

  /** TFLM's stateful keyword models: the input sets run as one sequence from a RESET, state compared after each. */
  @ParameterizedTest(name = "{0} as a sequence on {1}")
  @CsvSource({"tflm_keyword_scrambled_int16io.tflite, qemu-mps2-an500",
      "tflm_keyword_scrambled_8bit_int16io.tflite, qemu-mps3-an547"})
  void statefulModelsVerifyAsOneSequence(String file, String board) {
    Path model = MODELS.resolve(file);
    assumeTrue(Files.isRegularFile(model), "../shared/models missing");
    assumeTrue(QemuLauncher.available(), "QEMU missing");
    List<String> a = args(board, model);
    a.set(a.indexOf("10"), "12");
    CliRun r = cli(a);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("12/12 bit-exact"), r.out());
    assertTrue(r.err().contains("run as one sequence from a RESET"), r.err());
  }

  /**
   * A wrong FULLY_CONNECTED output on the target reaches the next SVDF's state, which the sequence check compares
   * (the model's own outputs saturate: its weights are scrambled).
   */
  @org.junit.jupiter.api.Test
  void aPerturbedOpIsCaughtInTheNextSvdfState() {
    Path model = MODELS.resolve("tflm_keyword_scrambled_int16io.tflite");
    assumeTrue(Files.isRegularFile(model), "../shared/models missing");
    assumeTrue(QemuLauncher.available(), "QEMU missing");
    CliRun r = cli(args("qemu-mps2-an386", model, "--test-perturb-op", "2"));
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("state tensor 12"), r.out());
  }

  @ParameterizedTest(name = "perturbed op {1} of {0}")
  @CsvSource({"tflm_micro_speech_int8.tflite, 2, FULLY_CONNECTED", "mlperf_tiny_kws_ref_int8.tflite, 4, CONV_2D"})
  void aPerturbedKernelIsCaughtAndNamed(String file, int op, String opName) {
    Path model = MODELS.resolve(file);
    assumeTrue(Files.isRegularFile(model), "../shared/models missing");
    assumeTrue(QemuLauncher.available(), "QEMU missing");
    CliRun r = cli(args("qemu-mps2-an386", model, "--test-perturb-op", Integer.toString(op)));
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("first differing operator: #" + op + " " + opName), r.out());
  }
}
