/*
 * kernel/klog.c - the log ring buffer and the printk that fills it.
 *
 * Every kprintf line is stamped with the time since boot in Linux's form,
 * "[    1.234567] ", and appended to a 64 KiB ring.  When the ring is full
 * the oldest text is overwritten; dmesg then starts at the first complete
 * line.  Whether a line also reaches the consoles depends on its level:
 * like Linux, a message is shown when level < console_loglevel.
 *
 * The log is written from interrupt handlers too (a fault, the OOM killer),
 * so the whole of kprintf runs with interrupts off.
 */
#include "kernel/klog.h"
#include "kernel/console.h"
#include "kernel/monitor.h"
#include "kernel/x86.h"
#include "drivers/pit.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define PRINTK_LINE_MAX 512
#define CONSOLE_LOGLEVEL_DEFAULT 7   /* everything but KERN_DEBUG */

static char ring[KLOG_BUF_SIZE];
static uint32_t ring_written;        /* total bytes ever appended */
static int console_level = CONSOLE_LOGLEVEL_DEFAULT;
static bool at_line_start = true;
static int line_level = LOGLEVEL_DEFAULT;

void klog_append(const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ring[(ring_written + i) % KLOG_BUF_SIZE] = text[i];
    ring_written += n;
}

void klog_read(void (*fn)(const char *text, size_t n))
{
    bool was = irq_save();
    uint32_t start = 0, end = ring_written;

    if (end > KLOG_BUF_SIZE) {
        /* Overwritten: skip the partial line at the start. */
        start = end - KLOG_BUF_SIZE;
        while (start < end && ring[start % KLOG_BUF_SIZE] != '\n')
            start++;
        start++;
    }
    while (start < end) {
        uint32_t off = start % KLOG_BUF_SIZE;
        uint32_t n = MIN(end - start, KLOG_BUF_SIZE - off);
        fn(ring + off, n);
        start += n;
    }
    irq_restore(was);
}

void klog_set_console_level(int level)
{
    console_level = level;
}

int klog_console_level(void)
{
    return console_level;
}

/* Emit one piece of a line: stamp it if it starts a line. */
static void printk_emit(const char *text, size_t n)
{
    bool show = line_level < console_level;

    if (at_line_start) {
        char stamp[24];
        uint64_t us = uptime_us();
        int len = ksnprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
                            us / 1000000, us % 1000000);
        klog_append(stamp, (size_t)len);
        if (show)
            console_write(stamp, (size_t)len);
    }
    klog_append(text, n);
    if (show)
        console_write(text, n);
    at_line_start = n > 0 && text[n - 1] == '\n';
}

int kvprintf(const char *fmt, va_list ap)
{
    char buf[PRINTK_LINE_MAX];
    int total = kvsnprintf(buf, sizeof(buf), fmt, ap);
    const char *p = buf;
    bool was = irq_save();

    if (p[0] == KERN_SOH[0] && p[1] >= '0' && p[1] <= '7') {
        if (at_line_start)
            line_level = p[1] - '0';
        p += 2;
    } else if (at_line_start) {
        line_level = LOGLEVEL_DEFAULT;
    }
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
        printk_emit(p, n);
        p += n;
    }
    irq_restore(was);
    return total;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int cprintf(const char *fmt, ...)
{
    char buf[PRINTK_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, strnlen(buf, sizeof(buf)));
    return n;
}

static void dmesg_out(const char *text, size_t n)
{
    console_write(text, n);
}

static int cmd_dmesg(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    klog_read(dmesg_out);
    return 0;
}
MONITOR_CMD(dmesg, "dmesg", "print the kernel log", cmd_dmesg);
