/*
 * mm/buddy.h - the physical frame allocator: a binary buddy system.
 *
 * Physical memory is handed out in blocks of 2^order frames, order 0
 * (4 KiB) to MAX_ORDER (4 MiB).  A block of order N always starts at a
 * frame number that is a multiple of 2^N, so every block has exactly one
 * *buddy*: the other half of the block of order N+1 that contains it.
 * Flipping bit N of the frame number finds it:
 *
 *     buddy(pfn, order) = pfn ^ (1 << order)
 *
 *     the buddy of pfn 8 at order 1 is 8 ^ 2 = 10   (8..9 and 10..11 make 8..11)
 *     the buddy of pfn 10 at order 1 is 10 ^ 2 = 8  (the relation is symmetric)
 *     the buddy of pfn 8 at order 2 is 8 ^ 4 = 12   (8..11 and 12..15 make 8..15)
 *
 * Allocating order N takes the first block from the smallest non-empty free
 * list of order >= N and splits it in halves, putting each unused upper half
 * on its own list, until it is 2^N frames.  Freeing does the reverse: while
 * the buddy is a whole free block of the same order, take it off its list
 * and merge; the merged block starts at the lower of the two frame numbers.
 * Both walk at most MAX_ORDER levels: O(log n), no scan of the frame array.
 *
 * Frame numbers here are *physical* frame numbers, so the alignment is
 * relative to physical address 0 (a MAX_ORDER-aligned base by definition):
 * an order-10 block is 4 MiB-aligned in physical memory, which is what a
 * 4 MiB page mapping needs.  A zone whose first pfn is not a multiple of
 * 2^MAX_ORDER simply has smaller blocks at its edges.
 *
 * Layers: the memory-map code calls zone_init and zone_release_range once
 * at boot; everything else calls alloc_pages/free_pages (the Linux names,
 * on the kernel's one zone, lowmem_zone).  mm/buddy_check.c verifies the
 * structure from the outside and prints it (/proc/buddyinfo's format).
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include "lib/types.h"
#include "lib/list.h"
#include "kernel/assert.h"
#include "kernel/layout.h"
#include "mm/page.h"

#define MAX_ORDER 10                    /* largest block: 2^10 frames = 4 MiB */
#define NR_ORDERS (MAX_ORDER + 1)

/* The pattern freed frames are filled with when zone->poison is on:
 * alternating bits, an unlikely value for pointers, counters and text. */
#define PAGE_POISON 0xaa

struct free_area {
    struct list_head free_list; /* heads with state PAGE_FREE and this order */
    unsigned long nr_free;      /* number of blocks on free_list */
};

/*
 * A zone: a contiguous range of physical frames and their buddy allocator.
 *
 * Invariants (mm/buddy_check.c verifies every one of them):
 *   - each frame is exactly one of: reserved, free head, allocated head,
 *     tail; a head of order N is followed by exactly 2^N - 1 tails;
 *   - a head of order N has a pfn that is a multiple of 2^N, and its whole
 *     block lies inside the zone;
 *   - free heads are on free_area[their order] and nowhere else;
 *   - no free block's buddy is a free block of the same order (it would
 *     have been merged);
 *   - free_pages is the sum of the free blocks' sizes; managed_pages is
 *     free plus allocated; everything else is reserved;
 *   - nr_poisoned counts the frames with PG_POISONED, all inside free blocks.
 *
 * Locking: none yet.  The kernel runs on one CPU and no interrupt handler
 * allocates frames; the day one does, zone_alloc and zone_free must run
 * with interrupts disabled.
 */
struct zone {
    const char *name;               /* "Normal": the /proc/buddyinfo column */
    struct page *frames;            /* frames[i] describes pfn base_pfn + i */
    pfn_t base_pfn;
    unsigned long nr_frames;
    struct free_area free_area[NR_ORDERS];
    unsigned long free_pages;       /* frames in free blocks */
    unsigned long managed_pages;    /* frames given by zone_release_range */
    unsigned long nr_poisoned;      /* frames whose memory holds PAGE_POISON */
    bool poison;                    /* fill freed frames, check them on alloc */
    bool quiet;                     /* keep BUG reports out of the log (tests) */
    unsigned long nr_bugs;          /* refused frees + poison mismatches */
    char last_bug[128];             /* the latest report, without "BUG: " */
};

/* The kernel's one zone: all of lowmem.  Set up by the memory-map code. */
extern struct zone lowmem_zone;

/* --- the zone's own interface ------------------------------------------ */

/* Describe NR_FRAMES frames starting at BASE_PFN with the descriptor array
 * FRAMES (nr_frames entries), all reserved; nothing is free yet.  Writes
 * only the descriptors, never the frames' memory. */
void zone_init(struct zone *z, struct page *frames, pfn_t base_pfn,
               unsigned long nr_frames);

/* Hand the frames [START_PFN, END_PFN) to the allocator, as the largest
 * aligned blocks that fit, merged with free neighbours.  The range is
 * clipped to the zone; frames that are not reserved are reported and
 * skipped.  Does not touch the frames' memory.  Returns frames released. */
unsigned long zone_release_range(struct zone *z, pfn_t start_pfn, pfn_t end_pfn);

/* A block of 2^ORDER frames, aligned to its size, with refcount 1 and owner
 * OWNER_NONE; or NULL if no such block is free (or ORDER > MAX_ORDER).  The
 * memory is not cleared. */
struct page *zone_alloc(struct zone *z, unsigned order);

/* Return the block headed by PAGE, allocated with ORDER.  Returns 0, or
 * -EINVAL after a "BUG:" report, changing nothing, if PAGE is not the head
 * of an allocated block of exactly that order with one user. */
int zone_free(struct zone *z, struct page *page, unsigned order);

/* Drop one user of the allocated block PAGE; the last one frees it.
 * Returns 0 or, for a page that is not allocated, -EINVAL (reported). */
int zone_put_page(struct zone *z, struct page *page);

/* The head of the free or allocated block containing PFN, or NULL if PFN
 * is reserved or outside the zone.  At most MAX_ORDER probes. */
struct page *zone_block_head(struct zone *z, pfn_t pfn);

static inline bool zone_contains_pfn(const struct zone *z, pfn_t pfn)
{
    return pfn - z->base_pfn < z->nr_frames;    /* below base wraps: huge */
}

/* Is PAGE one of Z's descriptors (not just an address inside the array)? */
static inline bool zone_contains_page(const struct zone *z, const struct page *page)
{
    uintptr_t offset = (uintptr_t)page - (uintptr_t)z->frames;

    return offset < z->nr_frames * sizeof(struct page) &&
           offset % sizeof(struct page) == 0;
}

static inline pfn_t zone_page_to_pfn(const struct zone *z, const struct page *page)
{
    return z->base_pfn + (pfn_t)(page - z->frames);
}

static inline struct page *zone_pfn_to_page(struct zone *z, pfn_t pfn)
{
    return &z->frames[pfn - z->base_pfn];
}

/* The highest order with a free block, or -1 if the zone is full. */
static inline int zone_max_free_order(const struct zone *z)
{
    for (int order = MAX_ORDER; order >= 0; order--)
        if (z->free_area[order].nr_free)
            return order;
    return -1;
}

/* --- frame numbers and addresses ----------------------------------------- */

/* The kernel virtual address of frame PFN: the direct map in the kernel,
 * an arena on the host (see the end of mm/page.h). */
static inline void *pfn_to_virt(pfn_t pfn)
{
#ifdef HOST_TEST
    return host_pfn_to_virt(pfn);
#else
    return phys_to_virt((paddr_t)pfn << PAGE_SHIFT);
#endif
}

static inline pfn_t virt_to_pfn(const void *addr)
{
#ifdef HOST_TEST
    return host_virt_to_pfn(addr);
#else
    return virt_to_phys(addr) >> PAGE_SHIFT;
#endif
}

/* These three are relative to lowmem_zone, the kernel's frame array. */
static inline pfn_t page_to_pfn(const struct page *page)
{
    return zone_page_to_pfn(&lowmem_zone, page);
}

static inline struct page *pfn_to_page(pfn_t pfn)
{
    return zone_pfn_to_page(&lowmem_zone, pfn);
}

static inline void *page_address(const struct page *page)
{
    return pfn_to_virt(page_to_pfn(page));
}

static inline struct page *virt_to_page(const void *addr)
{
    return pfn_to_page(virt_to_pfn(addr));
}

/* --- Linux's names, on lowmem_zone ----------------------------------------
 * One difference: Linux's free_pages/free_page take an address; here they
 * take the struct page, like Linux's __free_pages.  For an address from
 * get_zeroed_page, use free_page(virt_to_page(addr)). */

static inline struct page *alloc_pages(unsigned order)
{
    return zone_alloc(&lowmem_zone, order);
}

static inline int free_pages(struct page *page, unsigned order)
{
    return zone_free(&lowmem_zone, page, order);
}

static inline struct page *alloc_page(void)
{
    return alloc_pages(0);
}

static inline int free_page(struct page *page)
{
    return free_pages(page, 0);
}

/* One zero-filled frame: its kernel virtual address, or 0 if none is free. */
uintptr_t get_zeroed_page(void);

static inline unsigned long nr_free_pages(void)
{
    return lowmem_zone.free_pages;
}

/* Reference counting, for frames shared later by copy-on-write: each
 * sharer takes a reference with get_page and drops it with put_page; the
 * last put_page frees the block.  A shared block must not be passed to
 * free_pages: zone_free refuses a block with more than one user. */
static inline void get_page(struct page *page)
{
    ASSERTF(page->state == PAGE_ALLOCATED && page->refcount < UINT16_MAX,
            "state %u refcount %u", page->state, page->refcount);
    page->refcount++;
}

static inline void put_page(struct page *page)
{
    zone_put_page(&lowmem_zone, page);
}

/* --- checking, printing, demonstrating (mm/buddy_check.c, mm/fragdemo.c) */

/* Verify every invariant listed at struct zone.  Prints one line per
 * violation ("buddy_check: pfn 0x..: ...") and returns their number. */
int buddy_check(struct zone *z);

/* Print the zone's counters and the first blocks of each free list. */
void buddy_dump(struct zone *z);

/* Format Z's /proc/buddyinfo line, exactly as Linux prints it (newline
 * included) into BUF of SIZE >= 1 bytes; returns the length, like snprintf. */
int buddy_info_line(const struct zone *z, char *buf, size_t size);

/* The lesson "free memory available, but the allocation fails": fragment
 * Z until no block of ORDER (1..MAX_ORDER) is left, show the failure,
 * free, show the merge.  Returns 0 when the lesson played out, -EINVAL
 * for a bad ORDER, -ENOMEM if Z had no block of ORDER to begin with. */
int fragdemo_run(struct zone *z, unsigned order);

#endif /* MM_BUDDY_H */
