/*
 * tests/kernel/crash.c - `crash`, a monitor command that breaks the kernel
 * on purpose, so the tests can check what a kernel bug looks like: the
 * oops (exception, registers, backtrace) and the panic message.
 */
#include "kernel/monitor.h"
#include "kernel/assert.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kstack.h"

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

/* Recurse until the stack runs into its guard page (the limit is far
 * beyond any stack, and keeps the compiler from calling it infinite). */
static __attribute__((noinline)) int crash_recurse(int depth)
{
    volatile char frame[256];

    frame[0] = (char)depth;
    if (depth > 1000000)
        return 0;
    return crash_recurse(depth + 1) + frame[0];
}

/* Switch to a fresh guarded kernel stack and overflow it. */
static void crash_stack(void)
{
    vaddr_t top = kstack_alloc();

    if (!top) {
        cprintf("crash: no kernel stack available\n");
        return;
    }
    cprintf("crash: recursing on the kernel stack below 0x%08x\n", top);
    __asm__ volatile("mov %0, %%esp\n\t"
                     "push $0\n\t"
                     "call *%1"
                     : : "r"(top), "r"(crash_recurse) : "memory");
}

static int cmd_crash(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "divide") == 0)
        return crash_divide(0);
    if (argc == 2 && strcmp(argv[1], "null") == 0)
        crash_null();
    else if (argc == 2 && strcmp(argv[1], "assert") == 0)
        crash_assert();
    else if (argc == 2 && strcmp(argv[1], "stack") == 0)
        crash_stack();
    else
        cprintf("usage: crash divide|null|assert|stack\n");
    return 1;
}
MONITOR_CMD(crash, "crash divide|null|assert|stack",
            "(testing) make the kernel fault on purpose", cmd_crash);
