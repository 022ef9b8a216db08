/*
 * Platform for the build machine itself: the "UART" is stdin/stdout (binary, unbuffered
 * writes), the counter is CLOCK_MONOTONIC in nanoseconds, exit is exit().
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "platform.h"
#include "board_config.h"

static uint64_t counter_origin;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void platform_init(void)
{
    counter_origin = now_ns();
}

void platform_uart_write(const uint8_t *buf, uint32_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return; /* stdout closed: nothing sensible left to do */
        }
        buf += n;
        len -= (uint32_t)n;
    }
}

void platform_uart_print(const char *s)
{
    platform_uart_write((const uint8_t *)s, (uint32_t)strlen(s));
}

int platform_uart_read(uint8_t *buf, uint32_t len, uint32_t timeout_ms)
{
    uint32_t got = 0;
    while (got < len) {
        struct pollfd pfd;
        int ready;
        ssize_t n;
        pfd.fd = STDIN_FILENO;
        pfd.events = POLLIN;
        pfd.revents = 0;
        ready = poll(&pfd, 1, timeout_ms == PLATFORM_WAIT_FOREVER ? -1 : (int)(timeout_ms > 0x7FFFFFFFu ? 0x7FFFFFFFu : timeout_ms));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            break; /* timeout or error */
        }
        n = read(STDIN_FILENO, buf + got, len - got);
        if (n <= 0) {
            break; /* end of input */
        }
        got += (uint32_t)n;
    }
    return (int)got;
}

void platform_counter_start(void)
{
    counter_origin = now_ns();
}

uint32_t platform_counter_stop(void)
{
    uint64_t ns = now_ns() - counter_origin;
    return ns > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)ns;
}

const char *platform_counter_unit(void)
{
    return "ns";
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
    exit(status);
}

/* The host's stack belongs to the operating system: not measured. */
void platform_stack_paint(void) {}

uint32_t platform_stack_used(void) { return 0u; }
