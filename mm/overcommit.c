/*
 * mm/overcommit.c - saying no at malloc time instead of killing later.
 *
 * brk and mmap only promise memory; frames arrive when pages are touched.
 * If every promise were kept at once, there might not be enough: that is
 * overcommitment.  Linux lets the administrator choose how much of it to
 * allow (Documentation/mm/overcommit-accounting.rst), and so do we, with
 * the same sysctl and the same three modes:
 *
 *   0 (heuristic)  refuse only requests that could never fit: one request
 *                  larger than all of RAM plus swap.  The default.
 *   1 (always)     never refuse.  malloc never fails; if the memory is
 *                  really used, the OOM killer settles it.
 *   2 (never)      strict accounting: the total promised (Committed_AS)
 *                  may not exceed CommitLimit = swap + RAM x
 *                  vm.overcommit_ratio / 100 (or vm.overcommit_kbytes if
 *                  set).  brk/mmap beyond it fail with -ENOMEM, malloc
 *                  returns NULL, and the program's own error path runs.
 *
 * What is charged, as in Linux: private writable mappings (the data and
 * bss of a program, the brk heap, anonymous mmaps, the stack) and shared
 * anonymous ones; read-only private mappings (program text) cost nothing
 * until mprotect makes them writable.  Simplification: Linux's user and
 * admin reserves are not subtracted in mode 2.
 */
#include "mm/overcommit.h"
#include "mm/page.h"
#include "kernel/sysctl.h"
#include "lib/errno.h"

long sysctl_overcommit_memory = OVERCOMMIT_GUESS;
long sysctl_overcommit_ratio = 50;
long sysctl_overcommit_kbytes;
unsigned long vm_committed_pages;

static const char *overcommit_show(long v)
{
    return v == 0 ? "0" : v == 1 ? "1" : "2";
}

SYSCTL_DEFINE(vm_overcommit_memory, "vm.overcommit_memory", &sysctl_overcommit_memory,
              0, 2, NULL, overcommit_show);
SYSCTL_LONG(vm_overcommit_ratio, "vm.overcommit_ratio", &sysctl_overcommit_ratio, 0, 10000);
SYSCTL_LONG(vm_overcommit_kbytes, "vm.overcommit_kbytes", &sysctl_overcommit_kbytes,
            0, 0x7fffffff);

__attribute__((weak)) unsigned long swap_total_pages(void)
{
    return 0;
}

__attribute__((weak)) unsigned long swap_free_pages(void)
{
    return 0;
}

unsigned long vm_commit_limit(void)
{
    unsigned long ram = lowmem_zone.managed_pages;

    if (sysctl_overcommit_kbytes)
        return (unsigned long)sysctl_overcommit_kbytes / (PAGE_SIZE / 1024) + swap_total_pages();
    return (unsigned long)((uint64_t)ram * (unsigned long)sysctl_overcommit_ratio / 100) +
           swap_total_pages();
}

int vm_commit(unsigned long pages)
{
    switch (sysctl_overcommit_memory) {
    case OVERCOMMIT_ALWAYS:
        break;
    case OVERCOMMIT_GUESS:
        if (pages > lowmem_zone.managed_pages + swap_total_pages())
            return -ENOMEM;
        break;
    default:
        if (vm_committed_pages + pages > vm_commit_limit())
            return -ENOMEM;
        break;
    }
    vm_committed_pages += pages;
    return 0;
}

void vm_uncommit(unsigned long pages)
{
    vm_committed_pages -= MIN(pages, vm_committed_pages);
}
