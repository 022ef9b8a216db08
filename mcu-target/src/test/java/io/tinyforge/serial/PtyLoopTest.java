package io.tinyforge.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.serial.protocol.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host-board firmware behind a real pty made by socat, opened with jSerialComm: the same path QEMU's
 * {@code -serial pty} takes, without QEMU.
 */
class PtyLoopTest {
  static Path image;

  @BeforeAll
  static void build() {
    assumeTrue(HostTarget.toolchainPresent(), "host gcc missing");
    assumeTrue(onPath("socat"), "socat missing (tools/setup installs it): skipping the pty loop");
    image = HostTarget.build("plain", Map.of());
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static Process socat(Path link) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + link, "EXEC:" + image)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!Files.exists(link) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return p;
  }

  @Test
  void fullExchangeOverAPty(@TempDir Path dir) throws Exception {
    Path link = dir.resolve("uart");
    Process socat = socat(link);
    try (SerialPortTransport port = SerialPortTransport.open(link.toString(), 115200)) {
      TargetSession s = new TargetSession(port, SessionOptions.DEFAULT,
          () -> socat.isAlive() ? Optional.empty() : Optional.of("socat exited"));
      assertEquals(FakeModel.HASH, s.hello().modelHash);
      // all 256 byte values through the pty, both ways
      byte[] in0 = new byte[20];
      byte[] in1 = new byte[7];
      for (int base = 0; base < 256; base += 20) {
        for (int i = 0; i < 20; i++) {
          in0[i] = (byte) (base + i);
        }
        s.setInput(0, in0);
        s.genInput(1, base);
        Protocol.prngFill(in1, base, 1);
        s.invoke();
        assertArrayEquals(FakeModel.run(in0, in1)[3], s.getOutput(0, 20));
        assertArrayEquals(in0, s.getTensor(0));
      }
    } finally {
      socat.destroy();
      socat.waitFor(2, TimeUnit.SECONDS);
    }
  }

  @Test
  void theOtherEndGoingAwayIsNoticed(@TempDir Path dir) throws Exception {
    Path link = dir.resolve("uart");
    Process socat = socat(link);
    try (SerialPortTransport port = SerialPortTransport.open(link.toString(), 115200)) {
      TargetSession s = new TargetSession(port, SessionOptions.DEFAULT.withReplyTimeout(Duration.ofMillis(300)),
          () -> socat.isAlive() ? Optional.empty() : Optional.of("socat exited"));
      s.hello();
      socat.destroy();
      socat.waitFor(2, TimeUnit.SECONDS);
      long start = System.nanoTime();
      TargetException e = assertThrows(TargetException.class, s::invoke);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(List.of(TargetException.Kind.CLOSED).contains(e.kind()), e.kind() + ": " + e.getMessage());
      assertTrue(ms < 3000, "noticed after " + ms + " ms");
    } finally {
      socat.destroyForcibly();
    }
  }
}
