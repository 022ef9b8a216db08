package io.tinyforge.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Tensor;
import io.tinyforge.sim.Simulator;
import io.tinyforge.sim.Trace;
import io.tinyforge.sim.oracle.Oracle;
import io.tinyforge.tflite.TfliteReader;
import io.tinyforge.tflite.TfliteWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quantizer's output is a standard .tflite: TFLM (the oracle) loads and runs it, and tinyforge's simulator gives
 * exactly TFLM's bytes for every intermediate tensor and output - with int8 and with float I/O, on the committed
 * float examples, the 18-op Keras 3 fixture and a generated two-input graph of 26 ops (every op the quantizer
 * handles that the Keras models lack: SUB, MAXIMUM, MINIMUM, HARD_SWISH, LEAKY_RELU, PRELU, TRANSPOSE, SPLIT,
 * RESIZE_NEAREST_NEIGHBOR, TRANSPOSE_CONV, ...).
 */
class QuantizedModelsOracleTest {
  @TempDir
  Path tmp;

  static Path root() {
    return Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  }

  /** Test images: the first {@code n} of examples/digits_test_x.npy (float32 [N, 8, 8, 1], header skipped). */
  static List<float[][]> testImages(int n) throws IOException {
    byte[] file = Files.readAllBytes(root().resolve("examples/digits_test_x.npy"));
    int header = 10 + (ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff);
    ByteBuffer b = ByteBuffer.wrap(file, header, file.length - header).slice().order(ByteOrder.LITTLE_ENDIAN);
    List<float[][]> out = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      float[] v = new float[64];
      b.asFloatBuffer().position(s * 64).get(v);
      out.add(new float[][] {v});
    }
    return out;
  }

  @Test
  void tflmRunsTheQuantizedModelsAndTheSimulatorMatchesItBitForBit() throws IOException {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    Path manyOps = tmp.resolve("many_ops.tflite");
    Files.write(manyOps, FloatTestGraphs.manyOps(7));
    record Case(String file, boolean floatIo) {}
    List<Case> cases = List.of(new Case("examples/digits_float.tflite", false),
        new Case("examples/digits_mlp_float.tflite", true),
        new Case("tools/models/fixtures/keras3_mixed_float.tflite", false),
        new Case("tools/models/fixtures/keras3_mixed_float.tflite", true),
        new Case(manyOps.toString(), false), new Case(manyOps.toString(), true));
    List<Oracle.Job> jobs = new ArrayList<>();
    List<Simulator> sims = new ArrayList<>();
    List<List<byte[][]>> inputs = new ArrayList<>();
    for (int c = 0; c < cases.size(); c++) {
      Model fm = TfliteReader.read(root().resolve(cases.get(c).file()));
      boolean images = fm.inputs().size() == 1;
      List<float[][]> calibration = images ? testImages(60) : FloatTestGraphs.samples(1, 60);
      List<float[][]> runs = images ? testImages(12) : FloatTestGraphs.samples(2, 12);
      QuantizeOptions o = new QuantizeOptions(new CalibrationMethod.MinMax(), false, cases.get(c).floatIo());
      Quantizer.Result q = Quantizer.quantize(fm, calibration, o);
      Path out = tmp.resolve("q" + c + ".tflite");
      Files.write(out, TfliteWriter.write(q.model()));
      Simulator sim = Simulator.load(out);
      sims.add(sim);
      List<byte[][]> in = new ArrayList<>();
      for (float[][] s : runs) {
        byte[][] bytes = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
          bytes[i] = o.floatIo() ? QuantReport.floatBytes(s[i])
              : QuantReport.quantize(s[i], q.activations().get(fm.inputs().get(i)));
        }
        in.add(bytes);
      }
      inputs.add(in);
      jobs.add(new Oracle.Job(out, true, activations(sim.model()), false, in));
    }
    List<Oracle.JobResult> results = Oracle.run(jobs);
    long compared = 0;
    for (int c = 0; c < cases.size(); c++) {
      Oracle.JobResult jr = results.get(c);
      assertNull(jr.error(), cases.get(c) + ": TFLM refused the quantized model: " + jr.error());
      for (int r = 0; r < inputs.get(c).size(); r++) {
        Oracle.RunResult rr = jr.runs().get(r);
        assertNull(rr.error(), rr.error());
        Trace t = sims.get(c).runTraced(inputs.get(c).get(r));
        for (Map.Entry<Integer, byte[]> e : rr.tensors().entrySet()) {
          assertArrayEquals(e.getValue(), t.tensor(e.getKey()), cases.get(c) + " run " + r + " tensor " + e.getKey());
          compared += e.getValue().length;
        }
        byte[][] outs = t.outputs();
        for (int i = 0; i < outs.length; i++) {
          assertArrayEquals(rr.outputs()[i], outs[i], cases.get(c) + " run " + r + " output " + i);
        }
      }
    }
    assertTrue(compared > 10_000, "compared " + compared + " bytes");
  }

  static int[] activations(Model m) {
    List<Integer> t = new ArrayList<>();
    for (Operator op : m.operators()) {
      for (int o : op.outputs()) {
        Tensor tensor = m.tensor(o);
        if (!tensor.isConstant()) {
          t.add(o);
        }
      }
    }
    return t.stream().mapToInt(Integer::intValue).toArray();
  }
}
