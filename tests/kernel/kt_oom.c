/*
 * tests/kernel/kt_oom.c - the OOM killer's rules, and that killing leaks
 * nothing.
 *
 * The badness rules are checked on made-up processes (only the fields the
 * formula reads).  The hundred-kills test runs the real `leak` program into
 * the OOM killer a hundred times; it is slow on a large machine, so the
 * suite is manual: tests/scenarios/oom_hundred.test runs it at 16 MiB.
 */
#include "tests/ktest.h"
#include "kernel/exec.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "mm/heap.h"
#include "mm/kmalloc.h"
#include "mm/oom.h"
#include "mm/overcommit.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "lib/string.h"

#define TOTAL 100000ul          /* RAM + swap pages in the made-up system */

static struct proc fake;
static struct addr_space fake_as;

static void fake_process(unsigned long rss, unsigned long swap, unsigned long tables, int adj)
{
    memset(&fake, 0, sizeof(fake));
    memset(&fake_as, 0, sizeof(fake_as));
    fake.state = PROC_RUNNABLE;
    fake.as = &fake_as;
    fake_as.rss_pages = rss;
    fake_as.swap_pages = swap;
    fake_as.nr_pgtables = tables;
    fake.oom_score_adj = adj;
}

static void test_badness_counts_rss_swap_and_tables(struct ktest *t)
{
    fake_process(1000, 0, 3, 0);
    EXPECT_EQ(t, oom_badness(&fake, TOTAL), 1000 + 3 + 1);   /* +1: the directory */
    fake_process(1000, 500, 3, 0);
    EXPECT_EQ(t, oom_badness(&fake, TOTAL), 1000 + 500 + 3 + 1);
}

static void test_badness_adj_scales_by_total(struct ktest *t)
{
    fake_process(1000, 0, 0, 500);          /* +50 % of all memory */
    EXPECT_EQ(t, oom_badness(&fake, TOTAL), 1001 + 500 * (TOTAL / 1000));
    fake_process(1000, 0, 0, -5);           /* -0.5 %: 500 pages fewer */
    EXPECT_EQ(t, oom_badness(&fake, TOTAL), 1001 - 5 * (TOTAL / 1000));
    fake_process(1000, 0, 0, -999);         /* below zero: still killable */
    EXPECT_EQ(t, oom_badness(&fake, TOTAL), 1);
}

static void test_never_chosen(struct ktest *t)
{
    fake_process(50000, 0, 0, OOM_SCORE_ADJ_MIN);
    EXPECT_EQ(t, oom_badness(&fake, TOTAL), 0);         /* -1000: protected */
    fake_process(50000, 0, 0, 0);
    fake.kill_signal = SIGKILL;
    EXPECT_EQ(t, oom_badness(&fake, TOTAL), 0);         /* already dying */
    fake_process(50000, 0, 0, 0);
    fake.as = NULL;
    EXPECT_EQ(t, oom_badness(&fake, TOTAL), 0);         /* a kernel thread */
    fake_process(50000, 0, 0, 0);
    fake.state = PROC_ZOMBIE;
    EXPECT_EQ(t, oom_badness(&fake, TOTAL), 0);
}

static int run_leak(struct program *prog)
{
    char *argv[] = { "leak", NULL };
    const char *why;
    int status = -1;
    struct proc *p = exec_spawn(prog, 1, argv, current, &why);

    if (!p)
        return -1;
    int pid = p->pid;
    return proc_wait(pid, &status, false) == pid ? status : -1;
}

static void test_hundred_oom_kills_leak_nothing(struct ktest *t)
{
    struct program *leak = program_find("leak");
    struct heap_report r;

    if (!leak) {
        ktest_skip(t, "no 'leak' program among the boot modules");
        return;
    }
    ASSERT_EQ(t, run_leak(leak), W_SIGNALED(SIGKILL));  /* warms caches and heap */
    /* Free frames plus the page cache: under pressure reclaim drops and
     * rereads program pages, so the split between the two varies. */
    unsigned long frames = nr_free_pages() + programs_cached_pages(), kills = oom_kills;
    unsigned long swap_free = swap_free_pages();
    heap_get_report(kmalloc_heap(), &r);
    size_t heap = r.s.live_given;
    int wrong = 0;
    for (int i = 0; i < 100; i++)
        wrong += run_leak(leak) != W_SIGNALED(SIGKILL);
    EXPECT_EQ(t, wrong, 0);
    EXPECT_EQ(t, oom_kills, kills + 100);
    EXPECT_EQ(t, nr_free_pages() + programs_cached_pages(), frames);
    EXPECT_EQ(t, swap_free_pages(), swap_free);         /* no swap slot kept */
    heap_get_report(kmalloc_heap(), &r);
    EXPECT_EQ(t, r.s.live_given, heap);
}

static const struct ktest_case oom_rules_cases[] = {
    KTEST_CASE(test_badness_counts_rss_swap_and_tables),
    KTEST_CASE(test_badness_adj_scales_by_total),
    KTEST_CASE(test_never_chosen),
    { 0 }
};
KTEST_SUITE(oom_rules, oom_rules_cases, .quick = true);

static const struct ktest_case oom_cases[] = {
    KTEST_CASE(test_hundred_oom_kills_leak_nothing),
    { 0 }
};
KTEST_SUITE(oom, oom_cases, .manual = true);
