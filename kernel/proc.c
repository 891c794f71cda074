/*
 * kernel/proc.c - the life of a process: birth, death, and being waited
 * for.
 *
 * A new process gets a slot in proc_table and a kernel stack laid out so
 * that the first context_switch into it "returns" into a start routine:
 *
 *   kstack_top -> +--------------------+
 *                 | struct trapframe   |  user registers: iret goes here
 *                 +--------------------+
 *                 | struct context     |  eip = proc_first_run
 *   p->context -> +--------------------+
 *
 * Exit frees what the process owned (its address space: every region,
 * frame and page table) at once, and becomes a zombie holding only its
 * slot, its kernel stack and its wait status until the parent's wait4
 * collects them.  Orphans are given to pid 1, the monitor, which reaps them.
 */
#include "kernel/proc.h"
#include "kernel/assert.h"
#include "kernel/x86.h"
#include "drivers/pit.h"
#include "mm/kstack.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "mm/oom.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define INIT_PID 1

struct proc proc_table[NPROC];
static int next_pid = INIT_PID;

struct proc *proc_find(int pid)
{
    for (unsigned i = 0; i < NPROC; i++)
        if (proc_table[i].state != PROC_UNUSED && proc_table[i].pid == pid)
            return &proc_table[i];
    return NULL;
}

static void proc_default_limits(struct proc *p)
{
    for (unsigned i = 0; i < RLIM_NLIMITS; i++)
        p->rlimits[i] = (struct rlimit32){ RLIM_INFINITY32, RLIM_INFINITY32 };
    p->rlimits[RLIMIT_STACK] = (struct rlimit32){ 8u << 20, RLIM_INFINITY32 };
    p->rlimits[RLIMIT_NOFILE] = (struct rlimit32){ 1024, 4096 };
}

struct proc *proc_alloc(const char *name)
{
    bool was = irq_save();
    struct proc *p = NULL;

    for (unsigned i = 0; i < NPROC && !p; i++)
        if (proc_table[i].state == PROC_UNUSED)
            p = &proc_table[i];
    if (p) {
        memset(p, 0, sizeof(*p));
        p->state = PROC_EMBRYO;
        p->pid = next_pid++;
    }
    irq_restore(was);
    if (!p)
        return NULL;
    if (!(p->kstack_top = kstack_alloc())) {
        p->state = PROC_UNUSED;
        return NULL;
    }
    strlcpy(p->name, name, sizeof(p->name));
    proc_default_limits(p);
    fpu_init_state(&p->fpu);
    p->start_ticks = pit_ticks();
    return p;
}

/* Where a new user process's first context_switch lands. */
static void proc_first_run(void)
{
    sti();
    if (current->set_child_tid) {
        int32_t tid = current->pid;
        copy_to_user((void *)current->set_child_tid, &tid, sizeof(tid));
    }
    __asm__ volatile("mov %0, %%esp\n\t"
                     "jmp trap_return" : : "r"(current->tf) : "memory");
    __builtin_unreachable();
}

static void kthread_first_run(void)
{
    sti();
    current->kthread_fn();
    proc_exit(W_EXITCODE(0));
}

/* Put a context below FRAME_TOP that resumes at ENTRY. */
static void proc_set_entry(struct proc *p, vaddr_t frame_top, void (*entry)(void))
{
    struct context *c = (struct context *)(frame_top - sizeof(struct context));

    memset(c, 0, sizeof(*c));
    c->eip = (uint32_t)(uintptr_t)entry;
    p->context = c;
}

struct proc *proc_spawn_kernel(const char *name, void (*fn)(void))
{
    struct proc *p = proc_alloc(name);

    if (!p)
        return NULL;
    p->kthread_fn = fn;
    proc_set_entry(p, p->kstack_top, kthread_first_run);
    p->state = PROC_RUNNABLE;
    return p;
}

void proc_start_user(struct proc *p)
{
    ASSERT(p->tf == (struct trapframe *)(p->kstack_top - sizeof(struct trapframe)));
    proc_set_entry(p, (vaddr_t)p->tf, proc_first_run);
    p->state = PROC_RUNNABLE;
}

void proc_reap(struct proc *p)
{
    ASSERTF(p->state == PROC_ZOMBIE || p->state == PROC_EMBRYO, "pid %d state %d",
            p->pid, p->state);
    if (p->as) {
        aspace_destroy(p->as);      /* an embryo that never ran */
        p->as = NULL;
    }
    kstack_free(p->kstack_top);
    p->state = PROC_UNUSED;
}

/* Give P's children to init, and wake init if one is already a zombie. */
static void proc_reparent_children(struct proc *p)
{
    struct proc *init = proc_find(INIT_PID);

    for (unsigned i = 0; i < NPROC; i++) {
        struct proc *c = &proc_table[i];
        if (c->state != PROC_UNUSED && c->parent == p) {
            c->parent = init;
            if (c->state == PROC_ZOMBIE && init)
                wakeup(init);
        }
    }
}

NORETURN void proc_exit(int wait_status)
{
    struct proc *p = current;

    ASSERTF(p->pid != INIT_PID, "init (the monitor) exited with status 0x%x", wait_status);
    if (p->as) {
        if (p->clear_child_tid) {
            int32_t zero = 0;
            copy_to_user((void *)p->clear_child_tid, &zero, sizeof(zero));
        }
        struct addr_space *as = p->as;
        p->as = NULL;
        switch_address_space(&kernel_space);
        aspace_destroy(as);
    }
    mem_pressure_check();
    cli();
    proc_reparent_children(p);
    p->wait_status = wait_status;
    p->state = PROC_ZOMBIE;
    if (p->parent)
        wakeup(p->parent);
    schedule();             /* a zombie never runs again */
    PANIC("zombie pid %d was scheduled", p->pid);
}

void proc_kill(struct proc *p, int sig)
{
    bool was = irq_save();

    if (p->state != PROC_ZOMBIE && p->state != PROC_UNUSED && !p->kill_signal) {
        p->kill_signal = sig;
        if (p->state == PROC_SLEEPING)
            p->state = PROC_RUNNABLE;   /* its sleep loop sees the signal */
    }
    irq_restore(was);
}

/* Add child C's resource use to its parent (getrusage RUSAGE_CHILDREN). */
static void proc_collect(struct proc *parent, const struct proc *c)
{
    parent->child_minflt += c->minflt + c->child_minflt;
    parent->child_majflt += c->majflt + c->child_majflt;
    parent->child_maxrss_pages = MAX(parent->child_maxrss_pages,
                                     MAX(c->maxrss_pages, c->child_maxrss_pages));
}

int proc_wait(int pid, int *status, bool nohang)
{
    bool was = irq_save();
    int result;

    for (;;) {
        bool have_children = false;
        struct proc *zombie = NULL;
        for (unsigned i = 0; i < NPROC; i++) {
            struct proc *c = &proc_table[i];
            if (c->state == PROC_UNUSED || c->state == PROC_EMBRYO ||
                c->parent != current || (pid > 0 && c->pid != pid))
                continue;
            have_children = true;
            if (c->state == PROC_ZOMBIE && !zombie)
                zombie = c;
        }
        if (zombie) {
            result = zombie->pid;
            *status = zombie->wait_status;
            proc_collect(current, zombie);
            proc_reap(zombie);
            break;
        }
        if (!have_children) {
            result = -ECHILD;
            break;
        }
        if (nohang || current->kill_signal) {
            result = nohang ? 0 : -EINTR;
            break;
        }
        sleep_on(current);
    }
    irq_restore(was);
    return result;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGBUS: return "SIGBUS";
    case SIGTERM: return "SIGTERM";
    default: return "signal";
    }
}

NORETURN void proc_user_fault(struct trapframe *tf, int sig, const char *what, vaddr_t addr)
{
    struct proc *p = current;

    const struct vma *code = p->as ? vma_find(p->as, tf->eip) : NULL;

    /* Linux's line, including where the faulting code is mapped. */
    if (sig == SIGSEGV && tf->trapno == T_PAGE_FAULT && code)
        kprintf(KERN_INFO "%s[%d]: segfault at %x ip %08x sp %08x error %x in %s[%x+%x]\n",
                p->name, p->pid, addr, tf->eip, tf->user_esp, tf->err, p->name,
                code->start, code->end - code->start);
    else if (sig == SIGSEGV && tf->trapno == T_PAGE_FAULT)
        kprintf(KERN_INFO "%s[%d]: segfault at %x ip %08x sp %08x error %x\n",
                p->name, p->pid, addr, tf->eip, tf->user_esp, tf->err);
    else
        kprintf(KERN_INFO "traps: %s[%d] trap %s ip:%x sp:%x error:%x in %s (%s)\n",
                p->name, p->pid, what, tf->eip, tf->user_esp, tf->err, p->name,
                signal_name(sig));
    proc_exit(W_SIGNALED(sig));
}

void proc_init(void)
{
    memset(proc_table, 0, sizeof(proc_table));
}
