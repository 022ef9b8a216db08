/*
 * Platform for i.MX RT1060/1062 boards (MIMXRT1060-EVK, Teensy 4.1), code executing in place
 * from FlexSPI NOR. UART: the board's console LPUART (TF_BOARD_UART_BASE) on the 24 MHz
 * oscillator clock. Counter: DWT CYCCNT (core cycles). Exit: flush the UART and loop.
 * Start-up sets the core to 600 MHz from the ARM PLL (VDD_SOC raised first), as NXP's own clock
 * set-up for the RT1060 does, so cycle counts and milliseconds are those of the chip at full speed;
 * platform_core_clock_hz() measures the clock that really runs.
 */
#include <stdint.h>
#include "platform.h"
#include "board_config.h"
#include "imxrt/imxrt.h"

#if !defined(TF_BOARD_UART_BASE) || !defined(TF_BOARD_UART_BAUD)
#error "TF_BOARD_UART_BASE / TF_BOARD_UART_BAUD not defined (board.json uart)"
#endif

/* LPUART registers */
#define LPUART_GLOBAL (TF_BOARD_UART_BASE + 0x08u)
#define LPUART_BAUD   (TF_BOARD_UART_BASE + 0x10u)
#define LPUART_STAT   (TF_BOARD_UART_BASE + 0x14u)
#define LPUART_CTRL   (TF_BOARD_UART_BASE + 0x18u)
#define LPUART_DATA   (TF_BOARD_UART_BASE + 0x1Cu)
#define GLOBAL_RST    (1u << 1)
#define BAUD_BOTHEDGE (1u << 17)
#define STAT_TDRE     (1u << 23)
#define STAT_TC       (1u << 22)
#define STAT_RDRF     (1u << 21)
#define STAT_ERRORS   ((1u << 19) | (1u << 18) | (1u << 17) | (1u << 16)) /* OR NF FE PF, write 1 to clear */
#define CTRL_TE       (1u << 19)
#define CTRL_RE       (1u << 18)
#define UART_CLOCK_HZ 24000000u

/* watchdogs */
#define WDOG1_WCR     0x400B8000u
#define WDOG2_WCR     0x400D0000u
#define WCR_WDE       (1u << 2)
#define RTWDOG_CS     0x400BC000u
#define RTWDOG_CNT    0x400BC004u
#define RTWDOG_TOVAL  0x400BC008u
#define RTWDOG_CS_EN      (1u << 7)
#define RTWDOG_CS_UPDATE  (1u << 5)
#define RTWDOG_CS_CMD32EN (1u << 13)

/* Cortex-M7 cache maintenance */
#define SCB_CCSIDR  0xE000ED80u
#define SCB_CSSELR  0xE000ED84u
#define SCB_ICIALLU 0xE000EF50u
#define SCB_DCISW   0xE000EF60u
#define CCR_DC      (1u << 16)
#define CCR_IC      (1u << 17)

#define CYCLES_PER_MS ((uint32_t)((TF_BOARD_CLOCK_HZ) / 1000u))

/* 600 MHz = 24 MHz oscillator * 100 / 2 (ARM PLL at 1200 MHz) / 2 (ARM_PODF); AHB = core, IPG = core / 4 */
#define ARM_PLL_DIV_SELECT 100u
#define ARM_PODF_DIVIDE_BY_2 1u
#define IPG_PODF_DIVIDE_BY_4 3u
#define VDD_SOC_TRG_1275_MV 19u /* (1275 - 800) / 25: what NXP's set-up uses for 600 MHz */

#define PLL_ARM_DIV_SELECT_MASK 0x7Fu
#define PLL_ARM_POWERDOWN (1u << 12)
#define PLL_ARM_ENABLE    (1u << 13)
#define PLL_ARM_BYPASS    (1u << 16)
#define PLL_ARM_LOCK      (1u << 31)
#define CBCDR_PERIPH_CLK_SEL   (1u << 25)
#define CBCDR_PERIPH_CLK2_PODF (7u << 27)
#define CBCDR_AHB_PODF         (7u << 10)
#define CBCDR_IPG_PODF         (3u << 8)
#define CBCMR_PRE_PERIPH_SEL   (3u << 18)
#define CBCMR_PRE_PERIPH_ARM   (3u << 18) /* pre_periph_clk = ARM PLL divided by ARM_PODF */
#define CBCMR_PERIPH_CLK2_SEL  (3u << 12)
#define CBCMR_PERIPH_CLK2_OSC  (1u << 12)
#define CDHIPR_AHB_PODF_BUSY     (1u << 1)
#define CDHIPR_PERIPH2_SEL_BUSY  (1u << 3)
#define CDHIPR_PERIPH_SEL_BUSY   (1u << 5)
#define CDHIPR_ARM_PODF_BUSY     (1u << 16)
#define DCDC_STS_DC_OK (1u << 31)
#define DCDC_TRG_MASK  0x1Fu

/* SysTick's external reference on the RT1060 is 100 kHz (the 24 MHz oscillator / 240) */
#define SYSTICK_EXT_HZ 100000u
#define SYST_CSR_ENABLE 1u

static int uart_ready;
static uint32_t counter_origin;

static void watchdogs_off(void)
{
    if (TF_REG16(WDOG1_WCR) & WCR_WDE) {
        TF_REG16(WDOG1_WCR) = (uint16_t)(TF_REG16(WDOG1_WCR) & ~WCR_WDE);
    }
    if (TF_REG16(WDOG2_WCR) & WCR_WDE) {
        TF_REG16(WDOG2_WCR) = (uint16_t)(TF_REG16(WDOG2_WCR) & ~WCR_WDE);
    }
    if (TF_REG32(RTWDOG_CS) & RTWDOG_CS_EN) {
        /* unlock, then reconfigure within the unlock window */
        if (TF_REG32(RTWDOG_CS) & RTWDOG_CS_CMD32EN) {
            TF_REG32(RTWDOG_CNT) = 0xD928C520u;
        } else {
            TF_REG16(RTWDOG_CNT) = 0xC520u;
            TF_REG16(RTWDOG_CNT) = 0xD928u;
        }
        TF_REG32(RTWDOG_TOVAL) = 0xFFFFu;
        TF_REG32(RTWDOG_CS) = (TF_REG32(RTWDOG_CS) & ~RTWDOG_CS_EN) | RTWDOG_CS_UPDATE;
    }
}

static uint32_t log2_ceil(uint32_t v)
{
    uint32_t n = 0;
    while ((1u << n) < v) {
        n++;
    }
    return n;
}

/* Code and weights execute/read in place from QSPI flash: without caches every access is a bus
 * transaction, so they go on before anything is measured. Skipped if the ROM already enabled them. */
static void caches_on(void)
{
    uint32_t ccsidr, sets, ways, set, way, set_shift, way_shift;
    if (!(TF_REG32(TF_SCB_CCR) & CCR_IC)) {
        tf_dsb_isb();
        TF_REG32(SCB_ICIALLU) = 0u;
        tf_dsb_isb();
        TF_REG32(TF_SCB_CCR) |= CCR_IC;
        tf_dsb_isb();
    }
    if (!(TF_REG32(TF_SCB_CCR) & CCR_DC)) {
        TF_REG32(SCB_CSSELR) = 0u; /* level 1 data cache */
        tf_dsb_isb();
        ccsidr = TF_REG32(SCB_CCSIDR);
        sets = ((ccsidr >> 13) & 0x7FFFu) + 1u;
        ways = ((ccsidr >> 3) & 0x3FFu) + 1u;
        set_shift = (ccsidr & 0x7u) + 4u; /* log2(line bytes) */
        way_shift = 32u - log2_ceil(ways);
        for (set = 0; set < sets; set++) {
            for (way = 0; way < ways; way++) {
                TF_REG32(SCB_DCISW) = (set << set_shift) | (ways > 1u ? way << way_shift : 0u);
            }
        }
        tf_dsb_isb();
        TF_REG32(TF_SCB_CCR) |= CCR_DC;
        tf_dsb_isb();
    }
}

static void wait_ccm_idle(uint32_t busy)
{
    while (TF_REG32(IMXRT_CCM_CDHIPR) & busy) {
    }
}

/* The ARM PLL feeds the core; it is reprogrammed while the core runs from the 24 MHz oscillator
 * (periph_clk2), and VDD_SOC goes up before the clock does. */
static void core_clock_600mhz(void)
{
    imxrt_clock_gate_on(IMXRT_CCM_CCGR6, 3u);
    if ((TF_REG32(IMXRT_DCDC_REG3) & DCDC_TRG_MASK) < VDD_SOC_TRG_1275_MV) {
        TF_REG32(IMXRT_DCDC_REG3) = (TF_REG32(IMXRT_DCDC_REG3) & ~DCDC_TRG_MASK) | VDD_SOC_TRG_1275_MV;
        while (!(TF_REG32(IMXRT_DCDC_REG0) & DCDC_STS_DC_OK)) {
        }
    }
    /* core on the oscillator while the PLL changes */
    TF_REG32(IMXRT_CCM_CBCDR) &= ~CBCDR_PERIPH_CLK2_PODF;
    TF_REG32(IMXRT_CCM_CBCMR) = (TF_REG32(IMXRT_CCM_CBCMR) & ~CBCMR_PERIPH_CLK2_SEL) | CBCMR_PERIPH_CLK2_OSC;
    wait_ccm_idle(CDHIPR_PERIPH2_SEL_BUSY);
    TF_REG32(IMXRT_CCM_CBCDR) |= CBCDR_PERIPH_CLK_SEL;
    wait_ccm_idle(CDHIPR_PERIPH_SEL_BUSY);

    TF_REG32(IMXRT_CCM_ANALOG_PLL_ARM) = PLL_ARM_POWERDOWN;
    TF_REG32(IMXRT_CCM_ANALOG_PLL_ARM) = PLL_ARM_ENABLE | (ARM_PLL_DIV_SELECT & PLL_ARM_DIV_SELECT_MASK);
    while (!(TF_REG32(IMXRT_CCM_ANALOG_PLL_ARM) & PLL_ARM_LOCK)) {
    }

    TF_REG32(IMXRT_CCM_CACRR) = ARM_PODF_DIVIDE_BY_2;
    wait_ccm_idle(CDHIPR_ARM_PODF_BUSY);
    TF_REG32(IMXRT_CCM_CBCDR) &= ~CBCDR_AHB_PODF;
    wait_ccm_idle(CDHIPR_AHB_PODF_BUSY);
    TF_REG32(IMXRT_CCM_CBCDR) = (TF_REG32(IMXRT_CCM_CBCDR) & ~CBCDR_IPG_PODF) | (IPG_PODF_DIVIDE_BY_4 << 8);
    TF_REG32(IMXRT_CCM_CBCMR) = (TF_REG32(IMXRT_CCM_CBCMR) & ~CBCMR_PRE_PERIPH_SEL) | CBCMR_PRE_PERIPH_ARM;
    wait_ccm_idle(CDHIPR_PERIPH_SEL_BUSY);
    /* core back on pre_periph_clk = ARM PLL / 2 */
    TF_REG32(IMXRT_CCM_CBCDR) &= ~CBCDR_PERIPH_CLK_SEL;
    wait_ccm_idle(CDHIPR_PERIPH_SEL_BUSY);
}

#if defined(TF_EXTRAM_FLEXSPI2_PSRAM)
static void uart_init(void);
#endif

#if defined(TF_EXTRAM_SEMC_SDRAM)
/* MPU (ARMv7-M): region number, base, attributes and size, control */
#define MPU_RNR  0xE000ED98u
#define MPU_RBAR 0xE000ED9Cu
#define MPU_RASR 0xE000EDA0u
#define MPU_CTRL 0xE000ED94u
#define MPU_CTRL_ENABLE_WITH_DEFAULT_MAP ((1u << 2) | 1u) /* PRIVDEFENA: the rest keeps the default map */
#define RASR_FULL_ACCESS (3u << 24)
#define RASR_WRITE_BACK_ALLOCATE ((1u << 19) | (1u << 17) | (1u << 16)) /* TEX 1, C, B: normal, WBWA */
#define RASR_SIZE_32MIB  (24u << 1)                       /* 2^(24 + 1) bytes */
#define RASR_ENABLE      1u
#define SDRAM_BASE       0x80000000u

/* The SDRAM (set up by the boot ROM from the DCD, semc_sdram_dcd.c) lies in the default memory map's write-through
   range, where every store of an activation would wait for the 16-bit bus: make it write-back, write-allocate. */
static void sdram_write_back(void)
{
    tf_dsb_isb();
    TF_REG32(MPU_RNR) = 0u;
    TF_REG32(MPU_RBAR) = SDRAM_BASE;
    TF_REG32(MPU_RASR) = RASR_FULL_ACCESS | RASR_WRITE_BACK_ALLOCATE | RASR_SIZE_32MIB | RASR_ENABLE;
    TF_REG32(MPU_CTRL) = MPU_CTRL_ENABLE_WITH_DEFAULT_MAP;
    tf_dsb_isb();
}
#endif

void imxrt_early_init(void)
{
    watchdogs_off();
    core_clock_600mhz();
    caches_on();
#if defined(TF_EXTRAM_SEMC_SDRAM)
    sdram_write_back();
#endif
#if defined(TF_EXTRAM_FLEXSPI2_PSRAM)
    /* The plan put buffers in the PSRAM: it must answer before the reset code zeroes the arena part there. */
    if (!imxrt_psram_init()) {
        uart_init(); /* .bss is not set up yet: bring the console up explicitly */
        platform_uart_print("\r\n*** FAULT external RAM: no PSRAM chip answers on FlexSPI2 (Teensy 4.1: solder an "
                            "APS6404L-class 8 MiB PSRAM on the pads under the board, or build without "
                            "--input-memory psram / --region-limit psram)\r\n");
        platform_exit(PLATFORM_EXIT_FAULT);
    }
#endif
}

static void uart_init(void)
{
    uint32_t osr, best_osr = 16u, best_sbr = 1u, best_err = 0xFFFFFFFFu;
    /* UART clock root: 24 MHz oscillator, divider 1 (does not depend on the ROM's PLL setup) */
    TF_REG32(IMXRT_CCM_CSCDR1) = (TF_REG32(IMXRT_CCM_CSCDR1) & ~0x7Fu) | (1u << 6);
    imxrt_board_uart_pins();
    TF_REG32(LPUART_GLOBAL) = GLOBAL_RST;
    TF_REG32(LPUART_GLOBAL) = 0u;
    for (osr = 4u; osr <= 32u; osr++) {
        uint32_t sbr = (UART_CLOCK_HZ + (TF_BOARD_UART_BAUD) * osr / 2u) / ((TF_BOARD_UART_BAUD) * osr);
        uint32_t actual, err;
        if (sbr == 0u || sbr > 0x1FFFu) {
            continue;
        }
        actual = UART_CLOCK_HZ / (osr * sbr);
        err = actual > (TF_BOARD_UART_BAUD) ? actual - (TF_BOARD_UART_BAUD) : (TF_BOARD_UART_BAUD) - actual;
        if (err < best_err) {
            best_err = err;
            best_osr = osr;
            best_sbr = sbr;
        }
    }
    TF_REG32(LPUART_BAUD) = ((best_osr - 1u) << 24) | best_sbr | (best_osr < 8u ? BAUD_BOTHEDGE : 0u);
    TF_REG32(LPUART_CTRL) = CTRL_TE | CTRL_RE;
    uart_ready = 1;
}

static void dwt_init(void)
{
    TF_REG32(TF_DEMCR) |= 1u << 24; /* TRCENA */
    TF_REG32(TF_DWT_LAR) = 0xC5ACCE55u; /* the M7 DWT is locked after reset */
    TF_REG32(TF_DWT_CYCCNT) = 0u;
    TF_REG32(TF_DWT_CTRL) |= 1u; /* CYCCNTENA */
}

void platform_init(void)
{
    if (!uart_ready) {
        uart_init();
    }
    dwt_init();
    counter_origin = TF_REG32(TF_DWT_CYCCNT);
}

void platform_uart_write(const uint8_t *buf, uint32_t len)
{
    uint32_t i;
    if (!uart_ready) {
        uart_init();
    }
    for (i = 0; i < len; i++) {
        while (!(TF_REG32(LPUART_STAT) & STAT_TDRE)) {
        }
        TF_REG32(LPUART_DATA) = buf[i];
    }
}

PLATFORM_OWN_LOOPS void platform_uart_print(const char *s)
{
    uint32_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    platform_uart_write((const uint8_t *)s, n);
}

int platform_uart_read(uint8_t *buf, uint32_t len, uint32_t timeout_ms)
{
    uint32_t got = 0;
    if (!uart_ready) {
        uart_init();
    }
    while (got < len) {
        uint64_t waited = 0, limit = (uint64_t)timeout_ms * CYCLES_PER_MS;
        uint32_t last = TF_REG32(TF_DWT_CYCCNT);
        for (;;) {
            uint32_t stat = TF_REG32(LPUART_STAT);
            if (stat & STAT_ERRORS) {
                TF_REG32(LPUART_STAT) = stat & STAT_ERRORS; /* an overrun blocks reception until cleared */
            }
            if (stat & STAT_RDRF) {
                break;
            }
            if (timeout_ms != PLATFORM_WAIT_FOREVER) {
                uint32_t now = TF_REG32(TF_DWT_CYCCNT);
                waited += now - last; /* per-step difference: immune to the 32-bit wrap */
                last = now;
                if (waited > limit) {
                    return (int)got;
                }
            }
        }
        buf[got++] = (uint8_t)TF_REG32(LPUART_DATA);
    }
    return (int)got;
}

void platform_counter_start(void)
{
    counter_origin = TF_REG32(TF_DWT_CYCCNT);
}

uint32_t platform_counter_stop(void)
{
    return TF_REG32(TF_DWT_CYCCNT) - counter_origin;
}

const char *platform_counter_unit(void)
{
    return "cycles";
}

/* Core cycles (DWT) during 1,000 periods of SysTick's 100 kHz reference: the clock that really runs. */
uint32_t platform_core_clock_hz(void)
{
    uint32_t first, start, cycles;
    const uint32_t periods = 1000u;
    TF_REG32(TF_SYST_CSR) = 0u;
    TF_REG32(TF_SYST_RVR) = 0x00FFFFFFu;
    TF_REG32(TF_SYST_CVR) = 0u;
    TF_REG32(TF_SYST_CSR) = SYST_CSR_ENABLE; /* CLKSOURCE 0: the external reference */
    first = TF_REG32(TF_SYST_CVR);
    while (TF_REG32(TF_SYST_CVR) == first) {
    }
    first = TF_REG32(TF_SYST_CVR);
    start = TF_REG32(TF_DWT_CYCCNT);
    while (((first - TF_REG32(TF_SYST_CVR)) & 0x00FFFFFFu) < periods) {
    }
    cycles = TF_REG32(TF_DWT_CYCCNT) - start;
    TF_REG32(TF_SYST_CSR) = 0u;
    return cycles * (SYSTICK_EXT_HZ / periods);
}

const char *platform_board_name(void)
{
    return TF_BOARD_NAME;
}

void platform_exit(int status)
{
    (void)status;
    if (uart_ready) {
        while (!(TF_REG32(LPUART_STAT) & STAT_TC)) {
        }
    }
    for (;;) {
        __asm__ volatile("wfi");
    }
}
