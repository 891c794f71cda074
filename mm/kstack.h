/*
 * mm/kstack.h - kernel stacks with guard pages.
 */
#ifndef MM_KSTACK_H
#define MM_KSTACK_H

#include "lib/types.h"

/* A fresh KSTACK_PAGES-page kernel stack in the kernel-stack area, with an
 * unmapped guard page below it.  Returns the initial stack pointer (the
 * top, exclusive), or 0 when out of frames or slots. */
vaddr_t kstack_alloc(void);
/* Release the stack whose top KSTACK_alloc returned. */
void kstack_free(vaddr_t top);
/* Is ADDR in the guard page of a kernel stack (an overflow)? */
bool kstack_is_guard(vaddr_t addr);

#endif
