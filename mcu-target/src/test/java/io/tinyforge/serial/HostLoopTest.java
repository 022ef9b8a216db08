package io.tinyforge.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.serial.protocol.GenInputReply;
import io.tinyforge.serial.protocol.GetTensorHashReply;
import io.tinyforge.serial.protocol.HelloReply;
import io.tinyforge.serial.protocol.InvokeReply;
import io.tinyforge.serial.protocol.Protocol;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real C verification firmware (host board, fake model) against the Java host side, over pipes. */
class HostLoopTest {
  static Path image;

  @BeforeAll
  static void build() {
    assumeTrue(HostTarget.toolchainPresent(), "host gcc missing: skipping the host-board loop");
    image = HostTarget.build("plain", Map.of());
  }

  @Test
  void helloReportsTheModelFromTheGeneratedInfo() {
    try (HostTarget t = HostTarget.start(image)) {
      HelloReply h = t.session(SessionOptions.DEFAULT).hello();
      assertEquals("host", h.board);
      assertEquals(FakeModel.HASH, h.modelHash);
      assertEquals("ns", h.counterUnit);
      assertEquals(77, h.arenaBytes);
      assertEquals(3, h.opCount);
      assertEquals(5, h.tensorCount);
      assertEquals(1, h.flags, "op hook on, no perturbation");
      assertEquals(Protocol.FINGERPRINT, h.fingerprint);
      assertEquals(2, h.inputs.size());
      assertEquals(List.of(1, 7), h.inputs.get(1).dims);
      assertEquals(0.25f, h.inputs.get(1).scale);
      assertEquals(-128, h.outputs.get(1).zeroPoint);
      assertEquals(10, h.outputs.get(1).bytes);
      assertEquals(9, h.outputs.get(0).dtype);
    }
  }

  @Test
  void setInputInvokeAndReadBackMatchTheJavaArithmetic() {
    Random rnd = new Random(7);
    try (HostTarget t = HostTarget.start(image)) {
      TargetSession s = t.session(SessionOptions.DEFAULT);
      s.hello();
      for (int round = 0; round < 5; round++) {
        byte[] in0 = new byte[20];
        byte[] in1 = new byte[7];
        rnd.nextBytes(in0);
        rnd.nextBytes(in1);
        s.setInput(0, in0);
        s.setInput(1, in1);
        InvokeReply r = s.invoke();
        assertEquals(0, r.status);
        assertEquals(3, r.opsRun);
        byte[][] want = FakeModel.run(in0, in1);
        assertArrayEquals(want[3], s.getOutput(0, 20));
        assertArrayEquals(want[4], s.getOutput(1, 10));
        assertEquals(List.of(Protocol.fnv1a64(want[3]), Protocol.fnv1a64(want[4])), s.outputHashes());
        assertArrayEquals(want[2], s.getTensor(2));
        GetTensorHashReply th = s.tensorHash(2);
        assertEquals(20, th.size);
        assertEquals(Protocol.fnv1a64(want[2]), th.hash);
      }
    }
  }

  @Test
  void generatedInputsEqualTheJavaPrng() {
    try (HostTarget t = HostTarget.start(image)) {
      TargetSession s = t.session(SessionOptions.DEFAULT);
      s.hello();
      for (int seed : new int[] {0, 1, -1, 0x12345678}) {
        GenInputReply g0 = s.genInput(0, seed);
        GenInputReply g1 = s.genInput(1, seed);
        byte[] in0 = new byte[20];
        byte[] in1 = new byte[7];
        Protocol.prngFill(in0, seed, 0);
        Protocol.prngFill(in1, seed, 1);
        assertEquals(Protocol.fnv1a64(in0), g0.hash);
        assertEquals(Protocol.fnv1a64(in1), g1.hash);
        assertArrayEquals(in0, s.getTensor(0));
        s.invoke();
        assertArrayEquals(FakeModel.run(in0, in1)[3], s.getOutput(0, 20));
      }
    }
  }

  @Test
  void perOpHashesAndStoppingAfterAnOperator() {
    try (HostTarget t = HostTarget.start(image)) {
      TargetSession s = t.session(SessionOptions.DEFAULT);
      s.hello();
      byte[] in0 = new byte[20];
      byte[] in1 = new byte[7];
      Protocol.prngFill(in0, 99, 0);
      Protocol.prngFill(in1, 99, 1);
      s.setInput(0, in0);
      s.setInput(1, in1);
      byte[][] want = FakeModel.run(in0, in1);
      assertEquals(3, s.invoke(TargetSession.ALL_OPS, true).opsRun);
      long[] hashes = s.opHashes(3);
      assertEquals(Protocol.fnv1a64(want[2]), hashes[0]);
      assertEquals(Protocol.fnv1a64(want[3]), hashes[1]);
      assertEquals(Protocol.fnv1a64(want[4]), hashes[2]);
      // stop after op 0: out0 must still hold the previous run's value, proving op 1 did not run
      s.setInput(0, new byte[20]);
      InvokeReply r = s.invoke(0, false);
      assertEquals(1, r.opsRun);
      assertArrayEquals(FakeModel.run(new byte[20], in1)[2], s.getTensor(2));
      assertArrayEquals(want[3], s.getTensor(3));
    }
  }

  @Test
  void aFrameOfAnotherProtocolVersionIsAnsweredWithBadVersion() {
    try (HostTarget t = HostTarget.start(image)) {
      t.session(SessionOptions.DEFAULT).hello(); // attached and answering
      t.transport.write(Frame.encode(Protocol.VERSION + 1, Protocol.HELLO, 77, new byte[0]));
      FrameDecoder d = new FrameDecoder();
      byte[] buf = new byte[256];
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (System.nanoTime() < deadline) {
        int n = t.transport.read(buf, 100);
        for (int i = 0; i < n; i++) {
          var r = d.push(buf[i]);
          if (r.isPresent() && r.get() instanceof FrameDecoder.Good g) {
            assertEquals(Protocol.ERROR, g.frame().type());
            assertEquals(77, g.frame().seq());
            var e = (io.tinyforge.serial.protocol.ErrorMessage) io.tinyforge.serial.protocol.Messages.decode(
                Protocol.ERROR, g.frame().payload());
            assertEquals(Protocol.ERR_BAD_VERSION, e.code);
            return;
          }
        }
      }
      throw new AssertionError("no answer to a frame of another version");
    }
  }

  @Test
  void badRequestsGetAnErrorNotSilence() {
    try (HostTarget t = HostTarget.start(image)) {
      TargetSession s = t.session(SessionOptions.DEFAULT);
      s.hello();
      TargetException e = assertThrows(TargetException.class, () -> s.setInput(2, new byte[3]));
      assertEquals(Protocol.ERR_BAD_INDEX, e.errorCode());
      assertTrue(e.getMessage().contains("BAD_INDEX"), e.getMessage());
      e = assertThrows(TargetException.class, () -> s.setInput(1, new byte[8]));
      assertEquals(Protocol.ERR_BAD_RANGE, e.errorCode());
      e = assertThrows(TargetException.class, () -> s.getTensor(5));
      assertEquals(Protocol.ERR_BAD_INDEX, e.errorCode());
      e = assertThrows(TargetException.class, () -> s.invoke(3, false));
      assertEquals(Protocol.ERR_BAD_INDEX, e.errorCode());
      // and it still works afterwards
      assertNotEquals(0, s.outputHashes().size());
    }
  }
}
