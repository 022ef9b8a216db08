/*
 * Platform self-test firmware, driven by io.tinyforge.board tests over the console UART.
 *   host sends '?' until the app answers  "HELLO <board> <counter unit>\n"
 *   'E' <len> <len bytes>   ->  "ECHO " <the same bytes> "\n"
 *   'C' <n: u32 little-endian> -> runs a loop of exactly 2n instructions between
 *                                 counter start/stop, answers "COUNT <value> <unit>\n"
 *   'M'                     ->  float/double (and MVE where present) arithmetic:
 *                               "MATH 637 112 <mve|scalar>\n"; faults (NOCP) if CPACR was not set up
 *   'F'                     ->  executes an undefined instruction (fault handler test)
 *   'X' <status>            ->  "BYE\n", waits for one acknowledgement byte, then platform_exit(status)
 * A pty drops what the target sends while no reader is attached, hence the ping; and QEMU's exit
 * closes the pty, discarding unread bytes, hence the acknowledgement before exiting.
 */
#include <stdint.h>
#include "platform.h"
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define ECHO_APP_MVE 1
#endif

#define PING_TRIES 2000u
#define PING_WAIT_MS 50u
#define COMMAND_WAIT_MS 120000u
#define PAYLOAD_WAIT_MS 5000u

static void print_u32(uint32_t v)
{
    char digits[11];
    int i = 10;
    digits[10] = '\0';
    do {
        digits[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    platform_uart_print(&digits[i]);
}

/* exactly 2n instructions on Arm (subs + bne per iteration); n >= 1 */
static void known_loop(uint32_t n)
{
#if defined(__arm__)
    __asm__ volatile("1: subs %0, %0, #1\n\t"
                     "bne 1b"
                     : "+r"(n)
                     :
                     : "cc");
#else
    volatile uint32_t i = n;
    while (i != 0u) {
        i--;
    }
#endif
}

static int read_byte(uint8_t *b, uint32_t timeout_ms)
{
    return platform_uart_read(b, 1u, timeout_ms) == 1;
}

static void wait_for_ping(void)
{
    uint32_t tries;
    uint8_t b;
    for (tries = 0; tries < PING_TRIES; tries++) {
        if (read_byte(&b, PING_WAIT_MS) && b == '?') {
            platform_uart_print("HELLO ");
            platform_uart_print(platform_board_name());
            platform_uart_print(" ");
            platform_uart_print(platform_counter_unit());
            platform_uart_print("\n");
            return;
        }
    }
    platform_exit(3); /* nobody talked to us */
}

static void echo(void)
{
    uint8_t len, buf[255];
    if (!read_byte(&len, PAYLOAD_WAIT_MS) || platform_uart_read(buf, len, PAYLOAD_WAIT_MS) != (int)len) {
        platform_uart_print("ERR echo\n");
        return;
    }
    platform_uart_print("ECHO ");
    platform_uart_write(buf, len);
    platform_uart_print("\n");
}

static void count(void)
{
    uint8_t le[4];
    uint32_t n, value;
    if (platform_uart_read(le, 4u, PAYLOAD_WAIT_MS) != 4) {
        platform_uart_print("ERR count\n");
        return;
    }
    n = (uint32_t)le[0] | ((uint32_t)le[1] << 8) | ((uint32_t)le[2] << 16) | ((uint32_t)le[3] << 24);
    if (n == 0u) {
        n = 1u;
    }
    platform_counter_start();
    known_loop(n);
    value = platform_counter_stop();
    platform_uart_print("COUNT ");
    print_u32(value);
    platform_uart_print(" ");
    platform_uart_print(platform_counter_unit());
    platform_uart_print("\n");
}

static void math(void)
{
    volatile float a = 1.5f, b = 2.25f;
    volatile double c = 3.0;
    int32_t scalar = (int32_t)((a * b + (float)c) * 100.0f); /* (3.375 + 3) * 100 -> 637 */
    int32_t vector;
#ifdef ECHO_APP_MVE
    volatile int8_t three = 3, four = 4;
    vector = vaddvq_s8(vaddq_s8(vdupq_n_s8(three), vdupq_n_s8(four))); /* 16 lanes of 7 */
#else
    vector = 16 * 7;
#endif
    platform_uart_print("MATH ");
    print_u32((uint32_t)scalar);
    platform_uart_print(" ");
    print_u32((uint32_t)vector);
#ifdef ECHO_APP_MVE
    platform_uart_print(" mve\n");
#else
    platform_uart_print(" scalar\n");
#endif
}

static void fault(void)
{
#if defined(__arm__)
    __asm__ volatile("udf #0");
#endif
    platform_uart_print("NOFAULT\n");
}

int main(void)
{
    uint8_t cmd, status;
    platform_init();
    wait_for_ping();
    for (;;) {
        if (!read_byte(&cmd, COMMAND_WAIT_MS)) {
            platform_exit(4); /* host went away */
        }
        switch (cmd) {
        case '?':
            break; /* late pings */
        case 'E':
            echo();
            break;
        case 'C':
            count();
            break;
        case 'M':
            math();
            break;
        case 'F':
            fault();
            break;
        case 'X':
            if (!read_byte(&status, PAYLOAD_WAIT_MS)) {
                status = 5;
            }
            platform_uart_print("BYE\n");
            (void)read_byte(&cmd, PAYLOAD_WAIT_MS); /* the host has read BYE */
            platform_exit(status);
        default:
            platform_uart_print("ERR command\n");
            break;
        }
    }
}
