/*
 * Board constants. io.tinyforge.board.FirmwareBuild passes them as -D flags taken from
 * boards/<name>/board.json; building by hand, pass the same flags (boards/README.md).
 */
#ifndef TF_BOARD_CONFIG_H
#define TF_BOARD_CONFIG_H

#ifndef TF_BOARD_NAME
#error "TF_BOARD_NAME not defined: build through io.tinyforge.board.FirmwareBuild or pass -DTF_BOARD_NAME=\"...\""
#endif
#ifndef TF_BOARD_CLOCK_HZ
#error "TF_BOARD_CLOCK_HZ not defined (board.json clock_hz)"
#endif

#endif
