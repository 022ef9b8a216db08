package io.tinyforge.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.QemuLauncher;
import io.tinyforge.board.QemuSession;
import io.tinyforge.serial.protocol.HelloReply;
import io.tinyforge.serial.protocol.InvokeReply;
import io.tinyforge.serial.protocol.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verification firmware with the stand-in model on the three QEMU boards, over QEMU's pty and jSerialComm:
 * the whole target path without the code generator. Instruction counts must repeat exactly.
 */
class QemuLoopTest {

  static Path build(Board board) {
    Path root = HostTarget.repoRoot();
    Path dir = root.resolve("mcu-target/target/test-verify/" + board.name());
    Path fake = root.resolve("firmware/app/test_model");
    VerifyAppSources app = VerifyAppSources.prepare(root, FakeModel.graph(), dir.resolve("gen"));
    return app.addTo(FirmwareBuild.forBoard(board, root)).addSource(fake.resolve("model.c")).addIncludeDir(fake)
        .build(dir, "verify").image();
  }

  static Optional<String> death(QemuSession q) {
    return q.isAlive() ? Optional.empty() : Optional.of("QEMU exited: " + q.output().strip());
  }

  @ParameterizedTest
  @ValueSource(strings = {"qemu-mps2-an500", "qemu-mps2-an386", "qemu-mps3-an547"})
  void verifyLoopOnQemu(String boardName) {
    Board board = BoardRegistry.load(HostTarget.repoRoot()).get(boardName);
    assumeTrue(FirmwareBuild.toolchainAvailable(board) && QemuLauncher.available(), "arm gcc or QEMU missing");
    Path elf = build(board);
    List<Long> counts = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      try (QemuSession q = QemuLauncher.start(board, elf);
           SerialPortTransport port = SerialPortTransport.open(q.ptyPath(), 115200)) {
        TargetSession s = new TargetSession(port, SessionOptions.DEFAULT, () -> death(q));
        HelloReply h = s.hello();
        assertEquals(boardName, h.board);
        assertEquals("instructions", h.counterUnit);
        assertEquals(FakeModel.HASH, h.modelHash);
        for (int seed = 1; seed <= 10; seed++) {
          byte[] in0 = new byte[20];
          byte[] in1 = new byte[7];
          Protocol.prngFill(in0, seed, 0);
          Protocol.prngFill(in1, seed, 1);
          s.genInput(0, seed);
          s.genInput(1, seed);
          InvokeReply r = s.invoke();
          assertEquals(0, r.status);
          assertTrue(r.count > 0, "instruction count");
          counts.add(r.count);
          byte[][] want = FakeModel.run(in0, in1);
          assertEquals(List.of(Protocol.fnv1a64(want[3]), Protocol.fnv1a64(want[4])), s.outputHashes());
        }
        byte[] last = new byte[20];
        Protocol.prngFill(last, 10, 0);
        assertArrayEquals(last, s.getTensor(0), "input 0 as the target generated it");
        if (run == 1) {
          // QEMU killed mid-run: one clear line, at once
          q.close();
          long start = System.nanoTime();
          TargetException e = assertThrows(TargetException.class, s::invoke);
          assertEquals(TargetException.Kind.CLOSED, e.kind(), e.getMessage());
          assertTrue((System.nanoTime() - start) / 1_000_000 < 3000);
        }
      }
    }
    assertEquals(counts.subList(0, 10), counts.subList(10, 20), "instruction counts repeat across QEMU runs");
  }
}
