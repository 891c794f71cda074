/*
 * mm/oom.c - the out-of-memory killer: who dies when memory runs out, and
 * why.
 *
 * When a page fault needs a frame and none is left (and nothing can be
 * reclaimed), some process must give its memory back, or nothing can go
 * on.  Like Linux (mm/oom_kill.c), the kernel picks the process whose death
 * frees the most: its badness is
 *
 *     resident pages + swapped-out pages + page-table pages
 *     + oom_score_adj / 1000 x (RAM + swap pages)
 *
 * so oom_score_adj = -1000 protects a process completely, +1000 makes it
 * the first choice, and in between it shifts the score by that fraction of
 * memory.  The kernel itself (the monitor) and processes already dying are
 * never chosen.  The kill is logged in Linux's words, and the victim's
 * memory is freed at once (the "reaper"), so the allocation that ran out
 * can be retried.
 */
#include "mm/oom.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "mm/overcommit.h"
#include "kernel/proc.h"
#include "kernel/panic.h"
#include "kernel/sysctl.h"
#include "kernel/monitor.h"
#include "kernel/x86.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define KB_PER_PAGE (PAGE_SIZE / 1024)
/* What a user page-fault allocation asks for, as Linux 6.1 prints it. */
#define GFP_USER_FAULT "0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)"

long sysctl_mem_warn_percent = 80;
SYSCTL_LONG(vm_mem_warn_percent, "vm.mem_warn_percent", &sysctl_mem_warn_percent, 1, 100);

char oom_last_victim[16];
int oom_last_victim_pid;
unsigned long oom_kills;

static unsigned long oom_total_pages(void)
{
    return lowmem_zone.managed_pages + swap_total_pages();
}

static unsigned long proc_pgtables_pages(const struct proc *p)
{
    return p->as->nr_pgtables + 1;          /* the tables and the directory */
}

unsigned long oom_badness(const struct proc *p, unsigned long total_pages)
{
    if (!p->as || p->state == PROC_ZOMBIE || p->kill_signal ||
        p->oom_score_adj == OOM_SCORE_ADJ_MIN)
        return 0;
    long points = (long)(p->as->rss_pages + p->as->swap_pages + proc_pgtables_pages(p));
    points += p->oom_score_adj * (long)(total_pages / 1000);
    return points > 0 ? (unsigned long)points : 1;   /* still killable: 1 */
}

static void oom_dump_tasks(void)
{
    kprintf(KERN_INFO "Tasks state (memory values in pages):\n");
    kprintf(KERN_INFO "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
    for (unsigned i = 0; i < NPROC; i++) {
        const struct proc *p = &proc_table[i];
        struct mem_usage u;
        if (p->state == PROC_UNUSED || p->state == PROC_ZOMBIE || !p->as)
            continue;
        aspace_usage(p->as, &u);
        kprintf(KERN_INFO "[%7d] %5d %5d %8lu %8lu %8lu %8lu         %5d %s\n", p->pid, 0,
                p->pid, u.virt_pages, u.res_pages, proc_pgtables_pages(p) * PAGE_SIZE,
                p->as->swap_pages, p->oom_score_adj, p->name);
    }
}

static void oom_show_mem(void)
{
    kprintf(KERN_INFO "Mem-Info:\n");
    kprintf(KERN_INFO "free:%lu committed:%lu commit_limit:%lu swap_total:%lu\n",
            lowmem_zone.free_pages, vm_committed_pages, vm_commit_limit(), swap_total_pages());
    kprintf(KERN_INFO "%lu pages RAM\n", lowmem_zone.managed_pages);
}

static struct proc *oom_select(void)
{
    unsigned long total = oom_total_pages(), best = 0;
    struct proc *victim = NULL;

    for (unsigned i = 0; i < NPROC; i++) {
        unsigned long points = oom_badness(&proc_table[i], total);
        if (points > best) {
            best = points;
            victim = &proc_table[i];
        }
    }
    return victim;
}

/* Kill VICTIM and free its address space right away. */
static void oom_kill(struct proc *victim)
{
    struct mem_usage u;

    aspace_usage(victim->as, &u);
    kprintf(KERN_ERR "Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, "
            "file-rss:%lukB, shmem-rss:0kB, UID:0 pgtables:%lukB oom_score_adj:%d\n",
            victim->pid, victim->name, u.virt_pages * KB_PER_PAGE,
            (u.res_pages - u.file_pages) * KB_PER_PAGE, u.file_pages * KB_PER_PAGE,
            proc_pgtables_pages(victim) * KB_PER_PAGE, victim->oom_score_adj);
    proc_kill(victim, SIGKILL);
    struct addr_space *as = victim->as;
    victim->as = NULL;
    if (as == current_space)
        switch_address_space(&kernel_space);
    aspace_destroy(as);
    kprintf(KERN_INFO "oom_reaper: reaped process %d (%s), now anon-rss:0kB, file-rss:0kB, "
            "shmem-rss:0kB\n", victim->pid, victim->name);
    strlcpy(oom_last_victim, victim->name, sizeof(oom_last_victim));
    oom_last_victim_pid = victim->pid;
    oom_kills++;
}

bool out_of_memory(struct proc *trigger, unsigned order)
{
    uint64_t t0 = rdtsc();

    kprintf(KERN_WARNING "%s invoked oom-killer: gfp_mask=" GFP_USER_FAULT ", order=%u, "
            "oom_score_adj=%d\n", trigger->name, order, trigger->oom_score_adj);
    oom_show_mem();
    oom_dump_tasks();
    struct proc *victim = oom_select();
    if (!victim)
        PANIC("Out of memory and no killable processes...");
    kprintf(KERN_INFO "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),global_oom,"
            "task=%s,pid=%d,uid=0\n", victim->name, victim->pid);
    oom_kill(victim);
    /* Under -icount shift=0 one guest instruction is one nanosecond. */
    kprintf(KERN_INFO "oom: victim's memory free %llu instructions after the allocation "
            "failed\n", rdtsc() - t0);
    return victim != trigger;
}

unsigned mem_used_percent(void)
{
    unsigned long total = oom_total_pages();
    unsigned long used = lowmem_zone.managed_pages - lowmem_zone.free_pages +
                         swap_total_pages() - swap_free_pages();

    return total ? (unsigned)(used * 100 / total) : 0;
}

void mem_pressure_check(void)
{
    static bool warned;
    unsigned pct = mem_used_percent();

    if (!warned && pct >= (unsigned)sysctl_mem_warn_percent) {
        warned = true;
        kprintf(KERN_WARNING "memory: %u%% of RAM + swap in use, above vm.mem_warn_percent=%ld%%\n",
                pct, sysctl_mem_warn_percent);
    } else if (warned && pct < (unsigned)sysctl_mem_warn_percent) {
        warned = false;
        kprintf(KERN_INFO "memory: back to %u%% in use, below vm.mem_warn_percent=%ld%%\n",
                pct, sysctl_mem_warn_percent);
    }
}

static int cmd_oomadj(int argc, char **argv)
{
    long long pid, adj;

    if (argc != 3 || !parse_int(argv[1], &pid) || !parse_int(argv[2], &adj) ||
        adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX) {
        cprintf("usage: oomadj PID N   (N from -1000, never kill, to 1000, kill first)\n");
        return 1;
    }
    struct proc *p = proc_find((int)pid);
    if (!p || !p->as) {
        cprintf("oomadj: %lld: no such process\n", pid);
        return 1;
    }
    p->oom_score_adj = (int)adj;
    cprintf("pid %d (%s): oom_score_adj %d, badness %lu\n", p->pid, p->name,
            p->oom_score_adj, oom_badness(p, oom_total_pages()));
    return 0;
}
MONITOR_CMD(oomadj, "oomadj PID N", "set a process's oom_score_adj (-1000..1000)", cmd_oomadj);
