/*
 * kernel/doublefault.c - the double fault, handled as a separate task.
 *
 * When the kernel overflows its stack into the guard page, the page fault
 * that follows cannot be delivered: the CPU must push the exception frame
 * onto the very stack that has no room left.  That second fault is a
 * double fault (#DF, vector 8).  An ordinary interrupt gate would push
 * onto the same stack again and the CPU would reset (a triple fault).
 *
 * So vector 8 is a *task gate* (Intel SDM Vol. 3A, 6.11 and 7.3): the CPU
 * saves the whole state of what was running into the main TSS and loads a
 * second TSS, with its own stack, whose EIP is double_fault_task.  From
 * there the main TSS tells us ESP and EIP at the time of the fault, and
 * an ESP inside a kernel stack's guard page says: stack overflow.
 */
#include "kernel/doublefault.h"
#include "kernel/gdt.h"
#include "kernel/panic.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "mm/kstack.h"
#include "lib/kprintf.h"

#define DF_STACK_BYTES 8192
#define EFLAGS_RESERVED_1 (1u << 1)   /* bit 1 of EFLAGS always reads 1 */

static struct tss df_tss;
static uint8_t df_stack[DF_STACK_BYTES] __attribute__((aligned(16)));

static NORETURN void double_fault_task(void)
{
    const struct tss *t = &main_tss;     /* the state the fault interrupted */
    bool overflow = kstack_is_guard(t->esp) || kstack_is_guard(t->esp - 4) ||
                    kstack_is_guard(read_cr2());

    if (overflow)
        kprintf(KERN_EMERG "BUG: kernel stack overflow: esp %08x is in the guard page "
                "below a kernel stack\n", t->esp);
    kprintf(KERN_EMERG "Oops: double fault [#1]\n");
    kprintf(KERN_EMERG "EIP: %04x:[<%08x>] EFLAGS: %08x\n", t->cs, t->eip, t->eflags);
    kprintf(KERN_EMERG "EIP is at %s\n", ksym_describe(t->eip));
    kprintf(KERN_EMERG "EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n", t->eax, t->ebx, t->ecx, t->edx);
    kprintf(KERN_EMERG "ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n", t->esi, t->edi, t->ebp, t->esp);
    kprintf(KERN_EMERG "CR2: %08x CR3: %08x\n", read_cr2(), read_cr3());
    backtrace_from(t->ebp, t->eip);
    panic_stop(overflow ? "kernel stack overflow" : "double fault");
}

void doublefault_init(void)
{
    df_tss.eip = (uint32_t)(uintptr_t)double_fault_task;
    df_tss.esp = (uint32_t)(uintptr_t)(df_stack + sizeof(df_stack));
    df_tss.ebp = 0;                      /* its backtrace starts fresh */
    df_tss.eflags = EFLAGS_RESERVED_1;   /* interrupts off */
    df_tss.cs = SEL_KERNEL_CODE;
    df_tss.ds = df_tss.es = df_tss.ss = df_tss.fs = df_tss.gs = SEL_KERNEL_DATA;
    df_tss.ss0 = SEL_KERNEL_DATA;
    df_tss.esp0 = df_tss.esp;
    df_tss.cr3 = read_cr3();             /* the kernel's directory */
    gdt_set_tss(GDT_DF_TSS, &df_tss);
    idt_set_task_gate(T_DOUBLE, SEL_DF_TSS);
}
