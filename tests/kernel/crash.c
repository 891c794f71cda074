/*
 * tests/kernel/crash.c - `crash`, a monitor command that breaks the kernel
 * on purpose, so the tests can check what a kernel bug looks like: the
 * oops (exception, registers, backtrace) and the panic message.
 */
#include "kernel/monitor.h"
#include "kernel/assert.h"
#include "lib/kprintf.h"
#include "lib/string.h"

/* noinline and volatile keep the compiler from folding the fault away
 * and keep each function in the backtrace. */
static __attribute__((noinline)) int crash_divide(volatile int zero)
{
    return 100 / zero;
}

static __attribute__((noinline)) void crash_null(void)
{
    volatile uint32_t *p = NULL;
    *p = 0xdead;
}

static __attribute__((noinline)) void crash_assert(void)
{
    volatile int two = 2;
    ASSERT(1 + 1 == 3 && two);
}

static int cmd_crash(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "divide") == 0)
        return crash_divide(0);
    if (argc == 2 && strcmp(argv[1], "null") == 0)
        crash_null();
    else if (argc == 2 && strcmp(argv[1], "assert") == 0)
        crash_assert();
    else
        cprintf("usage: crash divide|null|assert\n");
    return 1;
}
MONITOR_CMD(crash, "crash divide|null|assert",
            "(testing) make the kernel fault on purpose", cmd_crash);
