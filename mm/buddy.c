/*
 * mm/buddy.c - the buddy allocator: splitting, merging, and refusing bad
 * frees.
 *
 * The idea (see mm/buddy.h for the buddy rule pfn ^ (1 << order)): keep one
 * free list per block size, split big blocks on demand, and merge a freed
 * block with its buddy whenever both halves are free, so that free memory
 * stays in blocks as large as possible.  Taking 1 frame out of a free
 * 8-frame block at pfn 8:
 *
 *   before   [8 . . . . . . . 15]                 one free block of order 3
 *   split    [8 . . 11] [12 . . 15]               12..15 goes on list 2
 *   split    [8 9] [10 11]                        10..11 goes on list 1
 *   split    [8] [9]                              9 goes on list 0
 *   result   8 is allocated; 9, 10..11, 12..15 are free
 *
 * Freeing 8 again: its buddy at order 0 is 8 ^ 1 = 9, free: merge into 8..9.
 * At order 1 the buddy is 8 ^ 2 = 10, free: merge into 8..11.  At order 2,
 * 8 ^ 4 = 12, free: merge into 8..15, and we are back where we started.
 *
 * Only descriptors change, and only O(1) of them per level: a split makes
 * one new free head, a merge turns one head into a tail.  The frames'
 * memory is touched only with poisoning on (debug_pagealloc in Linux): a
 * freed block is filled with PAGE_POISON and checked when handed out
 * again, which catches writes through stale pointers.
 *
 * Every bad free is refused with a "BUG:" line naming the frame and what
 * it really is, and leaves the zone exactly as it was.
 */
#include "mm/buddy.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

/*
 * For the paths an order-0 alloc+free usually skips: splitting, poisoning,
 * explaining a refused free.  Inlined into zone_alloc/zone_free they would
 * crowd the fast path's six registers (i386); kept out of line, an order-0
 * alloc+free pair whose buddy stays allocated runs in about 140
 * instructions.  ERROR_PATH also tells gcc the path is rarely taken.
 */
#define OUT_OF_LINE __attribute__((noinline))
#define ERROR_PATH  __attribute__((noinline, cold))

/* The kernel's zone starts out as a valid, empty zone (every free list an
 * empty circle), so an allocation before the memory map is read fails
 * cleanly instead of following null links.  One line per order: */
_Static_assert(MAX_ORDER == 10, "lowmem_zone's initializer lists 11 orders");
#define EMPTY_AREA(order) \
    [order] = { LIST_HEAD_INIT(lowmem_zone.free_area[order].free_list), 0 }

struct zone lowmem_zone = {
    .name = "Normal",
    .free_area = {
        EMPTY_AREA(0), EMPTY_AREA(1), EMPTY_AREA(2), EMPTY_AREA(3),
        EMPTY_AREA(4), EMPTY_AREA(5), EMPTY_AREA(6), EMPTY_AREA(7),
        EMPTY_AREA(8), EMPTY_AREA(9), EMPTY_AREA(10),
    },
};

/* Record a refused operation or a poison mismatch in Z and print it as a
 * "BUG:" line (unless Z is quiet, as in tests that provoke it on purpose).
 * Returns -EINVAL, so that callers can "return bug_report(...)". */
static int PRINTF_LIKE(2, 3) bug_report(struct zone *z, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    kvsnprintf(z->last_bug, sizeof(z->last_bug), fmt, ap);
    va_end(ap);
    z->nr_bugs++;
    if (!z->quiet)
        kprintf(KERN_ERR "BUG: %s\n", z->last_bug);
    return -EINVAL;
}

void zone_init(struct zone *z, struct page *frames, pfn_t base_pfn,
               unsigned long nr_frames)
{
    ASSERTF(nr_frames <= (pfn_t)~0u - base_pfn, "base 0x%x nr %lu",
            base_pfn, nr_frames);
    memset(z, 0, sizeof(*z));
    z->name = "Normal";
    z->frames = frames;
    z->base_pfn = base_pfn;
    z->nr_frames = nr_frames;
    for (unsigned order = 0; order <= MAX_ORDER; order++)
        list_init(&z->free_area[order].free_list);
    /* All zero: PAGE_RESERVED, order 0, no owner, no users. */
    if (nr_frames)
        memset(frames, 0, nr_frames * sizeof(struct page));
}

/* --- merging and splitting -------------------------------------------- */

/* The buddy of the order-ORDER block at PFN, if that buddy is a whole
 * free block of the same order (so that the two can merge); else NULL. */
static inline struct page *buddy_if_free(struct zone *z, pfn_t pfn,
                                         unsigned order)
{
    pfn_t buddy_pfn = pfn ^ (1u << order);
    struct page *buddy;

    if (!zone_contains_pfn(z, buddy_pfn))
        return NULL;                    /* the zone's edge: no buddy */
    buddy = zone_pfn_to_page(z, buddy_pfn);
    if (buddy->state != PAGE_FREE || buddy->order != order)
        return NULL;                    /* allocated, or split smaller */
    return buddy;
}

/*
 * Put the block of 2^ORDER frames headed by PAGE on the free lists,
 * merging it with its buddy for as long as the buddy is a whole free block
 * of the same order.  The block is on no list; its frames other than the
 * head are already tails.  Example: freeing pfn 10 at order 1 when 8..9 is
 * free (order 1) and 12..15 is allocated: buddy 10 ^ 2 = 8 is free, so 10
 * becomes a tail of 8..11; at order 2 the buddy 8 ^ 4 = 12 is not free,
 * so 8 goes on list 2.
 */
static inline void buddy_merge(struct zone *z, struct page *page,
                               unsigned order)
{
    pfn_t pfn = zone_page_to_pfn(z, page);
    struct page *buddy;

    z->free_pages += 1ul << order;
    while (order < MAX_ORDER && (buddy = buddy_if_free(z, pfn, order))) {
        /* The lower of the two heads leads the merged block, the upper
         * one becomes one of its tails. */
        struct page *upper = buddy > page ? buddy : page;

        list_del(&buddy->lru);
        z->free_area[order].nr_free--;
        upper->state = PAGE_TAIL;
        upper->order = 0;
        page = buddy < page ? buddy : page;
        pfn &= ~(1u << order);
        order++;
    }
    page->state = PAGE_FREE;
    page->order = order;
    list_add(&page->lru, &z->free_area[order].free_list);
    z->free_area[order].nr_free++;
}

/*
 * PAGE heads a block of order HIGH just taken off its free list: keep its
 * first 2^LOW frames and free the rest as one block of each order
 * HIGH-1 down to LOW (the picture at the top of this file).  The upper
 * halves are free heads at once, the kept part is the caller's to mark.
 */
static OUT_OF_LINE void buddy_split(struct zone *z, struct page *page,
                                    unsigned high, unsigned low)
{
    while (high > low) {
        struct page *upper;

        high--;
        upper = page + (1u << high);    /* the block is contiguous in frames[] */
        upper->state = PAGE_FREE;
        upper->order = high;
        list_add(&upper->lru, &z->free_area[high].free_list);
        z->free_area[high].nr_free++;
    }
}

/* --- poisoning -------------------------------------------------------- */

static OUT_OF_LINE void poison_fill(struct zone *z, struct page *page,
                                    unsigned order)
{
    pfn_t pfn = zone_page_to_pfn(z, page);

    for (unsigned i = 0; i < (1u << order); i++) {
        memset(pfn_to_virt(pfn + i), PAGE_POISON, PAGE_SIZE);
        if (!(page[i].flags & PG_POISONED))
            z->nr_poisoned++;
        page[i].flags |= PG_POISONED;
    }
}

/* Check that frame PFN still holds nothing but PAGE_POISON; report the
 * first byte that does not (someone wrote to it while it was free). */
static void poison_check_frame(struct zone *z, pfn_t pfn)
{
    const uint32_t *word = pfn_to_virt(pfn);
    const uint32_t expect = PAGE_POISON * 0x01010101u;
    unsigned i = 0;

    while (i < PAGE_SIZE / 4 && word[i] == expect)
        i++;
    if (i == PAGE_SIZE / 4)
        return;
    const uint8_t *byte = (const uint8_t *)&word[i];
    unsigned b = 0;
    while (byte[b] == PAGE_POISON)
        b++;
    bug_report(z, "poison overwritten in free frame pfn 0x%x at offset 0x%x: "
               "0x%02x instead of 0x%02x (write after free?)",
               pfn, i * 4 + b, byte[b], PAGE_POISON);
}

/* Before handing out the block at PAGE: check and forget the poison of
 * those of its frames that carry it (frames never freed since boot do not). */
static OUT_OF_LINE void poison_check(struct zone *z, struct page *page,
                                     unsigned order)
{
    pfn_t pfn = zone_page_to_pfn(z, page);

    for (unsigned i = 0; i < (1u << order); i++) {
        if (page[i].flags & PG_POISONED) {
            poison_check_frame(z, pfn + i);
            page[i].flags &= ~PG_POISONED;
            z->nr_poisoned--;
        }
    }
}

/* --- allocating ------------------------------------------------------- */

struct page *zone_alloc(struct zone *z, unsigned order)
{
    struct page *page;
    unsigned cur = order;

    if (order > MAX_ORDER)
        return NULL;
    while (list_empty(&z->free_area[cur].free_list))
        if (++cur > MAX_ORDER)
            return NULL;
    page = list_entry(z->free_area[cur].free_list.next, struct page, lru);
    list_del(&page->lru);
    z->free_area[cur].nr_free--;
    if (cur > order)
        buddy_split(z, page, cur, order);
    page->state = PAGE_ALLOCATED;
    page->order = order;
    page->refcount = 1;
    z->free_pages -= 1ul << order;
    if (z->nr_poisoned)
        poison_check(z, page, order);
    return page;
}

uintptr_t get_zeroed_page(void)
{
    struct page *page = alloc_page();
    void *addr;

    if (!page)
        return 0;
    addr = page_address(page);
    memset(addr, 0, PAGE_SIZE);
    return (uintptr_t)addr;
}

/* --- freeing ---------------------------------------------------------- */

struct page *zone_block_head(struct zone *z, pfn_t pfn)
{
    if (!zone_contains_pfn(z, pfn))
        return NULL;
    for (unsigned order = 0; order <= MAX_ORDER; order++) {
        pfn_t start = pfn & ~((1u << order) - 1);
        struct page *page;

        if (!zone_contains_pfn(z, start))
            return NULL;
        page = zone_pfn_to_page(z, start);
        if (page->state == PAGE_RESERVED)
            return NULL;
        if (page->state != PAGE_TAIL)
            return page->order >= order ? page : NULL;
    }
    return NULL;
}

/* Why the frame PAGE (at PFN), which is not an allocated head, cannot be
 * freed: reported as precisely as the zone allows. */
static int free_refuse_state(struct zone *z, struct page *page, pfn_t pfn,
                             unsigned order)
{
    struct page *head;

    switch (page->state) {
    case PAGE_FREE:
        return bug_report(z, "zone_free: pfn 0x%x order %u: double free "
                          "(already a free block of order %u)",
                          pfn, order, page->order);
    case PAGE_RESERVED:
        return bug_report(z, "zone_free: pfn 0x%x order %u: frame is reserved "
                          "(never given to the allocator)", pfn, order);
    case PAGE_TAIL:
        head = zone_block_head(z, pfn);
        return bug_report(z, "zone_free: pfn 0x%x order %u: frame is a tail, "
                          "inside the %s order-%u block at pfn 0x%x",
                          pfn, order, head ? page_state_name(head->state) : "?",
                          head ? head->order : 0,
                          head ? zone_page_to_pfn(z, head) : 0);
    default:
        return bug_report(z, "zone_free: pfn 0x%x: corrupt state %u",
                          pfn, page->state);
    }
}

/* Explain, in a report, why freeing PAGE with ORDER is wrong (zone_free
 * has found that it is).  Returns -EINVAL. */
static ERROR_PATH int free_refuse(struct zone *z, struct page *page,
                                  unsigned order)
{
    pfn_t pfn;

    if (!zone_contains_page(z, page))
        return bug_report(z, "zone_free: %p is not a frame descriptor of "
                          "zone %s", (void *)page, z->name);
    pfn = zone_page_to_pfn(z, page);
    if (page->state != PAGE_ALLOCATED)
        return free_refuse_state(z, page, pfn, order);
    if (order > MAX_ORDER)
        return bug_report(z, "zone_free: pfn 0x%x: order %u is larger than "
                          "MAX_ORDER %u", pfn, order, MAX_ORDER);
    if (pfn & ((1u << order) - 1))
        return bug_report(z, "zone_free: pfn 0x%x (allocated, order %u) is "
                          "not aligned to order %u", pfn, page->order, order);
    if (order != page->order)
        return bug_report(z, "zone_free: pfn 0x%x was allocated with order %u "
                          "but freed with order %u", pfn, page->order, order);
    return bug_report(z, "zone_free: pfn 0x%x order %u has %u users "
                      "(shared frames are released with put_page)",
                      pfn, order, page->refcount);
}

int zone_free(struct zone *z, struct page *page, unsigned order)
{
    /* The whole test of a legal free: PAGE heads an allocated block of
     * exactly ORDER (hence aligned to it: heads always are) with one user. */
    if (!zone_contains_page(z, page) || page->state != PAGE_ALLOCATED ||
        page->order != order || page->refcount != 1)
        return free_refuse(z, page, order);
    if (z->poison)
        poison_fill(z, page, order);
    page->refcount = 0;
    page->owner = OWNER_NONE;
    buddy_merge(z, page, order);
    return 0;
}

int zone_put_page(struct zone *z, struct page *page)
{
    if (!zone_contains_page(z, page))
        return zone_free(z, page, 0);   /* reports it */
    if (page->state == PAGE_ALLOCATED && page->refcount > 1) {
        page->refcount--;
        return 0;
    }
    return zone_free(z, page, page->order);
}

/* --- handing memory to the allocator at boot -------------------------- */

/* The largest order of a block that starts at PFN (aligned) and has at
 * most NR (> 0) frames.  Examples with plenty of room: pfn 0x13 = 0b10011 gives
 * order 0, pfn 0x14 = 0b10100 order 2, pfn 0x18 order 3, pfn 0x20 order 5. */
static unsigned release_order(pfn_t pfn, unsigned long nr)
{
    unsigned order = MAX_ORDER;
    unsigned fit = (unsigned)(8 * sizeof(nr) - 1) - (unsigned)__builtin_clzl(nr);

    if (pfn != 0)
        order = MIN(order, (unsigned)__builtin_ctz(pfn));
    return MIN(order, fit);
}

/* Release [PFN, END), all reserved, block by block.  Returns END - PFN. */
static unsigned long release_run(struct zone *z, pfn_t pfn, pfn_t end)
{
    unsigned long released = 0;

    while (pfn < end) {
        unsigned order = release_order(pfn, end - pfn);
        struct page *head = zone_pfn_to_page(z, pfn);

        for (unsigned i = 1; i < (1u << order); i++)
            head[i].state = PAGE_TAIL;
        z->managed_pages += 1ul << order;
        buddy_merge(z, head, order);
        pfn += 1u << order;
        released += 1ul << order;
    }
    return released;
}

/* The first pfn in [PFN, END) whose "is reserved" differs from RESERVED. */
static pfn_t run_end(struct zone *z, pfn_t pfn, pfn_t end, bool reserved)
{
    while (pfn < end &&
           (zone_pfn_to_page(z, pfn)->state == PAGE_RESERVED) == reserved)
        pfn++;
    return pfn;
}

unsigned long zone_release_range(struct zone *z, pfn_t start_pfn, pfn_t end_pfn)
{
    pfn_t zone_end = z->base_pfn + (pfn_t)z->nr_frames;
    pfn_t pfn = MAX(start_pfn, z->base_pfn);
    unsigned long released = 0;

    end_pfn = MIN(end_pfn, zone_end);
    while (pfn < end_pfn) {
        pfn_t end = run_end(z, pfn, end_pfn, true);

        if (end > pfn) {
            released += release_run(z, pfn, end);
        } else {
            end = run_end(z, pfn, end_pfn, false);
            bug_report(z, "zone_release_range: pfns 0x%x-0x%x are already "
                       "the allocator's (pfn 0x%x is %s), skipped", pfn, end - 1,
                       pfn, page_state_name(zone_pfn_to_page(z, pfn)->state));
        }
        pfn = end;
    }
    return released;
}
