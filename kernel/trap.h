/*
 * kernel/trap.h - interrupts and exceptions: the saved state and the
 * handler registry.
 *
 * struct trapframe is exactly what kernel/trapentry.asm leaves on the stack,
 * lowest address first; change one and you must change the other (the
 * _Static_assert below pins the size).
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include "lib/types.h"

struct trapframe {
    /* pushad */
    uint32_t edi, esi, ebp, esp_at_pushad, ebx, edx, ecx, eax;
    uint32_t gs, fs, es, ds;
    uint32_t trapno;
    uint32_t err;
    /* pushed by the CPU */
    uint32_t eip, cs, eflags;
    /* pushed by the CPU only on a change of privilege (from ring 3) */
    uint32_t user_esp, user_ss;
};
_Static_assert(sizeof(struct trapframe) == 19 * 4, "must match trapentry.asm");

/* Exception vectors (Intel SDM Vol. 3A, 6.3.1, Table 6-1). */
#define T_DIVIDE     0
#define T_DEBUG      1
#define T_NMI        2
#define T_BREAKPOINT 3
#define T_OVERFLOW   4
#define T_BOUND      5
#define T_INVALID_OP 6
#define T_NO_DEVICE  7
#define T_DOUBLE     8
#define T_INVALID_TSS 10
#define T_NO_SEGMENT 11
#define T_STACK      12
#define T_GPF        13
#define T_PAGE_FAULT 14
#define T_FPU        16
#define T_ALIGNMENT  17
#define T_MACHINE    18
#define T_SIMD       19
#define T_EXCEPTIONS 32

#define IRQ_BASE     32     /* the PICs are remapped here (kernel/pic.c) */
#define IRQ_TIMER    0
#define IRQ_KEYBOARD 1
#define IRQ_COM1     4
#define T_SYSCALL    0x80   /* Linux i386: int $0x80 */

/* A handler returns nothing; it may change *TF (e.g. a system call's
 * result in eax) and the change is what the interrupted code sees. */
typedef void (*trap_handler_t)(struct trapframe *tf);

void idt_init(void);
/* Make VECTOR a task gate to the TSS with selector TSS_SELECTOR. */
void idt_set_task_gate(unsigned vector, uint16_t tss_selector);
void trap_set_handler(unsigned vector, trap_handler_t handler);
void irq_set_handler(unsigned irq, trap_handler_t handler);
void trap_dispatch(struct trapframe *tf);

const char *trap_name(unsigned vector);
/* Print the registers of TF (and CR0/2/3/4) the way an oops does. */
void trap_print_regs(const struct trapframe *tf);
/* Report an unhandled fault in the kernel and stop: the oops path. */
NORETURN void trap_oops(struct trapframe *tf, const char *why);
/* Was TF interrupted in ring 3? */
static inline bool trap_from_user(const struct trapframe *tf)
{
    return (tf->cs & 3) == 3;
}

#endif
