/*
 * tests/host/shim.c - what the kernel provides around its pure logic,
 * re-created for the host unit tests.
 *
 * kprintf formats with the kernel's own kvsnprintf (so it is exercised by
 * every host test too) and writes to stdout; panic prints the same message
 * the kernel would and aborts, so AddressSanitizer shows the stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include "lib/kprintf.h"
#include "kernel/assert.h"

static int host_vprint(const char *fmt, va_list ap)
{
    char line[1024];
    int n = kvsnprintf(line, sizeof(line), fmt, ap);
    const char *text = line;

    if (text[0] == KERN_SOH[0] && text[1])   /* drop the log level */
        text += 2;
    fputs(text, stdout);
    return n;
}

int kvprintf(const char *fmt, va_list ap)
{
    return host_vprint(fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = host_vprint(fmt, ap);
    va_end(ap);
    return n;
}

int cprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = host_vprint(fmt, ap);
    va_end(ap);
    return n;
}

void panic_at(const char *file, int line, const char *func, const char *fmt, ...)
{
    va_list ap;
    char msg[512];

    va_start(ap, fmt);
    kvsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fflush(stdout);
    fprintf(stderr, "Kernel panic at %s:%d (%s): %s\n", file, line, func, msg);
    abort();
}
