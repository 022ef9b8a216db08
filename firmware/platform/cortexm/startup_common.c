/*
 * Reset and fault handling shared by all Cortex-M boards.
 * Order matters: the stack pointer and CPACR are set in assembly before any C runs, because
 * GCC may put FP or MVE instructions in any C function (prologues, vectorised copy loops),
 * and those fault with NOCP until CP10/CP11 are enabled.
 */
#include <stdint.h>
#include "platform.h"
#include "cortexm/cortexm.h"

int main(void);
void tf_startup_c(void) __attribute__((noreturn, used));
void tf_fault_report(const uint32_t *frame, uint32_t kind) __attribute__((noreturn, used));

void __attribute__((weak)) board_early_init(void)
{
}

/* The shared reset code; a board with work to do before any RAM is used (i.MX RT: the FlexRAM split) defines its
   own Reset_Handler that ends by branching here. */
void tf_reset(void) __attribute__((naked, noreturn));
void Reset_Handler(void) __attribute__((weak, noreturn, alias("tf_reset")));

void tf_reset(void)
{
    __asm__ volatile(
        "ldr r0, =_estack        \n\t"
        "mov sp, r0              \n\t" /* the boot ROM of a real board may not have set it */
        "ldr r0, =0xE000ED88     \n\t" /* CPACR */
        "ldr r1, [r0]            \n\t"
        "orr r1, r1, #0x00F00000 \n\t" /* CP10 + CP11 full access: FPU and MVE */
        "str r1, [r0]            \n\t"
        "dsb                     \n\t"
        "isb                     \n\t"
        "b tf_startup_c          \n\t");
}

PLATFORM_OWN_LOOPS static void copy_words(uint32_t *dst, const uint32_t *src, const uint32_t *end)
{
    while (dst < end) {
        *dst++ = *src++;
    }
}

PLATFORM_OWN_LOOPS static void zero_words(uint32_t *dst, const uint32_t *end)
{
    while (dst < end) {
        *dst++ = 0u;
    }
}

void tf_startup_c(void)
{
    TF_REG32(TF_SCB_VTOR) = (uint32_t)(uintptr_t)&__vector_table;
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
    /* ARMv8-M stack limit: an overflow of the reserve becomes a fault instead of corruption */
    __asm__ volatile("msr msplim, %0" ::"r"((uint32_t)(uintptr_t)&__stack_bottom));
#endif
    board_early_init();
    copy_words(&__data_start, &__data_load, &__data_end);
    zero_words(&__bss_start, &__bss_end);
    zero_words(&__tf_arena_start, &__tf_arena_end); /* the arena is a zero-initialised C array */
    zero_words(&__tf_arena_fast_start, &__tf_arena_fast_end);
    zero_words(&__tf_arena_more_start, &__tf_arena_more_end);
    __asm__ volatile("cpsie i" ::: "memory");
    platform_exit(main());
}

/* ---- faults: print one short line, then exit with PLATFORM_EXIT_FAULT ---- */

static const char *const fault_names[] = {
    "HardFault", "MemManage", "BusFault", "UsageFault", "NMI", "unexpected IRQ", "SecureFault",
};

static void put_hex(char *out, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    int i;
    out[0] = '0';
    out[1] = 'x';
    for (i = 0; i < 8; i++) {
        out[2 + i] = digits[(v >> (28 - 4 * i)) & 0xFu];
    }
    out[10] = '\0';
}

static void print_field(const char *name, uint32_t value)
{
    char hex[11];
    put_hex(hex, value);
    platform_uart_print(" ");
    platform_uart_print(name);
    platform_uart_print("=");
    platform_uart_print(hex);
}

void tf_fault_report(const uint32_t *frame, uint32_t kind)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    platform_uart_print("\r\n*** FAULT ");
    platform_uart_print(kind < sizeof fault_names / sizeof fault_names[0] ? fault_names[kind] : "?");
    print_field("exc", ipsr & 0x1FFu);
    print_field("pc", frame[6]);
    print_field("lr", frame[5]);
    print_field("cfsr", TF_REG32(TF_SCB_CFSR));
    print_field("hfsr", TF_REG32(TF_SCB_HFSR));
    print_field("bfar", TF_REG32(TF_SCB_BFAR));
    platform_uart_print("\r\n");
    platform_exit(PLATFORM_EXIT_FAULT);
}

/* pass the stacked frame (MSP or PSP, from EXC_RETURN bit 2) and the fault kind */
#define TF_FAULT_ENTRY(handler, kind)                                  \
    void __attribute__((naked)) handler(void)                          \
    {                                                                  \
        __asm__ volatile("tst lr, #4        \n\t"                      \
                         "ite eq            \n\t"                      \
                         "mrseq r0, msp     \n\t"                      \
                         "mrsne r0, psp     \n\t"                      \
                         "movs r1, #" #kind "\n\t"                     \
                         "b tf_fault_report \n\t");                    \
    }

TF_FAULT_ENTRY(HardFault_Handler, 0)
TF_FAULT_ENTRY(MemManage_Handler, 1)
TF_FAULT_ENTRY(BusFault_Handler, 2)
TF_FAULT_ENTRY(UsageFault_Handler, 3)
TF_FAULT_ENTRY(NMI_Handler, 4)
TF_FAULT_ENTRY(Default_Handler, 5)
TF_FAULT_ENTRY(SecureFault_Handler, 6)

/* handlers a platform may provide; unused ones report an unexpected exception */
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

/* Word written over the unused stack; a deeper call overwrites it. Any value works, one unlikely in data is best. */
#define TF_STACK_PAINT 0x5AC3A55Cu
/* Bytes left untouched below the painter's own stack pointer: its frame and an interrupt's stacking. */
#define TF_STACK_PAINT_MARGIN 128u

void platform_stack_paint(void)
{
    uint32_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (volatile uint32_t *p = &__stack_bottom; (uint32_t)(uintptr_t)p < sp - TF_STACK_PAINT_MARGIN; p++) {
        *p = TF_STACK_PAINT;
    }
}

uint32_t platform_stack_used(void)
{
    const volatile uint32_t *p = &__stack_bottom;
    while (p < &_estack && *p == TF_STACK_PAINT) {
        p++;
    }
    return (uint32_t)((uintptr_t)&_estack - (uintptr_t)p);
}
