package io.tinyforge.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.serial.FaultInjectingTransport.Faults;
import io.tinyforge.serial.protocol.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Robustness: the real C firmware (host board) behind a fault proxy that flips bits, drops and duplicates bytes or
 * goes silent. Damage must be retried and recovered, and a dead or silent target must end in one clear line within
 * a bounded time.
 */
class FaultProxyTest {
  static Path image;
  static final SessionOptions FAST = SessionOptions.DEFAULT.withReplyTimeout(Duration.ofMillis(200))
      .withInvokeTimeout(Duration.ofSeconds(3)).withHelloTimeout(Duration.ofSeconds(5)).withAttempts(10);

  @BeforeAll
  static void build() {
    assumeTrue(HostTarget.toolchainPresent(), "host gcc missing: skipping the fault proxy tests");
    image = HostTarget.build("plain", Map.of());
  }

  /** Runs rounds of set/invoke/read through the proxy and checks every result against the Java arithmetic. */
  private static void exchangeRounds(FaultInjectingTransport proxy, HostTarget t, int rounds, TargetSession s) {
    Random rnd = new Random(3);
    s.hello();
    for (int round = 0; round < rounds; round++) {
      byte[] in0 = new byte[20];
      byte[] in1 = new byte[7];
      rnd.nextBytes(in0);
      if (round % 2 == 0) {
        rnd.nextBytes(in1);
        s.setInput(1, in1);
      } else {
        s.genInput(1, round);
        Protocol.prngFill(in1, round, 1);
      }
      s.setInput(0, in0);
      assertEquals(0, s.invoke().status);
      byte[][] want = FakeModel.run(in0, in1);
      assertArrayEquals(want[3], s.getOutput(0, 20), "round " + round);
      assertArrayEquals(want[4], s.getOutput(1, 10), "round " + round);
      assertArrayEquals(want[2], s.getTensor(2), "round " + round);
    }
  }

  @Test
  void flippedDroppedAndDuplicatedBytesAreRecoveredInBothDirections() {
    Faults f = new Faults(0.004, 0.004, 0.004);
    try (HostTarget t = HostTarget.start(image)) {
      FaultInjectingTransport proxy = new FaultInjectingTransport(t.transport, f, f, 11);
      TargetSession s = new TargetSession(proxy, FAST, t::deathCheck);
      exchangeRounds(proxy, t, 60, s);
      assertTrue(proxy.flips() > 0 && proxy.drops() > 0 && proxy.duplicates() > 0,
          "the proxy must really have injected every kind of fault: " + proxy.flips() + "/" + proxy.drops() + "/"
              + proxy.duplicates());
      assertTrue(s.resends() > 0, "damage must have caused resends");
    }
  }

  @Test
  void heavyNoiseOnRepliesOnlyIsStillRecovered() {
    try (HostTarget t = HostTarget.start(image)) {
      FaultInjectingTransport proxy = new FaultInjectingTransport(t.transport, Faults.NONE,
          new Faults(0.01, 0.0, 0.01), 5);
      // About 40% of replies arrive damaged here, so runs of six or seven damaged replies to one request happen;
      // the bounds leave room for them on a loaded machine (the bound itself is tested below).
      TargetSession s = new TargetSession(proxy, FAST.withInvokeTimeout(Duration.ofSeconds(20)).withAttempts(40),
          t::deathCheck);
      exchangeRounds(proxy, t, 20, s);
      assertTrue(proxy.total() > 10, "faults injected: " + proxy.total());
      assertTrue(s.badFrames() > 0);
    }
  }

  @Test
  void aTargetThatStopsAnsweringFailsWithinTheBound() {
    try (HostTarget t = HostTarget.start(image)) {
      FaultInjectingTransport proxy = new FaultInjectingTransport(t.transport, Faults.NONE, Faults.NONE, 1);
      TargetSession s = new TargetSession(proxy, FAST, t::deathCheck);
      s.hello();
      proxy.silence();
      long start = System.nanoTime();
      TargetException e = assertThrows(TargetException.class, () -> s.getOutput(0, 20));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(TargetException.Kind.TIMEOUT, e.kind());
      assertTrue(e.getMessage().contains("stopped answering") && e.getMessage().contains("GET_OUTPUT"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
      assertTrue(ms < 10 * 260 + 1000, "gave up after " + ms + " ms");
      assertTrue(ms >= 10 * 200 - 50, "must have tried all attempts, gave up after " + ms + " ms");
      // INVOKE has its own, longer bound
      start = System.nanoTime();
      e = assertThrows(TargetException.class, s::invoke);
      ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(TargetException.Kind.TIMEOUT, e.kind());
      assertTrue(ms >= 2900 && ms < 4500, "INVOKE gave up after " + ms + " ms");
    }
  }

  @Test
  void aKilledTargetIsReportedAtOnce() {
    try (HostTarget t = HostTarget.start(image)) {
      TargetSession s = t.session(FAST.withInvokeTimeout(Duration.ofSeconds(60)));
      s.hello();
      t.process.destroyForcibly();
      long start = System.nanoTime();
      TargetException e = assertThrows(TargetException.class, s::invoke);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(TargetException.Kind.CLOSED, e.kind(), e.getMessage());
      assertTrue(e.getMessage().startsWith("lost the target"), e.getMessage());
      assertTrue(ms < 2000, "noticed after " + ms + " ms");
    }
  }

  @Test
  void noTargetAtAllEndsTheHelloInTime() {
    try (HostTarget t = HostTarget.start(image)) {
      FaultInjectingTransport proxy = new FaultInjectingTransport(t.transport, Faults.NONE, Faults.NONE, 1);
      proxy.silence();
      TargetSession s = new TargetSession(proxy, FAST.withHelloTimeout(Duration.ofMillis(800)), t::deathCheck);
      long start = System.nanoTime();
      TargetException e = assertThrows(TargetException.class, s::hello);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(TargetException.Kind.TIMEOUT, e.kind());
      assertTrue(e.getMessage().startsWith("no answer to HELLO"), e.getMessage());
      assertTrue(ms < 2000, "gave up after " + ms + " ms");
    }
  }

  @Test
  void aPortThatDoesNotExistIsOneClearLine() {
    long start = System.nanoTime();
    TargetException e = assertThrows(TargetException.class,
        () -> SerialPortTransport.open("/dev/tinyforge-no-such-port", 115200));
    assertEquals(TargetException.Kind.NO_PORT, e.kind());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertEquals(3, e.exitCode());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 2000);
  }
}
