/*
 * mm/heap.h - a general-purpose allocator over arenas of memory: boundary
 * tags, an explicit free list, immediate coalescing, four placement policies.
 *
 * The buddy allocator hands out whole frames; most kernel objects are a few
 * dozen bytes.  A heap cuts memory it was given (one or more *regions*) into
 * *blocks* of any size.  Every block carries a tag at both ends that says
 * how big it is and whether it is in use (Knuth's boundary tags, TAOCP
 * vol. 1, 2.5): the footer of the block below and the header of the block
 * above can each be found in O(1), so a block being freed merges with free
 * neighbours at once and two free blocks are never adjacent.  The free
 * blocks are also linked into one list, in address order, through a node
 * kept inside their (unused) payload.  mm/heap_block.h draws the layout.
 *
 * Which free block serves a request is the *placement policy*; the classic
 * four differ only in how they walk that list:
 *
 *   first fit   the lowest-addressed block that is big enough
 *   next fit    like first fit, but start where the previous search ended
 *               (the "roving pointer") and wrap around
 *   best fit    the smallest block that is big enough (stop on an exact fit)
 *   worst fit   the largest block, if it is big enough
 *
 * With holes [10][A][5][B][20] and a request of 15, all four must take the
 * 20 hole (nothing else fits); a request of 4 in the same holes shows them
 * apart: first fit takes the 10 hole, best fit the 5, worst fit the 20.
 * The trace tests/traces/textbook.trace plays the whole lesson (see
 * tests/traces/README.md).
 *
 * The policy is a property of the heap and can be switched at any time.
 * A heap asks its *grow callback* for another region when nothing fits (the
 * kernel heap, mm/kmalloc.c, takes frames from the buddy allocator); a heap
 * without one is a fixed arena, and there (or when the callback says no)
 * the request fails.  mm/fitlab.c grows its heaps like sbrk up to a limit
 * and counts the requests that would go past it.  heap_check() verifies
 * every invariant and heap_dump() prints the blocks, for tests, the
 * monitor and gdb (`call heap_dump(kmalloc_heap())`) alike.
 *
 * Locking: none here.  A heap is one owner's data structure and the owner
 * serialises access to it (kmalloc: see mm/kmalloc.c).
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include "lib/types.h"
#include "lib/list.h"

enum heap_policy {
    HEAP_FIRST_FIT,
    HEAP_NEXT_FIT,
    HEAP_BEST_FIT,
    HEAP_WORST_FIT,
    HEAP_NPOLICIES
};

/* Block geometry (mm/heap_block.h has the picture).  Every block costs a
 * 16-byte header and an 8-byte footer; payloads are 8-byte aligned; no
 * block is smaller than HEAP_MIN_BLOCK, because a free block must hold its
 * tags and its list node (16 bytes on a 64-bit host).  The constants are the
 * same on i386 and on the host, so a trace gives the same numbers on both. */
#define HEAP_ALIGN            8
#define HEAP_HEADER_BYTES     16
#define HEAP_FOOTER_BYTES     8
#define HEAP_TAG_BYTES        (HEAP_HEADER_BYTES + HEAP_FOOTER_BYTES)
#define HEAP_MIN_BLOCK        40
/* A region spends this much on itself: a 24-byte descriptor (which ends in
 * a fence footer) at the bottom and a 16-byte fence header at the top. */
#define HEAP_REGION_OVERHEAD  40
/* The largest request a heap accepts; bigger ones fail without a search. */
#define HEAP_MAX_REQUEST      0x40000000u

/* heap->flags */
#define HEAP_POISON  0x1    /* fill freed payloads with HEAP_POISON_BYTE;
                               heap_check verifies nobody wrote to them
                               (set it with heap_set_poison) */
#define HEAP_QUIET   0x2    /* refused frees are counted and kept in
                               last_bug, heap_check violations counted,
                               but neither is printed (for tests that
                               provoke them on purpose) */

/* Freed payloads and the tags of merged blocks are overwritten with this
 * byte, so a pointer into freed memory reads 0x6b6b6b6b ("kkkk"). */
#define HEAP_POISON_BYTE 0x6b

struct heap;

/* Called when no free block can hold BLOCK_BYTES (a block size: tags and
 * rounding included).  Must call heap_add_region with enough memory for
 * such a block (remember HEAP_REGION_OVERHEAD unless the memory extends
 * an existing region) and return 0, or return -ENOMEM. */
typedef int (*heap_grow_fn)(struct heap *heap, size_t block_bytes);

/*
 * Counters, kept up to date by every operation.  "given" counts whole
 * blocks, tags included, so given - requested is the internal
 * fragmentation: rounding to 8, the 24 bytes of tags, and the tail of a
 * block that was too small to split off.
 */
struct heap_stats {
    size_t region_bytes;        /* memory the heap owns, overhead included */
    size_t peak_region_bytes;   /* the most it ever owned: the heap at peak */
    size_t live_requested;      /* sum of the sizes callers asked for ... */
    size_t live_given;          /* ... and of the blocks they got */
    size_t peak_live_requested; /* the most ever live at once: J&W's "live at peak" */
    size_t free_bytes;          /* sum of free block sizes (tags included) */
    unsigned long live_blocks;
    unsigned long free_blocks;
    unsigned long regions;
    unsigned long allocs;       /* successful heap_alloc calls */
    unsigned long failed;       /* heap_alloc calls that returned NULL */
    unsigned long frees;        /* successful heap_free calls */
    unsigned long refused;      /* heap_free calls refused as bugs */
    unsigned long searches;     /* policy searches, growth retries included */
    unsigned long searched;     /* free blocks looked at by those searches */
};

/* Derived figures, computed by heap_get_report (they need a walk). */
struct heap_report {
    struct heap_stats s;
    size_t largest_free;        /* the biggest free block, tags included */
    unsigned int_frag_permille; /* (given - requested) / given */
    unsigned ext_frag_permille; /* 1 - largest_free / free_bytes, see below */
    unsigned searched_x100;     /* free blocks looked at per heap_alloc, x100 */
};

struct heap {
    const char *name;
    enum heap_policy policy;
    unsigned flags;             /* HEAP_POISON, HEAP_QUIET */
    uint32_t cookie;            /* stamped in every used block's header:
                                   frees of another heap's blocks are refused */
    /* Every free block, in increasing address order, linked through the
     * first bytes of its payload.  Invariants: every member is a valid
     * free block of one of our regions; every free block is a member; no
     * two members are adjacent in memory. */
    struct list_head free_list;
    /* Next fit starts here: a node of free_list, or free_list itself for
     * "from the lowest block".  Kept valid by every operation, whatever
     * the policy, and moved onto the merged block when its block is
     * absorbed by a neighbour. */
    struct list_head *rover;
    struct heap_region *regions;    /* in increasing address order; each
                                       tiled exactly by its blocks */
    heap_grow_fn grow;              /* NULL: a fixed arena */
    void *grow_arg;                 /* for the callback's own use */
    struct heap_stats stats;
    char last_bug[160];             /* the latest refused free, without
                                       "BUG: ", even when HEAP_QUIET */
};

/* --- setting up -------------------------------------------------------- */

/* An empty heap called NAME with POLICY: no memory, no grow callback. */
void heap_init(struct heap *heap, const char *name, enum heap_policy policy);

/* A fixed arena: heap_init plus one region of BYTES at MEM.  Returns 0, or
 * -EINVAL if BYTES cannot hold the region overhead and one block. */
int heap_init_arena(struct heap *heap, const char *name,
                    enum heap_policy policy, void *mem, size_t bytes);

/* Let HEAP call GROW (with GROW_ARG stored in heap->grow_arg) when full. */
void heap_set_grow(struct heap *heap, heap_grow_fn grow, void *grow_arg);

/* Give HEAP the BYTES of memory at MEM (rounded inwards to 8 bytes).  If
 * MEM is exactly where a region ends, the region is extended (as sbrk
 * would) and the new bytes merge with a free block below them; then BYTES
 * may be as small as 8 if that block is free.  Otherwise MEM becomes a new
 * region: at least HEAP_REGION_OVERHEAD + HEAP_MIN_BLOCK bytes.  Returns 0,
 * or -EINVAL for memory that is too small or overlaps a region. */
int heap_add_region(struct heap *heap, void *mem, size_t bytes);

void heap_set_policy(struct heap *heap, enum heap_policy policy);
/* Turn HEAP_POISON on (poisoning every free block now) or off. */
void heap_set_poison(struct heap *heap, bool on);
const char *heap_policy_name(enum heap_policy policy);   /* "first", ... */
/* NAME is first|next|best|worst.  Returns 0 or -EINVAL. */
int heap_policy_parse(const char *name, enum heap_policy *out);

/* --- allocating -------------------------------------------------------- */

/* BYTES of memory aligned to 8, or NULL if no block fits and the grow
 * callback (if any) could not add memory.  A request of 0 gets a block of
 * its own, as malloc(0) does.  The memory is not cleared. */
void *heap_alloc(struct heap *heap, size_t bytes);

/* Return PTR, which heap_alloc(HEAP) handed out; NULL is ignored.  Returns
 * 0, or -EINVAL after a "BUG: heap NAME: free(PTR): ..." report, changing
 * nothing, for a double free, a pointer the heap never handed out, or a
 * block whose tags (or whose neighbours' tags) are corrupt. */
int heap_free(struct heap *heap, void *ptr);

/* The block size a request of BYTES occupies: BYTES plus the tags,
 * rounded up to 8, at least HEAP_MIN_BLOCK; 0 if BYTES is too large.
 * Examples: 1 -> 40, 16 -> 40, 17 -> 48, 1000 -> 1024. */
size_t heap_block_bytes(size_t bytes);

/* The size of the free block at the very top of the highest region, or 0
 * if the top block is in use: what a growing arena need not ask for. */
size_t heap_tail_free(const struct heap *heap);

/* --- measuring and checking (mm/heap_check.c) --------------------------- */

/*
 * The counters plus the derived figures.  External fragmentation is the
 * share of free memory that is *not* in the largest free block:
 *
 *     ext_frag = 1 - largest_free / free_bytes        (0 when nothing is free)
 *
 * 0 means all free memory is one block; near 1000 per mille means it is
 * scattered in pieces, and a large request may fail with plenty free.
 */
void heap_get_report(const struct heap *heap, struct heap_report *out);

/* Print the report, for the monitor's `heap` command. */
void heap_print_report(const struct heap *heap);

/* Verify every invariant (tags valid and equal at both ends, sizes sum to
 * each region, no two adjacent free blocks, free list == set of free
 * blocks in address order, rover on the list, poison intact, counters
 * match).  Prints one KERN_ERR line per violation (unless HEAP_QUIET);
 * returns their number. */
int heap_check(const struct heap *heap);

/* Print every region and block: address, size, state, requested bytes. */
void heap_dump(const struct heap *heap);

/* NUM * SCALE / DEN, rounded, computed in 32 bits (the kernel has no
 * 64-bit division): both operands are halved until the product fits.
 * 0 when DEN is 0.  heap_ratio(1, 3, 1000) == 333. */
unsigned heap_ratio(size_t num, size_t den, unsigned scale);

#endif
