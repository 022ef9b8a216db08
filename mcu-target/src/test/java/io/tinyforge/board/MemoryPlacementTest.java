package io.tinyforge.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.board.Board.Memory;
import io.tinyforge.board.MemoryUsage.RegionUsage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A 520 KiB weights blob and an arena, linked for every Arm board: the linker scripts must put
 * weights in weights_memory and the arena in arena_memory, MemoryUsage must agree with
 * arm-none-eabi-size, and on QEMU the firmware must read the weights back and use the arena.
 */
class MemoryPlacementTest {
    static final int WEIGHTS = 520 * 1024;
    static final int ARENA = 64 * 1024;

    static java.util.stream.Stream<String> armBoards() {
        return BoardTestSupport.armBoards();
    }

    static java.util.stream.Stream<String> qemuBoards() {
        return BoardTestSupport.qemuBoards();
    }

    @ParameterizedTest
    @MethodSource("armBoards")
    void weightsAndArenaLandInTheirMemories(String name) {
        Board board = BoardTestSupport.board(name);
        FirmwareBuild.Artifact fw = BoardTestSupport.placementApp(board, WEIGHTS, ARENA);
        ElfFile elf = fw.elf();
        long weights = elf.symbol("test_weights").orElseThrow().value();
        long arenaStart = elf.symbol("__tf_arena_start").orElseThrow().value();
        Memory weightsMem = board.requireMemory(board.weightsMemory(), "weights");
        Memory arenaMem = board.requireMemory(board.arenaMemory(), "arena");
        assertTrue(weightsMem.contains(weights, WEIGHTS), name + ": weights at 0x" + Long.toHexString(weights));
        assertTrue(arenaMem.contains(arenaStart, ARENA), name + ": arena at 0x" + Long.toHexString(arenaStart));
        assertEquals(0, weights % board.alignment(), "weights alignment");
        assertEquals(0, arenaStart % board.alignment(), "arena alignment");
        assertEquals(List.of(), ImageCheck.check(elf, board));

        MemoryUsage usage = fw.memoryUsage();
        System.out.print(name + " with 520 KiB weights, 64 KiB arena:\n" + usage.describe());
        assertEquals(WEIGHTS, usage.weightsBytes());
        assertEquals(ARENA, usage.arenaBytes());
        assertEquals(board.stackBytes(), usage.stackBytes());
        RegionUsage wr = usage.regions().stream().filter(r -> r.name().equals(weightsMem.name())).findFirst().orElseThrow();
        assertTrue(wr.usedBytes() >= WEIGHTS && !wr.overflows(), wr.toString());
        assertSizesMatchBinutils(board, fw, usage);
    }

    /** arm-none-eabi-size -A as the oracle for the per-class byte counts. */
    private static void assertSizesMatchBinutils(Board board, FirmwareBuild.Artifact fw, MemoryUsage usage) {
        Processes.Result r = Processes.run(List.of(board.toolchain().tool("size"), "-A", fw.image().toString()), null, null,
                Duration.ofSeconds(30));
        Map<String, Long> sizes = new HashMap<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].startsWith(".") && f[1].matches("\\d+")) {
                sizes.put(f[0], Long.parseLong(f[1]));
            }
        }
        // .vectors is a const table (not executable): it counts as rodata, like the boot header and unwind tables
        long readOnly = sizes.getOrDefault(".vectors", 0L) + sizes.get(".rodata") + sizes.getOrDefault(".boot_hdr", 0L)
                + sizes.getOrDefault(".ARM.exidx", 0L) + sizes.getOrDefault(".ARM.extab", 0L);
        assertEquals(sizes.get(".text").longValue(), usage.textBytes(), "text");
        assertEquals(readOnly, usage.rodataBytes(), "rodata");
        assertEquals(sizes.getOrDefault(".data", 0L), usage.dataBytes(), "data");
        assertEquals(sizes.getOrDefault(".bss", 0L), usage.bssBytes(), "bss");
        assertEquals(sizes.get(".stack").longValue(), usage.stackBytes(), "stack");
        assertEquals(sizes.get(".tf_arena").longValue(), usage.arenaBytes(), "arena");
    }

    @ParameterizedTest
    @MethodSource("qemuBoards")
    void firmwareReadsWeightsAndUsesArenaUnderQemu(String name) {
        BoardTestSupport.assumeQemu();
        Board board = BoardTestSupport.board(name);
        FirmwareBuild.Artifact fw = BoardTestSupport.placementApp(board, WEIGHTS, ARENA);
        try (QemuSession qemu = QemuLauncher.start(board, fw.image())) {
            OptionalInt status = qemu.waitForExit(Duration.ofSeconds(60));
            assertEquals(OptionalInt.of(0), status, name + ": placement_app status (1 weights, 2 arena not zeroed, 3 arena)");
        }
    }
}
