/*
 * imxrt1060-evk (i.MX RT1062, Cortex-M7): vector table (placed at flash offset 0x2000, after the boot
 * headers) and early init. Reset, .data/.bss setup, CPACR and fault reporting are shared:
 * firmware/platform/cortexm/startup_common.c; the boot ROM structures are in
 * firmware/platform/imxrt/flexspi_nor_boot.c.
 */
#include <stdint.h>
#include "cortexm/cortexm.h"
#include "imxrt/imxrt.h"

#define EXTERNAL_IRQS 160

__attribute__((section(".vectors"), used))
const uintptr_t tf_vectors[16 + EXTERNAL_IRQS] = {
    TF_CORTEXM_SYSTEM_VECTORS,
    [16 ... 16 + EXTERNAL_IRQS - 1] = (uintptr_t)Default_Handler,
};

void board_early_init(void)
{
    imxrt_early_init();
}
