/*
 * i.MX RT FlexRAM split, applied at reset before .data, .bss and the stack use DTCM.
 *
 * FlexRAM is 16 banks of 32 KiB, each ITCM, DTCM, OCRAM or unused. After reset the fuses decide (unprogrammed:
 * ITCM 128 KiB / DTCM 128 KiB / OCRAM 256 KiB). The code generator chooses a split for the model's arena and the
 * generated Makefile passes it to the linker (-Wl,--defsym=__flexram_*, see boards/imxrt1060-evk/linker.ld);
 * these symbols are constants, read through their addresses. Without a plan (__flexram_planned = 0) the fuse
 * split stays, matching the linker script's default lengths.
 *
 * IOMUXC_GPR (base 0x400AC000; i.MX RT1060 reference manual, IOMUXC_GPR chapter, and NXP AN12077):
 *   GPR14 +0x38: CM7_CFGITCMSZ bits 19:16, CM7_CFGDTCMSZ bits 23:20 (0 none, 6 = 32 KiB ... 10 = 512 KiB)
 *   GPR16 +0x40: INIT_ITCM_EN bit 0, INIT_DTCM_EN bit 1, FLEXRAM_BANK_CFG_SEL bit 2 (1: use GPR17, not fuses)
 *   GPR17 +0x44: FLEXRAM_BANK_CFG, 2 bits per bank (00 unused, 01 OCRAM, 10 DTCM, 11 ITCM)
 */
#include <stdint.h>
#include "cortexm/cortexm.h"

#define IMXRT_IOMUXC_GPR_BASE 0x400AC000u
#define IMXRT_IOMUXC_GPR14 (IMXRT_IOMUXC_GPR_BASE + 0x38u)
#define IMXRT_IOMUXC_GPR16 (IMXRT_IOMUXC_GPR_BASE + 0x40u)
#define IMXRT_IOMUXC_GPR17 (IMXRT_IOMUXC_GPR_BASE + 0x44u)
#define GPR14_TCM_SIZE_FIELDS 0x00FF0000u
#define GPR16_FLEXRAM_FIELDS 0x00000007u

/* linker-script constants (their addresses are the values) */
extern uint32_t __flexram_planned, __flexram_gpr17, __flexram_gpr16_bits, __flexram_gpr14_sizes;
/* top of OCRAM2, outside FlexRAM: the stack while the split changes */
extern uint32_t __imxrt_reset_stack;

void tf_reset(void);
void imxrt_flexram_apply(void) __attribute__((used));

#define LINKER_VALUE(sym) ((uint32_t)(uintptr_t)&(sym))

/*
 * Runs on the OCRAM2 stack; touches no global (they live in DTCM, whose banks may move). A DTCM or OCRAM bank
 * that changes role loses its contents, which is why nothing may live in FlexRAM yet.
 */
void imxrt_flexram_apply(void)
{
    if (LINKER_VALUE(__flexram_planned) == 0u) {
        return;
    }
    TF_REG32(IMXRT_IOMUXC_GPR17) = LINKER_VALUE(__flexram_gpr17);
    TF_REG32(IMXRT_IOMUXC_GPR14) =
        (TF_REG32(IMXRT_IOMUXC_GPR14) & ~GPR14_TCM_SIZE_FIELDS) | LINKER_VALUE(__flexram_gpr14_sizes);
    TF_REG32(IMXRT_IOMUXC_GPR16) =
        (TF_REG32(IMXRT_IOMUXC_GPR16) & ~GPR16_FLEXRAM_FIELDS) | LINKER_VALUE(__flexram_gpr16_bits);
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

/*
 * The i.MX RT reset entry: a stack outside FlexRAM, FPU access (C may use FP registers anywhere), the split, then
 * the shared reset code, which moves the stack to _estack in the (resized) DTCM.
 */
void __attribute__((naked, noreturn)) Reset_Handler(void)
{
    __asm__ volatile(
        "ldr r0, =__imxrt_reset_stack \n\t"
        "mov sp, r0                   \n\t"
        "ldr r0, =0xE000ED88          \n\t" /* CPACR */
        "ldr r1, [r0]                 \n\t"
        "orr r1, r1, #0x00F00000      \n\t" /* CP10 + CP11 full access */
        "str r1, [r0]                 \n\t"
        "dsb                          \n\t"
        "isb                          \n\t"
        "bl imxrt_flexram_apply       \n\t"
        "b tf_reset                   \n\t");
}
