package io.tinyforge.sim;

import io.tinyforge.TinyforgeException;
import io.tinyforge.sim.oracle.Oracle;
import io.tinyforge.tflite.TfliteReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs many small models through the simulator and, in ONE oracle process, through TFLM; compares every output and
 * every intermediate tensor. Used by the generated-model tests.
 */
final class OracleBatch {
  private OracleBatch() {}

  /** The verdict for one model: null problem = all bytes equal. */
  record Verdict(String name, int runs, long comparedBytes, String problem, boolean refusedByTflm) {}

  static List<Verdict> compare(List<String> names, List<Path> models, int runsPerModel, long seed) {
    List<Simulator> sims = new ArrayList<>();
    List<String> loadErrors = new ArrayList<>();
    List<List<byte[][]>> inputs = new ArrayList<>();
    List<Oracle.Job> jobs = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      Simulator sim = null;
      String err = null;
      try {
        sim = Simulator.of(TfliteReader.read(models.get(m)));
      } catch (TinyforgeException e) {
        err = e.getMessage();
      }
      sims.add(sim);
      loadErrors.add(err);
      Random rnd = new Random(seed * 1_000_003L + m);
      List<byte[][]> runs = new ArrayList<>();
      if (sim != null) {
        for (int r = 0; r < runsPerModel; r++) {
          runs.add(RandomInputs.forModel(sim, rnd));
        }
      }
      inputs.add(runs);
      jobs.add(new Oracle.Job(models.get(m), true, sim == null ? new int[0]
          : RealModelsOracleTest.activationTensors(sim.model()), false, runs));
    }
    List<Oracle.JobResult> results = Oracle.run(jobs);
    List<Verdict> out = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      String name = names.get(m);
      Oracle.JobResult jr = results.get(m);
      if (sims.get(m) == null) {
        out.add(new Verdict(name, 0, 0, "simulator refused: " + loadErrors.get(m), jr.error() != null));
        continue;
      }
      if (jr.error() != null) {
        out.add(new Verdict(name, 0, 0, "TFLM refused: " + jr.error(), true));
        continue;
      }
      out.add(check(name, sims.get(m), inputs.get(m), jr.runs()));
    }
    return out;
  }

  private static Verdict check(String name, Simulator sim, List<byte[][]> inputs, List<Oracle.RunResult> runs) {
    long compared = 0;
    for (int r = 0; r < inputs.size(); r++) {
      Oracle.RunResult o = runs.get(r);
      if (o.error() != null) {
        return new Verdict(name, r, compared, "TFLM failed on run " + r + ": " + o.error(), true);
      }
      Trace t = sim.runTraced(inputs.get(r));
      for (Trace.Step step : t.steps()) {
        for (Map.Entry<Integer, byte[]> e : step.outputs().entrySet()) {
          byte[] want = o.tensors().get(e.getKey());
          if (want == null) {
            continue;
          }
          compared += want.length;
          if (!Arrays.equals(want, e.getValue())) {
            return new Verdict(name, r, compared, "run " + r + " op " + step.opIndex() + " (" + step.opName()
                + ") tensor " + e.getKey() + ": " + Diff.describe(e.getValue(), want), false);
          }
        }
      }
      byte[][] outs = t.outputs();
      for (int i = 0; i < outs.length; i++) {
        compared += outs[i].length;
        if (!Arrays.equals(outs[i], o.outputs()[i])) {
          return new Verdict(name, r, compared, "run " + r + " output " + i + ": "
              + Diff.describe(outs[i], o.outputs()[i]), false);
        }
      }
    }
    return new Verdict(name, inputs.size(), compared, null, false);
  }
}
