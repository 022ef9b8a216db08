package io.tinyforge.board;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A small reader for 32-bit little-endian ELF files (what arm-none-eabi-gcc links): section
 * headers with names, program headers (for load addresses), and the .symtab symbols.
 * Every offset and count read from the file is bounds-checked; a malformed file fails with a
 * one-line {@link BoardException}.
 */
public final class ElfFile {
    public static final int EM_ARM = 40;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_NOBITS = 8;
    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    public static final int PT_LOAD = 1;

    private static final int HEADER_SIZE = 52;
    private static final int SECTION_HEADER_SIZE = 40;
    private static final int PROGRAM_HEADER_SIZE = 32;
    private static final int SYMBOL_SIZE = 16;

    /** A section header; {@code address} is the run-time (virtual) address. */
    public record Section(int index, String name, int type, long flags, long address, long offset, long size,
            int link, long addressAlign) {
        public boolean isAlloc() {
            return (flags & SHF_ALLOC) != 0;
        }

        public boolean isExecutable() {
            return (flags & SHF_EXECINSTR) != 0;
        }

        public boolean isWritable() {
            return (flags & SHF_WRITE) != 0;
        }

        /** True if the file holds bytes for it (not .bss-like). */
        public boolean hasContents() {
            return type != SHT_NOBITS;
        }
    }

    /** A program header; {@code physicalAddress} is the load (LMA) address. */
    public record Segment(int type, long offset, long virtualAddress, long physicalAddress, long fileSize,
            long memorySize, int flags) {
    }

    /** A .symtab entry; {@code sectionIndex} 0xFFF1 = absolute. */
    public record Symbol(String name, long value, long size, int type, int binding, int sectionIndex) {
    }

    private final String label;
    private final byte[] bytes;
    private final ByteBuffer buffer;
    private final int machine;
    private final long entry;
    private final List<Section> sections;
    private final List<Segment> segments;
    private final List<Symbol> symbols;

    private ElfFile(String label, byte[] bytes) {
        this.label = label;
        this.bytes = bytes;
        this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HEADER_SIZE || bytes[0] != 0x7F || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw fail("not an ELF file");
        }
        if (bytes[4] != 1) {
            throw fail("not a 32-bit ELF file (class " + bytes[4] + "); only ELF32 images are supported");
        }
        if (bytes[5] != 1) {
            throw fail("not a little-endian ELF file");
        }
        machine = u16(18);
        entry = u32(24);
        long phoff = u32(28);
        long shoff = u32(32);
        int phentsize = u16(42);
        int phnum = u16(44);
        int shentsize = u16(46);
        int shnum = u16(48);
        int shstrndx = u16(50);
        if (shnum > 0 && shentsize != SECTION_HEADER_SIZE) {
            throw fail("unexpected section header size " + shentsize);
        }
        if (phnum > 0 && phentsize != PROGRAM_HEADER_SIZE) {
            throw fail("unexpected program header size " + phentsize);
        }
        checkRange(shoff, (long) shnum * SECTION_HEADER_SIZE, "section header table");
        checkRange(phoff, (long) phnum * PROGRAM_HEADER_SIZE, "program header table");
        segments = readSegments(phoff, phnum);
        sections = readSections(shoff, shnum, shstrndx);
        symbols = readSymbols();
    }

    public static ElfFile read(Path path) {
        try {
            return new ElfFile(path.getFileName().toString(), Files.readAllBytes(path));
        } catch (IOException e) {
            throw new BoardException(path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    public static ElfFile parse(byte[] bytes, String label) {
        return new ElfFile(label, bytes.clone());
    }

    private List<Segment> readSegments(long phoff, int phnum) {
        List<Segment> result = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * PROGRAM_HEADER_SIZE);
            Segment s = new Segment((int) u32(at), u32(at + 4), u32(at + 8), u32(at + 12), u32(at + 16),
                    u32(at + 20), (int) u32(at + 24));
            if (s.fileSize() > 0) {
                checkRange(s.offset(), s.fileSize(), "segment " + i);
            }
            result.add(s);
        }
        return Collections.unmodifiableList(result);
    }

    private List<Section> readSections(long shoff, int shnum, int shstrndx) {
        if (shnum == 0) {
            return List.of();
        }
        if (shstrndx >= shnum) {
            throw fail("section name table index " + shstrndx + " out of range");
        }
        int namesAt = (int) (shoff + (long) shstrndx * SECTION_HEADER_SIZE);
        long namesOffset = u32(namesAt + 16);
        long namesSize = u32(namesAt + 20);
        checkRange(namesOffset, namesSize, "section name table");
        List<Section> result = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int at = (int) (shoff + (long) i * SECTION_HEADER_SIZE);
            String name = string(namesOffset, namesSize, u32(at));
            Section s = new Section(i, name, (int) u32(at + 4), u32(at + 8), u32(at + 12), u32(at + 16),
                    u32(at + 20), (int) u32(at + 24), u32(at + 32));
            if (s.hasContents() && s.type() != 0) {
                checkRange(s.offset(), s.size(), "section " + name);
            }
            result.add(s);
        }
        return Collections.unmodifiableList(result);
    }

    private List<Symbol> readSymbols() {
        Optional<Section> symtab = sections.stream().filter(s -> s.type() == SHT_SYMTAB).findFirst();
        if (symtab.isEmpty()) {
            return List.of();
        }
        Section table = symtab.get();
        if (table.link() <= 0 || table.link() >= sections.size()) {
            throw fail("symbol table links to missing string table " + table.link());
        }
        Section strings = sections.get(table.link());
        List<Symbol> result = new ArrayList<>();
        long count = table.size() / SYMBOL_SIZE;
        for (long i = 1; i < count; i++) { // entry 0 is the reserved null symbol
            int at = (int) (table.offset() + i * SYMBOL_SIZE);
            int info = bytes[at + 12] & 0xFF;
            result.add(new Symbol(string(strings.offset(), strings.size(), u32(at)), u32(at + 4), u32(at + 8),
                    info & 0xF, info >>> 4, u16(at + 14)));
        }
        return Collections.unmodifiableList(result);
    }

    // ---- queries ----

    public String label() {
        return label;
    }

    public int machine() {
        return machine;
    }

    public long entry() {
        return entry;
    }

    public List<Section> sections() {
        return sections;
    }

    public List<Segment> segments() {
        return segments;
    }

    public List<Symbol> symbols() {
        return symbols;
    }

    public Optional<Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The first symbol called {@code name} (prefers a global one). */
    public Optional<Symbol> symbol(String name) {
        return symbols.stream().filter(s -> s.name().equals(name))
                .min((a, b) -> Integer.compare(a.binding() == 1 ? 0 : 1, b.binding() == 1 ? 0 : 1));
    }

    /** Allocated sections with a non-zero size, in header order. */
    public List<Section> allocatedSections() {
        return sections.stream().filter(s -> s.isAlloc() && s.size() > 0).toList();
    }

    /** The bytes of a section as stored in the file (empty for NOBITS). */
    public byte[] contents(Section section) {
        if (!section.hasContents()) {
            return new byte[0];
        }
        return Arrays.copyOfRange(bytes, (int) section.offset(), (int) (section.offset() + section.size()));
    }

    /**
     * Load address (LMA) of a section: where its bytes sit in the image the board is programmed
     * with. Differs from {@link Section#address()} for initialised data copied to RAM at start-up.
     */
    public long loadAddress(Section section) {
        if (section.hasContents()) {
            for (Segment seg : segments) {
                if (seg.type() == PT_LOAD && seg.fileSize() > 0 && section.offset() >= seg.offset()
                        && section.offset() + section.size() <= seg.offset() + seg.fileSize()) {
                    return seg.physicalAddress() + (section.offset() - seg.offset());
                }
            }
        }
        return section.address();
    }

    /**
     * Bytes of the load image at a load address, as a boot ROM or the emulator sees them;
     * empty if no section with contents covers the whole range.
     */
    public Optional<byte[]> readLoadImage(long loadAddress, int length) {
        for (Section s : allocatedSections()) {
            if (!s.hasContents()) {
                continue;
            }
            long lma = loadAddress(s);
            if (loadAddress >= lma && loadAddress + length <= lma + s.size()) {
                int from = (int) (s.offset() + (loadAddress - lma));
                return Optional.of(Arrays.copyOfRange(bytes, from, from + length));
            }
        }
        return Optional.empty();
    }

    /** A little-endian 32-bit word of the load image. */
    public Optional<Long> readLoadWord(long loadAddress) {
        return readLoadImage(loadAddress, 4).map(b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL);
    }

    /** File offset of a load address (to patch images in tests and tools), if covered. */
    public Optional<Long> fileOffsetOfLoadAddress(long loadAddress) {
        for (Section s : allocatedSections()) {
            long lma = loadAddress(s);
            if (s.hasContents() && loadAddress >= lma && loadAddress < lma + s.size()) {
                return Optional.of(s.offset() + (loadAddress - lma));
            }
        }
        return Optional.empty();
    }

    // ---- bounds-checked primitives ----

    private void checkRange(long offset, long size, String what) {
        if (offset < 0 || size < 0 || offset + size > bytes.length) {
            throw fail(what + " lies outside the file (offset " + offset + ", size " + size + ", file " + bytes.length
                    + " bytes); the file is truncated or corrupt");
        }
    }

    private long u32(long at) {
        checkRange(at, 4, "field at " + at);
        return buffer.getInt((int) at) & 0xFFFFFFFFL;
    }

    private int u16(long at) {
        checkRange(at, 2, "field at " + at);
        return buffer.getShort((int) at) & 0xFFFF;
    }

    private String string(long tableOffset, long tableSize, long index) {
        if (index >= tableSize) {
            throw fail("string index " + index + " outside its table");
        }
        int start = (int) (tableOffset + index);
        int end = start;
        int limit = (int) (tableOffset + tableSize);
        while (end < limit && bytes[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw fail("unterminated string in a string table");
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    private BoardException fail(String problem) {
        return new BoardException(label + ": " + problem);
    }
}
