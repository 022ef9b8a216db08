package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.model.TensorType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gen-firmware simulate} end to end on person_detect (expected figures are upstream's). */
class SimulateCommandTest {
  @TempDir
  Path tmp;

  private static Path shared(String file) {
    Path root = Paths.get(System.getProperty("tinyforge.root", ".."));
    Path p = root.resolve("../shared/models").resolve(file).normalize();
    assumeTrue(Files.isRegularFile(p), "shared models absent: " + p);
    return p;
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void rawInputGivesUpstreamFigureAsBinAndNpy() throws Exception {
    Path model = shared("tflm_person_detect_int8.tflite");
    Path input = shared("tflm_person_detect_input_person_int8.bin");
    Path out = tmp.resolve("out");
    CliRun r = run("simulate", model.toString(), "--input", input.toString(), "--output-dir", out.toString());
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(new byte[] {-113, 113}, Files.readAllBytes(out.resolve("output_0.bin")));
    Npy.Array npy = Npy.read(Files.readAllBytes(out.resolve("output_0.npy")), "output_0.npy");
    assertEquals(TensorType.INT8, npy.type());
    assertArrayEquals(new int[] {1, 2}, npy.shape());
    assertArrayEquals(new byte[] {-113, 113}, npy.data());
    assertTrue(r.out().contains("-113 113"), r.out());
  }

  @Test
  void npyInputAndTraceWriteEveryTensor() throws Exception {
    Path model = shared("tflm_person_detect_int8.tflite");
    Path npyIn = tmp.resolve("zeros.npy");
    Files.write(npyIn, Npy.write(TensorType.INT8, new int[] {1, 96, 96, 1}, new byte[9216]));
    Path out = tmp.resolve("traced");
    CliRun r = run("simulate", model.toString(), "--input", npyIn.toString(), "--output-dir", out.toString(),
        "--trace");
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(new byte[] {72, -72}, Files.readAllBytes(out.resolve("output_0.bin")));
    try (Stream<Path> files = Files.list(out.resolve("tensors"))) {
      // 31 op outputs plus the graph input.
      assertEquals(32, files.count());
    }
    io.tinyforge.model.Model m = io.tinyforge.tflite.TfliteReader.read(model);
    int inIdx = m.inputs().get(0);
    assertArrayEquals(new byte[9216], Files.readAllBytes(out.resolve("tensors/" + inIdx + "_input.bin")));
    int outIdx = m.outputs().get(0);
    String outName = SimulateCommand.sanitize(m.tensor(outIdx).name());
    assertArrayEquals(new byte[] {72, -72}, Files.readAllBytes(out.resolve("tensors/" + outIdx + "_" + outName + ".bin")));
  }

  @Test
  void wrongSizeIsOneLineNamingExpectedAndActualBytes() throws Exception {
    Path model = shared("tflm_person_detect_int8.tflite");
    Path bad = tmp.resolve("short.bin");
    Files.write(bad, new byte[100]);
    CliRun r = run("simulate", model.toString(), "--input", bad.toString(), "--output-dir", tmp.resolve("o").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("100 bytes") && r.err().contains("needs 9216 bytes"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void npyRoundTripsHeaderFields() {
    byte[] file = Npy.write(TensorType.FLOAT32, new int[] {3}, new byte[12]);
    assertEquals(0, file.length % 64 == 0 ? 0 : (file.length - 12) % 64);
    Npy.Array a = Npy.read(file, "x.npy");
    assertEquals(TensorType.FLOAT32, a.type());
    assertArrayEquals(new int[] {3}, a.shape());
  }
}
