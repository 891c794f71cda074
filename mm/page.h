/*
 * mm/page.h - struct page: one small descriptor for every 4 KiB frame.
 *
 * The kernel cannot keep its bookkeeping about free memory *inside* the
 * free memory (xv6 does, and so must write to every free frame at boot).
 * Instead, like Linux, it keeps an array of descriptors, one per physical
 * frame, and frame number PFN is described by frames[PFN - base_pfn] of its
 * zone (mm/buddy.h).  The descriptor says which part a frame plays in the
 * buddy allocator, who owns it, and how many users share it.
 *
 * The buddy allocator hands out blocks of 2^order contiguous frames.  Only
 * the first frame of a block, its *head*, carries information; the others
 * are *tails*.  A frame is always in exactly one of four states:
 *
 *   pfn:     8     9    10    11    12    13    14    15    16
 *          +-----+-----+-----+-----+-----+-----+-----+-----+-----+
 *          |FREE | TAIL| TAIL| TAIL|ALLOC|ALLOC| TAIL| RES | ...
 *          |ord 2|     |     |     |ord 0|ord 1|     |     |
 *          +-----+-----+-----+-----+-----+-----+-----+-----+-----+
 *           \____ free block ____/   one  \_ 2 _/    never given
 *                 of 4 frames       frame  frames    to the allocator
 *
 * Size matters: 128 MiB of RAM is 32768 frames, so every byte added here
 * costs 32 KiB.  On i386 the descriptor is 36 bytes (0.9% of memory): the
 * buddy allocator needs 16 of them, the rest lets the kernel evict a page
 * (its place in the replacement policy, who maps it, where its copy is).
 *
 * The conversions page <-> pfn <-> kernel virtual address need the zone's
 * frame array; they live in mm/buddy.h, which this header pulls in at its
 * end, so including either header gives both.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include "lib/types.h"
#include "lib/list.h"
#include "mm/replace.h"

/* The part a frame plays.  PAGE_RESERVED is 0, so a zeroed descriptor
 * describes a frame the allocator must never hand out. */
enum page_state {
    PAGE_RESERVED = 0,  /* not the allocator's: a hole, the kernel image, BIOS */
    PAGE_FREE,          /* head of a free block, on free_area[order] */
    PAGE_ALLOCATED,     /* head of an allocated block */
    PAGE_TAIL,          /* interior frame of a free or allocated block */
};

/* Who holds an allocated block.  Set by the caller after allocating, shown
 * by the memory-map pictures; the allocator only resets it to OWNER_NONE.
 * Reserved frames may carry one too: who keeps them (set at boot by
 * mm/memmap.c: the kernel image, the frame array, the modules). */
enum page_owner {
    OWNER_NONE = 0,
    OWNER_KERNEL,       /* kernel data: stacks, descriptors, boot structures */
    OWNER_PGTABLE,      /* page directories and page tables */
    OWNER_HEAP,         /* backing store of the kernel heap (kmalloc) */
    OWNER_USER,         /* anonymous memory of user processes */
    OWNER_PAGECACHE,    /* cached file or swap contents */
    OWNER_TEST,         /* held by a self-test or a demonstration */
    NR_PAGE_OWNERS
};

/* Bits of struct page.flags. */
#define PG_POISONED 0x01  /* the frame's memory holds the poison pattern */

struct rmap_entry;

struct page {
    /*
     * PAGE_FREE head: LRU links the block into zone->free_area[order].
     * PAGE_ALLOCATED head: the owner's to use.  A user page (OWNER_USER or
     * OWNER_PAGECACHE) uses RP instead: its place in the page-replacement
     * policy (mm/replace.h), which decides what to evict.
     * Reserved and tail frames: unused.
     */
    union {
        struct list_head lru;
        struct rp_node rp;
    };
    uint8_t state;      /* enum page_state */
    uint8_t order;      /* heads: the block is 2^order frames.  Others: 0 */
    uint8_t owner;      /* enum page_owner; OWNER_NONE unless allocated */
    uint8_t flags;      /* PG_* bits; PG_POISONED only inside free blocks */
    uint16_t refcount;  /* allocated heads: users, >= 1.  Others: 0 */
    uint16_t pt_used;   /* page-table frames (OWNER_PGTABLE): entries in use,
                         * so an emptied table is freed at once.  Else 0. */
    /* User pages: every PTE that maps this frame (mm/rmap.c), so the kernel
     * can unmap a frame it chooses to evict.  Else NULL. */
    struct rmap_entry *rmap;
    /* OWNER_PAGECACHE: the program whose image page INDEX this holds.
     * OWNER_USER: MAPPING is NULL and INDEX the swap slot that holds a
     * copy of it (the swap cache: evicting it again, unmodified, costs no
     * write), or 0.  Else both 0. */
    void *mapping;
    uint32_t index;
};

/* 36 bytes on i386; more on the host, where pointers are 8 bytes. */
_Static_assert(sizeof(struct page) == sizeof(struct rp_node) + 8 + 3 * sizeof(void *),
               "struct page grew: every byte costs 32 KiB per 128 MiB of RAM");

static inline bool page_is_free_head(const struct page *page)
{
    return page->state == PAGE_FREE;
}

static inline bool page_is_allocated(const struct page *page)
{
    return page->state == PAGE_ALLOCATED;
}

static inline const char *page_state_name(unsigned state)
{
    static const char *const names[] = {
        [PAGE_RESERVED] = "reserved",
        [PAGE_FREE] = "free",
        [PAGE_ALLOCATED] = "allocated",
        [PAGE_TAIL] = "tail",
    };

    return state < ARRAY_SIZE(names) ? names[state] : "corrupt";
}

/* The number of users of an allocated block (0 if it is not allocated). */
static inline unsigned page_count(const struct page *page)
{
    return page->refcount;
}

#ifdef HOST_TEST
/*
 * The host tests have no physical memory, so "physical" frames are backed
 * by a few malloc'd arenas (tests/host/page_arena.c).  An arena is given
 * frame numbers of its own: host_arena_create returns the first pfn, which
 * is a multiple of 2^MAX_ORDER, and host_pfn_to_virt translates any pfn of
 * a live arena (it panics on a pfn no arena covers, which catches a stray
 * page_address).  Zones whose memory is never touched (poison off) need no
 * arena at all: any frame numbers will do.
 */
pfn_t host_arena_create(unsigned long nr_frames);
void host_arena_destroy(pfn_t base_pfn);
void *host_pfn_to_virt(pfn_t pfn);
pfn_t host_virt_to_pfn(const void *addr);
#endif

/* The conversions need struct zone: see the last paragraph at the top. */
#include "mm/buddy.h"

#endif /* MM_PAGE_H */
