/*
 * Memory placement self-test: weights (const, .rodata.tf_weights, from a generated assembler
 * file holding the bytes 1,2,3,4 repeated) must be readable where the linker put them, and the
 * arena (.bss.tf_arena) must start zeroed and be writable. Exit status: 0 ok, 1 weights wrong,
 * 2 arena not zeroed, 3 arena write/read failed. Tests also inspect where the sections landed.
 */
#include <stdint.h>
#include "platform.h"

#ifndef TEST_ARENA_BYTES
#define TEST_ARENA_BYTES 4096
#endif

extern const uint8_t test_weights[];
extern const uint8_t test_weights_end[];

static uint8_t arena[TEST_ARENA_BYTES] __attribute__((section(".bss.tf_arena"), aligned(TF_BOARD_ALIGNMENT)));

int main(void)
{
    uint32_t n = (uint32_t)(test_weights_end - test_weights);
    uint32_t sum = 0, i;
    platform_init();
    for (i = 0; i < n; i++) {
        sum += test_weights[i];
    }
    if (n == 0u || sum != (n / 4u) * 10u) {
        platform_uart_print("PLACEMENT weights wrong\n");
        return 1;
    }
    for (i = 0; i < TEST_ARENA_BYTES; i++) {
        if (arena[i] != 0u) {
            platform_uart_print("PLACEMENT arena not zeroed\n");
            return 2;
        }
    }
    for (i = 0; i < TEST_ARENA_BYTES; i++) {
        arena[i] = test_weights[i % n];
    }
    for (i = 0; i < TEST_ARENA_BYTES; i++) {
        if (arena[i] != (uint8_t)(i % 4u + 1u)) {
            platform_uart_print("PLACEMENT arena wrong\n");
            return 3;
        }
    }
    platform_uart_print("PLACEMENT ok\n");
    return 0;
}
