/*
 * mm/vmstat.c - `vmstat`: the event counters in /proc/vmstat's format,
 * one "name value" per line.
 */
#include "mm/vmstat.h"
#include "mm/page.h"
#include "kernel/monitor.h"
#include "lib/kprintf.h"

unsigned long vm_events[NR_VM_EVENTS];

static const char *const vm_event_names[NR_VM_EVENTS] = {
    [PGFAULT] = "pgfault",
    [PGMAJFAULT] = "pgmajfault",
    [PSWPIN] = "pswpin",
    [PSWPOUT] = "pswpout",
    [PGSCAN] = "pgscan",
    [PGSTEAL] = "pgsteal",
};

static int cmd_vmstat(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cprintf("nr_free_pages %lu\n", lowmem_zone.free_pages);
    for (int e = 0; e < NR_VM_EVENTS; e++)
        cprintf("%s %lu\n", vm_event_names[e], vm_events[e]);
    return 0;
}
MONITOR_CMD(vmstat, "vmstat", "event counters in /proc/vmstat format", cmd_vmstat);
