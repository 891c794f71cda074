/*
 * kernel/power.h - leaving: poweroff, reboot, and exiting QEMU with a
 * status the test runner can read.
 */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

#include "lib/types.h"

/* QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4): a
 * write of V makes QEMU exit with status (V << 1) | 1.  Without the device
 * the write goes nowhere and we fall through to an ACPI poweroff. */
#define QEMU_DEBUG_EXIT_PORT 0xf4

void qemu_exit(uint32_t status);
NORETURN void poweroff(uint32_t status);
NORETURN void reboot(void);

/* Test mode (`testmode=1` on the command line): panics and the end of the
 * self-tests exit QEMU instead of halting or going to the monitor. */
void power_set_test_mode(bool on);
bool power_test_mode(void);

#endif
