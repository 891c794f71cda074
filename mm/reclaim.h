/*
 * mm/reclaim.h - getting frames back when memory is short.
 */
#ifndef MM_RECLAIM_H
#define MM_RECLAIM_H

#include "lib/types.h"

struct page;
struct addr_space;

/* Set up the page-replacement policy over WORK (memmap reserved
 * replace_work_bytes(frames) for it at boot) and start no thread yet. */
void reclaim_init(void *work, unsigned long frames);
/* Start kswapd (needs the scheduler's process table). */
void kswapd_start(void);

/* A user page became resident / stops being a page the kernel may evict. */
void reclaim_track(struct page *page);
void reclaim_untrack(struct page *page);

#define RECLAIM_BATCH 32            /* pages per direct-reclaim attempt */

/* setrlimit(RLIMIT_RSS): keep at most PAGES unlocked pages of AS resident,
 * evicting among them with a policy of their own (0: no limit).  0, or
 * -EBUSY (a different limit is already in force with pages under it),
 * -ENOMEM. */
int reclaim_set_rss_limit(struct addr_space *as, unsigned long pages);
/* Before AS gets another page: evict its own pages down below its limit. */
void reclaim_enforce_rss(struct addr_space *as);
/* AS is being destroyed: free its own policy (its pages are gone). */
void reclaim_release_space(struct addr_space *as);

/* Evict up to NR pages chosen by the policy; returns how many were freed. */
unsigned long reclaim_pages(unsigned long nr);
/* A frame for the kernel's own use (page tables, kernel stacks): from the
 * free lists, else after direct reclaim.  NULL if even that found nothing.
 * Not for the kernel heap: reclaim frees into the heap. */
struct page *alloc_page_reclaim(void);
/* A frame for user memory: from the free lists, else after direct
 * reclaim; NULL if even that found nothing (then: the OOM killer). */
struct page *alloc_user_page(void);

/* Pages the policy sees as in active use / candidates for eviction (for
 * meminfo's Active and Inactive). */
void reclaim_lists(unsigned long *active, unsigned long *inactive);

/* Free-page watermarks: kswapd wakes below LOW and works up to HIGH; with
 * RAM and swap full, user allocations stop at MIN (the OOM killer runs). */
extern unsigned long watermark_min, watermark_low, watermark_high;
extern long sysctl_page_replacement;

#endif
