/*
 * Platform for the QEMU Arm MPS2/MPS3 machines (mps2-an500, mps2-an386, mps3-an547).
 * UART: CMSDK APB UART0. Counter: SysTick on the processor clock; under
 * -icount shift=0,sleep=off one tick is a fixed number of instructions
 * (TF_BOARD_TICK_INSN_NUM / TF_BOARD_TICK_INSN_DEN, from board.json instructions_per_tick).
 * Exit: semihosting SYS_EXIT_EXTENDED.
 */
#include <stdint.h>
#include "platform.h"
#include "board_config.h"
#include "cortexm/cortexm.h"
#include "cortexm/semihost.h"

#if !defined(TF_BOARD_UART_BASE) || !defined(TF_BOARD_TICK_INSN_NUM) || !defined(TF_BOARD_TICK_INSN_DEN)
#error "TF_BOARD_UART_BASE / TF_BOARD_TICK_INSN_NUM / TF_BOARD_TICK_INSN_DEN not defined (board.json)"
#endif

/* CMSDK UART registers */
#define UART_DATA    (TF_BOARD_UART_BASE + 0x00u)
#define UART_STATE   (TF_BOARD_UART_BASE + 0x04u)
#define UART_CTRL    (TF_BOARD_UART_BASE + 0x08u)
#define UART_BAUDDIV (TF_BOARD_UART_BASE + 0x10u)
#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define CTRL_TX_EN    0x1u
#define CTRL_RX_EN    0x2u

#define SYSTICK_RELOAD 0x00FFFFFFu     /* full 24 bits: period 2^24 ticks */
#define ICSR_PENDSTSET (1u << 26)
#define ICSR_PENDSTCLR (1u << 25)
#define TICKS_PER_MS   ((uint64_t)(TF_BOARD_CLOCK_HZ) / 1000u)

#ifndef TF_QEMU_EXIT_LINGER_MS
#define TF_QEMU_EXIT_LINGER_MS 20u /* see platform_exit */
#endif

static volatile uint32_t systick_wraps; /* wraps since the last restart, bumped by the IRQ */
static uint64_t ticks_before_restart;   /* ticks counted before the last restart */
static int uart_ready;

void SysTick_Handler(void)
{
    systick_wraps++;
}

static void uart_init(void)
{
    /* BAUDDIV >= 16 and TX enabled before the first DATA write, else TX-full sticks */
    TF_REG32(UART_BAUDDIV) = 16u;
    TF_REG32(UART_CTRL) = CTRL_TX_EN | CTRL_RX_EN;
    uart_ready = 1;
}

/*
 * Restart SysTick from zero. Writing CVR also re-anchors the tick phase to this instruction
 * (QEMU's timer restarts its period at the write), so a measured region that starts here
 * always ends in the same tick: counts repeat exactly, whatever ran before (e.g. UART polling
 * whose length depends on when the host sent bytes).
 * After the write the counter reads 0 for one tick, then RELOAD, RELOAD-1, ..., 0 (wrap IRQ).
 */
static void systick_restart(void)
{
    TF_REG32(TF_SYST_CSR) = 0u;
    TF_REG32(TF_SYST_RVR) = SYSTICK_RELOAD;
    systick_wraps = 0u;
    TF_REG32(TF_SCB_ICSR) = ICSR_PENDSTCLR;
    TF_REG32(TF_SYST_CVR) = 0u;
    TF_REG32(TF_SYST_CSR) = 0x7u; /* enable, interrupt on wrap, processor clock */
}

/* ticks since the last restart: exact across wraps, even when the wrap IRQ is pending but not taken */
static uint64_t ticks_since_restart(void)
{
    uint32_t wraps, value, pending;
    do {
        wraps = systick_wraps;
        value = TF_REG32(TF_SYST_CVR);
        pending = TF_REG32(TF_SCB_ICSR) & ICSR_PENDSTSET;
    } while (wraps != systick_wraps);
    if (pending && (value == 0u || value > SYSTICK_RELOAD / 2u)) {
        wraps++; /* the counter reached 0 before we read it; the IRQ has not run yet */
    }
    return (uint64_t)wraps * (SYSTICK_RELOAD + 1u) + (value == 0u ? 0u : SYSTICK_RELOAD + 1u - value);
}

/* monotonic ticks since platform_init (UART timeouts) */
static uint64_t ticks_now(void)
{
    return ticks_before_restart + ticks_since_restart();
}

void platform_init(void)
{
    if (!uart_ready) {
        uart_init();
    }
    ticks_before_restart = 0u;
    systick_restart();
}

void platform_uart_write(const uint8_t *buf, uint32_t len)
{
    uint32_t i;
    if (!uart_ready) {
        uart_init(); /* fault handlers may print before platform_init */
    }
    for (i = 0; i < len; i++) {
        while (TF_REG32(UART_STATE) & STATE_TX_FULL) {
        }
        TF_REG32(UART_DATA) = buf[i];
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
    uint64_t limit = (uint64_t)timeout_ms * TICKS_PER_MS;
    if (!uart_ready) {
        uart_init();
    }
    if (!(TF_REG32(TF_SYST_CSR) & 1u)) {
        systick_restart(); /* called before platform_init: timeouts need the tick */
    }
    while (got < len) {
        uint64_t start = ticks_now();
        while (!(TF_REG32(UART_STATE) & STATE_RX_FULL)) {
            if (timeout_ms != PLATFORM_WAIT_FOREVER && ticks_now() - start > limit) {
                return (int)got;
            }
        }
        buf[got++] = (uint8_t)TF_REG32(UART_DATA);
    }
    return (int)got;
}

void platform_counter_start(void)
{
    ticks_before_restart += ticks_since_restart();
    systick_restart();
}

uint32_t platform_counter_stop(void)
{
    uint64_t ticks = ticks_since_restart();
    uint64_t insns = ticks * (uint64_t)(TF_BOARD_TICK_INSN_NUM) / (uint64_t)(TF_BOARD_TICK_INSN_DEN);
    return insns > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)insns;
}

const char *platform_counter_unit(void)
{
    return "instructions";
}

/* No clock to measure: counts here are instructions (QEMU) or nanoseconds (host), not cycles. */
uint32_t platform_core_clock_hz(void)
{
    return 0u;
}

const char *platform_board_name(void)
{
    return TF_BOARD_NAME;
}

void platform_exit(int status)
{
    /*
     * When QEMU exits it closes the pty, and Linux discards what the host has not read yet.
     * Linger a little (virtual time; roughly as long in real time) so that the host reader can
     * drain the last line. Protocols that must not lose it should still wait for an acknowledgement.
     */
    if (uart_ready && (TF_REG32(TF_SYST_CSR) & 1u)) { /* SysTick runs only after platform_init */
        uint64_t start = ticks_now();
        while (ticks_now() - start < (uint64_t)TF_QEMU_EXIT_LINGER_MS * TICKS_PER_MS) {
        }
    }
    tf_semihost_exit(status);
}
