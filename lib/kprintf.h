/*
 * lib/kprintf.h - formatted output for the kernel (and its host tests).
 *
 * kvsnprintf is pure: it formats into a buffer and touches nothing else, so
 * the very same file is compiled natively and tested against the C library's
 * snprintf.  kprintf is the kernel's printk: it prefixes a timestamp, stores
 * the line in the kernel log ring and echoes it to the consoles.
 *
 * Supported conversions: %d %i %u %x %X %o %c %s %p %% with flags '-', '0',
 * a width (or '*'), a precision for %s, and the length modifiers l, ll, z.
 *
 * Log levels follow Linux: a message may start with KERN_ERR etc., which is
 * the byte 001 followed by the level digit.  Lines above the console
 * loglevel go to the log but not to the screen.
 */
#ifndef LIB_KPRINTF_H
#define LIB_KPRINTF_H

#include <stdarg.h>
#include "lib/types.h"

#define KERN_SOH     "\001"
#define KERN_EMERG   KERN_SOH "0"
#define KERN_ALERT   KERN_SOH "1"
#define KERN_CRIT    KERN_SOH "2"
#define KERN_ERR     KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE  KERN_SOH "5"
#define KERN_INFO    KERN_SOH "6"
#define KERN_DEBUG   KERN_SOH "7"
#define LOGLEVEL_DEFAULT 4   /* a message without a level is KERN_WARNING, as in Linux */

/* Format into BUF (at most SIZE bytes including the NUL).  Returns the
 * length the full output would have had, like C99 vsnprintf. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* For parsers that refuse input with a reason: format the reason into BUF
 * (SIZE bytes), point *WHY at it if WHY is not NULL, and return ERR. */
int refuse_with(char *buf, size_t size, const char **why, int err, const char *fmt, va_list ap);

/* Print a (possibly partial) line to the kernel log and the consoles. */
int kprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int kvprintf(const char *fmt, va_list ap);

/* Print without the log: for interactive monitor output that should not
 * fill the ring (tables, pictures).  Goes to the consoles only. */
int cprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

#endif
