/*
 * kernel/syscall.c - dispatching `int $0x80`.
 *
 * At boot the registered system calls (section "syscall_table") are sorted
 * into an array indexed by number.  A number nobody registered returns
 * -ENOSYS, as Linux does for a call it lacks, and is logged once per
 * number so `dmesg` shows what a program wanted.
 */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/assert.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/kprintf.h"

extern const struct syscall_entry *__start_syscall_table[];
extern const struct syscall_entry *__stop_syscall_table[];

static const struct syscall_entry *syscalls[SYSCALL_MAX];
static uint8_t reported_missing[SYSCALL_MAX / 8];

const char *syscall_name(unsigned nr)
{
    return nr < SYSCALL_MAX && syscalls[nr] ? syscalls[nr]->name : NULL;
}

static long syscall_missing(unsigned nr)
{
    unsigned bit = nr < SYSCALL_MAX ? nr : SYSCALL_MAX - 1;

    if (!(reported_missing[bit / 8] & (1u << (bit % 8)))) {
        reported_missing[bit / 8] |= (uint8_t)(1u << (bit % 8));
        kprintf(KERN_INFO "%s[%d]: unimplemented syscall %u\n",
                current->name, current->pid, nr);
    }
    return -ENOSYS;
}

static void syscall_trap(struct trapframe *tf)
{
    unsigned nr = tf->eax;
    struct syscall_args a = {
        { tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp }, tf
    };

    sti();      /* system calls run with interrupts on, like the program did */
    if (nr < SYSCALL_MAX && syscalls[nr])
        tf->eax = (uint32_t)syscalls[nr]->fn(&a);
    else
        tf->eax = (uint32_t)syscall_missing(nr);
}

void syscall_init(void)
{
    for (const struct syscall_entry **e = __start_syscall_table; e < __stop_syscall_table; e++) {
        ASSERTF((*e)->nr < SYSCALL_MAX, "syscall %s has number %u", (*e)->name, (*e)->nr);
        ASSERTF(!syscalls[(*e)->nr], "syscall %u registered twice (%s, %s)", (*e)->nr,
                (*e)->name, syscalls[(*e)->nr]->name);
        syscalls[(*e)->nr] = *e;
    }
    trap_set_handler(T_SYSCALL, syscall_trap);
}
