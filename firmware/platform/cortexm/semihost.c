#include <stdint.h>
#include "cortexm/semihost.h"

#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void tf_semihost_exit(int status)
{
    /* parameter block: reason code, exit status */
    volatile uint32_t block[2];
    block[0] = ADP_STOPPED_APPLICATION_EXIT;
    block[1] = (uint32_t)status;
    register uint32_t r0 __asm__("r0") = SYS_EXIT_EXTENDED;
    register volatile uint32_t *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    for (;;) {
        /* only reached if the debugger/emulator ignored the request */
        __asm__ volatile("wfi");
    }
}
