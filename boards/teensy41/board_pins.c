/* Teensy 4.1 console: LPUART6 = Teensy "Serial1", pin 0 = RX1 (GPIO_AD_B0_03),
 * pin 1 = TX1 (GPIO_AD_B0_02). Needs a 3.3 V USB-serial adapter on pins 0/1/GND
 * (the Teensy's own USB port is a USB device controller, not driven by this platform). */
#include "imxrt/imxrt.h"

void imxrt_board_uart_pins(void)
{
    imxrt_clock_gate_on(IMXRT_CCM_CCGR3, 3u); /* LPUART6 */
    TF_REG32(IMXRT_MUX_AD_B0(2)) = IMXRT_MUX_ALT2;
    TF_REG32(IMXRT_MUX_AD_B0(3)) = IMXRT_MUX_ALT2;
    TF_REG32(IMXRT_PAD_AD_B0(2)) = IMXRT_PAD_UART;
    TF_REG32(IMXRT_PAD_AD_B0(3)) = IMXRT_PAD_UART;
    /* these pads are one of two possible inputs of LPUART6: select them */
    TF_REG32(IMXRT_LPUART6_RX_SELECT_INPUT) = 1u;
    TF_REG32(IMXRT_LPUART6_TX_SELECT_INPUT) = 1u;
}
