/* Arm semihosting, used on QEMU (needs -semihosting-config enable=on,target=native). */
#ifndef TF_SEMIHOST_H
#define TF_SEMIHOST_H

/* SYS_EXIT_EXTENDED: QEMU exits with this status. Does not return. */
void tf_semihost_exit(int status) __attribute__((noreturn));

#endif
