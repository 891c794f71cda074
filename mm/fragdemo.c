/*
 * mm/fragdemo.c - a demonstration: free memory is there, yet a
 * multi-frame allocation fails.
 *
 * A buddy allocator can only hand out 2^N frames that are contiguous and
 * aligned to 2^N.  Counting free frames says nothing about that.  The demo
 * makes it visible on a real zone, in four steps:
 *
 *   1. take single frames until no free block of order N or more is left;
 *   2. give back one frame of every pair it holds whole, the odd one, so
 *      that every freed frame's buddy stays allocated and nothing merges:
 *
 *        pfn   8  9 10 11 12 13 14 15
 *              A  .  A  .  A  .  A  .      A: held by the demo  .: free
 *
 *      half of what it took is free again, yet the largest free block
 *      has order 0 (or whatever small blocks were free before step 1);
 *   3. ask for order N: it fails, next to a free count of thousands;
 *   4. give back the even frames: each one merges with its free buddy
 *      (8 with 9, then 8..9 with 10..11, ...), the large blocks come back,
 *      and the same request succeeds.
 *
 * The demo holds frames through their lru links (an allocated block's lru
 * is its owner's to use), so it needs no memory of its own.
 */
#include "mm/buddy.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

static void fragdemo_show(const struct zone *z, const char *when)
{
    char line[160];

    buddy_info_line(z, line, sizeof(line));
    cprintf("  %-12s%s", when, line);
}

/* Steps 1 and 2: leave Z with no free block of ORDER or more, holding the
 * frames taken on HELD.  Returns the number of frames given back. */
static unsigned long fragdemo_fragment(struct zone *z, unsigned order,
                                       struct list_head *held)
{
    struct list_head *pos, *tmp;
    unsigned long taken = 0, freed = 0;

    while (zone_max_free_order(z) >= (int)order) {
        struct page *page = zone_alloc(z, 0);   /* blocks are left: succeeds */

        ASSERT(page != NULL);
        page->owner = OWNER_TEST;
        list_add_tail(&page->lru, held);
        taken++;
    }
    list_for_each_safe(pos, tmp, held) {
        struct page *page = list_entry(pos, struct page, lru);
        pfn_t buddy_pfn = zone_page_to_pfn(z, page) ^ 1;
        struct page *buddy;

        if (buddy_pfn & 1)
            continue;                           /* PAGE is even: keep it */
        if (!zone_contains_pfn(z, buddy_pfn))
            continue;
        buddy = zone_pfn_to_page(z, buddy_pfn);
        if (buddy->state != PAGE_ALLOCATED || buddy->owner != OWNER_TEST)
            continue;                           /* freeing PAGE would merge */
        list_del(pos);
        zone_free(z, page, 0);
        freed++;
    }
    cprintf("  took %lu single frames until no block of order >= %u was "
            "left, gave back %lu of them (every other one)\n",
            taken, order, freed);
    return freed;
}

/* Step 4: give back everything still held. */
static void fragdemo_release(struct zone *z, struct list_head *held)
{
    struct list_head *pos, *tmp;
    unsigned long n = 0;

    list_for_each_safe(pos, tmp, held) {
        list_del(pos);
        zone_free(z, list_entry(pos, struct page, lru), 0);
        n++;
    }
    cprintf("  gave back the other %lu frames: each merges with its free "
            "buddy\n", n);
}

/* Ask for 2^ORDER frames; report the outcome and give them back at once. */
static bool fragdemo_try(struct zone *z, unsigned order)
{
    struct page *page = zone_alloc(z, order);
    unsigned kib = (PAGE_SIZE >> 10) << order;

    if (!page) {
        cprintf("  alloc order %u (%u KiB): FAILED, although %lu frames "
                "(%lu KiB) are free: no %u of them are contiguous and aligned\n",
                order, kib, z->free_pages, z->free_pages * (PAGE_SIZE >> 10),
                1u << order);
        return false;
    }
    cprintf("  alloc order %u (%u KiB): OK, pfn 0x%x; %lu frames free\n",
            order, kib, zone_page_to_pfn(z, page), z->free_pages);
    zone_free(z, page, order);
    return true;
}

int fragdemo_run(struct zone *z, unsigned order)
{
    struct list_head held;
    unsigned long free_before = z->free_pages;
    bool failed_when_fragmented, worked_after;

    if (order == 0 || order > MAX_ORDER) {
        cprintf("fragdemo: ORDER must be 1..%u (order 0 cannot fragment)\n",
                MAX_ORDER);
        return -EINVAL;
    }
    if (zone_max_free_order(z) < (int)order) {
        cprintf("fragdemo: zone %s has no free block of order %u to begin "
                "with\n", z->name, order);
        return -ENOMEM;
    }
    cprintf("fragdemo: order %u (%u KiB) on zone %s\n", order,
            (PAGE_SIZE >> 10) << order, z->name);
    list_init(&held);
    fragdemo_show(z, "before:");
    fragdemo_fragment(z, order, &held);
    fragdemo_show(z, "fragmented:");
    failed_when_fragmented = !fragdemo_try(z, order);
    fragdemo_release(z, &held);
    fragdemo_show(z, "after:");
    worked_after = fragdemo_try(z, order);
    if (!failed_when_fragmented || !worked_after || z->free_pages != free_before) {
        cprintf("fragdemo: the lesson did not play out (a bug?)\n");
        return -EIO;
    }
    cprintf("fragdemo: the free count was never the problem; contiguity was\n");
    return 0;
}

#ifndef HOST_TEST
#include "kernel/monitor.h"

/* fragdemo [ORDER]: run the demonstration on the kernel's own zone.  It
 * takes all free memory for a moment: nothing else allocates meanwhile. */
static int cmd_fragdemo(int argc, char **argv)
{
    unsigned long long order = 4;

    if (argc > 1 && (!parse_uint(argv[1], &order, false) || order > MAX_ORDER)) {
        cprintf("usage: fragdemo [ORDER]   ORDER: 1..%u, default 4\n", MAX_ORDER);
        return 1;
    }
    return fragdemo_run(&lowmem_zone, (unsigned)order) == 0 ? 0 : 1;
}
MONITOR_CMD(fragdemo, "fragdemo [ORDER]",
            "fragment memory on purpose: free frames, yet an order-ORDER "
            "allocation fails", cmd_fragdemo);
#endif
