/*
 * qemu-mps2-an386 (Cortex-M4 under QEMU): vector table. Reset, .data/.bss setup, CPACR and fault
 * reporting are shared: firmware/platform/cortexm/startup_common.c.
 */
#include <stdint.h>
#include "cortexm/cortexm.h"

#define EXTERNAL_IRQS 96

__attribute__((section(".vectors"), used))
const uintptr_t tf_vectors[16 + EXTERNAL_IRQS] = {
    TF_CORTEXM_SYSTEM_VECTORS,
    [16 ... 16 + EXTERNAL_IRQS - 1] = (uintptr_t)Default_Handler,
};
