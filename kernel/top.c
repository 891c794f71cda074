/*
 * kernel/top.c - `top` and `pmap`: where each process's memory is.
 *
 * VIRT is what a process has asked for (the size of its regions), RES what
 * it actually occupies (frames mapped now), SHR the part of RES shared with
 * other processes or the page cache (program text, pages shared after
 * fork).  The difference between VIRT and RES is demand paging at work:
 * the seed's Chrome with 1.5 GB VIRT and 200 MB RES.
 *
 *   top            one snapshot, sorted by RES
 *   top -d SECS    refresh every SECS seconds until a key is pressed
 *   pmap PID       the regions of one process, like procps `pmap -x`
 */
#include "kernel/console.h"
#include "kernel/monitor.h"
#include "kernel/proc.h"
#include "kernel/x86.h"
#include "drivers/pit.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "mm/oom.h"
#include "mm/overcommit.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define KB_PER_PAGE (PAGE_SIZE / 1024)

struct top_row {
    const struct proc *p;
    struct mem_usage u;
};

static const char *top_state(enum proc_state s)
{
    return s == PROC_SLEEPING ? "S" : s == PROC_ZOMBIE ? "Z" : "R";
}

/* Collect user processes into ROWS sorted by RES, largest first. */
static int top_collect(struct top_row *rows)
{
    int n = 0;

    for (unsigned i = 0; i < NPROC; i++) {
        const struct proc *p = &proc_table[i];
        if (p->state == PROC_UNUSED || p->state == PROC_EMBRYO || !p->as)
            continue;
        rows[n].p = p;
        aspace_usage(p->as, &rows[n].u);
        for (int j = n; j > 0 && rows[j].u.res_pages > rows[j - 1].u.res_pages; j--) {
            struct top_row t = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = t;
        }
        n++;
    }
    return n;
}

static void top_snapshot(void)
{
    static struct top_row rows[NPROC];
    unsigned long total = lowmem_zone.managed_pages, free = lowmem_zone.free_pages;
    uint64_t us = uptime_us();
    int n = top_collect(rows);

    cprintf("top - up %llu.%02llu s, %d processes\n", us / 1000000, us % 1000000 / 10000, n);
    unsigned long swap = swap_total_pages(), swap_free = swap_free_pages();
    cprintf("KiB Mem : %8lu total, %8lu free, %8lu used\n",
            total * KB_PER_PAGE, free * KB_PER_PAGE, (total - free) * KB_PER_PAGE);
    cprintf("KiB Swap: %8lu total, %8lu free, %8lu used   (RAM + swap %u%% used)\n",
            swap * KB_PER_PAGE, swap_free * KB_PER_PAGE, (swap - swap_free) * KB_PER_PAGE,
            mem_used_percent());
    cprintf("\n  PID NAME             S      VIRT       RES      SHR     SWAP  %%MEM\n");
    for (int i = 0; i < n; i++) {
        const struct mem_usage *u = &rows[i].u;
        unsigned long permille = total ? u->res_pages * 1000 / total : 0;
        cprintf("%5d %-16s %s %9lu %9lu %8lu %8lu %3lu.%lu\n", rows[i].p->pid, rows[i].p->name,
                top_state(rows[i].p->state), u->virt_pages * KB_PER_PAGE,
                u->res_pages * KB_PER_PAGE, u->shr_pages * KB_PER_PAGE,
                u->swap_pages * KB_PER_PAGE, permille / 10, permille % 10);
    }
}

/* Sleep about MS milliseconds in the monitor; false if a key was hit. */
static bool top_wait(uint32_t ms)
{
    uint64_t until = pit_ticks() + ms * PIT_HZ / 1000;

    /* Look at the keyboard every 50 ms. */
    while (pit_ticks() < until) {
        if (console_trygetc() >= 0)
            return false;
        bool was = irq_save();
        sleep_until_tick(MIN(until, pit_ticks() + 50 * PIT_HZ / 1000));
        irq_restore(was);
    }
    return true;
}

static int cmd_top(int argc, char **argv)
{
    unsigned long long secs = 0;

    if (argc == 3 && strcmp(argv[1], "-d") == 0 && parse_uint(argv[2], &secs, false) &&
        secs > 0 && secs < 3600) {
        do {
            cprintf("\033[H\033[J");
            top_snapshot();
            cprintf("(refreshing every %llu s; press a key to stop)\n", secs);
        } while (top_wait((uint32_t)secs * 1000));
        return 0;
    }
    if (argc != 1) {
        cprintf("usage: top [-d SECS]\n");
        return 1;
    }
    top_snapshot();
    return 0;
}
MONITOR_CMD(top, "top [-d SECS]", "processes by resident memory: VIRT, RES, SHR, SWAP", cmd_top);

static const char *pmap_perms(uint32_t prot, char *buf)
{
    buf[0] = (prot & VM_READ) ? 'r' : '-';
    buf[1] = (prot & VM_WRITE) ? 'w' : '-';
    buf[2] = (prot & VM_EXEC) ? 'x' : '-';
    buf[3] = 'p';
    buf[4] = '\0';
    return buf;
}

static int cmd_pmap(int argc, char **argv)
{
    long long pid;
    char perms[5];
    struct mem_usage total = { 0 };

    if (argc != 2 || !parse_int(argv[1], &pid)) {
        cprintf("usage: pmap PID\n");
        return 1;
    }
    struct proc *p = proc_find((int)pid);
    if (!p || !p->as) {
        cprintf("pmap: %lld: no such process\n", pid);
        return 1;
    }
    struct list_head *pos;
    cprintf("%d:   %s\nAddress   Kbytes     RSS   Dirty Mode  Mapping\n", p->pid, p->name);
    list_for_each(pos, &p->as->vmas) {
        const struct vma *v = list_entry(pos, struct vma, link);
        struct mem_usage u = { 0 };
        vma_usage(p->as, v, &u);
        total.virt_pages += u.virt_pages;
        total.res_pages += u.res_pages;
        total.dirty_pages += u.dirty_pages;
        const char *what = v->kind == VMA_FILE ? p->name :
                           v->kind == VMA_STACK ? "[ stack ]" :
                           v->start == p->brk_start ? "[ heap ]" : "[ anon ]";
        cprintf("%08x %7lu %7lu %7lu %s %s\n", v->start, u.virt_pages * KB_PER_PAGE,
                u.res_pages * KB_PER_PAGE, u.dirty_pages * KB_PER_PAGE,
                pmap_perms(v->prot, perms), what);
    }
    cprintf("-------- ------- ------- -------\ntotal kB %7lu %7lu %7lu\n",
            total.virt_pages * KB_PER_PAGE, total.res_pages * KB_PER_PAGE,
            total.dirty_pages * KB_PER_PAGE);
    return 0;
}
MONITOR_CMD(pmap, "pmap PID", "the regions of a process with their resident size", cmd_pmap);
