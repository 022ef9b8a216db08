package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.tflite.TfliteReader;
import io.tinyforge.tflite.TfliteWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every verb runs the same validation first: a model that generation refuses is refused by inspect (with
 * "compiles: no"), plan, simulate, verify and profile with the same one line and exit 2, before anything is written
 * or built. The models
 * are the bundled digits model with one thing changed that the checker alone let through (found by fuzzing).
 */
class ValidationAcrossVerbsTest {
  @TempDir
  Path tmp;

  private static Path root() {
    return Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  }

  private Path mutated(String name, UnaryOperator<List<Tensor>> change) throws Exception {
    Model m = TfliteReader.read(root().resolve("examples/digits_int8.tflite"));
    List<Tensor> tensors = change.apply(new ArrayList<>(m.tensors()));
    Model changed = new Model(m.source(), m.schemaVersion(), m.description(), tensors, m.operators(), m.inputs(),
        m.outputs(), m.metadata());
    Path file = tmp.resolve(name + ".tflite");
    Files.write(file, TfliteWriter.write(changed));
    return file;
  }

  private static Operator firstConv() {
    Model m = TfliteReader.read(root().resolve("examples/digits_int8.tflite"));
    return m.operators().stream().filter(o -> o.op() == BuiltinOp.CONV_2D).findFirst().orElseThrow();
  }

  /** The model input's scale 1e10: the first conv's multiplier needs a left shift of about 40 (UB in C). */
  private Path hugeInputScale() throws Exception {
    int in = firstConv().input(0);
    return mutated("huge-scale", ts -> {
      Tensor t = ts.get(in);
      ts.set(in, new Tensor(t.index(), t.name(), t.type(), t.shape(),
          Quantization.perTensor(1e10f, t.quantization().zeroPoint()), t.data(), t.isVariable()));
      return ts;
    });
  }

  /** The first conv's output given constant data: the C would pass a const array as the output. */
  private Path constantOutput() throws Exception {
    int out = firstConv().output(0);
    return mutated("const-output", ts -> {
      Tensor t = ts.get(out);
      ts.set(out, new Tensor(t.index(), t.name(), t.type(), t.shape(), t.quantization(),
          ByteBuffer.allocate(t.byteSize()), false));
      return ts;
    });
  }

  private void refusedByEveryVerb(Path model, String reason) throws Exception {
    Path input = tmp.resolve("input.bin");
    Files.write(input, new byte[64]);
    Path project = tmp.resolve("out-" + model.getFileName());
    Path simOut = tmp.resolve("sim-" + model.getFileName());
    CliRun inspect = CliRun.of("inspect", model.toString());
    CliRun generate = CliRun.of("--board", "host", model.toString(), "-o", project.toString());
    CliRun plan = CliRun.of("plan", "--no-tflm", model.toString());
    CliRun simulate = CliRun.of("simulate", model.toString(), "--input", input.toString(), "--output-dir",
        simOut.toString());
    // verify and profile validate before they build or start a board
    Path cache = tmp.resolve("cache-" + model.getFileName());
    CliRun verify = CliRun.of("verify", "--board", "qemu-mps2-an500", model.toString(), "--cache-dir",
        cache.toString());
    CliRun profile = CliRun.of("profile", "--board", "qemu-mps2-an500", model.toString(), "--cache-dir",
        cache.toString());
    for (CliRun r : List.of(inspect, generate, plan, simulate, verify, profile)) {
      assertEquals(2, r.code(), r.err());
      String err = r.err().strip();
      assertFalse(err.contains("\n"), "one line: " + err);
      assertTrue(err.startsWith("error: ") && err.contains(reason), err);
      assertFalse(err.contains("internal error"), err);
    }
    assertEquals(generate.err(), inspect.err(), "inspect gives generation's reason");
    assertEquals(generate.err(), simulate.err(), "simulate gives generation's reason");
    assertEquals(generate.err(), verify.err(), "verify gives generation's reason");
    assertEquals(generate.err(), profile.err(), "profile gives generation's reason");
    assertTrue(inspect.out().contains("compiles: no: "), inspect.out());
    assertFalse(Files.exists(project), "nothing written");
    assertFalse(Files.exists(simOut), "nothing written");
  }

  @Test
  void aScaleWhoseShiftNoKernelCanApplyIsRefusedByEveryVerb() throws Exception {
    refusedByEveryVerb(hugeInputScale(), "op 0 (CONV_2D) needs a rescaling shift of");
  }

  @Test
  void anOpOutputWithConstantDataIsRefusedByEveryVerb() throws Exception {
    refusedByEveryVerb(constantOutput(), "(output of op 0 (CONV_2D)) has constant data");
  }

  @Test
  void theBundledModelStillPassesEveryVerb() throws Exception {
    Path model = root().resolve("examples/digits_int8.tflite");
    assertEquals(0, CliRun.of("inspect", model.toString()).code());
    assertEquals(0, CliRun.of("plan", "--no-tflm", model.toString()).code());
    Path input = tmp.resolve("digits-in.bin");
    Files.write(input, new byte[64]);
    CliRun sim = CliRun.of("simulate", model.toString(), "--input", input.toString(), "--output-dir",
        tmp.resolve("sim").toString());
    assertEquals(0, sim.code(), sim.err());
  }

  @Test
  void anInputFileFarLargerThanTheTensorIsRefusedBeforeItIsRead() throws Exception {
    Path model = root().resolve("examples/digits_int8.tflite");
    Path huge = tmp.resolve("huge.bin");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(8L << 30); // sparse: 8 GiB that take no disk space and would not fit the heap
    }
    CliRun sim = CliRun.of("simulate", model.toString(), "--input", huge.toString(), "--output-dir",
        tmp.resolve("sim").toString());
    assertEquals(2, sim.code(), sim.err());
    assertTrue(sim.err().strip().endsWith(": 8589934592 bytes, but the model's input 'serving_default_image:0' needs "
        + "64 bytes (int8 1x8x8x1)"), sim.err());
  }
}
