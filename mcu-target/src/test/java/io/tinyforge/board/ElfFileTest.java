package io.tinyforge.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.board.ElfFile.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ElfFile against binutils (readelf, nm, objdump) as the oracle. */
class ElfFileTest {

    private static String tool(Board board, String program, String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(board.toolchain().tool(program));
        cmd.addAll(List.of(args));
        Processes.Result r = Processes.run(cmd, null, null, Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r.output());
        return r.output();
    }

    @Test
    void sectionsMatchReadelf() {
        Board board = BoardTestSupport.board("imxrt1060-evk");
        Path elfPath = BoardTestSupport.echoApp(board);
        ElfFile elf = ElfFile.read(elfPath);
        assertEquals(ElfFile.EM_ARM, elf.machine());
        // readelf -S -W: [Nr] Name Type Addr Off Size ES Flg Lk Inf Al
        Map<String, long[]> expected = new HashMap<>();
        for (String line : tool(board, "readelf", "-S", "-W", elfPath.toString()).split("\n")) {
            String l = line.replaceFirst("^\\s*\\[\\s*\\d+\\]\\s*", "");
            if (line.trim().startsWith("[") && !line.contains("Nr]") && !l.startsWith("NULL")) {
                String[] f = l.trim().split("\\s+");
                expected.put(f[0], new long[] {Long.parseLong(f[2], 16), Long.parseLong(f[3], 16), Long.parseLong(f[4], 16)});
            }
        }
        assertTrue(expected.size() > 8, "readelf listed " + expected.keySet());
        for (Section s : elf.sections()) {
            if (s.index() == 0) {
                continue;
            }
            long[] e = expected.get(s.name());
            assertTrue(e != null, "readelf does not know section " + s.name());
            assertEquals(e[0], s.address(), s.name() + " address");
            assertEquals(e[1], s.offset(), s.name() + " offset");
            assertEquals(e[2], s.size(), s.name() + " size");
        }
        assertEquals(expected.size(), elf.sections().size() - 1);
    }

    @Test
    void symbolsMatchNm() {
        Board board = BoardTestSupport.board("qemu-mps3-an547");
        Path elfPath = BoardTestSupport.echoApp(board);
        ElfFile elf = ElfFile.read(elfPath);
        int checked = 0;
        for (String line : tool(board, "nm", elfPath.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && (f[1].equals("T") || f[1].equals("A") || f[1].equals("B") || f[1].equals("R"))) {
                ElfFile.Symbol sym = elf.symbol(f[2]).orElseThrow(() -> new AssertionError("missing symbol " + f[2]));
                // nm shows Thumb functions without the Thumb bit that st_value carries
                long value = sym.type() == 2 ? sym.value() & ~1L : sym.value();
                assertEquals(Long.parseLong(f[0], 16), value, f[2]);
                checked++;
            }
        }
        assertTrue(checked > 20, "only " + checked + " symbols compared");
        assertEquals(0x01000000L, elf.symbol("__tf_weights_start").orElseThrow().value());
    }

    @Test
    void loadAddressesMatchObjdump() {
        Board board = BoardTestSupport.board("teensy41");
        Path elfPath = BoardTestSupport.echoApp(board);
        ElfFile elf = ElfFile.read(elfPath);
        // objdump -h: Idx Name Size VMA LMA File-off Algn
        int compared = 0;
        for (String line : tool(board, "objdump", "-h", elfPath.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 7 && f[0].matches("\\d+")) {
                Section s = elf.section(f[1]).orElseThrow();
                if (s.isAlloc() && s.size() > 0) {
                    assertEquals(Long.parseLong(f[3], 16), s.address(), f[1] + " VMA");
                    if (s.hasContents()) {
                        assertEquals(Long.parseLong(f[4], 16), elf.loadAddress(s), f[1] + " LMA");
                    }
                    compared++;
                }
            }
        }
        assertTrue(compared >= 5, "compared " + compared);
        long dataLoad = elf.symbol("__data_load").orElseThrow().value();
        assertTrue(dataLoad >= 0x60000000L, "data load image in flash: " + Long.toHexString(dataLoad));
    }

    @Test
    void rejectsMalformedFiles() throws IOException {
        BoardException notElf = assertThrows(BoardException.class,
                () -> ElfFile.parse("hello, world, this is not an ELF file at all..........".getBytes(), "x.elf"));
        assertTrue(notElf.getMessage().contains("not an ELF file"), notElf.getMessage());

        Board board = BoardTestSupport.board("qemu-mps2-an500");
        byte[] good = Files.readAllBytes(BoardTestSupport.echoApp(board));
        BoardException truncated = assertThrows(BoardException.class,
                () -> ElfFile.parse(Arrays.copyOf(good, good.length / 2), "half.elf"));
        assertTrue(truncated.getMessage().contains("outside the file"), truncated.getMessage());

        byte[] badSymtabLink = good.clone();
        ElfFile elf = ElfFile.parse(good, "good.elf");
        Section symtab = elf.section(".symtab").orElseThrow();
        long shoff = u32(good, 32);
        int at = (int) (shoff + symtab.index() * 40L + 24);
        badSymtabLink[at] = (byte) 0xFF;
        badSymtabLink[at + 1] = (byte) 0x7F;
        BoardException link = assertThrows(BoardException.class, () -> ElfFile.parse(badSymtabLink, "link.elf"));
        assertTrue(link.getMessage().contains("string table"), link.getMessage());

        byte[] elf64 = good.clone();
        elf64[4] = 2;
        BoardException cls = assertThrows(BoardException.class, () -> ElfFile.parse(elf64, "64.elf"));
        assertTrue(cls.getMessage().contains("32-bit"), cls.getMessage());
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
