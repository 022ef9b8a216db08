package io.tinyforge.board;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The -D flags a board's platform code expects, from its descriptor. Both the generated project's build files and
 * the verification firmware build pass them, so they live with the descriptor rather than with either build.
 */
public final class BoardDefines {
    private BoardDefines() {}

    public static Map<String, String> of(Board board) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("TF_BOARD_NAME", "\"" + board.name() + "\"");
        d.put("TF_BOARD_CLOCK_HZ", board.clockHz() + "u");
        d.put("TF_BOARD_ALIGNMENT", Integer.toString(board.alignment()));
        d.put("TF_BOARD_STACK_BYTES", board.stackBytes() + "u");
        board.uart().base().ifPresent(base -> d.put("TF_BOARD_UART_BASE", String.format("0x%08Xu", base)));
        d.put("TF_BOARD_UART_BAUD", board.uart().baud() + "u");
        board.counter().instructionsPerTickFraction().ifPresent(f -> {
            d.put("TF_BOARD_TICK_INSN_NUM", Long.toString(f[0]));
            d.put("TF_BOARD_TICK_INSN_DEN", Long.toString(f[1]));
        });
        if (board.isQemu()) {
            d.put("TF_BOARD_QEMU", "1");
        }
        if (board.isHost()) {
            d.put("TF_BOARD_HOST", "1");
        }
        return d;
    }
}
