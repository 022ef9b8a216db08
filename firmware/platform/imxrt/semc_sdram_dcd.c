/*
 * MIMXRT1060-EVK SDRAM (ISSI IS42S16160J: 32 MiB, 16-bit, 4 banks x 8192 rows x 512 columns) on the SEMC at
 * 0x80000000, set up by the boot ROM before it jumps to the image: this is the device configuration data (DCD)
 * the image vector table points to (firmware/platform/imxrt/flexspi_nor_boot.c). Nothing of it exists unless the
 * code generator defines TF_EXTRAM_SEMC_SDRAM, which it does only when the memory plan puts buffers in "sdram"
 * (--input-memory sdram, --region-limit sdram=BYTES): images that do not use the SDRAM are unchanged.
 *
 * Why the ROM and not start-up code: the SDRAM is ready before the first instruction, so the reset code may zero
 * the arena part placed there like any other.
 *
 * DCD format (i.MX RT1060 reference manual, "Device Configuration Data (DCD)"): a header (tag 0xD2, big-endian
 * total length, version 0x41) and commands, every field big-endian. Write data: tag 0xCC, length, parameter
 * (bytes 4 | flags: 0x04 write the value, 0x0C clear the bits of the value, 0x1C set them) and address/value
 * pairs. Check data: tag 0xCF, length 12, parameter (0x04: wait until the mask bits are all clear, 0x1C: until
 * they are set), address, mask; without a count the ROM polls until the condition holds.
 *
 * The clock: SEMC from PLL2 PFD2 (396 MHz with the PFD's reset fraction, which is left as it is because other
 * clock roots may use it) divided by 3: 132 MHz, within the IS42S16160J-6/-7 grades' 166/143 MHz. The timings below
 * are the chip's (ISSI IS42S16160J datasheet, -6 grade, rounded up to whole 132 MHz cycles); the register fields
 * are those of the RT1060 reference manual's SEMC chapter.
 */
#if defined(TF_EXTRAM_SEMC_SDRAM)

#include <stdint.h>

/* ---- addresses ---- */
#define CCM_ANALOG_PLL_SYS  0x400D8030u /* PLL2: DIV_SELECT bit 0 (1: 528 MHz), ENABLE bit 13, LOCK bit 31 */
#define CCM_ANALOG_PFD_528  0x400D8100u /* PFD2_CLKGATE bit 23 */
#define CCM_CBCDR           0x400FC014u /* SEMC_CLK_SEL bit 6, SEMC_ALT_CLK_SEL bit 7, SEMC_PODF bits 18:16 */
#define CCM_CDHIPR          0x400FC048u /* SEMC_PODF_BUSY bit 0 */
#define CCM_CCGR3           0x400FC074u /* CG2 (bits 5:4): SEMC */
#define IOMUXC_MUX_EMC(n)   (0x401F8014u + 4u * (n)) /* SW_MUX_CTL_PAD_GPIO_EMC_nn, ALT0 = SEMC */
#define IOMUXC_PAD_EMC(n)   (0x401F8204u + 4u * (n)) /* SW_PAD_CTL_PAD_GPIO_EMC_nn */

#define SEMC_BASE     0x402F0000u
#define SEMC_MCR      (SEMC_BASE + 0x00u)
#define SEMC_IOCR     (SEMC_BASE + 0x04u)
#define SEMC_BMCR0    (SEMC_BASE + 0x08u)
#define SEMC_BMCR1    (SEMC_BASE + 0x0Cu)
#define SEMC_BR(n)    (SEMC_BASE + 0x10u + 4u * (n))
#define SEMC_INTEN    (SEMC_BASE + 0x38u)
#define SEMC_INTR     (SEMC_BASE + 0x3Cu)
#define SEMC_SDRAMCR0 (SEMC_BASE + 0x40u)
#define SEMC_SDRAMCR1 (SEMC_BASE + 0x44u)
#define SEMC_SDRAMCR2 (SEMC_BASE + 0x48u)
#define SEMC_SDRAMCR3 (SEMC_BASE + 0x4Cu)
#define SEMC_IPCR0    (SEMC_BASE + 0x90u)
#define SEMC_IPCR1    (SEMC_BASE + 0x94u)
#define SEMC_IPCR2    (SEMC_BASE + 0x98u)
#define SEMC_IPCMD    (SEMC_BASE + 0x9Cu)
#define SEMC_IPTXDAT  (SEMC_BASE + 0xA0u)

/* ---- values ---- */
#define PLL_SYS_528MHZ_ON  ((1u << 13) | 1u)
#define PLL_LOCK           (1u << 31)
#define PFD2_CLKGATE       (1u << 23)
#define CBCDR_SEMC_FIELDS  ((7u << 16) | (1u << 7) | (1u << 6))
#define CBCDR_SEMC_PFD2_BY_3 ((2u << 16) | (1u << 6)) /* alternate clock (PLL2 PFD2) divided by 3 */
#define CDHIPR_SEMC_PODF_BUSY 1u
#define CCGR3_SEMC         (3u << 4)

/* pads: keeper, hysteresis, fastest speed and slew, strongest drive (R0/7); DQS (EMC_39) also loops the read
   strobe back (SION), which SEMC samples read data with (MCR DQSMD) */
#define EMC_PAD  ((1u << 16) | (1u << 12) | (3u << 6) | (7u << 3) | 1u)
#define EMC_SION (1u << 4)

#define SEMC_HZ_MHZ 132u
/* whole SEMC cycles covering a datasheet minimum, minus one: how the timing fields count */
#define CYCLES_MINUS_1(ns) ((((ns) * SEMC_HZ_MHZ + 999u) / 1000u) - 1u)

#define MCR_SWRST  (1u << 0)
#define MCR_MDIS   (1u << 1)
#define MCR_DQSMD  (1u << 2)
#define MCR_BTO_16 (0x10u << 24)
/* AXI queue weights: the values NXP's own SDK uses for this controller */
#define BMCR0_QUEUE_A 0x00030524u
#define BMCR1_QUEUE_B 0x06030524u
/* base 0x80000000, size 4 KiB << 13 = 32 MiB, valid */
#define BR0_SDRAM_32MB (0x80000000u | (13u << 1) | 1u)

/* SDRAMCR0: 16-bit port (PS), burst of 8 (BL 3), 9 column bits (COL 3), CAS latency 3 (CL) */
#define SDRAMCR0_VALUE (1u | (3u << 4) | (3u << 8) | (3u << 10))
/* SDRAMCR1: tRP 18 ns, tRCD 18 ns, tRC 60 ns (refresh recovery), tWR 12 ns, CKE off / tRAS 42 ns */
#define SDRAMCR1_VALUE (CYCLES_MINUS_1(18u) | (CYCLES_MINUS_1(18u) << 4) | (CYCLES_MINUS_1(60u) << 8) \
                        | (CYCLES_MINUS_1(12u) << 13) | (CYCLES_MINUS_1(42u) << 16) | (CYCLES_MINUS_1(42u) << 20))
/* SDRAMCR2: tXSR 70 ns (self refresh exit), tRC 60 ns (refresh to refresh), tRRD 12 ns, no idle power-down */
#define SDRAMCR2_VALUE (CYCLES_MINUS_1(70u) | (CYCLES_MINUS_1(60u) << 8) | (CYCLES_MINUS_1(12u) << 16))
/* SDRAMCR3: 8192 rows every 64 ms = one row per 7.81 us. Prescaler 8 x 16 = 128 cycles (0.97 us); a refresh of
   one row (burst 1) every 8 prescaler periods (7.76 us); urgent after 9. REN (bit 0) goes on last. */
#define SDRAMCR3_PRESCALE 8u
#define SDRAMCR3_VALUE ((SDRAMCR3_PRESCALE << 8) | (7u << 16) | (8u << 24))
#define SDRAMCR3_REN 1u

#define IPCR1_TWO_BYTES 2u
#define INTR_IPCMDDONE  1u
#define INTR_IPCMDERR   2u
#define IPCMD_KEY       0xA55A0000u
#define IPCMD_PRECHARGE_ALL 0xFu
#define IPCMD_AUTO_REFRESH  0xCu
#define IPCMD_MODE_SET      0xAu
/* the SDRAM's mode register: burst length 8, sequential, CAS latency 3 */
#define SDRAM_MODE (3u | (3u << 4))

/* ---- encoding ---- */
#define BE16(v) (uint8_t)((v) >> 8), (uint8_t)(v)
#define BE32(v) (uint8_t)((v) >> 24), (uint8_t)((v) >> 16), (uint8_t)((v) >> 8), (uint8_t)(v)
#define PAIR(address, value) BE32(address), BE32(value)
#define WRITE(pairs) 0xCCu, BE16(4u + 8u * (pairs)), 0x04u
#define CLEAR_BITS(pairs) 0xCCu, BE16(4u + 8u * (pairs)), 0x0Cu
#define SET_BITS(pairs) 0xCCu, BE16(4u + 8u * (pairs)), 0x1Cu
#define WAIT_SET(address, mask) 0xCFu, BE16(12u), 0x1Cu, BE32(address), BE32(mask)
#define WAIT_CLEAR(address, mask) 0xCFu, BE16(12u), 0x04u, BE32(address), BE32(mask)
#define MUX_PADS(n) PAIR(IOMUXC_MUX_EMC(n), 0u), PAIR(IOMUXC_PAD_EMC(n), EMC_PAD)
#define MUX_PADS_4(n) MUX_PADS(n), MUX_PADS((n) + 1u), MUX_PADS((n) + 2u), MUX_PADS((n) + 3u)

/* EMC_00..EMC_38 are data, address, bank, command, clock and CS0 lines; EMC_39 the DQS loopback. EMC_40/41 stay
   untouched: the EVK uses them for the Ethernet PHY's management bus. */
#define PAD_PAIRS (2u * 40u)
#define SEMC_SETUP_PAIRS 24u

#define DCD_BYTES (4u + (4u + 8u) + 12u + (4u + 8u * 2u) + (4u + 8u * 2u) + 12u + (4u + 8u * PAD_PAIRS) \
                   + (4u + 8u) + 12u + (4u + 8u * SEMC_SETUP_PAIRS) + 12u + 2u * ((4u + 8u * 2u) + 12u) \
                   + (4u + 8u * 3u) + 12u + (4u + 8u))

__attribute__((section(".boot_hdr.dcd"), used, aligned(4)))
const uint8_t tf_imxrt_dcd[] = {
    0xD2u, BE16(DCD_BYTES), 0x41u,
    /* PLL2 on at 528 MHz (as the ROM normally leaves it), PFD2 ungated */
    WRITE(1), PAIR(CCM_ANALOG_PLL_SYS, PLL_SYS_528MHZ_ON),
    WAIT_SET(CCM_ANALOG_PLL_SYS, PLL_LOCK),
    CLEAR_BITS(2), PAIR(CCM_ANALOG_PFD_528, PFD2_CLKGATE), PAIR(CCM_CBCDR, CBCDR_SEMC_FIELDS),
    /* SEMC clock root: PLL2 PFD2 / 3 = 132 MHz; then its clock gate */
    SET_BITS(2), PAIR(CCM_CBCDR, CBCDR_SEMC_PFD2_BY_3), PAIR(CCM_CCGR3, CCGR3_SEMC),
    WAIT_CLEAR(CCM_CDHIPR, CDHIPR_SEMC_PODF_BUSY),
    /* pins */
    WRITE(PAD_PAIRS),
    MUX_PADS_4(0u), MUX_PADS_4(4u), MUX_PADS_4(8u), MUX_PADS_4(12u), MUX_PADS_4(16u),
    MUX_PADS_4(20u), MUX_PADS_4(24u), MUX_PADS_4(28u), MUX_PADS_4(32u),
    MUX_PADS(36u), MUX_PADS(37u), MUX_PADS(38u),
    PAIR(IOMUXC_MUX_EMC(39u), EMC_SION), PAIR(IOMUXC_PAD_EMC(39u), EMC_PAD),
    /* controller: reset, then configure while disabled */
    WRITE(1), PAIR(SEMC_MCR, MCR_SWRST),
    WAIT_CLEAR(SEMC_MCR, MCR_SWRST),
    WRITE(SEMC_SETUP_PAIRS),
    PAIR(SEMC_MCR, MCR_BTO_16 | MCR_DQSMD | MCR_MDIS),
    /* IOCR 0: the A8 pad is the SDRAM's address bit 8 (not a chip select), whatever the reset value */
    PAIR(SEMC_IOCR, 0u),
    PAIR(SEMC_BMCR0, BMCR0_QUEUE_A),
    PAIR(SEMC_BMCR1, BMCR1_QUEUE_B),
    PAIR(SEMC_BR(0), BR0_SDRAM_32MB),
    /* no other device: after reset every base register is valid and would claim its window */
    PAIR(SEMC_BR(1), 0u), PAIR(SEMC_BR(2), 0u), PAIR(SEMC_BR(3), 0u), PAIR(SEMC_BR(4), 0u),
    PAIR(SEMC_BR(5), 0u), PAIR(SEMC_BR(6), 0u), PAIR(SEMC_BR(7), 0u), PAIR(SEMC_BR(8), 0u),
    PAIR(SEMC_INTEN, 0u),
    PAIR(SEMC_SDRAMCR0, SDRAMCR0_VALUE),
    PAIR(SEMC_SDRAMCR1, SDRAMCR1_VALUE),
    PAIR(SEMC_SDRAMCR2, SDRAMCR2_VALUE),
    PAIR(SEMC_SDRAMCR3, SDRAMCR3_VALUE),
    PAIR(SEMC_IPCR1, IPCR1_TWO_BYTES),
    PAIR(SEMC_IPCR2, 0u),
    PAIR(SEMC_MCR, MCR_BTO_16 | MCR_DQSMD),
    PAIR(SEMC_INTR, INTR_IPCMDDONE | INTR_IPCMDERR),
    PAIR(SEMC_IPCR0, 0x80000000u),
    /* the SDRAM power-up sequence: precharge all banks, two auto-refreshes, load the mode register */
    PAIR(SEMC_IPCMD, IPCMD_KEY | IPCMD_PRECHARGE_ALL),
    WAIT_SET(SEMC_INTR, INTR_IPCMDDONE),
    WRITE(2), PAIR(SEMC_INTR, INTR_IPCMDDONE), PAIR(SEMC_IPCMD, IPCMD_KEY | IPCMD_AUTO_REFRESH),
    WAIT_SET(SEMC_INTR, INTR_IPCMDDONE),
    WRITE(2), PAIR(SEMC_INTR, INTR_IPCMDDONE), PAIR(SEMC_IPCMD, IPCMD_KEY | IPCMD_AUTO_REFRESH),
    WAIT_SET(SEMC_INTR, INTR_IPCMDDONE),
    WRITE(3), PAIR(SEMC_INTR, INTR_IPCMDDONE), PAIR(SEMC_IPTXDAT, SDRAM_MODE),
    PAIR(SEMC_IPCMD, IPCMD_KEY | IPCMD_MODE_SET),
    WAIT_SET(SEMC_INTR, INTR_IPCMDDONE),
    /* periodic refresh on: from here the SDRAM keeps its contents */
    SET_BITS(1), PAIR(SEMC_SDRAMCR3, SDRAMCR3_REN),
};

/* C99 compile-time check: the header's length is the array's (a command added above must be counted in DCD_BYTES) */
typedef char dcd_length_must_match[(sizeof(tf_imxrt_dcd) == DCD_BYTES) ? 1 : -1];

#endif /* TF_EXTRAM_SEMC_SDRAM */
