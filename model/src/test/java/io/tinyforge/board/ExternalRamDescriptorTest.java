package io.tinyforge.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The external RAM of the i.MX RT boards as board.json describes it: the EVK's SEMC SDRAM (32 MiB at 0x80000000)
 * and the Teensy 4.1's FlexSPI2 PSRAM (8 MiB at 0x70000000) are arena memories marked external, with the macro that
 * switches on their start-up set-up and an expected slowdown with its source; the QEMU board's PSRAM is not
 * external (the planner may use it freely), and a bad external entry is refused with one line.
 */
class ExternalRamDescriptorTest {
    @Test
    void evkSdramIsExternalAndOptIn() {
        Board evk = BoardFixtures.board("imxrt1060-evk");
        Board.Memory sdram = evk.memory("sdram").orElseThrow();
        assertEquals(0x80000000L, sdram.origin());
        assertEquals(32L * 1024 * 1024, sdram.length());
        assertEquals(Board.MemoryKind.RAM, sdram.kind());
        Board.ArenaMemory a = evk.arenaMemory("sdram").orElseThrow();
        assertTrue(a.external());
        assertTrue(evk.isExternal("sdram"));
        assertFalse(evk.isExternal("dtcm"));
        assertFalse(evk.isExternal("ocram"));
        assertEquals(Optional.of(".bss.tf_input_sdram"), a.inputSection());
        assertEquals(".bss.tf_arena_more", a.section());
        assertEquals(Optional.of("TF_EXTRAM_SEMC_SDRAM"), a.initDefine());
        assertEquals(Optional.of(3.0), a.slowdown());
        assertTrue(a.slowdownSource().orElseThrow().contains("132 MHz"), a.slowdownSource().orElseThrow());
        // the on-chip memories stay first, fastest first; the external one is last
        assertEquals("sdram", evk.arenaMemories().get(evk.arenaMemories().size() - 1).memory());
        assertTrue(evk.sources().contains("firmware/platform/imxrt/semc_sdram_dcd.c"));
    }

    @Test
    void teensyPsramIsExternalAndOptIn() {
        Board teensy = BoardFixtures.board("teensy41");
        Board.Memory psram = teensy.memory("psram").orElseThrow();
        assertEquals(0x70000000L, psram.origin());
        assertEquals(8L * 1024 * 1024, psram.length());
        Board.ArenaMemory a = teensy.arenaMemory("psram").orElseThrow();
        assertTrue(a.external());
        assertEquals(Optional.of(".bss.tf_input_psram"), a.inputSection());
        assertEquals(Optional.of("TF_EXTRAM_FLEXSPI2_PSRAM"), a.initDefine());
        assertTrue(a.slowdown().orElseThrow() > 3.0, "the quad-SPI PSRAM is expected slower than the EVK's SDRAM");
        assertTrue(teensy.sources().contains("firmware/platform/imxrt/flexspi2_psram.c"));
    }

    @Test
    void qemuPsramIsNotExternal() {
        Board an500 = BoardFixtures.board("qemu-mps2-an500");
        Board.ArenaMemory a = an500.arenaMemory("psram").orElseThrow();
        assertFalse(a.external());
        assertTrue(a.initDefine().isEmpty());
        assertTrue(a.slowdown().isEmpty());
    }

    @Test
    void badExternalEntriesAreRefused(@TempDir Path root) throws IOException {
        String base = Files.readString(BoardFixtures.repoRoot().resolve("boards/imxrt1060-evk/board.json"));
        assertMessage(root, base.replace("\"slowdown\": 3,", ""), "give 'slowdown'");
        assertMessage(root, base.replace("\"slowdown\": 3,", "\"slowdown\": 0.5,"), "at least 1");
        assertMessage(root, base.replace("\"slowdown\": 3,", "\"slowdown\": \"fast\","), "must be a number");
        assertMessage(root, base.replace("\"external\": true", "\"external\": \"yes\""), "true or false");
        assertMessage(root, base.replace("\"TF_EXTRAM_SEMC_SDRAM\"", "\"sdram init\""), "C macro name");
        assertMessage(root, base.replace("\"input_section\": \".bss.tf_input_sdram\",", ""), "'input_section'");
    }

    private static void assertMessage(Path root, String json, String expected) throws IOException {
        Path dir = root.resolve("boards").resolve("imxrt1060-evk");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("board.json"), json);
        BoardException e = assertThrows(BoardException.class, () -> BoardRegistry.load(root));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("boards/imxrt1060-evk/board.json"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
