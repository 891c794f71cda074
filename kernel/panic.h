/*
 * kernel/panic.h - stopping the kernel, loudly and usefully.
 *
 * PANIC and ASSERT (kernel/assert.h) end up in panic_at, which prints what
 * broke and where, the registers and a backtrace, then calls panic_stop.
 * In test mode (kernel command line `testmode=1`) panic_stop exits QEMU
 * with PANIC_EXIT_STATUS so a test run fails instead of hanging.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/assert.h"

/* Written to the isa-debug-exit port; QEMU then exits with (v << 1) | 1. */
#define PANIC_EXIT_STATUS 0x10

NORETURN void panic_stop(const char *why);
/* Print "Call Trace:" by walking saved frame pointers from EBP; FIRST_EIP
 * (if nonzero) is printed first, as the faulting instruction. */
void backtrace_from(uint32_t ebp, uint32_t first_eip);
void backtrace(void);

/* "name+0x12/0x40" for a kernel text address, or "0x..." if unknown.
 * Returns a static buffer: use before the next call. */
const char *ksym_describe(uint32_t addr);
/* The address of the function named NAME, or 0. */
uint32_t ksym_lookup(const char *name);

#endif
