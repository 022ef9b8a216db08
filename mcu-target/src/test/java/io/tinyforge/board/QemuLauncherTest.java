package io.tinyforge.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuLauncherTest {

    @Test
    void commandLineHasTheDeterministicFlags() {
        Board board = BoardTestSupport.board("qemu-mps3-an547");
        List<String> cmd = QemuLauncher.command(board, Path.of("/tmp/app.elf"));
        assertEquals(List.of("qemu-system-arm", "-M", "mps3-an547", "-nographic", "-kernel", "/tmp/app.elf",
                "-icount", "shift=0,sleep=off", "-semihosting-config", "enable=on,target=native",
                "-serial", "pty", "-monitor", "none"), cmd);
    }

    @Test
    void realBoardsAreRefused() {
        BoardException e = assertThrows(BoardException.class,
                () -> QemuLauncher.command(BoardTestSupport.board("teensy41"), Path.of("x.elf")));
        assertTrue(e.getMessage().contains("not a QEMU board"), e.getMessage());
    }

    @Test
    void missingImageIsReported() {
        BoardException e = assertThrows(BoardException.class,
                () -> QemuLauncher.start(BoardTestSupport.board("qemu-mps2-an500"), Path.of("/nonexistent/app.elf")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void imagesThatAreNotFirmwareAreRefusedBeforeStarting(@TempDir Path dir) throws IOException {
        Path garbage = dir.resolve("garbage.elf");
        Files.write(garbage, new byte[100]);
        BoardException e = assertThrows(BoardException.class,
                () -> QemuLauncher.start(BoardTestSupport.board("qemu-mps2-an500"), garbage));
        assertTrue(e.getMessage().contains("not an ELF file"), e.getMessage());

        Board an500 = BoardTestSupport.board("qemu-mps2-an500");
        Path imxrtImage = BoardTestSupport.echoApp(BoardTestSupport.board("imxrt1060-evk"));
        BoardException wrongBoard = assertThrows(BoardException.class, () -> QemuLauncher.start(an500, imxrtImage));
        assertTrue(wrongBoard.getMessage().contains("does not suit board qemu-mps2-an500"), wrongBoard.getMessage());
    }

    @Test
    void qemuFailingToStartIsReportedNotAwaited() {
        BoardTestSupport.assumeQemu();
        Board an500 = BoardTestSupport.board("qemu-mps2-an500");
        Board broken = new Board(an500.name(), an500.description(), an500.core(), an500.archFlags(), an500.toolchain(),
                an500.memories(), an500.codeMemory(), an500.ramMemory(), an500.weightsMemory(), an500.arenaMemory(),
                an500.fastArenaMemory(),
                an500.vectorTable(), an500.alignment(), an500.stackBytes(), an500.uart(), an500.clockHz(),
                an500.counter(), Optional.of(new Board.Qemu("no-such-machine", List.of())), an500.flash(),
                an500.bootHeader(), an500.linkerScript(), an500.sources(), an500.dir(), an500.aliases(),
                an500.arenaMemories(), an500.flexram());
        Path elf = BoardTestSupport.echoApp(an500);
        long t0 = System.nanoTime();
        BoardException e = assertThrows(BoardException.class, () -> QemuLauncher.start(broken, elf, Duration.ofSeconds(20)));
        assertTrue(e.getMessage().startsWith("qemu-system-arm -M no-such-machine exited with 1"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos(), "should fail fast");
    }

    @Test
    void closeKillsFirmwareThatNeverExits() {
        BoardTestSupport.assumeQemu();
        Board board = BoardTestSupport.board("qemu-mps2-an386");
        Path elf = BoardTestSupport.echoApp(board);
        QemuSession qemu = QemuLauncher.start(board, elf);
        assertTrue(qemu.ptyPath().startsWith("/dev/pts/"), qemu.ptyPath());
        assertTrue(qemu.waitForExit(Duration.ofMillis(300)).isEmpty(), "still waiting for a ping");
        long t0 = System.nanoTime();
        qemu.close();
        assertFalse(qemu.isAlive());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(6).toNanos());
    }
}
