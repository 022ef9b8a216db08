/*
 * Shared Cortex-M startup pieces (all Arm boards): reset handler, fault handlers, and the
 * symbols every board linker script must define (boards/README.md lists them).
 * Each board's startup.c only defines its vector table (board-sized IRQ count) and, if needed,
 * board_early_init().
 */
#ifndef TF_CORTEXM_H
#define TF_CORTEXM_H

#include <stdint.h>

/* linker-script symbols (addresses only; never read as variables) */
extern uint32_t _estack;             /* initial stack pointer (top of the .stack reserve) */
extern uint32_t __stack_bottom;      /* lowest address of the .stack reserve */
extern uint32_t __data_start, __data_end, __data_load;
extern uint32_t __bss_start, __bss_end;
extern uint32_t __tf_arena_start, __tf_arena_end;
/* only linker scripts with a fast arena memory (i.MX RT: DTCM) define these; weak, so elsewhere both are 0 */
extern uint32_t __tf_arena_fast_start __attribute__((weak)), __tf_arena_fast_end __attribute__((weak));
/* the arena's part in a third memory (QEMU MPS2: PSRAM; i.MX RT: FlexRAM OCRAM); weak like the fast arena */
extern uint32_t __tf_arena_more_start __attribute__((weak)), __tf_arena_more_end __attribute__((weak));
extern uint32_t __heap_start, __heap_end;
extern uint32_t __vector_table;

/* exception handlers (weak aliases of a reporting default, see startup_common.c) */
void Reset_Handler(void);
void NMI_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);
void SecureFault_Handler(void);
void SVC_Handler(void);
void DebugMon_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);
void Default_Handler(void);

/* Called by the reset handler before .data/.bss exist: must not touch globals. Weak, empty. */
void board_early_init(void);

/* The 16 architectural entries of a vector table, as uintptr_t initialisers. */
#define TF_CORTEXM_SYSTEM_VECTORS                \
    (uintptr_t)&_estack,                          \
    (uintptr_t)Reset_Handler,                     \
    (uintptr_t)NMI_Handler,                       \
    (uintptr_t)HardFault_Handler,                 \
    (uintptr_t)MemManage_Handler,                 \
    (uintptr_t)BusFault_Handler,                  \
    (uintptr_t)UsageFault_Handler,                \
    (uintptr_t)SecureFault_Handler,               \
    0u, 0u, 0u,                                   \
    (uintptr_t)SVC_Handler,                       \
    (uintptr_t)DebugMon_Handler,                  \
    0u,                                           \
    (uintptr_t)PendSV_Handler,                    \
    (uintptr_t)SysTick_Handler

/* memory-mapped register access */
#define TF_REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define TF_REG16(addr) (*(volatile uint16_t *)(uintptr_t)(addr))

/* System Control Block / core debug registers used by the platforms */
#define TF_SCB_ICSR   0xE000ED04u
#define TF_SCB_VTOR   0xE000ED08u
#define TF_SCB_CCR    0xE000ED14u
#define TF_SCB_CFSR   0xE000ED28u
#define TF_SCB_HFSR   0xE000ED2Cu
#define TF_SCB_MMFAR  0xE000ED34u
#define TF_SCB_BFAR   0xE000ED38u
#define TF_SCB_CPACR  0xE000ED88u
#define TF_SYST_CSR   0xE000E010u
#define TF_SYST_RVR   0xE000E014u
#define TF_SYST_CVR   0xE000E018u
#define TF_DEMCR      0xE000EDFCu
#define TF_DWT_CTRL   0xE0001000u
#define TF_DWT_CYCCNT 0xE0001004u
#define TF_DWT_LAR    0xE0001FB0u

static inline void tf_dsb_isb(void)
{
    __asm__ volatile("dsb 0xF\n\tisb 0xF" ::: "memory");
}

#endif /* TF_CORTEXM_H */
