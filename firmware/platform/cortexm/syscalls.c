/*
 * newlib (nano) system calls, so apps may use printf/puts: stdout/stderr go to the UART,
 * stdin reads from it, the heap lies between __heap_start and __heap_end (linker script),
 * exit() ends through platform_exit.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include "platform.h"
#include "cortexm/cortexm.h"

int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
void *_sbrk(int incr);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int offset, int whence);
void _exit(int status);
int _kill(int pid, int sig);
int _getpid(void);

int _write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    platform_uart_write((const uint8_t *)buf, (uint32_t)len);
    return len;
}

int _read(int fd, char *buf, int len)
{
    if (fd != 0) {
        errno = EBADF;
        return -1;
    }
    if (len <= 0) {
        return 0;
    }
    /* block for the first byte, then take what follows without waiting long */
    int n = platform_uart_read((uint8_t *)buf, 1u, PLATFORM_WAIT_FOREVER);
    if (n == 1 && len > 1) {
        n += platform_uart_read((uint8_t *)buf + 1, (uint32_t)len - 1u, 1u);
    }
    return n;
}

void *_sbrk(int incr)
{
    static uint8_t *brk;
    uint8_t *prev;
    if (brk == 0) {
        brk = (uint8_t *)&__heap_start;
    }
    if (incr < 0 || (uint32_t)incr > (uint32_t)((uint8_t *)&__heap_end - brk)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    prev = brk;
    brk += incr;
    return prev;
}

int _close(int fd)
{
    (void)fd;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    (void)fd;
    return 1;
}

int _lseek(int fd, int offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    return 0;
}

void _exit(int status)
{
    platform_exit(status);
}

int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

int _getpid(void)
{
    return 1;
}
