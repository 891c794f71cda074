/*
 * kernel/sys_proc.c - system calls about processes: identity, ending,
 * creating (fork, as glibc's clone), waiting, signalling.
 */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "mm/vm.h"
#include "mm/reclaim.h"
#include "mm/uaccess.h"
#include "lib/errno.h"
#include "lib/string.h"

/* clone flags (Linux include/uapi/linux/sched.h). */
#define CSIGNAL              0x000000ff
#define CLONE_VM             0x00000100
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID   0x01000000
#define CLONE_FORK_FLAGS     (CSIGNAL | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)
#define WNOHANG              1

SYSCALL_DEFINE(__NR_exit, exit)
{
    proc_exit(W_EXITCODE(SYSARG(0)));
}

SYSCALL_DEFINE(__NR_exit_group, exit_group)
{
    proc_exit(W_EXITCODE(SYSARG(0)));
}

SYSCALL_DEFINE(__NR_getpid, getpid)
{
    return current->pid;
}

SYSCALL_DEFINE(__NR_gettid, gettid)
{
    return current->pid;        /* one thread per process */
}

SYSCALL_DEFINE(__NR_getppid, getppid)
{
    return current->parent ? current->parent->pid : 0;
}

SYSCALL_DEFINE(__NR_getuid32, getuid32) { return 0; }
SYSCALL_DEFINE(__NR_geteuid32, geteuid32) { return 0; }
SYSCALL_DEFINE(__NR_getgid32, getgid32) { return 0; }
SYSCALL_DEFINE(__NR_getegid32, getegid32) { return 0; }

SYSCALL_DEFINE(__NR_set_tid_address, set_tid_address)
{
    current->clear_child_tid = SYSARG(0);
    return current->pid;
}

/* The robust-futex list matters only to threads, which this kernel does
 * not have; remember it as Linux would and report success. */
SYSCALL_DEFINE(__NR_set_robust_list, set_robust_list)
{
    if (SYSARG(1) != 12)        /* sizeof(struct robust_list_head) on i386 */
        return -EINVAL;
    return 0;
}

SYSCALL_DEFINE(__NR_sched_yield, sched_yield)
{
    yield();
    return 0;
}

/* A copy of the current process: same memory (copy-on-write), same
 * registers, but fork returns 0 in the child. */
static long do_fork(uint32_t flags, vaddr_t parent_tid, vaddr_t child_tid)
{
    struct proc *child = proc_alloc(current->name);

    if (!child)
        return -EAGAIN;
    /* Copying page tables and reverse-map entries needs memory: when it
     * runs out, reclaim some and try again, a few times. */
    for (int tries = 0; !(child->as = aspace_fork(current->as)); tries++) {
        if (tries == 3 || !reclaim_pages(4 * RECLAIM_BATCH)) {
            proc_reap(child);
            return -ENOMEM;
        }
    }
    child->parent = current;
    child->program = current->program;
    child->brk_start = current->brk_start;
    child->brk = current->brk;
    child->mmap_base = current->mmap_base;
    memcpy(child->tls, current->tls, sizeof(child->tls));
    fpu_save(&child->fpu);      /* the parent's live registers */
    memcpy(child->rlimits, current->rlimits, sizeof(child->rlimits));
    child->oom_score_adj = current->oom_score_adj;
    child->maxrss_pages = child->as->rss_pages;
    child->tf = (struct trapframe *)(child->kstack_top - sizeof(struct trapframe));
    *child->tf = *current->tf;
    child->tf->eax = 0;
    if (flags & CLONE_CHILD_SETTID)
        child->set_child_tid = child_tid;
    if (flags & CLONE_CHILD_CLEARTID)
        child->clear_child_tid = child_tid;
    if (flags & CLONE_PARENT_SETTID) {
        int32_t tid = child->pid;
        copy_to_user((void *)parent_tid, &tid, sizeof(tid));
    }
    proc_start_user(child);
    return child->pid;
}

SYSCALL_DEFINE(__NR_fork, fork)
{
    return do_fork(0, 0, 0);
}

/* glibc's fork() is clone(SIGCHLD | CLONE_CHILD_SETTID |
 * CLONE_CHILD_CLEARTID, 0, NULL, NULL, &tid): arguments on i386 are
 * flags, stack, parent_tid, tls, child_tid.  Threads (CLONE_VM) are not
 * supported. */
SYSCALL_DEFINE(__NR_clone, clone)
{
    uint32_t flags = SYSARG(0);

    if ((flags & ~CLONE_FORK_FLAGS) || SYSARG(1))
        return -EINVAL;
    return do_fork(flags, SYSARG(2), SYSARG(4));
}

static long do_wait(int pid, vaddr_t status_ptr, uint32_t options)
{
    int status = 0;

    if (pid < -1 || pid == 0)
        pid = -1;           /* process groups: every child is in ours */
    if (options & ~WNOHANG)
        return -EINVAL;
    int r = proc_wait(pid, &status, options & WNOHANG);
    if (r > 0 && status_ptr && copy_to_user((void *)status_ptr, &status, sizeof(status)) < 0)
        return -EFAULT;
    return r;
}

SYSCALL_DEFINE(__NR_wait4, wait4)
{
    if (SYSARG(3)) {        /* struct rusage of the child: not kept */
        static const uint8_t zeros[72];
        if (copy_to_user((void *)SYSARG(3), zeros, sizeof(zeros)) < 0)
            return -EFAULT;
    }
    return do_wait((int)SYSARG(0), SYSARG(1), SYSARG(2));
}

SYSCALL_DEFINE(__NR_waitpid, waitpid)
{
    return do_wait((int)SYSARG(0), SYSARG(1), SYSARG(2));
}

static long do_kill(int pid, int sig)
{
    if (sig < 0 || sig > 64)
        return -EINVAL;
    if (pid <= 0)
        pid = current->pid;     /* no process groups: "everyone" is us */
    struct proc *p = proc_find(pid);
    if (!p || p->state == PROC_ZOMBIE)
        return -ESRCH;
    if (p->pid == 1)
        return -EPERM;          /* the monitor is not a program's to kill */
    if (sig == 0 || sig == SIGCHLD)
        return 0;               /* existence check; SIGCHLD is ignored by default */
    proc_kill(p, sig);
    return 0;
}

SYSCALL_DEFINE(__NR_kill, kill)
{
    return do_kill((int)SYSARG(0), (int)SYSARG(1));
}

SYSCALL_DEFINE(__NR_tgkill, tgkill)
{
    return do_kill((int)SYSARG(1), (int)SYSARG(2));
}

SYSCALL_DEFINE(__NR_tkill, tkill)
{
    return do_kill((int)SYSARG(0), (int)SYSARG(1));
}
