/*
 * Boot structures the i.MX RT1060/1062 boot ROM reads from FlexSPI NOR (RT1060 reference manual,
 * "FlexSPI NOR boot"): the FlexSPI configuration block (FCB) at flash offset 0, the image vector
 * table (IVT) at offset 0x1000 and the boot data right after it. The linker script places the
 * three sections (.boot_hdr.fcb / .boot_hdr.ivt / .boot_hdr.boot_data) and defines the symbols.
 *
 * The read sequence suits both boards' quad SPI NOR chips (MIMXRT1060-EVK: ISSI IS25WP064,
 * Teensy 4.1: Winbond W25Q64JV): Fast Read Quad I/O 0xEB, 24-bit address on 4 pads, mode byte
 * 0x00 (keeps both chips out of their continuous-read modes) and 4 dummy cycles, 100 MHz.
 */
#include <stdint.h>
#include "cortexm/cortexm.h"

#ifndef TF_IMXRT_FLASH_CHIP_BYTES
#define TF_IMXRT_FLASH_CHIP_BYTES 0x00800000u /* 8 MiB on both boards */
#endif

extern uint32_t __flash_image_start; /* = flash origin, 0x60000000 */
extern uint32_t __flash_image_size;  /* bytes from the origin to the end of the load image */

/* FlexSPI LUT instruction: opcode(6) | pads(2) | operand(8); two per 32-bit word, first in the low half */
#define LUT_INSN(op, pads, operand) ((uint32_t)(((op) << 10) | ((pads) << 8) | (operand)))
#define LUT_PAIR(a, b) ((a) | ((b) << 16))
#define OP_STOP      0x00u
#define OP_CMD_SDR   0x01u
#define OP_RADDR_SDR 0x02u
#define OP_MODE8_SDR 0x07u
#define OP_READ_SDR  0x09u
#define OP_DUMMY_SDR 0x0Cu
#define PADS_1 0u
#define PADS_4 2u

typedef struct {
    uint32_t tag;                       /* 0x000 "FCFB" */
    uint32_t version;                   /* 0x004 */
    uint32_t reserved0;                 /* 0x008 */
    uint8_t read_sample_clk_src;        /* 0x00C */
    uint8_t cs_hold_time;
    uint8_t cs_setup_time;
    uint8_t column_address_width;
    uint8_t device_mode_cfg_enable;     /* 0x010 */
    uint8_t device_mode_type;
    uint16_t wait_time_cfg_commands;
    uint32_t device_mode_seq;           /* 0x014 */
    uint32_t device_mode_arg;           /* 0x018 */
    uint8_t config_cmd_enable;          /* 0x01C */
    uint8_t config_mode_type[3];
    uint32_t config_cmd_seqs[4];        /* 0x020 */
    uint32_t config_cmd_args[4];        /* 0x030 */
    uint32_t controller_misc_option;    /* 0x040 */
    uint8_t device_type;                /* 0x044 */
    uint8_t sflash_pad_type;
    uint8_t serial_clk_freq;
    uint8_t lut_custom_seq_enable;
    uint32_t reserved1[2];              /* 0x048 */
    uint32_t sflash_a1_size;            /* 0x050 */
    uint32_t sflash_a2_size;
    uint32_t sflash_b1_size;
    uint32_t sflash_b2_size;
    uint32_t pad_setting_override[4];   /* 0x060 cs, sclk, data, dqs */
    uint32_t timeout_ms;                /* 0x070 */
    uint32_t command_interval;
    uint16_t data_valid_time[2];        /* 0x078 */
    uint16_t busy_offset;               /* 0x07C */
    uint16_t busy_bit_polarity;
    uint32_t lookup_table[64];          /* 0x080: 16 sequences of 4 words */
    uint32_t lut_custom_seq[12];        /* 0x180 */
    uint32_t reserved2[4];              /* 0x1B0 */
    uint32_t page_size;                 /* 0x1C0: serial NOR part */
    uint32_t sector_size;
    uint8_t ipcmd_serial_clk_freq;      /* 0x1C8 */
    uint8_t is_uniform_block_size;
    uint8_t reserved3[2];
    uint32_t reserved4;                 /* 0x1CC */
    uint32_t block_size;                /* 0x1D0 */
    uint32_t reserved5[11];             /* 0x1D4 .. 0x1FF */
} imxrt_flexspi_nor_config_t;

/* C99 compile-time size check: the ROM reads exactly 512 bytes */
typedef char fcb_must_be_512_bytes[(sizeof(imxrt_flexspi_nor_config_t) == 512u) ? 1 : -1];

__attribute__((section(".boot_hdr.fcb"), used))
const imxrt_flexspi_nor_config_t tf_flexspi_nor_config = {
    .tag = 0x42464346u,                 /* bytes 'F','C','F','B' */
    .version = 0x56010400u,             /* 'V' 1.4.0 */
    .read_sample_clk_src = 1u,          /* loopback from the DQS pad */
    .cs_hold_time = 3u,
    .cs_setup_time = 3u,
    .controller_misc_option = 0u,
    .device_type = 1u,                  /* serial NOR */
    .sflash_pad_type = 4u,              /* quad */
    .serial_clk_freq = 6u,              /* 100 MHz */
    .sflash_a1_size = TF_IMXRT_FLASH_CHIP_BYTES,
    .lookup_table = {
        /* sequence 0: read (used by the ROM and for execute-in-place) */
        LUT_PAIR(LUT_INSN(OP_CMD_SDR, PADS_1, 0xEBu), LUT_INSN(OP_RADDR_SDR, PADS_4, 24u)),
        LUT_PAIR(LUT_INSN(OP_MODE8_SDR, PADS_4, 0x00u), LUT_INSN(OP_DUMMY_SDR, PADS_4, 4u)),
        LUT_PAIR(LUT_INSN(OP_READ_SDR, PADS_4, 4u), LUT_INSN(OP_STOP, PADS_1, 0u)),
        0u,
        /* sequence 1: read status register 0x05 */
        LUT_PAIR(LUT_INSN(OP_CMD_SDR, PADS_1, 0x05u), LUT_INSN(OP_READ_SDR, PADS_1, 4u)),
        0u, 0u, 0u,
    },
    .page_size = 256u,
    .sector_size = 4096u,
    .ipcmd_serial_clk_freq = 1u,        /* 30 MHz for IP commands */
    .block_size = 0x10000u,
};

typedef struct {
    uint32_t start;  /* absolute address of the image (the flash origin) */
    uint32_t size;   /* bytes of the image, from start */
    uint32_t plugin; /* 0: a normal image */
    uint32_t reserved;
} imxrt_boot_data_t;

__attribute__((section(".boot_hdr.boot_data"), used))
const imxrt_boot_data_t tf_boot_data = {
    (uint32_t)(uintptr_t)&__flash_image_start,
    (uint32_t)(uintptr_t)&__flash_image_size,
    0u,
    0xFFFFFFFFu,
};

/* Device configuration data the boot ROM applies before it jumps to the image, when a platform file provides it
   (semc_sdram_dcd.c, only in images whose plan uses the EVK's SDRAM); weak, so the pointer is 0 otherwise. */
extern const uint8_t tf_imxrt_dcd[] __attribute__((weak));

/* IVT header word: tag 0xD1, length 0x0020 big-endian, version 0x41 */
#define IVT_HEADER 0x412000D1u

__attribute__((section(".boot_hdr.ivt"), used))
const uint32_t tf_image_vector_table[8] = {
    IVT_HEADER,
    (uint32_t)(uintptr_t)Reset_Handler, /* entry: Thumb address; the handler sets SP and VTOR itself */
    0u,                                  /* reserved */
    (uint32_t)(uintptr_t)tf_imxrt_dcd,   /* DCD, or 0 without one */
    (uint32_t)(uintptr_t)&tf_boot_data,
    (uint32_t)(uintptr_t)tf_image_vector_table, /* self */
    0u,                                  /* CSF: unsigned image */
    0u,
};
