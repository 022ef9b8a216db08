package io.tinyforge.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.board.Board.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The linker scripts and the descriptors must describe the same memories. */
class BoardDescriptorConsistencyTest {
    private static final Pattern REGION = Pattern.compile(
            "^\\s*(\\w+)\\s*\\((\\w+)\\)\\s*:\\s*ORIGIN\\s*=\\s*(0x[0-9A-Fa-f]+)\\s*,\\s*LENGTH\\s*=\\s*(0x[0-9A-Fa-f]+|\\w+)\\s*$",
            Pattern.MULTILINE);

    static java.util.stream.Stream<String> armBoards() {
        return BoardFixtures.armBoards();
    }

    @ParameterizedTest
    @MethodSource("armBoards")
    void linkerScriptMemoryMatchesDescriptor(String name) throws IOException {
        Board board = BoardFixtures.board(name);
        String script = Files.readString(board.linkerScriptPath().orElseThrow());
        int start = script.indexOf("MEMORY");
        String block = script.substring(start, script.indexOf('}', start));
        Map<String, long[]> regions = new LinkedHashMap<>();
        Map<String, String> access = new LinkedHashMap<>();
        Matcher m = REGION.matcher(block);
        while (m.find()) {
            regions.put(m.group(1), new long[] {Long.decode(m.group(3)), length(script, m.group(4))});
            access.put(m.group(1), m.group(2));
        }
        assertEquals(board.memories().size(), regions.size(), name + ": regions in linker.ld " + regions.keySet());
        for (Memory mem : board.memories()) {
            long[] r = regions.get(mem.name());
            assertTrue(r != null, name + ": linker.ld lacks region " + mem.name());
            assertEquals(mem.origin(), r[0], name + "/" + mem.name() + " origin");
            assertEquals(mem.length(), r[1], name + "/" + mem.name() + " length");
            assertEquals(mem.access(), access.get(mem.name()), name + "/" + mem.name() + " access");
        }
    }

    @ParameterizedTest
    @MethodSource("armBoards")
    void sourcesExistAndDefinesAreComplete(String name) {
        Board board = BoardFixtures.board(name);
        Path root = BoardFixtures.repoRoot();
        for (String s : board.sources()) {
            assertTrue(Files.isRegularFile(root.resolve(s)), name + " lists missing source " + s);
        }
        Map<String, String> d = BoardDefines.of(board);
        assertEquals("\"" + name + "\"", d.get("TF_BOARD_NAME"));
        assertTrue(d.containsKey("TF_BOARD_UART_BASE"), name);
        assertEquals(board.isQemu(), d.containsKey("TF_BOARD_TICK_INSN_NUM"), name);
    }

    /**
     * A LENGTH: a number, or a symbol the script defaults with {@code sym = DEFINED(sym) ? sym : 0x...;} (the i.MX
     * RT FlexRAM memories, sized by the planner's split): then the default, which board.json must give.
     */
    private static long length(String script, String value) {
        if (value.startsWith("0x")) {
            return Long.decode(value);
        }
        Matcher d = Pattern.compile(Pattern.quote(value) + "\\s*=\\s*DEFINED\\(" + Pattern.quote(value)
                + "\\)\\s*\\?\\s*" + Pattern.quote(value) + "\\s*:\\s*(0x[0-9A-Fa-f]+)\\s*;").matcher(script);
        assertTrue(d.find(), "linker.ld sizes a memory with " + value + " but gives it no default");
        return Long.decode(d.group(1));
    }
}
