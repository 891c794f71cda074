/*
 * kernel/syscall.h - the Linux i386 system-call ABI.
 *
 * A program executes `int $0x80` with the call number in EAX and up to six
 * arguments in EBX, ECX, EDX, ESI, EDI, EBP; the result comes back in EAX,
 * a negative errno on failure (the C library turns -14 into errno = EFAULT
 * and a return of -1).  Numbers are Linux's, from
 * arch/x86/entry/syscalls/syscall_32.tbl (kernel/syscall_nr.h; a host test
 * checks them against the cross toolchain's asm/unistd_32.h).
 *
 * A system call is defined next to the code it exposes, and registers
 * itself through a linker section, like monitor commands:
 *
 *   SYSCALL_DEFINE(__NR_getpid, getpid)
 *   {
 *       return current->pid;
 *   }
 *
 * Inside, the arguments are SYSARG(0) .. SYSARG(5), and TF is the caller's
 * trap frame.  Every pointer argument is a user pointer: read and write it
 * only with copy_from_user/copy_to_user, which return -EFAULT instead of
 * crashing.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "lib/types.h"
#include "kernel/trap.h"
#include "kernel/syscall_nr.h"

#define SYSCALL_MAX 512

struct syscall_args {
    uint32_t arg[6];
    struct trapframe *tf;
};

struct syscall_entry {
    unsigned nr;
    const char *name;
    long (*fn)(struct syscall_args *a);
};

#define SYSARG(i) (a->arg[i])

#define SYSCALL_DEFINE(nr_, name_) \
    static long sys_##name_(struct syscall_args *a); \
    static const struct syscall_entry syscall_entry_##name_ = { nr_, #name_, sys_##name_ }; \
    static const struct syscall_entry *syscall_ptr_##name_ \
        __attribute__((used, section("syscall_table"))) = &syscall_entry_##name_; \
    static long sys_##name_(UNUSED struct syscall_args *a)

void syscall_init(void);
/* The name of system call NR, or NULL if not implemented. */
const char *syscall_name(unsigned nr);

#endif
