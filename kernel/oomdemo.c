/*
 * kernel/oomdemo.c - `oomdemo`: the seed's story, end to end.
 *
 * A small server runs a web server, a database and a log collector, sized
 * 100 : 300 : 50 (the seed's megabytes, scaled to this machine: together
 * they take about 40 % of free memory).  Then a leaking program starts.
 * Memory runs out; the OOM killer must pick the process whose death frees
 * the most -- the leak, by then the largest -- say so in Linux's words, and
 * leave the three services running with their data intact.
 *
 * It also does the seed's arithmetic: why 450 units of "real" data do not
 * fit in a machine whose RAM is larger: the kernel, its frame array, page
 * tables, the page cache and fragmentation take their share first.
 */
#include "kernel/monitor.h"
#include "kernel/program.h"
#include "mm/memmap.h"
#include "mm/page.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define SERVICE_SECONDS 4

static void oomdemo_arithmetic(void)
{
    unsigned long ram_kb = (unsigned long)(memmap.ram_bytes >> 10);
    unsigned long managed_kb = lowmem_zone.managed_pages * 4;

    cprintf("oomdemo: the seed's arithmetic\n");
    cprintf("  RAM the firmware reports        %8lu KiB\n", ram_kb);
    cprintf("  kept at boot (first MiB, kernel image, frame array, modules)\n"
            "                                  %8lu KiB\n", ram_kb - managed_kb);
    cprintf("  left for everything else        %8lu KiB  (MemTotal)\n", managed_kb);
    cprintf("  free right now                  %8lu KiB  (MemFree; page tables, kernel\n"
            "                                            stacks, heap and cache hold the rest)\n",
            lowmem_zone.free_pages * 4);
}

static void oomdemo_exec(const char *fmt, unsigned long a, unsigned long b)
{
    char line[96];

    ksnprintf(line, sizeof(line), fmt, a, b);
    cprintf("mm> %s\n", line);
    monitor_exec(line);
}

static int cmd_oomdemo(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!program_find("service") || !program_find("leak")) {
        cprintf("oomdemo: needs the programs service and leak (boot with build/user/progs.tar)\n");
        return 1;
    }
    oomdemo_arithmetic();
    /* 450 units take 40 % of what is free now. */
    unsigned long unit_kb = lowmem_zone.free_pages * 4 * 40 / 100 / 450;
    if (unit_kb == 0) {
        cprintf("oomdemo: not enough free memory to play the story\n");
        return 1;
    }
    cprintf("oomdemo: web 100, db 300, log 50 units of %lu KiB each\n", unit_kb);
    oomdemo_exec("run service web %lu %lu &", 100 * unit_kb, SERVICE_SECONDS);
    oomdemo_exec("run service db %lu %lu &", 300 * unit_kb, SERVICE_SECONDS);
    oomdemo_exec("run service log %lu %lu &", 50 * unit_kb, SERVICE_SECONDS);
    oomdemo_exec("sleep %lu", 600, 0);
    oomdemo_exec("free", 0, 0);
    oomdemo_exec("top", 0, 0);
    cprintf("oomdemo: now a program that leaks 1 KiB at a time and never frees\n");
    oomdemo_exec("run leak", 0, 0);
    oomdemo_exec("free", 0, 0);
    oomdemo_exec("top", 0, 0);
    cprintf("oomdemo: the services check their data until they end:\n");
    oomdemo_exec("wait", 0, 0);
    cprintf("oomdemo: the kernel log has the OOM killer's report: see `dmesg`\n");
    return 0;
}
MONITOR_CMD(oomdemo, "oomdemo", "the seed's story: three services, a leak, the OOM killer", cmd_oomdemo);
