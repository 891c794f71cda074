/*
 * mm/overcommit.h - commit accounting: how much memory has been promised.
 */
#ifndef MM_OVERCOMMIT_H
#define MM_OVERCOMMIT_H

#include "lib/types.h"

#define OVERCOMMIT_GUESS  0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER  2

extern long sysctl_overcommit_memory;
extern long sysctl_overcommit_ratio;
extern long sysctl_overcommit_kbytes;
/* Pages promised to processes so far (Committed_AS). */
extern unsigned long vm_committed_pages;

/* May PAGES more pages be promised?  Charges them and returns 0, or
 * returns -ENOMEM under the current vm.overcommit_memory mode. */
int vm_commit(unsigned long pages);
void vm_uncommit(unsigned long pages);
/* CommitLimit in pages: swap + RAM x ratio / 100 (or overcommit_kbytes). */
unsigned long vm_commit_limit(void);
/* Swap pages in total and free, 0 without swap (provided by the swap code). */
unsigned long swap_total_pages(void);
unsigned long swap_free_pages(void);

#endif
