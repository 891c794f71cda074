/*
 * kernel/doublefault.h - a double fault (e.g. a kernel stack overflow)
 * handled on a task of its own.
 */
#ifndef KERNEL_DOUBLEFAULT_H
#define KERNEL_DOUBLEFAULT_H

/* Install the double-fault task; call once the kernel page tables are in
 * CR3 (the task runs on them). */
void doublefault_init(void);

#endif
