package io.tinyforge.board;

import io.tinyforge.board.Board.Memory;
import java.util.ArrayList;
import java.util.List;

/**
 * The memories an image was linked for. On an i.MX RT board the planner resizes DTCM and OCRAM per model (the
 * FlexRAM split): the image records the lengths it was linked with as absolute symbols ({@code __flexram_planned},
 * {@code __flexram_dtcm_length}, {@code __ocram_length}); without them it uses the board.json lengths (the split
 * after reset).
 */
public final class ImageMemories {
    private ImageMemories() {}

    public static List<Memory> of(ElfFile elf, Board board) {
        if (board.flexram().isEmpty() || elf.symbol("__flexram_planned").map(s -> s.value() == 0).orElse(true)) {
            return board.memories();
        }
        Board.FlexRam f = board.flexram().get();
        List<Memory> out = new ArrayList<>();
        for (Memory m : board.memories()) {
            String lengthSymbol = m.name().equals(f.dtcmMemory()) ? "__flexram_dtcm_length"
                    : m.name().equals(f.ocramMemory()) ? "__ocram_length" : null;
            long length = lengthSymbol == null ? m.length()
                    : elf.symbol(lengthSymbol).map(ElfFile.Symbol::value).orElse(m.length());
            out.add(new Memory(m.name(), m.origin(), length, m.kind(), m.access()));
        }
        return out;
    }
}
