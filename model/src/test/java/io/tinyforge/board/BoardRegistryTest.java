package io.tinyforge.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardRegistryTest {

    @Test
    void loadsEveryBoardOfTheRepository() {
        BoardRegistry registry = BoardFixtures.registry();
        assertEquals(List.of("host", "imxrt1060-evk", "qemu-mps2-an386", "qemu-mps2-an500", "qemu-mps3-an547", "teensy41"),
                registry.names());
    }

    @Test
    void arenaGoesToDtcmOnlyWhenItFitsBesideTheStack() {
        Board evk = BoardFixtures.registry().get("imxrt1060-evk");
        long dtcm = evk.memory("dtcm").orElseThrow().length();
        long room = dtcm - evk.stackBytes() - Board.FAST_MEMORY_RESERVE;
        assertEquals(Board.FAST_ARENA_SECTION, evk.arenaSection(room));
        assertEquals(Board.ARENA_SECTION, evk.arenaSection(room + 1));
        assertEquals(Board.ARENA_SECTION, BoardFixtures.registry().get("qemu-mps2-an500").arenaSection(16),
            "boards without a fast memory keep the arena memory");
    }

    @Test
    void unknownBoardMessageIsOneLineListingKnownBoards() {
        BoardException e = assertThrows(BoardException.class, () -> BoardFixtures.registry().get("stm32-nope"));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("unknown board 'stm32-nope'"), msg);
        for (String name : BoardFixtures.registry().names()) {
            assertTrue(msg.contains(name), "message should list " + name + ": " + msg);
        }
        assertFalse(msg.contains("\n"), "one line: " + msg);
    }

    @Test
    void descriptorFieldsAreParsed() {
        Board an547 = BoardFixtures.board("qemu-mps3-an547");
        assertEquals("mps3-an547", an547.qemu().orElseThrow().machine());
        assertArrayEquals(new long[] {125, 4}, an547.counter().instructionsPerTickFraction().orElseThrow());
        assertEquals("sram", an547.weightsMemory().orElseThrow());
        assertEquals(0x01000000L, an547.memory("sram").orElseThrow().origin());
        assertEquals(0x49303000L, an547.uart().base().orElseThrow());

        Board an500 = BoardFixtures.board("qemu-mps2-an500");
        assertArrayEquals(new long[] {40, 1}, an500.counter().instructionsPerTickFraction().orElseThrow());
        assertTrue(an500.archFlags().contains("-mfpu=fpv5-d16"));

        Board evk = BoardFixtures.board("imxrt1060-evk");
        assertEquals("pyocd", evk.flash().orElseThrow().tool());
        assertEquals(List.of("flash", "--target", "mimxrt1060", "${image}"), evk.flash().orElseThrow().args());
        assertEquals(0x1000L, evk.bootHeader().orElseThrow().ivtOffset());
        assertEquals(0x40184000L, evk.uart().base().orElseThrow());
        assertEquals(0x60002000L, evk.vectorTable().orElseThrow());

        Board teensy = BoardFixtures.board("teensy41");
        assertEquals(0x40198000L, teensy.uart().base().orElseThrow());
        assertEquals("teensy_loader_cli", teensy.flash().orElseThrow().tool());

        Board host = BoardFixtures.board("host");
        assertTrue(host.isHost());
        assertTrue(host.memories().isEmpty());
        assertTrue(host.linkerScript().isEmpty());
    }

    @Test
    void missingFieldNamesFileAndField(@TempDir Path root) throws IOException {
        String json = Files.readString(BoardFixtures.repoRoot().resolve("boards/qemu-mps2-an500/board.json"))
                .replace("\"core\": \"cortex-m7\",", "");
        BoardException e = assertThrows(BoardException.class, () -> loadWith(root, "qemu-mps2-an500", json));
        assertTrue(e.getMessage().contains("boards/qemu-mps2-an500/board.json"), e.getMessage());
        assertTrue(e.getMessage().contains("'core' is missing"), e.getMessage());
    }

    @Test
    void badValuesAreReported(@TempDir Path root) throws IOException {
        String base = Files.readString(BoardFixtures.repoRoot().resolve("boards/qemu-mps2-an500/board.json"));
        assertMessage(root, base.replace("\"0x20000000\"", "\"536870912\""), "hex string");
        assertMessage(root, base.replace("\"arena_memory\": \"ram\"", "\"arena_memory\": \"sdram\""), "'sdram'");
        assertMessage(root, base.replace("\"alignment\": 16", "\"alignment\": 12"), "power of two");
        assertMessage(root, base.replace("\"name\": \"qemu-mps2-an500\"", "\"name\": \"other\""), "differs from its folder");
        assertMessage(root, base.replace("\"instructions_per_tick\": 40", "\"x\": 1"), "instructions_per_tick");
        assertMessage(root, base.replace("{", "["), "not valid JSON");
    }

    private static void assertMessage(Path root, String json, String expected) throws IOException {
        BoardException e = assertThrows(BoardException.class, () -> loadWith(root, "qemu-mps2-an500", json));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static BoardRegistry loadWith(Path root, String name, String json) throws IOException {
        Path dir = root.resolve("boards").resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("board.json"), json);
        return BoardRegistry.load(root);
    }

    @Test
    void missingBoardsFolderIsExplained(@TempDir Path root) {
        BoardException e = assertThrows(BoardException.class, () -> BoardRegistry.load(root));
        assertTrue(e.getMessage().contains("no boards folder"), e.getMessage());
    }
}
