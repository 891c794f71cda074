/*
 * kernel/sched.c - round-robin scheduling, sleep and wakeup.
 *
 * As in xv6, the scheduler is a loop with a context of its own (it runs on
 * the boot stack): a process gives up the CPU by switching to it, and it
 * picks the next RUNNABLE process in table order and switches there.
 *
 * Preemption happens only on the way back to user mode (a timer tick that
 * used up the slice, checked in proc_return_to_user).  Kernel code is never
 * preempted, so the allocators and page tables need no locks on this single
 * CPU; a kernel thread (the monitor) gives up the CPU only by sleeping.
 * Everything that changes process states runs with interrupts disabled,
 * because wakeup is also called from interrupt handlers (console input,
 * the clock).
 */
#include "kernel/proc.h"
#include "kernel/gdt.h"
#include "kernel/x86.h"
#include "kernel/assert.h"
#include "drivers/pit.h"
#include "mm/vm.h"

void context_switch(struct context **save, struct context *load);

struct proc *current;
static struct context *scheduler_context;
static bool need_resched;

/* Install P's TLS descriptors in the GDT slots (reloaded with %gs on the
 * way back to user mode). */
static void sched_load_tls(const struct proc *p)
{
    for (unsigned i = 0; i < GDT_TLS_COUNT; i++) {
        const struct tls_desc *d = &p->tls[i];
        if (d->used)
            gdt_set_tls(GDT_TLS_MIN + i, d->base, d->limit, d->limit_in_pages);
        else
            gdt_set_tls(GDT_TLS_MIN + i, 0, 0, false);
    }
}

/* Run P until it gives the CPU back. */
static void sched_run(struct proc *p)
{
    current = p;
    p->state = PROC_RUNNING;
    p->slice_left = TIME_SLICE_TICKS;
    need_resched = false;
    switch_address_space(p->as ? p->as : &kernel_space);
    tss_set_kernel_stack(p->kstack_top);
    sched_load_tls(p);
    fpu_restore(&p->fpu);
    context_switch(&scheduler_context, p->context);
    fpu_save(&p->fpu);
    current = NULL;
    switch_address_space(&kernel_space);
}

NORETURN static void scheduler(void)
{
    unsigned next = 0;

    for (;;) {
        cli();
        bool ran = false;
        for (unsigned n = 0; n < NPROC; n++) {
            struct proc *p = &proc_table[(next + n) % NPROC];
            if (p->state == PROC_RUNNABLE) {
                next = (unsigned)(p - proc_table) + 1;
                sched_run(p);
                ran = true;
                break;
            }
        }
        if (!ran)
            __asm__ volatile("sti; hlt" ::: "memory");   /* idle until an interrupt */
        else
            sti();
    }
}

void schedule(void)
{
    ASSERTF(current && current->state != PROC_RUNNING, "pid %d", current ? current->pid : -1);
    context_switch(&current->context, scheduler_context);
}

void yield(void)
{
    bool was = irq_save();

    current->state = PROC_RUNNABLE;
    schedule();
    irq_restore(was);
}

void sleep_on(const void *chan)
{
    ASSERT(!(read_eflags() & EFLAGS_IF));
    current->wait_channel = chan;
    current->state = PROC_SLEEPING;
    schedule();
    current->wait_channel = NULL;
}

void wakeup(const void *chan)
{
    bool was = irq_save();

    for (unsigned i = 0; i < NPROC; i++)
        if (proc_table[i].state == PROC_SLEEPING && proc_table[i].wait_channel == chan)
            proc_table[i].state = PROC_RUNNABLE;
    irq_restore(was);
}

/* Processes in sleep_until_tick wait on this, each with its own
 * wake_tick; the clock wakes only those whose time has come. */
static const char tick_channel;

void sleep_until_tick(uint64_t deadline)
{
    current->wake_tick = deadline;
    while (pit_ticks() < deadline && !current->kill_signal)
        sleep_on(&tick_channel);
}

static void wake_sleepers(void)
{
    uint64_t now = pit_ticks();

    for (unsigned i = 0; i < NPROC; i++) {
        struct proc *p = &proc_table[i];
        if (p->state == PROC_SLEEPING && p->wait_channel == &tick_channel && p->wake_tick <= now)
            p->state = PROC_RUNNABLE;
    }
}

void proc_tick(void)
{
    if (current) {
        if (current->tf && trap_from_user(current->tf))
            current->user_ticks++;
        else
            current->system_ticks++;
        if (--current->slice_left <= 0)
            need_resched = true;
    }
    wake_sleepers();
}

void proc_return_to_user(struct trapframe *tf)
{
    (void)tf;
    if (current->kill_signal)
        proc_exit(W_SIGNALED(current->kill_signal));
    if (need_resched)
        yield();
    if (current->kill_signal)
        proc_exit(W_SIGNALED(current->kill_signal));
}

NORETURN void sched_start(void (*fn)(void))
{
    ASSERT(proc_spawn_kernel("monitor", fn) != NULL);
    pit_set_tick_hook(proc_tick);
    scheduler();
}
