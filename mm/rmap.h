/*
 * mm/rmap.h - the reverse map: from a frame to every PTE that maps it.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include "lib/types.h"

struct page;
struct addr_space;

struct rmap_entry {
    struct addr_space *as;
    vaddr_t va;
    struct rmap_entry *next;
};

/* PAGE is now mapped at VA in AS.  0 or -ENOMEM. */
int rmap_add(struct page *page, struct addr_space *as, vaddr_t va);
/* PAGE is no longer mapped at VA in AS. */
void rmap_remove(struct page *page, struct addr_space *as, vaddr_t va);
unsigned rmap_count(const struct page *page);

/*
 * The life of a user frame, kept in one place so the replacement policy,
 * the reverse map and the swap slot stay consistent:
 *
 *   user_page_map(page, as, va, fresh)  PAGE was just mapped at VA: record
 *                                       it (FRESH: a new resident page for
 *                                       the replacement policy)
 *   user_page_unmap(page, as, va)       the mapping at VA went: forget it
 *                                       and drop the reference; the last
 *                                       one leaves the policy, releases
 *                                       the page's swap slot, frees it
 */
int user_page_map(struct page *page, struct addr_space *as, vaddr_t va, bool fresh);
/* A frame just taken from the allocator becomes a user page of OWNER
 * (OWNER_USER or OWNER_PAGECACHE): in no policy, unmapped, no swap copy. */
void user_page_init(struct page *page, uint8_t owner);
void user_page_unmap(struct page *page, struct addr_space *as, vaddr_t va);
/* Drop one reference to a user page (not a mapping: e.g. the page cache's). */
void user_page_put(struct page *page);

#endif
