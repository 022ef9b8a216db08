package io.tinyforge.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.board.Board.ImageFormat;
import io.tinyforge.board.ElfFile.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The echo app linked for every Arm board passes ImageCheck; corrupting one boot structure
 * or moving one section out of memory makes it fail with a message naming the problem.
 */
class ImageCheckTest {

    static java.util.stream.Stream<String> armBoards() {
        return BoardTestSupport.armBoards();
    }

    static java.util.stream.Stream<String> imxrtBoards() {
        return BoardTestSupport.imxrtBoards();
    }

    private static byte[] image(Board board) throws IOException {
        return Files.readAllBytes(BoardTestSupport.echoApp(board));
    }

    /** Problems after applying {@code patch} to a copy of the board's echo_app ELF. */
    private static List<String> problemsAfter(Board board, Consumer<Patcher> patch) throws IOException {
        byte[] bytes = image(board);
        Patcher p = new Patcher(bytes, ElfFile.parse(bytes, "echo_app.elf"));
        patch.accept(p);
        return ImageCheck.check(ElfFile.parse(p.bytes, "patched.elf"), board);
    }

    private static void assertProblem(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
    }

    /** Writes little-endian words into the file image at load addresses or section headers. */
    private static final class Patcher {
        final byte[] bytes;
        final ElfFile elf;

        Patcher(byte[] bytes, ElfFile elf) {
            this.bytes = bytes;
            this.elf = elf;
        }

        void word(long loadAddress, long value) {
            int at = (int) (long) elf.fileOffsetOfLoadAddress(loadAddress).orElseThrow();
            for (int i = 0; i < 4; i++) {
                bytes[at + i] = (byte) (value >>> (8 * i));
            }
        }

        long word(long loadAddress) {
            return elf.readLoadWord(loadAddress).orElseThrow();
        }

        void sectionAddress(String name, long address) {
            Section s = elf.section(name).orElseThrow();
            int at = (int) (ElfFileTest.u32(bytes, 32) + s.index() * 40L + 12);
            for (int i = 0; i < 4; i++) {
                bytes[at + i] = (byte) (address >>> (8 * i));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("armBoards")
    void linkedEchoAppPasses(String name) throws IOException {
        Board board = BoardTestSupport.board(name);
        assertEquals(List.of(), ImageCheck.check(ElfFile.read(BoardTestSupport.echoApp(board)), board));
    }

    @ParameterizedTest
    @MethodSource("armBoards")
    void sectionMovedOutOfMemoryFails(String name) throws IOException {
        Board board = BoardTestSupport.board(name);
        List<String> problems = problemsAfter(board, p -> p.sectionAddress(".bss", 0x30000000L));
        assertProblem(problems, "section .bss [0x30000000");
        assertProblem(problems, "outside every memory");
    }

    @ParameterizedTest
    @MethodSource("armBoards")
    void badVectorTableFails(String name) throws IOException {
        Board board = BoardTestSupport.board(name);
        long table = board.vectorTable().orElseThrow();
        assertProblem(problemsAfter(board, p -> p.word(table + 4, p.word(table + 4) & ~1L)), "reset vector");
        assertProblem(problemsAfter(board, p -> p.word(table, 0x10000000L)), "initial stack pointer 0x10000000");
    }

    @ParameterizedTest
    @MethodSource("imxrtBoards")
    void corruptIvtTagFails(String name) throws IOException {
        Board board = BoardTestSupport.board(name);
        long ivt = 0x60001000L;
        List<String> problems = problemsAfter(board, p -> p.word(ivt, p.word(ivt) & ~0xFFL | 0xD2));
        assertProblem(problems, "bad IVT header at 0x60001000");
    }

    @ParameterizedTest
    @MethodSource("imxrtBoards")
    void corruptFcbAndIvtPointersFail(String name) throws IOException {
        Board board = BoardTestSupport.board(name);
        assertProblem(problemsAfter(board, p -> p.word(0x60000000L, 0x12345678L)), "no FlexSPI configuration block");
        assertProblem(problemsAfter(board, p -> p.word(0x60001014L, 0x60001100L)), "IVT self pointer");
        assertProblem(problemsAfter(board, p -> p.word(0x60001004L, 0x60001001L)), "IVT entry");
        long bootData = ElfFile.read(BoardTestSupport.echoApp(board)).symbol("tf_boot_data").orElseThrow().value();
        assertProblem(problemsAfter(board, p -> p.word(bootData + 4, 0x100L)), "boot data size 256");
        assertProblem(problemsAfter(board, p -> p.word(bootData, 0x60001000L)), "boot data start");
    }

    @ParameterizedTest
    @MethodSource("imxrtBoards")
    void binaryAndHexImagesHaveTheBootLayout(String name) throws IOException {
        Board board = BoardTestSupport.board(name);
        Path elf = BoardTestSupport.echoApp(board);
        byte[] bin = Files.readAllBytes(FirmwareBuild.convert(board, elf, ImageFormat.BIN));
        assertEquals("FCFB", new String(bin, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0xD1, bin[0x1000] & 0xFF);
        assertEquals(0x00, bin[0x1001]);
        assertEquals(0x20, bin[0x1002]);
        assertEquals(0x41, bin[0x1003]);
        long sp = ElfFileTest.u32(bin, 0x2000);
        assertEquals(ElfFile.read(elf).symbol("_estack").orElseThrow().value(), sp, "initial SP at flash offset 0x2000");
        long bootSize = ElfFileTest.u32(bin, 0x1024);
        assertTrue(bootSize >= bin.length, "boot data size " + bootSize + " covers the " + bin.length + "-byte image");

        List<String> hex = Files.readAllLines(FirmwareBuild.convert(board, elf, ImageFormat.HEX));
        assertEquals(":020000046000", hex.get(0).substring(0, 13), "hex starts at 0x60000000");
        assertEquals(":00000001FF", hex.get(hex.size() - 1));
    }
}
