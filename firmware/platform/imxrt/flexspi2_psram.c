/*
 * Teensy 4.1 PSRAM: an APS6404L-class 8 MiB quad-SPI PSRAM the user solders on the pads under the board, on
 * FlexSPI2 port A1 (chip select GPIO_EMC_24), memory-mapped at 0x70000000. Nothing of it exists unless the code
 * generator defines TF_EXTRAM_FLEXSPI2_PSRAM, which it does only when the memory plan puts buffers in "psram"
 * (--input-memory psram, --region-limit psram=BYTES): images that do not use the PSRAM are unchanged.
 *
 * imxrt_psram_init() runs from imxrt_early_init(), before the reset code zeroes the arena part placed there: PLL2
 * (started if the ROM left it off), pins, clock (PLL2 528 MHz / 6 = 88 MHz), controller, the command table (LUT), then the chip is reset and asked for its
 * ID. It returns 0 when no chip answers; the caller reports that over the UART and stops.
 *
 * Facts used (their sources): the pads and input selects of FlexSPI2 port A on GPIO_EMC_23..29 (ALT8), the FlexSPI
 * register map and LUT instruction format (i.MX RT1060 reference manual, FlexSPI and IOMUXC chapters; PJRC's Teensy
 * 4 core, teensy4/imxrt.h and startup.c, which brings the same chip up); the chip's commands (APS6404L datasheet):
 * 0x66 reset enable, 0x99 reset, 0x9F read ID (24 address bits, then manufacturer ID 0x0D and "known good die"
 * 0x5D), 0x35 enter quad (QPI) mode, 0xF5 leave it, 0xEB quad read with 6 wait cycles, 0x38 quad write.
 */
#if defined(TF_EXTRAM_FLEXSPI2_PSRAM)

#include <stdint.h>
#include "cortexm/cortexm.h"
#include "imxrt/imxrt.h"

/* pins: GPIO_EMC_23 DQS, 24 chip select, 25 clock, 26..29 data 0..3 */
#define IOMUXC_MUX_EMC(n) (IMXRT_IOMUXC_BASE + 0x014u + 4u * (n))
#define IOMUXC_PAD_EMC(n) (IMXRT_IOMUXC_BASE + 0x204u + 4u * (n))
#define MUX_ALT8_SION     (8u | (1u << 4))
#define PAD_FAST          ((1u << 16) | (3u << 6) | (7u << 3) | 1u)  /* hysteresis, 200 MHz, R0/7, fast slew */
#define PAD_PULL_UP_100K  ((1u << 13) | (2u << 14) | (1u << 12))     /* PUE, PUS 100K up, PKE */
#define PAD_PULL_UP_47K   ((1u << 13) | (1u << 14) | (1u << 12))     /* PUE, PUS 47K up, PKE */
#define PAD_KEEPER        (1u << 12)
/* daisy chain: FlexSPI2 port A inputs come from these GPIO_EMC pads (value 1) */
#define IOMUXC_FLEXSPI2_DQS_FA_SELECT    0x401F872Cu
#define IOMUXC_FLEXSPI2_IO_FA_SELECT(b)  (0x401F8730u + 4u * (b))
#define IOMUXC_FLEXSPI2_SCK_FA_SELECT    0x401F8750u

/* clock: CBCMR FLEXSPI2_CLK_SEL bits 9:8 (3: PLL2 528 MHz), FLEXSPI2_PODF bits 31:29 (5: divide by 6) */
#define CBCMR_FLEXSPI2_FIELDS ((7u << 29) | (3u << 8))
#define CBCMR_FLEXSPI2_88MHZ  ((5u << 29) | (3u << 8))
#define CCGR7 (IMXRT_CCM_BASE + 0x88u) /* CG1 (bits 3:2): FlexSPI2 */
/* PLL2 (528 MHz): DIV_SELECT bit 0, POWERDOWN bit 12, ENABLE bit 13, BYPASS bit 16, LOCK bit 31 */
#define CCM_ANALOG_PLL_SYS 0x400D8030u
#define PLL_SYS_528MHZ_ON  ((1u << 13) | 1u)
#define PLL_SYS_OFF_BITS   ((1u << 12) | (1u << 16))
#define PLL_SYS_LOCK       (1u << 31)
#define PLL_LOCK_SPINS     1000000u
#define CCGR7_FLEXSPI2 (3u << 2)

#define FLEXSPI2 0x402A4000u
#define MCR0       (FLEXSPI2 + 0x000u)
#define MCR1       (FLEXSPI2 + 0x004u)
#define MCR2       (FLEXSPI2 + 0x008u)
#define AHBCR      (FLEXSPI2 + 0x00Cu)
#define INTEN      (FLEXSPI2 + 0x010u)
#define INTR       (FLEXSPI2 + 0x014u)
#define LUTKEY     (FLEXSPI2 + 0x018u)
#define LUTCR      (FLEXSPI2 + 0x01Cu)
#define AHBRXBUFCR0(n) (FLEXSPI2 + 0x020u + 4u * (n))
#define FLSHCR0(n) (FLEXSPI2 + 0x060u + 4u * (n)) /* A1, A2, B1, B2: size in KiB */
#define FLSHA1CR1  (FLEXSPI2 + 0x070u)
#define FLSHA1CR2  (FLEXSPI2 + 0x080u)
#define IPCR0      (FLEXSPI2 + 0x0A0u)
#define IPCR1      (FLEXSPI2 + 0x0A4u)
#define IPCMD      (FLEXSPI2 + 0x0B0u)
#define IPRXFCR    (FLEXSPI2 + 0x0B8u)
#define IPTXFCR    (FLEXSPI2 + 0x0BCu)
#define RFDR0      (FLEXSPI2 + 0x100u)
#define LUT(i)     (FLEXSPI2 + 0x200u + 4u * (i))

#define MCR0_SWRESET       (1u << 0)
#define MCR0_MDIS          (1u << 1)
#define MCR0_RXCLK_DQS_LOOPBACK (1u << 4)   /* RXCLKSRC 1: sample read data on the clock looped back from DQS */
#define MCR0_GRANT_WAITS   ((0xFFu << 24) | (0xFFu << 16))
#define MCR1_WAITS         ((0xFFFFu << 16) | 0xFFFFu)
#define MCR2_FIELDS        ((0xFFu << 24) | (1u << 19) | (1u << 15) | (1u << 14) | (1u << 11))
#define MCR2_RESUMEWAIT_32 (0x20u << 24)
#define AHBCR_FIELDS       ((1u << 6) | (1u << 5) | (1u << 4) | (1u << 3))
#define AHBRXBUF_PREFETCH_512B ((1u << 31) | 64u)   /* 64 x 8 bytes */
/* buffers 2 and 3: every master-ID, priority and size bit set, as PJRC's working set-up leaves them */
#define AHBRXBUF_UNUSED    ((1u << 31) | (3u << 24) | (0xFu << 16) | 0xFFu)
#define FIFO_CLEAR         1u
#define FLSH_8MIB_IN_KIB   8192u
#define FLSHCR1_TIMING     ((2u << 16) | (3u << 5) | 3u)   /* CS interval 2, CS hold 3, CS setup 3 */
#define FLSHCR2_SEQUENCES  ((SEQ_WRITE << 8) | SEQ_READ) /* AHB writes and reads run these LUT sequences */
#define LUTKEY_VALUE       0x5AF05AF0u
#define LUTCR_UNLOCK       (1u << 1)
#define IPCR1_SEQ(id, bytes) (((uint32_t)(id) << 16) | (bytes))
#define IPCMD_TRG          1u
#define INTR_IPCMDDONE     (1u << 0)
#define INTR_IPCMDERR      (1u << 3)
#define INTR_IPRXWA        (1u << 5)

/* LUT instructions, two per word (first in the low half): opcode(6) | pads(2) | operand(8) */
#define INSN(op, pads, operand) ((uint32_t)(((op) << 10) | ((pads) << 8) | (operand)))
#define TWO(a, b) ((a) | ((b) << 16))
#define CMD_SDR   0x01u
#define RADDR_SDR 0x02u
#define WRITE_SDR 0x08u
#define READ_SDR  0x09u
#define DUMMY_SDR 0x0Cu
#define STOP      0x00u
#define PADS_1    0u
#define PADS_4    2u

enum { SEQ_READ, SEQ_WRITE, SEQ_RESET_ENABLE, SEQ_RESET, SEQ_READ_ID, SEQ_ENTER_QPI, SEQ_EXIT_QPI, SEQ_COUNT };

#define APS6404L_ID 0x5D0Du /* known-good-die byte 0x5D after manufacturer 0x0D, as read little-endian */
#define IP_COMMAND_SPINS 100000u

/* The command sequences, 4 words each, in the order of the enum above; read-only data that the test suite reads
   back from the image and compares with the datasheet. */
const uint32_t tf_psram_lut[SEQ_COUNT * 4] = {
    /* quad read: 0xEB, 24-bit address, 6 wait cycles, data, all on 4 pads */
    TWO(INSN(CMD_SDR, PADS_4, 0xEBu), INSN(RADDR_SDR, PADS_4, 24u)),
    TWO(INSN(DUMMY_SDR, PADS_4, 6u), INSN(READ_SDR, PADS_4, 4u)), 0u, 0u,
    /* quad write: 0x38, 24-bit address, data */
    TWO(INSN(CMD_SDR, PADS_4, 0x38u), INSN(RADDR_SDR, PADS_4, 24u)),
    TWO(INSN(WRITE_SDR, PADS_4, 4u), INSN(STOP, PADS_1, 0u)), 0u, 0u,
    TWO(INSN(CMD_SDR, PADS_1, 0x66u), INSN(STOP, PADS_1, 0u)), 0u, 0u, 0u,
    TWO(INSN(CMD_SDR, PADS_1, 0x99u), INSN(STOP, PADS_1, 0u)), 0u, 0u, 0u,
    /* read ID in SPI mode: 0x9F, 24 address bits (ignored), then 4 bytes */
    TWO(INSN(CMD_SDR, PADS_1, 0x9Fu), INSN(RADDR_SDR, PADS_1, 24u)),
    TWO(INSN(READ_SDR, PADS_1, 4u), INSN(STOP, PADS_1, 0u)), 0u, 0u,
    TWO(INSN(CMD_SDR, PADS_1, 0x35u), INSN(STOP, PADS_1, 0u)), 0u, 0u, 0u,
    /* leave quad mode (sent on 4 pads: a chip still in QPI mode after a warm reset only listens there) */
    TWO(INSN(CMD_SDR, PADS_4, 0xF5u), INSN(STOP, PADS_1, 0u)), 0u, 0u, 0u,
};

/* One IP command on chip A1; with bytes > 0 the first word read back. 0 when the controller never finishes. */
static int ip_command(uint32_t sequence, uint32_t bytes, uint32_t *word)
{
    uint32_t spins = 0;
    TF_REG32(IPCR0) = 0u;
    TF_REG32(IPCR1) = IPCR1_SEQ(sequence, bytes);
    TF_REG32(IPCMD) = IPCMD_TRG;
    while (!(TF_REG32(INTR) & INTR_IPCMDDONE)) {
        if (++spins > IP_COMMAND_SPINS) {
            return 0;
        }
    }
    if (word != 0) {
        *word = TF_REG32(RFDR0);
    }
    TF_REG32(INTR) = INTR_IPCMDDONE | INTR_IPCMDERR | INTR_IPRXWA;
    TF_REG32(IPRXFCR) = FIFO_CLEAR;
    return 1;
}

static void pins(void)
{
    uint32_t n;
    for (n = 23u; n <= 29u; n++) {
        TF_REG32(IOMUXC_MUX_EMC(n)) = MUX_ALT8_SION;
    }
    TF_REG32(IOMUXC_PAD_EMC(23u)) = PAD_FAST | PAD_KEEPER;
    TF_REG32(IOMUXC_PAD_EMC(24u)) = PAD_FAST | PAD_PULL_UP_100K; /* deselected while the pin floats */
    TF_REG32(IOMUXC_PAD_EMC(25u)) = PAD_FAST;
    for (n = 26u; n <= 29u; n++) {
        TF_REG32(IOMUXC_PAD_EMC(n)) = PAD_FAST | PAD_PULL_UP_47K;
    }
    TF_REG32(IOMUXC_FLEXSPI2_DQS_FA_SELECT) = 1u;
    for (n = 0u; n < 4u; n++) {
        TF_REG32(IOMUXC_FLEXSPI2_IO_FA_SELECT(n)) = 1u;
    }
    TF_REG32(IOMUXC_FLEXSPI2_SCK_FA_SELECT) = 1u;
}

/* The boot ROM normally leaves PLL2 running; if it is off or bypassed, start it (0 when it never locks). */
static int pll2_on(void)
{
    uint32_t spins = 0;
    uint32_t pll = TF_REG32(CCM_ANALOG_PLL_SYS);
    if ((pll & PLL_SYS_LOCK) && !(pll & PLL_SYS_OFF_BITS)) {
        return 1;
    }
    TF_REG32(CCM_ANALOG_PLL_SYS) = PLL_SYS_528MHZ_ON;
    while (!(TF_REG32(CCM_ANALOG_PLL_SYS) & PLL_SYS_LOCK)) {
        if (++spins > PLL_LOCK_SPINS) {
            return 0;
        }
    }
    return 1;
}

static void controller(void)
{
    uint32_t i;
    TF_REG32(IMXRT_CCM_CBCMR) = (TF_REG32(IMXRT_CCM_CBCMR) & ~CBCMR_FLEXSPI2_FIELDS) | CBCMR_FLEXSPI2_88MHZ;
    TF_REG32(CCGR7) |= CCGR7_FLEXSPI2;

    TF_REG32(MCR0) |= MCR0_MDIS;
    TF_REG32(MCR0) = MCR0_GRANT_WAITS | MCR0_RXCLK_DQS_LOOPBACK | MCR0_MDIS;
    TF_REG32(MCR1) = MCR1_WAITS;
    TF_REG32(MCR2) = (TF_REG32(MCR2) & ~MCR2_FIELDS) | MCR2_RESUMEWAIT_32;
    /* no prefetch, buffering or caching in the AHB path beyond the RX buffers below: writes reach the chip in order */
    TF_REG32(AHBCR) &= ~AHBCR_FIELDS;
    TF_REG32(AHBRXBUFCR0(0)) = AHBRXBUF_PREFETCH_512B;
    TF_REG32(AHBRXBUFCR0(1)) = AHBRXBUF_PREFETCH_512B;
    TF_REG32(AHBRXBUFCR0(2)) = AHBRXBUF_UNUSED;
    TF_REG32(AHBRXBUFCR0(3)) = AHBRXBUF_UNUSED;
    TF_REG32(IPRXFCR) = FIFO_CLEAR;
    TF_REG32(IPTXFCR) = FIFO_CLEAR;
    TF_REG32(INTEN) = 0u;
    TF_REG32(FLSHCR0(0)) = FLSH_8MIB_IN_KIB;
    TF_REG32(FLSHCR0(1)) = 0u;
    TF_REG32(FLSHCR0(2)) = 0u;
    TF_REG32(FLSHCR0(3)) = 0u;
    TF_REG32(FLSHA1CR1) = FLSHCR1_TIMING;
    TF_REG32(FLSHA1CR2) = FLSHCR2_SEQUENCES;
    TF_REG32(MCR0) &= ~MCR0_MDIS;

    TF_REG32(MCR0) |= MCR0_SWRESET;
    while (TF_REG32(MCR0) & MCR0_SWRESET) {
    }
    TF_REG32(LUTKEY) = LUTKEY_VALUE;
    TF_REG32(LUTCR) = LUTCR_UNLOCK;
    for (i = 0; i < 64u; i++) {
        TF_REG32(LUT(i)) = i < SEQ_COUNT * 4u ? tf_psram_lut[i] : 0u;
    }
}

int imxrt_psram_init(void)
{
    uint32_t id = 0;
    if (!pll2_on()) {
        return 0;
    }
    pins();
    controller();
    if (!ip_command(SEQ_EXIT_QPI, 0u, 0) || !ip_command(SEQ_RESET_ENABLE, 0u, 0) || !ip_command(SEQ_RESET, 0u, 0)
        || !ip_command(SEQ_READ_ID, 4u, &id)) {
        return 0;
    }
    if ((id & 0xFFFFu) != APS6404L_ID) {
        return 0;
    }
    return ip_command(SEQ_ENTER_QPI, 0u, 0);
}

#endif /* TF_EXTRAM_FLEXSPI2_PSRAM */
