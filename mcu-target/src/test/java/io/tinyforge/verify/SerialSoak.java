package io.tinyforge.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.serial.FaultInjectingTransport;
import io.tinyforge.serial.FaultInjectingTransport.Faults;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The noisy-link soak of the reliability issue, run by {@code tools/soak-serial} (not by the test suite: it takes
 * minutes): a correct firmware (the host build of the verification app) verified through a link that flips, drops
 * and duplicates bytes in both directions and damages SET_INPUT frames behind a valid CRC, once per seed. A correct
 * firmware must never be blamed (exit 1) and no run may hang; a run may end with exit 3 when the link is too bad.
 */
class SerialSoak {
  @Test
  void aCorrectFirmwareIsNeverBlamedForLinkNoise() throws IOException {
    int runs = Integer.getInteger("soak.runs", 1000);
    double rate = Double.parseDouble(System.getProperty("soak.rate", "0.003"));
    Board host = VerificationTest.board("host");
    Path dir = Files.createTempDirectory("soak");
    int exact = 0;
    int falseMismatch = 0;
    int gaveUp = 0;
    int hangs = 0;
    long faults = 0;
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "soak");
      t.setDaemon(true);
      return t;
    });
    for (int seed = 1; seed <= runs; seed++) {
      Random rnd = new Random(seed);
      Faults f = new Faults(rate, rate, rate);
      FaultInjectingTransport[] proxy = new FaultInjectingTransport[1];
      FrameDamagingTransport.Damage damage = new FrameDamagingTransport.Damage(
          io.tinyforge.serial.protocol.SetInput.TYPE, rnd.nextInt(3));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      long linkSeed = seed;
      Verification v = new Verification(FakeModel.root(), host, FakeModel.graph(), "fake",
          FakeModel.generator(FakeModel.HASH), new FakeModel(), VerificationTest.CACHE, Map.of(),
          VerificationTest.OPTIONS, false)
          .wrapLink(t -> new FrameDamagingTransport(proxy[0] = new FaultInjectingTransport(t, f, f, linkSeed),
              damage, FrameDamagingTransport.Damage.none()));
      InputSets sets = seed % 2 == 0 ? new InputSets.Random(3, seed)
          : VerificationTest.inputFiles(dir.resolve("s" + seed), rnd, "a", "b");
      Future<Integer> run = pool.submit(() -> v.runBuilt(sets, new PrintWriter(out, true), new PrintWriter(err, true)));
      try {
        int code = run.get(120, TimeUnit.SECONDS);
        if (code == 0) {
          exact++;
        } else {
          falseMismatch++;
          System.out.println("soak: seed " + seed + " FALSE VERDICT exit " + code + "\n" + out + err);
        }
      } catch (TimeoutException e) {
        hangs++;
        run.cancel(true);
        System.out.println("soak: seed " + seed + " HANG");
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof TinyforgeException te && te.exitCode() == TinyforgeException.EXIT_CHECK_FAILED) {
          falseMismatch++;
          System.out.println("soak: seed " + seed + " FALSE VERDICT " + te.getMessage());
        } else {
          gaveUp++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      faults += proxy[0] == null ? 0 : proxy[0].total() + damage.done();
    }
    System.out.printf("soak: %d runs at fault rate %.4f per byte and direction, %,d faults injected: %d bit-exact,"
        + " %d false MISMATCH, %d ended by a link error (exit 3), %d hangs%n", runs, rate, faults, exact,
        falseMismatch, gaveUp, hangs);
    assertEquals(0, falseMismatch, "false verdicts");
    assertEquals(0, hangs, "hangs");
  }
}
