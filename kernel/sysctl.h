/*
 * kernel/sysctl.h - tunable kernel variables, named as in Linux's
 * /proc/sys (vm.overcommit_memory, vm.overcommit_ratio, ...).
 *
 * A variable registers itself next to the code that reads it:
 *
 *   long sysctl_overcommit_memory = 0;
 *   SYSCTL_LONG(vm_overcommit_memory, "vm.overcommit_memory",
 *              &sysctl_overcommit_memory, 0, 2);
 *
 * and the monitor's `sysctl` reads and sets it with range checking.
 */
#ifndef KERNEL_SYSCTL_H
#define KERNEL_SYSCTL_H

#include "lib/types.h"

struct sysctl_entry {
    const char *name;
    long *value;
    long min, max;
    /* Optional: for values that are words (vm.page_replacement=clock).
     * PARSE turns TEXT into *OUT (0 or -EINVAL); SHOW names VALUE. */
    int (*parse)(const char *text, long *out);
    const char *(*show)(long value);
};

#define SYSCTL_DEFINE(id, sname, ptr, lo, hi, parsefn, showfn) \
    static const struct sysctl_entry sysctl_entry_##id = { \
        sname, ptr, lo, hi, parsefn, showfn }; \
    static const struct sysctl_entry *sysctl_ptr_##id \
        __attribute__((used, section("sysctl_table"))) = &sysctl_entry_##id

#define SYSCTL_LONG(id, sname, ptr, lo, hi) SYSCTL_DEFINE(id, sname, ptr, lo, hi, NULL, NULL)

/* Set NAME to the text VALUE; 0, -ENOENT (no such variable) or -EINVAL. */
int sysctl_set(const char *name, const char *value);
/* Apply NAME=VALUE words of the kernel command line that name a sysctl. */
void sysctl_apply_cmdline(void);

#endif
