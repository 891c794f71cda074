/*
 * mm/uaccess.h - touching memory the kernel does not trust.
 *
 * A pointer handed in by a user program (or an address a test wants to
 * probe) may be unmapped, read-only or point into the kernel.  These
 * functions never crash on it: they return -EFAULT instead.
 *
 * How: the copy is one instruction whose address is listed in the
 * exception table (section __ex_table: pairs of "faulting instruction,
 * where to continue").  If the page-fault handler cannot resolve a fault
 * raised in the kernel, it looks the faulting EIP up in that table and, if
 * it is there, resumes at the fixup, which returns -EFAULT.  A fault the
 * handler *can* resolve (demand paging) simply restarts the copy.  Linux
 * does the same (arch/x86/mm/extable.c).
 */
#ifndef MM_UACCESS_H
#define MM_UACCESS_H

#include "lib/types.h"
#include "kernel/layout.h"

/* Is [ADDR, ADDR + LEN) entirely in user space (and not wrapping)? */
static inline bool access_ok(const void *addr, size_t len)
{
    uintptr_t a = (uintptr_t)addr;

    return a + len >= a && a + len <= KERNEL_VBASE;
}

/* Copy N bytes; 0 or -EFAULT (then an unknown part was copied). */
int copy_from_user(void *dst, const void *user_src, size_t n);
int copy_to_user(void *user_dst, const void *src, size_t n);

/* If the kernel faulted at EIP inside a uaccess function, the address to
 * continue at; else 0.  Called by the page-fault handler. */
uint32_t extable_fixup(uint32_t eip);

#endif
