/*
 * mm/oom.h - when memory runs out: the OOM killer and the pressure warning.
 */
#ifndef MM_OOM_H
#define MM_OOM_H

#include "lib/types.h"

struct proc;

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

/* An allocation of 2^ORDER frames for TRIGGER (the process whose fault
 * needed it) failed after reclaim: choose a victim, kill it, free its
 * memory.  Returns true if memory was freed (retry the allocation), false
 * if the victim was TRIGGER itself (which must now die).  Panics if no
 * process can be killed. */
bool out_of_memory(struct proc *trigger, unsigned order);
/* The badness of P: resident + swapped + page-table pages, shifted by
 * oom_score_adj; 0 for a process that must never be chosen. */
unsigned long oom_badness(const struct proc *p, unsigned long total_pages);
/* Log a warning once when (RAM + swap) use crosses vm.mem_warn_percent,
 * and a recovery line when it falls back under. */
void mem_pressure_check(void);
/* (RAM + swap) in use, in percent: what top shows and the warning uses. */
unsigned mem_used_percent(void);

/* The last victim, for the live memory picture: name and pid, or pid 0. */
extern char oom_last_victim[16];
extern int oom_last_victim_pid;
extern unsigned long oom_kills;

#endif
