/*
 * kernel/cmdline.h - the kernel command line as key=value words.
 *
 *   /boot/kernel.elf tests=all loglevel=7 script="meminfo; poweroff 0"
 *
 * Words are separated by spaces; a value may be wrapped in double quotes to
 * hold spaces and semicolons.  A word without '=' (such as the kernel's own
 * path, which loaders put first) is a key with an empty value.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "lib/types.h"

#define CMDLINE_MAX_BYTES 1024
#define CMDLINE_MAX_WORDS 32

struct cmdline {
    char text[CMDLINE_MAX_BYTES];    /* keys and values, NUL-separated */
    const char *key[CMDLINE_MAX_WORDS];
    const char *value[CMDLINE_MAX_WORDS];
    int count;
};

/* Parse RAW into C.  Returns 0, or -EINVAL for an unterminated quote or
 * -E2BIG when it does not fit (C then holds what was parsed before). */
int cmdline_parse(struct cmdline *c, const char *raw);
/* The value of KEY (the last one if repeated), or NULL when absent. */
const char *cmdline_get(const struct cmdline *c, const char *key);

/* The kernel's own command line, parsed at boot by kmain. */
extern struct cmdline kernel_cmdline;
static inline const char *kernel_param(const char *key)
{
    return cmdline_get(&kernel_cmdline, key);
}

#endif
