package io.tinyforge.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * echo_app on each QEMU board, through QemuLauncher and the pty: greeting, raw byte echo,
 * FPU/MVE arithmetic (needs CPACR set at reset), the known loop measured with the platform
 * counter (2n instructions; identical over two runs),
 * exit status through semihosting, and the fault handler path.
 */
class QemuBoardTest {
    private static final Duration HANDSHAKE = Duration.ofSeconds(30);
    private static final int N = 100_000;

    static java.util.stream.Stream<String> qemuBoards() {
        return BoardTestSupport.qemuBoards();
    }

    /** Result of one session: the two counts (n and 2n loop lengths). */
    private record Run(long countN, long count2N) {
    }

    private static Run runSession(Board board, Path elf, int exitStatus) {
        try (QemuSession qemu = QemuLauncher.start(board, elf); PtyPort port = qemu.openSerial()) {
            EchoProtocol app = new EchoProtocol(port);
            assertEquals("HELLO " + board.name() + " instructions", app.handshake(HANDSHAKE));

            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            byte[] first = java.util.Arrays.copyOfRange(all, 0, 128);
            byte[] second = java.util.Arrays.copyOfRange(all, 128, 256);
            assertArrayEquals(first, app.echo(first), "echo of bytes 0..127");
            assertArrayEquals(second, app.echo(second), "echo of bytes 128..255");
            assertArrayEquals("hello\r\n\0tinyforge".getBytes(), app.echo("hello\r\n\0tinyforge".getBytes()));

            String fpu = board.core().equals("cortex-m55") ? "MATH 637 112 mve" : "MATH 637 112 scalar";
            assertEquals(fpu, app.math(), "FPU (CPACR) and MVE usable");

            String[] c1 = app.count(N);
            String[] c2 = app.count(2 * N);
            assertEquals("instructions", c1[1]);

            assertEquals("BYE", app.exit(exitStatus));
            assertEquals(OptionalInt.of(exitStatus), qemu.waitForExit(Duration.ofSeconds(10)), "QEMU exit status");
            return new Run(Long.parseLong(c1[0]), Long.parseLong(c2[0]));
        }
    }

    @ParameterizedTest
    @MethodSource("qemuBoards")
    void echoAppTalksCountsDeterministicallyAndExits(String name) {
        BoardTestSupport.assumeQemu();
        Board board = BoardTestSupport.board(name);
        Path elf = BoardTestSupport.echoApp(board);
        assertEquals(List.of(), ImageCheck.check(ElfFile.read(elf), board), "image check");

        Run a = runSession(board, elf, 42);
        Run b = runSession(board, elf, 7);
        System.out.printf("%s: known loop of %d instructions measured as %d, of %d as %d%n", name, 2 * N, a.countN(),
                4 * N, a.count2N());

        assertEquals(a, b, "icount determinism: the same loop must count the same in two runs");
        long tick = (long) Math.ceil(board.counter().instructionsPerTick().orElseThrow().doubleValue());
        // the loop is 2n instructions plus a few for the counter calls, quantised to one SysTick tick
        assertTrue(Math.abs(a.countN() - 2L * N) <= 2 * tick, name + ": count " + a.countN() + " for " + 2 * N);
        assertTrue(Math.abs(a.count2N() - a.countN() - 2L * N) <= 2 * tick,
                name + ": doubling the loop adds " + (a.count2N() - a.countN()));
    }

    @ParameterizedTest
    @MethodSource("qemuBoards")
    void faultHandlerPrintsAndExitsWithFaultStatus(String name) {
        BoardTestSupport.assumeQemu();
        Board board = BoardTestSupport.board(name);
        Path elf = BoardTestSupport.echoApp(board);
        try (QemuSession qemu = QemuLauncher.start(board, elf); PtyPort port = qemu.openSerial()) {
            EchoProtocol app = new EchoProtocol(port);
            app.handshake(HANDSHAKE);
            String line = app.fault();
            assertTrue(line.startsWith("*** FAULT HardFault"), line);
            assertTrue(line.contains("cfsr=0x00010000"), "UNDEFINSTR expected: " + line);
            assertEquals(OptionalInt.of(125), qemu.waitForExit(Duration.ofSeconds(10)));
        }
    }
}
