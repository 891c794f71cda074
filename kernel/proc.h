/*
 * kernel/proc.h - processes: what the kernel knows about each running
 * program, and the scheduler that shares the CPU among them.
 *
 * A process is an address space (its memory), a kernel stack (where the
 * kernel runs on its behalf: system calls, faults), the saved registers of
 * its user code (the trap frame at the top of that stack), and bookkeeping:
 * who its parent is, how it ended, how much memory it has touched.
 *
 * States, and who moves a process between them:
 *
 *   UNUSED --proc_alloc--> RUNNABLE <--scheduler--> RUNNING
 *                             ^                       |  sleep_on
 *                             +------ wakeup ---- SLEEPING
 *   RUNNING --proc_exit--> ZOMBIE --parent's wait4--> UNUSED
 *
 * The monitor itself is a kernel thread (no address space of its own):
 * pid 1, the parent of every program it runs, like init.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "lib/types.h"
#include "lib/list.h"
#include "kernel/trap.h"
#include "kernel/gdt.h"
#include "kernel/fpu.h"

#define NPROC           64
#define PROC_NAME_MAX   16
#define TIME_SLICE_TICKS 10     /* 10 ms at 1000 Hz */

/* Linux's signal numbers (asm/signal.h), for the few we deliver. */
#define SIGKILL  9
#define SIGSEGV 11
#define SIGFPE   8
#define SIGILL   4
#define SIGBUS   7
#define SIGTERM 15
#define SIGCHLD 17

enum proc_state {
    PROC_UNUSED,
    PROC_EMBRYO,        /* allocated, being set up */
    PROC_RUNNABLE,
    PROC_RUNNING,
    PROC_SLEEPING,
    PROC_ZOMBIE,
};

/* Callee-saved registers at a context switch (kernel/switch.asm); the
 * return address on top of them is where the process resumes. */
struct context {
    uint32_t edi, esi, ebx, ebp, eip;
};

/* A TLS descriptor installed by set_thread_area (Linux's user_desc). */
struct tls_desc {
    uint32_t base, limit;
    bool used, limit_in_pages;
};

struct rlimit32 {
    uint32_t cur, max;
};
#define RLIM_NLIMITS 16
#define RLIMIT_STACK 3     /* Linux's resource numbers (asm-generic/resource.h) */
#define RLIMIT_RSS   5
#define RLIMIT_NOFILE 7
#define RLIMIT_AS    9
#define RLIM_INFINITY32 0xFFFFFFFFu

struct program;

struct proc {
    struct fpu_state fpu;           /* user FPU/SSE registers while not running */
    int pid;
    char name[PROC_NAME_MAX];
    enum proc_state state;
    struct proc *parent;
    struct addr_space *as;          /* NULL for a kernel thread */
    const struct program *program;  /* the image it runs, or NULL */
    vaddr_t kstack_top;
    struct context *context;        /* saved by context_switch */
    struct trapframe *tf;           /* user registers, top of kstack */
    const void *wait_channel;       /* what a SLEEPING process waits for */
    uint64_t wake_tick;             /* sleep_until_tick: when to wake */
    int wait_status;                /* Linux wait status: exit << 8 | signal */
    int kill_signal;                /* nonzero: terminate at the next chance */
    int slice_left;                 /* ticks until preemption */
    vaddr_t brk_start, brk;         /* the heap: [brk_start, brk) */
    vaddr_t mmap_base;              /* next address tried by mmap */
    vaddr_t clear_child_tid;        /* set_tid_address / CLONE_CHILD_CLEARTID */
    vaddr_t set_child_tid;          /* CLONE_CHILD_SETTID, written on first run */
    struct tls_desc tls[GDT_TLS_COUNT];
    struct rlimit32 rlimits[RLIM_NLIMITS];
    unsigned long minflt, majflt;   /* faults resolved without / with I/O */
    unsigned long maxrss_pages;     /* peak resident set */
    unsigned long child_minflt, child_majflt, child_maxrss_pages;
    uint64_t start_ticks;
    uint64_t user_ticks, system_ticks;
    bool mlockall;                  /* mlockall(MCL_CURRENT|MCL_FUTURE) */
    int oom_score_adj;
    void (*kthread_fn)(void);       /* a kernel thread's body */
};

/* The process running now; NULL while the scheduler itself runs. */
extern struct proc *current;
extern struct proc proc_table[NPROC];

void proc_init(void);
/* Start the scheduler on the boot stack; the kernel thread FN (the
 * monitor) runs as pid 1.  Never returns. */
NORETURN void sched_start(void (*fn)(void));
/* A kernel thread running FN, runnable at once; NULL if out of slots. */
struct proc *proc_spawn_kernel(const char *name, void (*fn)(void));

/* Sleep until the clock reaches tick DEADLINE (or the process is being
 * killed); interrupts as for sleep_on. */
void sleep_until_tick(uint64_t deadline);

/* Give up the CPU: to another process if one is runnable. */
void yield(void);
/* Switch to the scheduler; the caller has set current->state (not
 * RUNNING) and disabled interrupts. */
void schedule(void);
/* Sleep until wakeup(CHAN).  Call with interrupts disabled after checking
 * the condition (so a wakeup cannot slip in between); returns with them
 * disabled again. */
void sleep_on(const void *chan);
void wakeup(const void *chan);

/* End the current process with Linux wait status STATUS; never returns. */
NORETURN void proc_exit(int wait_status);
/* Ask process P to terminate with signal SIG. */
void proc_kill(struct proc *p, int sig);
struct proc *proc_find(int pid);
/* A new process slot with a kernel stack, or NULL. */
struct proc *proc_alloc(const char *name);
/* Release a zombie's remaining resources (its slot and kernel stack). */
void proc_reap(struct proc *p);
/* Make P runnable, resuming in user mode from its trap frame. */
void proc_start_user(struct proc *p);
/* Wait for a child: PID > 0 that child, -1 any.  Stores the wait status
 * in *STATUS.  Returns the pid, 0 with NOHANG and none finished, -ECHILD. */
int proc_wait(int pid, int *status, bool nohang);

/* Called by trap_dispatch before returning to user mode: preemption and
 * pending kills happen here. */
void proc_return_to_user(struct trapframe *tf);
/* Called on every timer tick. */
void proc_tick(void);
/* A user-mode fault or exception the kernel cannot fix: print Linux's
 * line and terminate the current process with SIG. */
NORETURN void proc_user_fault(struct trapframe *tf, int sig, const char *what, vaddr_t addr);

/* Linux's wait-status encoding. */
#define W_EXITCODE(code)   (((code) & 0xff) << 8)
#define W_SIGNALED(sig)    ((sig) & 0x7f)

#endif
