/* MIMXRT1060-EVK console: LPUART1 on GPIO_AD_B0_12 (TX) / GPIO_AD_B0_13 (RX), wired to the
 * debug probe's USB virtual COM port. */
#include "imxrt/imxrt.h"

void imxrt_board_uart_pins(void)
{
    imxrt_clock_gate_on(IMXRT_CCM_CCGR5, 12u); /* LPUART1 */
    TF_REG32(IMXRT_MUX_AD_B0(12)) = IMXRT_MUX_ALT2;
    TF_REG32(IMXRT_MUX_AD_B0(13)) = IMXRT_MUX_ALT2;
    TF_REG32(IMXRT_PAD_AD_B0(12)) = IMXRT_PAD_UART;
    TF_REG32(IMXRT_PAD_AD_B0(13)) = IMXRT_PAD_UART;
}
