/*
 * kernel/proc_cmds.c - monitor commands for processes: run, wait, kill, ps.
 *
 *   run PROG [ARGS...] [&]   start a program; without & wait for it and
 *                            report how it ended if it was not exit 0
 *   wait                     until every background program has ended
 *   kill PID                 terminate a process (SIGKILL)
 *   ps                       the process table
 */
#include "kernel/exec.h"
#include "kernel/monitor.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "kernel/x86.h"
#include "drivers/pit.h"
#include "mm/vm.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

static const char *signal_text(int sig)
{
    switch (sig) {
    case SIGSEGV: return "Segmentation fault";
    case SIGFPE: return "Floating point exception";
    case SIGILL: return "Illegal instruction";
    case SIGBUS: return "Bus error";
    case SIGKILL: return "Killed";
    case SIGTERM: return "Terminated";
    default: return "Killed by a signal";
    }
}

static const char *signal_abbrev(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGBUS: return "SIGBUS";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    default: return "a signal";
    }
}

/* Say how process PID ended, as a shell would, if not with exit 0. */
static int report_end(int pid, int status)
{
    int sig = status & 0x7f, code = (status >> 8) & 0xff;

    if (sig) {
        cprintf("%s\n[pid %d] killed by %s\n", signal_text(sig), pid, signal_abbrev(sig));
        return 128 + sig;
    }
    if (code)
        cprintf("[pid %d] exited with status %d\n", pid, code);
    return code;
}

static int cmd_run(int argc, char **argv)
{
    bool background = argc > 1 && strcmp(argv[argc - 1], "&") == 0;
    const char *why = NULL;
    int status;

    if (background)
        argc--;
    if (argc < 2) {
        cprintf("usage: run PROG [ARGS...] [&]   (see `ls` for the programs)\n");
        return 1;
    }
    struct program *prog = program_find(argv[1]);
    if (!prog) {
        cprintf("run: %s: no such program (see `ls`)\n", argv[1]);
        return 127;
    }
    struct proc *p = exec_spawn(prog, argc - 1, argv + 1, current, &why);
    if (!p) {
        cprintf("run: %s: %s\n", argv[1], why);
        return 126;
    }
    if (background) {
        cprintf("[%d] %s\n", p->pid, p->name);
        return 0;
    }
    int pid = p->pid;
    if (proc_wait(pid, &status, false) != pid)
        return 1;
    return report_end(pid, status);
}
MONITOR_CMD(run, "run PROG [ARGS...] [&]", "run a program (& in the background)", cmd_run);

static int cmd_wait(int argc, char **argv)
{
    int status, pid;

    (void)argc;
    (void)argv;
    while ((pid = proc_wait(-1, &status, false)) > 0) {
        int sig = status & 0x7f;
        if (sig || (status >> 8))
            report_end(pid, status);
        else
            cprintf("[%d] done\n", pid);
    }
    return 0;
}
MONITOR_CMD(wait, "wait", "wait until every background program has ended", cmd_wait);

static int cmd_kill(int argc, char **argv)
{
    long long pid;

    if (argc != 2 || !parse_int(argv[1], &pid)) {
        cprintf("usage: kill PID\n");
        return 1;
    }
    struct proc *p = proc_find((int)pid);
    if (!p || p->state == PROC_ZOMBIE || !p->as) {
        cprintf("kill: (%lld) - No such process\n", pid);
        return 1;
    }
    proc_kill(p, SIGKILL);
    return 0;
}
MONITOR_CMD(kill, "kill PID", "terminate a process (SIGKILL)", cmd_kill);

static int cmd_sleep(int argc, char **argv)
{
    unsigned long long ms;

    if (argc != 2 || !parse_uint(argv[1], &ms, false) || ms > 3600000) {
        cprintf("usage: sleep MILLISECONDS\n");
        return 1;
    }
    bool was = irq_save();
    sleep_until_tick(pit_ticks() + ms * PIT_HZ / 1000);
    irq_restore(was);
    return 0;
}
MONITOR_CMD(sleep, "sleep MS", "let programs run for MS milliseconds", cmd_sleep);

static const char *state_name(enum proc_state s)
{
    static const char *const names[] = {
        [PROC_UNUSED] = "-", [PROC_EMBRYO] = "new", [PROC_RUNNABLE] = "R",
        [PROC_RUNNING] = "R", [PROC_SLEEPING] = "S", [PROC_ZOMBIE] = "Z",
    };
    return names[s];
}

static int cmd_ps(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cprintf("  PID  PPID S NAME             RSS(KiB) OOM_ADJ\n");
    for (unsigned i = 0; i < NPROC; i++) {
        const struct proc *p = &proc_table[i];
        if (p->state == PROC_UNUSED)
            continue;
        cprintf("%5d %5d %s %-16s %8lu %7d\n", p->pid, p->parent ? p->parent->pid : 0,
                state_name(p->state), p->name, p->as ? p->as->rss_pages * 4 : 0,
                p->oom_score_adj);
    }
    return 0;
}
MONITOR_CMD(ps, "ps", "the process table", cmd_ps);
