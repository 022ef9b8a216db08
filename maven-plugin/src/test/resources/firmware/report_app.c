/*
 * Test firmware for the flash goal on QEMU boards: prints two lines on the console UART right after reset
 * (before any host could attach to a pty) and exits with REPORT_STATUS, so the test can check that the goal
 * reports the UART output from the first byte and turns a non-zero exit status into a build failure.
 */
#include "platform.h"

#ifndef REPORT_STATUS
#define REPORT_STATUS 0
#endif

#define STR2(x) #x
#define STR(x) STR2(x)

int main(void)
{
    platform_init();
    platform_uart_print("report_app on ");
    platform_uart_print(platform_board_name());
    platform_uart_print("\n");
    platform_uart_print("exiting with " STR(REPORT_STATUS) "\n");
    platform_exit(REPORT_STATUS);
}
