/*
 * kernel/klog.h - the kernel log: what `dmesg` prints.
 */
#ifndef KERNEL_KLOG_H
#define KERNEL_KLOG_H

#include "lib/types.h"

#define KLOG_BUF_SIZE (64 * 1024)

/* Append N bytes of already-formatted text to the log ring. */
void klog_append(const char *text, size_t n);
/* Call FN on successive pieces of the log, oldest first. */
void klog_read(void (*fn)(const char *text, size_t n));
/* Messages with a level below this go to the console (Linux's
 * console_loglevel; loglevel=N on the command line). */
void klog_set_console_level(int level);
int klog_console_level(void);

#endif
