package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.TinyforgeException;
import io.tinyforge.lower.Lowering;
import io.tinyforge.tflite.TfliteReader;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import io.tinyforge.sim.oracle.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every real int8 model in ../shared/models that the simulator supports, against TFLM: >= 20 seeded random inputs
 * plus the sample inputs shipped beside the model; every output byte and every intermediate tensor must match.
 * Models with an op the simulator lacks are skipped with the op's name (so the test tightens as ops land).
 */
class RealModelsOracleTest {
  static final int RANDOM_RUNS = 20;
  /** Runs per model whose intermediate tensors are also compared (all runs for small models). */
  static final int TRACED_RUNS_LARGE = 4;

  /** A model, its named sample inputs and the upstream-known outputs for some of them. */
  record Spec(String file, Map<String, byte[][]> samples, Map<String, byte[]> expected, boolean large) {}

  @TestFactory
  Stream<DynamicTest> realModelsMatchTflm() throws IOException {
    assumeTrue(SharedModels.present(), "shared models absent: " + SharedModels.dir());
    assumeTrue(Oracle.available(), Oracle.unavailableReason());

    List<Spec> specs = specs();
    Map<Spec, Simulator> sims = new LinkedHashMap<>();
    Map<Spec, String> skipped = new LinkedHashMap<>();
    Map<Spec, Simulator> prefixes = new LinkedHashMap<>();
    Map<Spec, List<String>> runNames = new LinkedHashMap<>();
    Map<Spec, List<byte[][]>> runInputs = new LinkedHashMap<>();
    List<Oracle.Job> jobs = new ArrayList<>();
    List<Spec> jobSpecs = new ArrayList<>();
    for (Spec s : specs) {
      Path path = SharedModels.model(s.file());
      Simulator sim;
      try {
        sim = Simulator.load(path);
      } catch (TinyforgeException e) {
        skipped.put(s, e.getMessage());
        prefixes.put(s, Simulator.of(Lowering.lowerSupportedPrefix(TfliteReader.read(path))));
        continue;
      }
      sims.put(s, sim);
      List<String> names = new ArrayList<>();
      List<byte[][]> inputs = new ArrayList<>();
      s.samples().forEach((k, v) -> {
        names.add(k);
        inputs.add(v);
      });
      Random rnd = new Random(s.file().hashCode());
      for (int r = 0; r < RANDOM_RUNS; r++) {
        names.add("random#" + r);
        inputs.add(RandomInputs.forModel(sim, rnd));
      }
      runNames.put(s, names);
      runInputs.put(s, inputs);
      int traced = s.large() ? TRACED_RUNS_LARGE : inputs.size();
      jobs.add(new Oracle.Job(path, true, activationTensors(sim.model()), true, inputs.subList(0, traced)));
      jobSpecs.add(s);
      if (traced < inputs.size()) {
        jobs.add(Oracle.Job.outputsOnly(path, inputs.subList(traced, inputs.size())));
        jobSpecs.add(s);
      }
    }
    // Partly supported models: the ops before the first unsupported one are still checked tensor by tensor.
    Map<Spec, byte[][]> prefixInputs = new LinkedHashMap<>();
    prefixes.forEach((s, sim) -> {
      prefixInputs.put(s, RandomInputs.forModel(sim, new Random(s.file().hashCode())));
      jobs.add(new Oracle.Job(SharedModels.model(s.file()), true, activationTensors(sim.model()), false,
          List.<byte[][]>of(prefixInputs.get(s))));
      jobSpecs.add(s);
    });
    List<Oracle.JobResult> results = jobs.isEmpty() ? List.of() : Oracle.run(jobs);
    Map<Spec, List<Oracle.RunResult>> oracleRuns = new LinkedHashMap<>();
    Map<Spec, Long> arena = new LinkedHashMap<>();
    for (int j = 0; j < jobs.size(); j++) {
      Oracle.JobResult jr = results.get(j);
      Spec s = jobSpecs.get(j);
      assertNull(jr.error(), s.file() + ": TFLM refused the model");
      oracleRuns.computeIfAbsent(s, k -> new ArrayList<>()).addAll(jr.runs());
      if (jr.arenaUsedBytes() > 0) {
        arena.put(s, jr.arenaUsedBytes());
      }
    }

    List<DynamicTest> tests = new ArrayList<>();
    prefixes.forEach((s, sim) -> tests.add(DynamicTest.dynamicTest(s.file() + " (supported prefix: "
        + sim.lowered().ops().size() + " of " + sim.model().operators().size() + " ops)", () -> {
          Oracle.RunResult o = oracleRuns.get(s).get(0);
          assertNull(o.error(), s.file() + ": TFLM failed");
          comparePrefix(s, sim, prefixInputs.get(s), o);
        })));
    for (Spec s : specs) {
      tests.add(DynamicTest.dynamicTest(s.file(), () -> {
        assumeTrue(!skipped.containsKey(s), () -> "skipped " + s.file() + ": " + skipped.get(s));
        check(s, sims.get(s), runNames.get(s), runInputs.get(s), oracleRuns.get(s), arena.getOrDefault(s, -1L));
      }));
    }
    return tests.stream();
  }

  private static void check(Spec s, Simulator sim, List<String> names, List<byte[][]> inputs,
      List<Oracle.RunResult> oracle, long arenaBytes) {
    assertEquals(inputs.size(), oracle.size(), "oracle run count");
    int totalDiff = 0;
    for (int r = 0; r < inputs.size(); r++) {
      Oracle.RunResult o = oracle.get(r);
      assertNull(o.error(), s.file() + " " + names.get(r) + ": TFLM failed");
      Trace t = sim.runTraced(inputs.get(r));
      if (!o.tensors().isEmpty()) {
        for (Trace.Step step : t.steps()) {
          for (Map.Entry<Integer, byte[]> e : step.outputs().entrySet()) {
            byte[] want = o.tensors().get(e.getKey());
            if (want != null && !Arrays.equals(want, e.getValue())) {
              Tensor tensor = sim.model().tensor(e.getKey());
              fail(s.file() + " " + names.get(r) + ": first difference at op " + step.opIndex() + " ("
                  + step.opName() + ") output tensor " + e.getKey() + " " + tensor.label() + ": "
                  + Diff.describe(e.getValue(), want));
            }
          }
        }
      }
      byte[][] outs = t.outputs();
      for (int i = 0; i < outs.length; i++) {
        totalDiff += Diff.count(outs[i], o.outputs()[i]);
        assertArrayEquals(o.outputs()[i], outs[i], s.file() + " " + names.get(r) + " output " + i + ": "
            + Diff.describe(outs[i], o.outputs()[i]));
      }
      byte[] expected = s.expected().get(names.get(r));
      if (expected != null) {
        assertArrayEquals(expected, outs[0], s.file() + " " + names.get(r) + ": upstream figure");
        assertArrayEquals(expected, o.outputs()[0], s.file() + " " + names.get(r) + ": oracle vs upstream figure");
      }
    }
    assertEquals(0, totalDiff);
    System.out.println("[real-models] " + s.file() + ": " + inputs.size() + " runs, " + sim.model().operators().size()
        + " ops, 0 differing bytes (TFLM host arena_used_bytes " + arenaBytes + ")");
  }

  private static void comparePrefix(Spec s, Simulator sim, byte[][] inputs, Oracle.RunResult o) {
    Trace t = sim.runTraced(inputs);
    int compared = 0;
    for (Trace.Step step : t.steps()) {
      for (Map.Entry<Integer, byte[]> e : step.outputs().entrySet()) {
        byte[] want = o.tensors().get(e.getKey());
        if (want != null) {
          compared++;
          if (!Arrays.equals(want, e.getValue())) {
            fail(s.file() + ": first difference at op " + step.opIndex() + " (" + step.opName() + ") tensor "
                + e.getKey() + ": " + Diff.describe(e.getValue(), want));
          }
        }
      }
    }
    System.out.println("[real-models] " + s.file() + " prefix: " + compared + " tensors equal");
  }

  /** Every tensor an op writes (what TFLM's preserve-all mode lets us compare). */
  static int[] activationTensors(Model m) {
    return m.operators().stream().flatMap(op -> op.outputs().stream()).mapToInt(Integer::intValue).distinct()
        .toArray();
  }

  private static List<Spec> specs() throws IOException {
    List<Spec> s = new ArrayList<>();
    s.add(new Spec("tflm_hello_world_int8.tflite", Map.of(), Map.of(), false));
    s.add(new Spec("tflm_simple_add_int8.tflite", Map.of(), Map.of(), false));
    s.add(new Spec("tflm_micro_speech_int8.tflite", samples(
        "yes", "tflm_micro_speech_input_yes_int8.bin", "no", "tflm_micro_speech_input_no_int8.bin"), Map.of(), false));
    Map<String, byte[][]> person = samples("person", "tflm_person_detect_input_person_int8.bin",
        "no_person", "tflm_person_detect_input_no_person_int8.bin");
    person.put("zeros", new byte[][] {new byte[96 * 96]});
    s.add(new Spec("tflm_person_detect_int8.tflite", person, Map.of(
        "zeros", new byte[] {72, -72}, "person", new byte[] {-113, 113}, "no_person", new byte[] {57, -57}), false));
    s.add(new Spec("mlperf_tiny_vww_96_int8.tflite", zeros("zeros", 96 * 96 * 3),
        Map.of("zeros", new byte[] {116, -116}), false));
    Map<String, byte[][]> kws = samples("kws_input", "mlperf_tiny_kws_input_int8.bin");
    kws.put("zeros", new byte[][] {new byte[490]});
    s.add(new Spec("mlperf_tiny_kws_ref_int8.tflite", kws,
        Map.of("zeros", new byte[] {-1, -128, -128, -128, -128, -1, -128, -128, -128, -128, -128, -127}), false));
    s.add(new Spec("mlperf_tiny_ic_resnet8_int8.tflite", zeros("zeros", 32 * 32 * 3),
        Map.of("zeros", new byte[] {-69, -128, 12, -125, -123, -124, -125, -128, -86, -128}), false));
    s.add(new Spec("mlperf_tiny_ad01_int8.tflite", ad01Rows(), Map.of(), false));
    s.add(new Spec("arm_ds_cnn_s_int8_floatio.tflite", Map.of(), Map.of(), false));
    s.add(new Spec("yolo_fastest_v1.1_person_int8.tflite", Map.of(), Map.of(), true));
    return s;
  }

  private static Map<String, byte[][]> samples(String... nameFile) throws IOException {
    Map<String, byte[][]> m = new LinkedHashMap<>();
    for (int i = 0; i < nameFile.length; i += 2) {
      m.put(nameFile[i], new byte[][] {Files.readAllBytes(SharedModels.model(nameFile[i + 1]))});
    }
    return m;
  }

  private static Map<String, byte[][]> zeros(String name, int bytes) {
    Map<String, byte[][]> m = new LinkedHashMap<>();
    m.put(name, new byte[][] {new byte[bytes]});
    return m;
  }

  /** The 40 feature rows of the ad01 sample clip, quantized with the model's input parameters. */
  private static Map<String, byte[][]> ad01Rows() throws IOException {
    float[] all = QuantUtil.floats(Files.readAllBytes(SharedModels.model("mlperf_tiny_ad01_input_normal_id_01_f32.bin")));
    // Input quantization of mlperf_tiny_ad01_int8.tflite (MANIFEST): s=0.39101523 zp=89.
    Model m = io.tinyforge.tflite.TfliteReader.read(SharedModels.model("mlperf_tiny_ad01_int8.tflite"));
    float scale = m.input(0).quantization().scale();
    int zp = m.input(0).quantization().zeroPoint();
    Map<String, byte[][]> rows = new LinkedHashMap<>();
    for (int r = 0; r < all.length / 640; r++) {
      rows.put("row" + r, new byte[][] {QuantUtil.quantize(Arrays.copyOfRange(all, r * 640, (r + 1) * 640), scale, zp)});
    }
    return rows;
  }
}
