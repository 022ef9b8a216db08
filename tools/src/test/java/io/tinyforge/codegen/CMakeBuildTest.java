package io.tinyforge.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.ElfFile;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.ImageCheck;
import io.tinyforge.cli.CliRun;
import io.tinyforge.sim.Simulator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emitted CMakeLists.txt builds the same thing as the Makefile: on the host a model_runner whose output for a
 * sample equals the simulator's, for a Cortex-M board a firmware.elf that passes the image check.
 */
class CMakeBuildTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
  static final Path DIGITS = ROOT.resolve("examples/digits_int8.tflite");

  @TempDir
  Path dir;

  @Test
  void hostRunnerBuiltWithCMakeComputesTheSimulatorsBytes() throws Exception {
    assumeTrue(onPath("cmake"), "cmake not installed (tools/setup installs it)");
    Path out = dir.resolve("host");
    CliRun gen = CliRun.of("--board", "host", DIGITS.toString(), "-o", out.toString());
    assertEquals(0, gen.code(), gen.out() + gen.err());
    Path build = cmake(out);
    Path sample = ROOT.resolve("examples/digits_samples/sample_0.bin");
    Path result = dir.resolve("out.bin");
    run(List.of(build.resolve("model_runner").toString(), sample.toString(), result.toString()), build);
    byte[][] expected = Simulator.load(DIGITS).run(new byte[][] {Files.readAllBytes(sample)});
    assertArrayEquals(expected[0], Files.readAllBytes(result));
  }

  @Test
  void cortexM7FirmwareBuiltWithCMakePassesTheImageCheck() throws Exception {
    assumeTrue(onPath("cmake"), "cmake not installed (tools/setup installs it)");
    Board board = BoardRegistry.load(ROOT).get("qemu-mps2-an500");
    assumeTrue(FirmwareBuild.toolchainAvailable(board), "arm-none-eabi-gcc not found");
    Path out = dir.resolve("m7");
    CliRun gen = CliRun.of("--board", board.name(), DIGITS.toString(), "-o", out.toString());
    assertEquals(0, gen.code(), gen.out() + gen.err());
    Path elf = cmake(out).resolve("firmware.elf");
    assertTrue(Files.isRegularFile(elf), "no firmware.elf from CMake");
    assertEquals(List.of(), ImageCheck.check(ElfFile.read(elf), board));
  }

  private Path cmake(Path project) throws Exception {
    Path build = project.resolve("cmake-build");
    run(List.of("cmake", "-S", project.toString(), "-B", build.toString()), project);
    run(List.of("cmake", "--build", build.toString(), "-j", "2"), project);
    return build;
  }

  private void run(List<String> cmd, Path cwd) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "cmd", ".log");
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + Files.readString(log));
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
