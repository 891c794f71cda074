/*
 * kernel/console.h - one console made of two: VGA + COM1 out, keyboard +
 * COM1 in.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "lib/types.h"

void console_init(void);
void console_putc(char c);
void console_write(const char *s, size_t n);
/* Called from interrupt handlers with each received character. */
void console_input(char c);
/* Next input character; sleeps until there is one.  Returns -1 if the
 * calling process is being killed meanwhile. */
int console_getc(void);
/* Next input character or -1 at once if none is waiting. */
int console_trygetc(void);

#endif
