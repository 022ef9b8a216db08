package io.tinyforge.board;

import io.tinyforge.board.Board.BootHeader;
import io.tinyforge.board.Board.Memory;
import io.tinyforge.board.Board.MemoryKind;
import io.tinyforge.board.ElfFile.Section;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks a linked image against its board before it goes to QEMU or a flasher:
 * <ul>
 * <li>every allocated section runs inside one of the board's memories; bytes that are loaded
 * sit in a flash-kind memory; writable sections run from RAM; code runs from executable memory</li>
 * <li>the vector table is where the core reads it: initial SP inside RAM, reset vector a Thumb
 * (odd) address inside code</li>
 * <li>i.MX RT FlexSPI NOR boot: FCB tag "FCFB" at the FCB offset, IVT (tag 0xD1, length 0x0020,
 * version 0x40..0x43) at the IVT offset with entry/self/boot-data pointers consistent, and boot data
 * whose start/size cover the whole load image</li>
 * </ul>
 * Returns readable problems; an empty list means the image passed.
 */
public final class ImageCheck {
    private static final byte[] FCB_TAG = {'F', 'C', 'F', 'B'};
    private static final int IVT_BYTES = 32;

    private final ElfFile elf;
    private final Board board;
    private final List<String> problems = new ArrayList<>();

    private ImageCheck(ElfFile elf, Board board) {
        this.elf = elf;
        this.board = board;
    }

    public static List<String> check(ElfFile elf, Board board) {
        ImageCheck c = new ImageCheck(elf, board);
        c.run();
        return List.copyOf(c.problems);
    }

    private void run() {
        if (board.isHost()) {
            problems.add("board " + board.name() + " runs native programs; image checks apply to Arm boards only");
            return;
        }
        if (elf.machine() != ElfFile.EM_ARM) {
            problems.add(elf.label() + " is not an Arm image (ELF machine " + elf.machine() + ")");
            return;
        }
        checkSectionPlacement();
        checkVectorTable();
        board.bootHeader().ifPresent(this::checkImxrtBootHeader);
    }

    private void checkSectionPlacement() {
        for (Section s : elf.allocatedSections()) {
            Optional<Memory> runs = memoryHolding(s.address(), s.size());
            if (runs.isEmpty()) {
                problems.add(String.format("section %s [0x%08x, 0x%08x) is outside every memory of board %s (%s)",
                        s.name(), s.address(), s.address() + s.size(), board.name(), memoryList()));
                continue;
            }
            if (s.isWritable() && runs.get().kind() != MemoryKind.RAM) {
                problems.add(String.format("writable section %s runs from %s memory '%s' at 0x%08x; it belongs in RAM",
                        s.name(), runs.get().kind().name().toLowerCase(), runs.get().name(), s.address()));
            }
            if (s.isExecutable() && !runs.get().executable()) {
                problems.add(String.format("code section %s runs from non-executable memory '%s'", s.name(),
                        runs.get().name()));
            }
            if (s.hasContents()) {
                long lma = elf.loadAddress(s);
                Optional<Memory> loads = memoryHolding(lma, s.size());
                if (loads.isEmpty() || loads.get().kind() != MemoryKind.FLASH) {
                    problems.add(String.format("section %s is loaded at 0x%08x, which is not in a flash memory of board %s",
                            s.name(), lma, board.name()));
                }
            }
        }
    }

    private void checkVectorTable() {
        Memory code = board.requireMemory(board.codeMemory(), "code");
        long table = board.vectorTable().orElse(code.origin());
        elf.symbol("__vector_table").ifPresent(sym -> {
            if (sym.value() != table) {
                problems.add(String.format("vector table linked at 0x%08x, but board %s needs it at 0x%08x",
                        sym.value(), board.name(), table));
            }
        });
        Optional<Long> sp = elf.readLoadWord(table);
        Optional<Long> reset = elf.readLoadWord(table + 4);
        if (sp.isEmpty() || reset.isEmpty()) {
            problems.add(String.format("no vector table at 0x%08x (nothing loaded there)", table));
            return;
        }
        long stack = sp.get();
        boolean spInRam = ImageMemories.of(elf, board).stream().anyMatch(m -> m.kind() == MemoryKind.RAM && stack > m.origin()
                && stack <= m.end());
        if (!spInRam) {
            problems.add(String.format("initial stack pointer 0x%08x (vector table word 0) is not inside RAM", stack));
        } else if (stack % 8 != 0) {
            problems.add(String.format("initial stack pointer 0x%08x is not 8-byte aligned", stack));
        }
        checkThumbCodeAddress(reset.get(), "reset vector (vector table word 1)");
    }

    private void checkThumbCodeAddress(long address, String what) {
        if ((address & 1) == 0) {
            problems.add(String.format("%s 0x%08x is even; Cortex-M code addresses must have bit 0 set (Thumb)",
                    what, address));
            return;
        }
        long target = address & ~1L;
        boolean inCode = elf.allocatedSections().stream().anyMatch(s -> s.isExecutable()
                && target >= s.address() && target < s.address() + s.size());
        if (!inCode) {
            problems.add(String.format("%s 0x%08x does not point into code", what, address));
        }
    }

    private void checkImxrtBootHeader(BootHeader header) {
        Memory flash = board.requireMemory(board.codeMemory(), "code");
        long fcb = flash.origin() + header.fcbOffset();
        long ivt = flash.origin() + header.ivtOffset();

        Optional<byte[]> tag = elf.readLoadImage(fcb, 4);
        if (tag.isEmpty() || !Arrays.equals(tag.get(), FCB_TAG)) {
            problems.add(String.format("no FlexSPI configuration block: tag \"FCFB\" expected at 0x%08x, found %s",
                    fcb, tag.map(ImageCheck::hex).orElse("nothing")));
        }

        Optional<byte[]> ivtBytes = elf.readLoadImage(ivt, IVT_BYTES);
        if (ivtBytes.isEmpty()) {
            problems.add(String.format("no image vector table at 0x%08x (nothing loaded there)", ivt));
            return;
        }
        byte[] h = ivtBytes.get();
        int version = h[3] & 0xFF;
        if ((h[0] & 0xFF) != 0xD1 || h[1] != 0x00 || h[2] != 0x20 || version < 0x40 || version > 0x43) {
            problems.add(String.format("bad IVT header at 0x%08x: %s (expected tag d1, length 00 20, version 40..43)",
                    ivt, hex(Arrays.copyOf(h, 4))));
        }
        long entry = word(h, 4);
        long dcd = word(h, 12);
        long bootData = word(h, 16);
        long self = word(h, 20);
        long csf = word(h, 24);
        long vectors = board.vectorTable().orElse(flash.origin());
        if (entry != vectors) { // the ROM accepts the vector table address or a Thumb function
            checkThumbCodeAddress(entry, "IVT entry");
        }
        if (self != ivt) {
            problems.add(String.format("IVT self pointer is 0x%08x but the IVT is at 0x%08x", self, ivt));
        }
        if (dcd != 0 && !flash.contains(dcd, 4)) {
            problems.add(String.format("IVT DCD pointer 0x%08x is neither 0 nor inside flash", dcd));
        } else if (dcd != 0) {
            checkDcd(dcd);
        }
        if (csf != 0 && !flash.contains(csf, 4)) {
            problems.add(String.format("IVT CSF pointer 0x%08x is neither 0 nor inside flash", csf));
        }
        Optional<byte[]> bd = flash.contains(bootData, 12) ? elf.readLoadImage(bootData, 12) : Optional.empty();
        if (bd.isEmpty()) {
            problems.add(String.format("IVT boot data pointer 0x%08x does not point at loaded flash", bootData));
            return;
        }
        long start = word(bd.get(), 0);
        long size = word(bd.get(), 4);
        long plugin = word(bd.get(), 8);
        long imageEnd = loadImageEnd();
        if (start != flash.origin()) {
            problems.add(String.format("boot data start 0x%08x is not the flash origin 0x%08x", start, flash.origin()));
        }
        if (start + size < imageEnd) {
            problems.add(String.format("boot data size %d covers [0x%08x, 0x%08x) but the image ends at 0x%08x",
                    size, start, start + size, imageEnd));
        }
        if (start + size > flash.end()) {
            problems.add(String.format("boot data size %d runs past the end of flash 0x%08x", size, flash.end()));
        }
        if (plugin != 0) {
            problems.add("boot data plugin flag is " + plugin + "; a normal image needs 0");
        }
    }

    private long loadImageEnd() {
        long end = 0;
        for (Section s : elf.allocatedSections()) {
            if (s.hasContents()) {
                end = Math.max(end, elf.loadAddress(s) + s.size());
            }
        }
        return end;
    }

    private Optional<Memory> memoryHolding(long address, long size) {
        return ImageMemories.of(elf, board).stream().filter(m -> m.contains(address, size)).findFirst();
    }

    private String memoryList() {
        return String.join(", ", ImageMemories.of(elf, board).stream()
                .map(m -> String.format("%s 0x%08x+0x%x", m.name(), m.origin(), m.length())).toList());
    }

    /** Largest DCD the i.MX RT boot ROM accepts (RT1060 reference manual, "Device Configuration Data"). */
    static final int DCD_MAX_BYTES = 1768;

    /**
     * The DCD the IVT points at (e.g. the EVK's SDRAM set-up): header tag 0xD2, version 0x40/0x41, a big-endian
     * length within the ROM's limit, loaded in full, and made only of write (0xCC), check (0xCF) and NOP (0xC0)
     * commands whose lengths add up to it.
     */
    private void checkDcd(long dcd) {
        Optional<byte[]> head = elf.readLoadImage(dcd, 4);
        if (head.isEmpty()) {
            problems.add(String.format("IVT DCD pointer 0x%08x does not point at loaded flash", dcd));
            return;
        }
        byte[] h = head.get();
        int length = ((h[1] & 0xFF) << 8) | (h[2] & 0xFF);
        int version = h[3] & 0xFF;
        if ((h[0] & 0xFF) != 0xD2 || (version != 0x40 && version != 0x41) || length < 4 || length > DCD_MAX_BYTES) {
            problems.add(String.format("bad DCD header at 0x%08x: %s (expected tag d2, length 4..%d, version 40/41)",
                    dcd, hex(h), DCD_MAX_BYTES));
            return;
        }
        Optional<byte[]> all = elf.readLoadImage(dcd, length);
        if (all.isEmpty()) {
            problems.add(String.format("the DCD at 0x%08x claims %d bytes but fewer are loaded", dcd, length));
            return;
        }
        byte[] d = all.get();
        int at = 4;
        while (at + 4 <= length) {
            int tag = d[at] & 0xFF;
            int len = ((d[at + 1] & 0xFF) << 8) | (d[at + 2] & 0xFF);
            if ((tag != 0xCC && tag != 0xCF && tag != 0xC0) || len < 4) {
                problems.add(String.format("bad DCD command at 0x%08x: tag %02x length %d", dcd + at, tag, len));
                return;
            }
            at += len;
        }
        if (at != length) {
            problems.add(String.format("the DCD commands at 0x%08x end at byte %d, its header says %d", dcd, at, length));
        }
    }

    private static long word(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }
}
