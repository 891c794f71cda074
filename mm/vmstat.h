/*
 * mm/vmstat.h - event counters, named as in Linux's /proc/vmstat.
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include "lib/types.h"

enum vm_event {
    PGFAULT,        /* every page fault the CPU raised */
    PGMAJFAULT,     /* faults that had to wait for I/O: swap-ins */
    PSWPIN,         /* pages read from swap */
    PSWPOUT,        /* pages written to swap */
    PGSCAN,         /* pages whose accessed bits reclaim looked at */
    PGSTEAL,        /* pages reclaim took away (swapped or dropped) */
    NR_VM_EVENTS
};

extern unsigned long vm_events[NR_VM_EVENTS];

static inline void count_vm_event(enum vm_event e)
{
    vm_events[e]++;
}

#endif
