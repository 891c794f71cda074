/*
 * kernel/assert.h - the three tiers of "this must not happen".
 *
 *   ASSERT(cond)          an internal invariant; CONDition must have no side
 *                         effects.  On failure: a panic naming the condition.
 *   PANIC(fmt, ...)       always fires: the kernel's own state is broken.
 *                         Prints file, line, function, the message, the
 *                         registers and a backtrace, then stops.
 *   return -ENOMEM etc.   expected failures (out of memory, bad user input)
 *                         are not bugs and never reach PANIC.
 *
 * The same header serves the host unit tests, where panic() prints the same
 * message and aborts (tests/host/shim.c).
 */
#ifndef KERNEL_ASSERT_H
#define KERNEL_ASSERT_H

#include "lib/types.h"

NORETURN void panic_at(const char *file, int line, const char *func,
                       const char *fmt, ...) PRINTF_LIKE(4, 5);

#define PANIC(...) panic_at(__FILE__, __LINE__, __func__, __VA_ARGS__)

#define ASSERT(cond) \
    do { \
        if (!(cond)) \
            PANIC("assertion failed: %s", #cond); \
    } while (0)

/* ASSERT with the values that matter printed beside the condition. */
#define ASSERTF(cond, fmt, ...) \
    do { \
        if (!(cond)) \
            PANIC("assertion failed: %s: " fmt, #cond, __VA_ARGS__); \
    } while (0)

#endif
