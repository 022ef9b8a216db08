package io.tinyforge.codegen;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.lower.LoweredModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutants of valid models through the reader, the validation every verb runs, lowering, the planner, the C
 * emitter and the simulator ({@link PipelineFuzz}): whatever the validation accepts every stage must handle, and
 * whatever it refuses is refused with one line. A sample of accepted mutants is compiled for the host with -Werror
 * and ASan/UBSan, run, and compared with the simulator. Sizes: -Dtinyforge.fuzz.variants (default 3,000),
 * -Dtinyforge.fuzz.cli (mutants also run through the in-process CLI's verbs, default 150),
 * -Dtinyforge.fuzz.builds (sanitizer builds of in-process mutants, default 8), -Dtinyforge.fuzz.cli.builds (of CLI
 * mutants, default 0), -Dtinyforge.fuzz.seed; tools/fuzz-pipeline runs the big sizes.
 */
class PipelineFuzzTest {
  private static final long SEED = Long.getLong("tinyforge.fuzz.seed", 0x70_1e_f022L);
  private static final int VARIANTS = Integer.getInteger("tinyforge.fuzz.variants", 3_000);
  private static final int CLI_VARIANTS = Integer.getInteger("tinyforge.fuzz.cli", 150);
  private static final int BUILDS = Integer.getInteger("tinyforge.fuzz.builds", 8);
  private static final int CLI_BUILDS = Integer.getInteger("tinyforge.fuzz.cli.builds", 0);
  private static final int BATCH = 500;
  private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  private static Path root() {
    return Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  }

  @Test
  void everyAcceptedMutantLowersPlansGeneratesAndSimulates() throws Exception {
    assumeTrue(VARIANTS > 0, "-Dtinyforge.fuzz.variants=0: no in-process mutants");
    PipelineFuzz fuzz = new PipelineFuzz(root(), SEED);
    PipelineFuzz.Tally tally = new PipelineFuzz.Tally();
    List<Integer> accepted = new ArrayList<>();
    long start = System.nanoTime();
    for (int batch = 0; batch < VARIANTS; batch += BATCH) {
      int from = batch;
      int to = Math.min(VARIANTS, batch + BATCH);
      assertTimeoutPreemptively(BATCH_TIMEOUT, () -> {
        for (int i = from; i < to; i++) {
          LoweredModel lowered = fuzz.inProcess(i, tally);
          if (lowered != null) {
            accepted.add(i);
          }
        }
      }, () -> "mutants " + from + ".." + (to - 1) + " (seed " + SEED + ") did not finish in "
          + BATCH_TIMEOUT.toSeconds() + " s: one of them hangs a stage");
    }
    System.out.printf("[pipeline-fuzz] in-process, %d fixtures, seed %d, %.1f s: %s%n", fuzz.fixtures().size(), SEED,
        (System.nanoTime() - start) / 1e9, tally.summary());

    int built = buildSample(fuzz, SEED, accepted, BUILDS, tally);
    System.out.println("[pipeline-fuzz] " + built + " accepted mutants built with -Werror, ASan and UBSan and equal "
        + "to the simulator");
    assertTrue(tally.failures.isEmpty(), tally.failures.size() + " failures:\n" + String.join("\n", tally.failures));
    assertTrue(tally.accepted > 0 && tally.validatorRefused > 0 && tally.readRefused > 0,
        "the mutants should reach every outcome: " + tally.summary());
  }

  @Test
  void verbsAgreeOnMutantsThroughTheCli() throws Exception {
    assumeTrue(CLI_VARIANTS > 0, "-Dtinyforge.fuzz.cli=0: no mutants through the CLI");
    PipelineFuzz fuzz = new PipelineFuzz(root(), SEED + 1);
    PipelineFuzz.Tally tally = new PipelineFuzz.Tally();
    Path work = Files.createDirectories(dir.resolve("cli"));
    long start = System.nanoTime();
    List<Integer> accepted = new ArrayList<>();
    for (int i = 0; i < CLI_VARIANTS; i++) {
      if (fuzz.throughCli(i, work, tally) != null) {
        accepted.add(i);
      }
      if ((i + 1) % 1000 == 0) {
        System.out.printf("[pipeline-fuzz] through the CLI: %d of %d mutants, %.0f s, %d failures so far%n", i + 1,
            CLI_VARIANTS, (System.nanoTime() - start) / 1e9, tally.failures.size());
      }
    }
    int built = buildSample(fuzz, SEED + 1, accepted, CLI_BUILDS, tally);
    System.out.printf("[pipeline-fuzz] through the CLI, seed %d, %.1f s: %s%n", SEED + 1,
        (System.nanoTime() - start) / 1e9, tally.summary());
    System.out.println("[pipeline-fuzz] " + built + " of them built with -Werror, ASan and UBSan and equal to the "
        + "simulator");
    assertTrue(tally.failures.isEmpty(), tally.failures.size() + " failures:\n" + String.join("\n", tally.failures));
    assertTrue(tally.accepted > 0 && tally.validatorRefused > 0, "the mutants should reach both verdicts: "
        + tally.summary());
  }

  /** Builds and runs an evenly spread sample of the accepted mutants under the sanitizers; returns how many. */
  private int buildSample(PipelineFuzz fuzz, long seed, List<Integer> accepted, int builds, PipelineFuzz.Tally tally)
      throws Exception {
    if (builds <= 0 || accepted.isEmpty()) {
      return 0;
    }
    if (!HostToolchain.available()) {
      System.out.println("[pipeline-fuzz] gcc not found: the sanitizer builds of accepted mutants are skipped");
      return 0;
    }
    HostToolchain gcc = HostToolchain.build(root(), Files.createDirectories(dir.resolve("kernels")));
    int step = Math.max(1, accepted.size() / builds);
    int built = 0;
    for (int k = 0; k < accepted.size() && built < builds; k += step) {
      int index = accepted.get(k);
      ModelMutator.Mutant mu = fuzz.mutant(index);
      Path work = Files.createDirectories(dir.resolve("build-" + index));
      Path file = work.resolve("mutant.tflite");
      Files.write(file, mu.bytes());
      try {
        HostEquivalenceTest.checkOne(gcc, new HostEquivalenceTest.Case("mutant " + index, file, 2), work);
        built++;
      } catch (AssertionError | RuntimeException e) {
        tally.fail("seed " + seed + " mutant " + index + " (" + mu.how() + "): accepted, but the host build: "
            + e.getMessage());
      }
    }
    tally.built = built;
    return built;
  }
}
