/* i.MX RT1060/1062 registers used by the tinyforge platform (addresses from the RT1060 reference manual). */
#ifndef TF_IMXRT_H
#define TF_IMXRT_H

#include <stdint.h>
#include "cortexm/cortexm.h"

#define IMXRT_CCM_BASE     0x400FC000u
#define IMXRT_CCM_CSCDR1   (IMXRT_CCM_BASE + 0x24u) /* UART_CLK_SEL bit 6, UART_CLK_PODF bits 5:0 */
#define IMXRT_CCM_CACRR    (IMXRT_CCM_BASE + 0x10u) /* ARM_PODF bits 2:0 */
#define IMXRT_CCM_CBCDR    (IMXRT_CCM_BASE + 0x14u) /* PERIPH_CLK2_PODF 29:27, PERIPH_CLK_SEL 25, AHB_PODF 12:10, IPG_PODF 9:8 */
#define IMXRT_CCM_CBCMR    (IMXRT_CCM_BASE + 0x18u) /* PRE_PERIPH_CLK_SEL 19:18, PERIPH_CLK2_SEL 13:12 */
#define IMXRT_CCM_CDHIPR   (IMXRT_CCM_BASE + 0x48u) /* handshake busy flags of the dividers and muxes above */
#define IMXRT_CCM_CCGR3    (IMXRT_CCM_BASE + 0x74u)
#define IMXRT_CCM_CCGR5    (IMXRT_CCM_BASE + 0x7Cu)
#define IMXRT_CCM_CCGR6    (IMXRT_CCM_BASE + 0x80u) /* CG3: DCDC */

#define IMXRT_CCM_ANALOG_PLL_ARM 0x400D8000u /* DIV_SELECT 6:0, POWERDOWN 12, ENABLE 13, BYPASS 16, LOCK 31 */

#define IMXRT_DCDC_REG0    0x40080000u /* STS_DC_OK bit 31 */
#define IMXRT_DCDC_REG3    0x4008000Cu /* TRG bits 4:0: VDD_SOC = 0.8 V + 25 mV * TRG */

#define IMXRT_IOMUXC_BASE  0x401F8000u
/* pad mux and pad control register of GPIO_AD_B0_nn */
#define IMXRT_MUX_AD_B0(n) (IMXRT_IOMUXC_BASE + 0x0BCu + 4u * (n))
#define IMXRT_PAD_AD_B0(n) (IMXRT_IOMUXC_BASE + 0x2ACu + 4u * (n))
#define IMXRT_LPUART6_RX_SELECT_INPUT (IMXRT_IOMUXC_BASE + 0x550u)
#define IMXRT_LPUART6_TX_SELECT_INPUT (IMXRT_IOMUXC_BASE + 0x554u)

/* pad control: keeper on, medium speed, drive strength R0/6 */
#define IMXRT_PAD_UART ((1u << 12) | (2u << 6) | (6u << 3))
#define IMXRT_MUX_ALT2 2u

/* enable clock gate `cg` (0..15) of a CCGR register: both bits = on in run and wait modes */
static inline void imxrt_clock_gate_on(uint32_t ccgr, uint32_t cg)
{
    TF_REG32(ccgr) |= 3u << (2u * cg);
}

/* board hook (boards/<name>/board_pins.c): clock gate, pin mux and daisy chain of the console LPUART */
void imxrt_board_uart_pins(void);

/* watchdogs off, core clock to 600 MHz, caches on (and external RAM the plan uses set up); runs from
   board_early_init before .data/.bss exist */
void imxrt_early_init(void);

/* Teensy 4.1 PSRAM on FlexSPI2 (flexspi2_psram.c, with TF_EXTRAM_FLEXSPI2_PSRAM): 1 when the chip answers */
int imxrt_psram_init(void);

#endif
