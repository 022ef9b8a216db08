package io.tinyforge.board;

import io.tinyforge.board.Board.Memory;
import io.tinyforge.board.ElfFile.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a linked image occupies. Sections are classified by their flags: executable = text,
 * read-only with contents = rodata, writable with contents = data, no contents = bss; the
 * linker-script sections {@code .stack} and {@code .tf_arena} are counted separately.
 * flash = text + rodata + data (the load image); RAM = data + bss + arena + stack reserve.
 * Per memory region, a section counts where it runs and, if it is copied at start-up
 * (load address differs), also where its load image sits.
 * <p>
 * The flash image is further split by what it holds ({@link #flashSplit()}), read from the generated symbol
 * names: {@code weightsBytes} is the weights section ({@code __tf_weights_start..end}: the model's weights and
 * biases and their compile-time re-layouts), {@code packedWeightsBytes} the weights and folded biases a kernel
 * reads from its own packed constants in model.c, {@code requantBytes} the per-channel requantization tables
 * (multipliers and shifts).
 */
public record MemoryUsage(long textBytes, long rodataBytes, long dataBytes, long bssBytes, long arenaBytes,
        long stackBytes, long weightsBytes, long packedWeightsBytes, long requantBytes, long inputBytes,
        List<RegionUsage> regions) {

    /** opN_multiplier / opN_shift (tfk_per_channel_quant). */
    private static final Pattern REQUANT_TABLE = Pattern.compile("op\\d+_(band\\d+_)?(multiplier|shift)");
    /** The Helium depthwise kernels' re-laid filter. */
    private static final Pattern PACKED_WEIGHTS = Pattern.compile("op\\d+_(band\\d+_)?dw_weights");
    /**
     * The Helium depthwise kernels' tfk_dw8_requant blocks: per 80 bytes, 32 of folded bias, 48 of multipliers
     * and shifts.
     */
    private static final Pattern BIAS_AND_REQUANT = Pattern.compile("op\\d+_(band\\d+_)?dw_rq");
    private static final int REQUANT_BLOCK_BYTES = 80;
    private static final int REQUANT_BLOCK_BIAS_BYTES = 32;

    /**
     * Flash by content: code (text), weights and biases (wherever they live), requantization tables, and every
     * other constant (op parameters, shapes, lookup tables, strings, vectors) plus initialised data.
     */
    public record FlashSplit(long codeBytes, long weightsBytes, long requantBytes, long otherBytes) {}

    public FlashSplit flashSplit() {
        long weights = weightsBytes + packedWeightsBytes;
        return new FlashSplit(textBytes, weights, requantBytes, flashBytes() - textBytes - weights - requantBytes);
    }

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
        long text = 0, rodata = 0, data = 0, bss = 0, arena = 0, stack = 0, inputs = 0;
        List<Memory> memories = ImageMemories.of(elf, board);
        long[] used = new long[memories.size()];
        for (Section s : elf.allocatedSections()) {
            switch (s.name()) {
                case ".stack" -> stack += s.size();
                case ".tf_arena", ".tf_arena_fast", ".tf_arena_more" -> arena += s.size();
                case ".tf_input" -> inputs += s.size(); // --input-memory: a buffer of its own, not RAM the app uses
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
        long packed = 0, requant = 0;
        for (ElfFile.Symbol sym : elf.symbols()) {
            if (PACKED_WEIGHTS.matcher(sym.name()).matches()) {
                packed += sym.size();
            } else if (REQUANT_TABLE.matcher(sym.name()).matches()) {
                requant += sym.size();
            } else if (BIAS_AND_REQUANT.matcher(sym.name()).matches()) {
                long bias = sym.size() / REQUANT_BLOCK_BYTES * REQUANT_BLOCK_BIAS_BYTES;
                packed += bias;
                requant += sym.size() - bias;
            }
        }
        return new MemoryUsage(text, rodata, data, bss, arena, stack,
                symbolSpan(elf, "__tf_weights_start", "__tf_weights_end"), packed, requant, inputs, regions);
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
        FlashSplit f = flashSplit();
        sb.append(String.format(Locale.ROOT, "flash %d bytes (code %d, weights+biases %d, requantization tables %d, "
                + "other constant data %d)%n", flashBytes(), f.codeBytes(), f.weightsBytes(), f.requantBytes(),
                f.otherBytes()));
        sb.append(String.format(Locale.ROOT, "ram %d bytes (data %d, bss %d, arena %d, stack %d)%n",
                ramBytes(), dataBytes, bssBytes, arenaBytes, stackBytes));
        if (inputBytes > 0) {
            sb.append(String.format(Locale.ROOT, "model inputs %d bytes in a memory of their own (--input-memory)%n",
                    inputBytes));
        }
        for (RegionUsage r : regions) {
            sb.append(String.format(Locale.ROOT, "  %-8s 0x%08x %10d / %10d bytes %6.2f%%%s%n", r.name(), r.origin(),
                    r.usedBytes(), r.length(), r.percent(), r.overflows() ? "  OVERFLOW" : ""));
        }
        return sb.toString();
    }
}
