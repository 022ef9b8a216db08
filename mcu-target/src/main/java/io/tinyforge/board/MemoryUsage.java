package io.tinyforge.board;

import io.tinyforge.board.Board.Memory;
import io.tinyforge.board.ElfFile.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a linked image occupies. Sections are classified by their flags: executable = text,
 * read-only with contents = rodata, writable with contents = data, no contents = bss; the
 * linker-script sections {@code .stack} and {@code .tf_arena} are counted separately.
 * flash = text + rodata + data (the load image); RAM = data + bss + arena + stack reserve.
 * Per memory region, a section counts where it runs and, if it is copied at start-up
 * (load address differs), also where its load image sits.
 */
public record MemoryUsage(long textBytes, long rodataBytes, long dataBytes, long bssBytes, long arenaBytes,
        long stackBytes, long weightsBytes, List<RegionUsage> regions) {

    public MemoryUsage {
        regions = List.copyOf(regions);
    }

    /** Use of one memory region of the board. */
    public record RegionUsage(String name, long origin, long length, long usedBytes) {
        public double percent() {
            return length == 0 ? 0 : 100.0 * usedBytes / length;
        }

        public boolean overflows() {
            return usedBytes > length;
        }
    }

    public long flashBytes() {
        return textBytes + rodataBytes + dataBytes;
    }

    public long ramBytes() {
        return dataBytes + bssBytes + arenaBytes + stackBytes;
    }

    public static MemoryUsage of(ElfFile elf, Board board) {
        long text = 0, rodata = 0, data = 0, bss = 0, arena = 0, stack = 0;
        List<Memory> memories = ImageMemories.of(elf, board);
        long[] used = new long[memories.size()];
        for (Section s : elf.allocatedSections()) {
            switch (s.name()) {
                case ".stack" -> stack += s.size();
                case ".tf_arena", ".tf_arena_fast", ".tf_arena_more" -> arena += s.size();
                default -> {
                    if (!s.hasContents()) {
                        bss += s.size();
                    } else if (s.isExecutable()) {
                        text += s.size();
                    } else if (s.isWritable()) {
                        data += s.size();
                    } else {
                        rodata += s.size();
                    }
                }
            }
            long lma = elf.loadAddress(s);
            for (int i = 0; i < used.length; i++) {
                Memory m = memories.get(i);
                used[i] += overlap(m, s.address(), s.size());
                if (s.hasContents() && lma != s.address()) {
                    used[i] += overlap(m, lma, s.size());
                }
            }
        }
        List<RegionUsage> regions = new ArrayList<>();
        for (int i = 0; i < used.length; i++) {
            Memory m = memories.get(i);
            regions.add(new RegionUsage(m.name(), m.origin(), m.length(), used[i]));
        }
        return new MemoryUsage(text, rodata, data, bss, arena, stack, symbolSpan(elf, "__tf_weights_start", "__tf_weights_end"),
                regions);
    }

    private static long overlap(Memory m, long address, long size) {
        long from = Math.max(m.origin(), address);
        long to = Math.min(m.end(), address + size);
        return Math.max(0, to - from);
    }

    private static long symbolSpan(ElfFile elf, String start, String end) {
        var a = elf.symbol(start);
        var b = elf.symbol(end);
        return a.isPresent() && b.isPresent() ? Math.max(0, b.get().value() - a.get().value()) : 0;
    }

    /** A small table for build logs and reports. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "flash %d bytes (text %d, rodata %d of which weights %d, data %d)%n",
                flashBytes(), textBytes, rodataBytes, weightsBytes, dataBytes));
        sb.append(String.format(Locale.ROOT, "ram %d bytes (data %d, bss %d, arena %d, stack %d)%n",
                ramBytes(), dataBytes, bssBytes, arenaBytes, stackBytes));
        for (RegionUsage r : regions) {
            sb.append(String.format(Locale.ROOT, "  %-8s 0x%08x %10d / %10d bytes %6.2f%%%s%n", r.name(), r.origin(),
                    r.usedBytes(), r.length(), r.percent(), r.overflows() ? "  OVERFLOW" : ""));
        }
        return sb.toString();
    }
}
