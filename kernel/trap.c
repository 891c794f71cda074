/*
 * kernel/trap.c - where every interrupt and exception lands.
 *
 * trap_dispatch looks the vector up in a table of handlers that subsystems
 * register (the timer, the keyboard, later the page-fault handler and the
 * system calls).  A vector nobody claimed is, for an exception, a bug: the
 * kernel prints an oops -- the exception's name, the error code, CR2 for a
 * page fault, every register, a backtrace with function names -- and
 * stops.  The format follows Linux's i386 oops so it reads familiar.
 */
#include "kernel/trap.h"
#include "kernel/pic.h"
#include "kernel/proc.h"
#include "kernel/panic.h"
#include "kernel/x86.h"
#include "lib/kprintf.h"

static trap_handler_t handlers[256];

static const char *const exception_names[T_EXCEPTIONS] = {
    "divide error", "debug", "NMI", "int3", "overflow", "bounds",
    "invalid opcode", "device not available", "double fault",
    "coprocessor segment overrun", "invalid TSS", "segment not present",
    "stack segment", "general protection fault", "page fault", "reserved",
    "x87 floating point error", "alignment check", "machine check",
    "SIMD floating point error", "virtualization exception",
    "control protection", "reserved", "reserved", "reserved", "reserved",
    "reserved", "reserved", "reserved", "reserved", "security exception",
    "reserved",
};

const char *trap_name(unsigned vector)
{
    if (vector < T_EXCEPTIONS)
        return exception_names[vector];
    if (vector >= IRQ_BASE && vector < IRQ_BASE + 16)
        return "hardware interrupt";
    if (vector == T_SYSCALL)
        return "system call";
    return "unknown";
}

void trap_set_handler(unsigned vector, trap_handler_t handler)
{
    handlers[vector & 0xFF] = handler;
}

void irq_set_handler(unsigned irq, trap_handler_t handler)
{
    trap_set_handler(IRQ_BASE + irq, handler);
    pic_unmask(irq);
}

void trap_print_regs(const struct trapframe *tf)
{
    /* ESP at the fault: from ring 3 the CPU saved it; in ring 0 the stack
     * simply continues above the frame (no ss/esp were pushed). */
    uint32_t esp = trap_from_user(tf) ? tf->user_esp
                                      : (uint32_t)(uintptr_t)&tf->user_esp;

    kprintf(KERN_EMERG "EIP: %04x:[<%08x>] EFLAGS: %08x\n", tf->cs & 0xFFFF,
            tf->eip, tf->eflags);
    kprintf(KERN_EMERG "EIP is at %s\n", ksym_describe(tf->eip));
    kprintf(KERN_EMERG "EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n",
            tf->eax, tf->ebx, tf->ecx, tf->edx);
    kprintf(KERN_EMERG "ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n",
            tf->esi, tf->edi, tf->ebp, esp);
    kprintf(KERN_EMERG "DS: %04x ES: %04x FS: %04x GS: %04x SS: %04x\n",
            tf->ds & 0xFFFF, tf->es & 0xFFFF, tf->fs & 0xFFFF, tf->gs & 0xFFFF,
            trap_from_user(tf) ? tf->user_ss & 0xFFFF : 0x10);
    kprintf(KERN_EMERG "CR0: %08x CR2: %08x CR3: %08x CR4: %08x\n",
            read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

NORETURN void trap_oops(struct trapframe *tf, const char *why)
{
    kprintf(KERN_EMERG "Oops: %s: %04x [#1]\n", why, tf->err & 0xFFFF);
    if (tf->trapno == T_PAGE_FAULT)
        kprintf(KERN_EMERG "BUG: unable to handle page fault for address: %08x\n",
                read_cr2());
    trap_print_regs(tf);
    backtrace_from(tf->ebp, tf->eip);
    panic_stop("Fatal exception");
}

/* The signal a user-mode exception nobody handles turns into (as Linux's
 * arch/x86/kernel/traps.c does). */
static int trap_user_signal(unsigned vector)
{
    switch (vector) {
    case T_DIVIDE: case T_FPU: case T_SIMD: return SIGFPE;
    case T_INVALID_OP: return SIGILL;
    case T_ALIGNMENT: return SIGBUS;
    default: return SIGSEGV;
    }
}

void trap_dispatch(struct trapframe *tf)
{
    trap_handler_t h = handlers[tf->trapno & 0xFF];
    bool is_irq = tf->trapno >= IRQ_BASE && tf->trapno < IRQ_BASE + 16;

    if (is_irq) {
        /* Acknowledge first: a handler that switches tasks must not leave
         * the PIC waiting (spurious IRQ 7/15 need no EOI, see pic.c). */
        if (!pic_acknowledge(tf->trapno - IRQ_BASE))
            return;
    }
    if (h)
        h(tf);
    else if (trap_from_user(tf) && !is_irq)
        proc_user_fault(tf, trap_user_signal(tf->trapno), trap_name(tf->trapno), 0);
    else if (!is_irq)
        trap_oops(tf, trap_name(tf->trapno));
    /* Leaving for user mode is the moment to preempt or to die. */
    if (trap_from_user(tf) && current)
        proc_return_to_user(tf);
}
