package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.sim.gen.Coverage;
import io.tinyforge.sim.gen.ModelFiles;
import io.tinyforge.sim.gen.RandomModels;
import io.tinyforge.sim.oracle.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random models for CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV, AVERAGE/MAX_POOL_2D, MEAN,
 * RESHAPE/SQUEEZE/EXPAND_DIMS and small chains of them, every option and extreme quantization: 0 differing bytes
 * against TFLM on every intermediate tensor and output. All models go through one oracle process.
 */
class GeneratedModelsOracleTest {
  static final long SEED = 20240611L;
  static final int RUNS_PER_MODEL = 5;

  @TempDir
  Path dir;

  @Test
  void generatedModelsMatchTflmBitForBit() throws Exception {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    Coverage coverage = new Coverage();
    List<RandomModels.Generated> models = RandomModels.corePartModels(SEED, coverage);
    assertTrue(models.size() >= 150, "only " + models.size() + " generated models");
    List<String> names = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (RandomModels.Generated g : models) {
      Path f = dir.resolve(names.size() + ".tflite");
      Files.write(f, ModelFiles.serialize(g.model()));
      names.add(g.name());
      files.add(f);
    }
    List<OracleBatch.Verdict> verdicts = OracleBatch.compare(names, files, RUNS_PER_MODEL, SEED);
    List<String> problems = new ArrayList<>();
    long bytes = 0;
    for (OracleBatch.Verdict v : verdicts) {
      bytes += v.comparedBytes();
      if (v.problem() != null) {
        problems.add(v.name() + ": " + v.problem());
      }
    }
    System.out.println("[generated] " + models.size() + " models x " + RUNS_PER_MODEL + " runs, " + bytes
        + " bytes compared, " + problems.size() + " with differences");
    System.out.println("[generated] coverage (op: option=models):\n" + coverage.table());
    if (!problems.isEmpty()) {
      fail(problems.size() + " generated models differ from TFLM:\n" + String.join("\n", problems));
    }
    List<String> missing = new ArrayList<>();
    requiredCells().forEach((op, options) -> {
      for (String o : options) {
        if (coverage.count(op, o) == 0) {
          missing.add(op + " " + o);
        }
      }
    });
    assertTrue(missing.isEmpty(), "coverage cells without a model: " + missing);
    assertEquals(models.size(), verdicts.size());
  }

  /** The (op, option) cells the generator must always cover. */
  static Map<String, List<String>> requiredCells() {
    List<String> quant = new ArrayList<>();
    for (io.tinyforge.sim.gen.QuantProfile p : io.tinyforge.sim.gen.QuantProfile.values()) {
      quant.add("quant=" + p.name().toLowerCase());
    }
    List<String> acts = List.of("act=NONE", "act=RELU", "act=RELU6", "act=RELU_N1_TO_1");
    List<String> convLike = new ArrayList<>(quant);
    convLike.addAll(acts);
    convLike.addAll(List.of("per-channel", "per-tensor", "no-bias"));
    Map<String, List<String>> m = new java.util.LinkedHashMap<>();
    m.put("CONV_2D", concat(convLike, "pad=SAME", "pad=VALID", "stride>1", "stride h!=w", "dilation>1", "groups>1",
        "kernel 1x1", "kernel h!=w", "batch>1", "cin%4!=0"));
    m.put("DEPTHWISE_CONV_2D", concat(convLike, "pad=SAME", "pad=VALID", "stride>1", "dilation>1", "multiplier=1",
        "multiplier=2", "multiplier=3", "batch>1", "channels%4!=0"));
    m.put("FULLY_CONNECTED", concat(convLike, "keep_num_dims", "input rank 2", "input rank 3", "input rank 4",
        "batch>1", "filter zp!=0"));
    m.put("TRANSPOSE_CONV", concat(convLike, "pad=SAME", "pad=VALID", "stride>1", "non-square"));
    for (String pool : List.of("AVERAGE_POOL_2D", "MAX_POOL_2D")) {
      m.put(pool, concat(acts, "pad=SAME", "pad=VALID", "stride>1", "filter>image", "filter h!=w", "zp extreme"));
    }
    m.put("MEAN", List.of("rank 1", "rank 2", "rank 3", "rank 4", "rank 5", "axes 1", "axes 2", "axes 3",
        "keep_dims", "drop_dims", "same quant", "requantize", "negative axes", "duplicate axes", "spatial {1,2}"));
    m.put("RESHAPE", List.of("shape tensor"));
    m.put("SQUEEZE", List.of("dims"));
    m.put("EXPAND_DIMS", List.of("axis"));
    return m;
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> l = new ArrayList<>(base);
    l.addAll(List.of(more));
    return l;
  }
}
