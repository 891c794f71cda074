/*
 * mm/buddy_check.c - the buddy allocator seen from the outside: a
 * consistency checker, a dump, and the /proc/buddyinfo line.
 *
 * buddy_check trusts nothing the allocator keeps for speed.  It rebuilds
 * the picture twice, independently, and compares:
 *
 *   1. the frame array, left to right: every head must be followed by
 *      exactly 2^order - 1 tails, so each frame is covered exactly once;
 *      this yields the number of free heads of each order and the free,
 *      allocated and reserved totals;
 *   2. the free lists: each entry must be a free head of the list's order,
 *      the links must be consistent both ways, and each list's length must
 *      match its nr_free and the free heads counted in step 1.  A node
 *      has one `next`, so a list whose length matches and whose every
 *      entry is a free head of that order holds each free head once.
 *
 * Then the counters must add up.  It costs O(frames), so it belongs in
 * tests, the monitor and gdb, never on the allocation path.
 */
#include "mm/buddy.h"
#include "lib/kprintf.h"
#include "lib/string.h"

/* What step 1 found. */
struct tally {
    unsigned long free_heads[NR_ORDERS];
    unsigned long free, allocated, reserved, poisoned;
    int violations;
};

#define NO_PFN ((pfn_t)~0u)   /* a violation of the zone as a whole */

/* Print one violation: "buddy_check: pfn 0x..: what is wrong". */
static void PRINTF_LIKE(3, 4) violation(struct tally *t, pfn_t pfn,
                                        const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    va_start(ap, fmt);
    kvsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (pfn == NO_PFN)
        kprintf(KERN_ERR "buddy_check: %s\n", msg);
    else
        kprintf(KERN_ERR "buddy_check: pfn 0x%x: %s\n", pfn, msg);
    t->violations++;
}

/* The fields a frame that is not a head must have left at zero.  The one
 * exception: a reserved frame may name who keeps it (the kernel image,
 * a module), set once at boot by mm/memmap.c for the memmap picture. */
static void check_blank(struct tally *t, const struct page *p, pfn_t pfn,
                        bool may_be_poisoned)
{
    bool owner_ok = p->owner == OWNER_NONE ||
                    (p->state == PAGE_RESERVED && p->owner < NR_PAGE_OWNERS);

    if (p->order || p->refcount || !owner_ok)
        violation(t, pfn, "%s frame has order %u, refcount %u, owner %u "
                  "(must be 0, 0, and no owner unless reserved)",
                  page_state_name(p->state), p->order, p->refcount, p->owner);
    if ((p->flags & PG_POISONED) && !may_be_poisoned)
        violation(t, pfn, "poisoned, but not inside a free block");
    if (p->flags & PG_POISONED)
        t->poisoned++;
}

/* The head fields of the free or allocated block at PFN (ORDER valid). */
static void check_head(struct zone *z, struct tally *t, const struct page *p,
                       pfn_t pfn)
{
    if (p->state == PAGE_ALLOCATED) {
        if (p->refcount == 0)
            violation(t, pfn, "allocated block with refcount 0");
        if (p->flags & PG_POISONED)
            violation(t, pfn, "allocated, but still marked poisoned");
        t->allocated += 1ul << p->order;
        return;
    }
    if (p->refcount || p->owner)
        violation(t, pfn, "free block with refcount %u, owner %u (must be 0)",
                  p->refcount, p->owner);
    if (p->flags & PG_POISONED)
        t->poisoned++;
    t->free_heads[p->order]++;
    t->free += 1ul << p->order;
    if (p->order < MAX_ORDER) {
        pfn_t buddy_pfn = pfn ^ (1u << p->order);
        struct page *buddy;

        if (!zone_contains_pfn(z, buddy_pfn) || buddy_pfn < pfn)
            return;                     /* report each pair once */
        buddy = zone_pfn_to_page(z, buddy_pfn);
        if (buddy->state == PAGE_FREE && buddy->order == p->order)
            violation(t, pfn, "free buddies 0x%x and 0x%x of order %u "
                      "were not merged", pfn, buddy_pfn, p->order);
    }
}

/* Check the block whose head is frames[I]; return how many frames it
 * covers, or fewer if a frame inside is not a tail (it gets its own turn). */
static unsigned long check_block(struct zone *z, struct tally *t, unsigned long i)
{
    const struct page *p = &z->frames[i];
    pfn_t pfn = z->base_pfn + (pfn_t)i;
    unsigned long size;

    if (p->order > MAX_ORDER) {
        violation(t, pfn, "%s head with order %u > MAX_ORDER",
                  page_state_name(p->state), p->order);
        return 1;
    }
    size = 1ul << p->order;
    if (pfn & (size - 1))
        violation(t, pfn, "order-%u block is not aligned to %lu frames",
                  p->order, size);
    if (i + size > z->nr_frames) {
        violation(t, pfn, "order-%u block runs past the end of the zone",
                  p->order);
        size = z->nr_frames - i;
    }
    for (unsigned long j = 1; j < size; j++) {
        if (p[j].state != PAGE_TAIL) {
            violation(t, pfn + (pfn_t)j, "is %s, but lies inside the order-%u "
                      "block at pfn 0x%x", page_state_name(p[j].state),
                      p->order, pfn);
            return j;
        }
        check_blank(t, &p[j], pfn + (pfn_t)j, p->state == PAGE_FREE);
    }
    check_head(z, t, p, pfn);
    return size;
}

/* Step 1: walk the frame array, block by block. */
static void check_frames(struct zone *z, struct tally *t)
{
    unsigned long i = 0;

    while (i < z->nr_frames) {
        const struct page *p = &z->frames[i];
        pfn_t pfn = z->base_pfn + (pfn_t)i;

        if (p->state == PAGE_FREE || p->state == PAGE_ALLOCATED) {
            i += check_block(z, t, i);
            continue;
        }
        if (p->state == PAGE_RESERVED) {
            check_blank(t, p, pfn, false);
            t->reserved++;
        } else {
            violation(t, pfn, "%s frame outside any block",
                      page_state_name(p->state));
        }
        i++;
    }
}

/* Step 2, for one order: the list's shape and contents. */
static void check_list(struct zone *z, struct tally *t, unsigned order)
{
    struct list_head *head = &z->free_area[order].free_list;
    struct list_head *prev = head, *pos;
    unsigned long n = 0;

    for (pos = head->next; pos != head; prev = pos, pos = pos->next) {
        struct page *p = list_entry(pos, struct page, lru);

        if (pos->prev != prev)
            violation(t, NO_PFN, "order-%u list: back link of entry %lu is wrong",
                      order, n);
        if (!zone_contains_page(z, p) || ++n > z->nr_frames) {
            violation(t, NO_PFN, "order-%u list: entry %lu (%p) is not a frame of "
                      "the zone, or the list loops", order, n, (void *)p);
            return;
        }
        if (p->state != PAGE_FREE || p->order != order)
            violation(t, zone_page_to_pfn(z, p), "on the order-%u free list, "
                      "but %s with order %u", order,
                      page_state_name(p->state), p->order);
    }
    if (head->prev != prev)
        violation(t, NO_PFN, "order-%u list: head's back link is wrong", order);
    if (n != z->free_area[order].nr_free || n != t->free_heads[order])
        violation(t, NO_PFN, "order-%u list holds %lu blocks, nr_free says %lu, "
                  "the frame array has %lu free heads", order, n,
                  z->free_area[order].nr_free, t->free_heads[order]);
}

int buddy_check(struct zone *z)
{
    struct tally t;

    memset(&t, 0, sizeof(t));
    check_frames(z, &t);
    for (unsigned order = 0; order <= MAX_ORDER; order++)
        check_list(z, &t, order);
    if (t.free != z->free_pages)
        violation(&t, NO_PFN, "free blocks hold %lu frames, free_pages says %lu",
                  t.free, z->free_pages);
    if (t.free + t.allocated != z->managed_pages)
        violation(&t, NO_PFN, "free %lu + allocated %lu != managed_pages %lu",
                  t.free, t.allocated, z->managed_pages);
    if (t.free + t.allocated + t.reserved != z->nr_frames)
        violation(&t, NO_PFN, "free %lu + allocated %lu + reserved %lu != %lu frames",
                  t.free, t.allocated, t.reserved, z->nr_frames);
    if (t.poisoned != z->nr_poisoned)
        violation(&t, NO_PFN, "%lu frames are poisoned, nr_poisoned says %lu",
                  t.poisoned, z->nr_poisoned);
    return t.violations;
}

void buddy_dump(struct zone *z)
{
    cprintf("zone %s: pfns 0x%x-0x%x, %lu frames: %lu managed, %lu free, "
            "%lu allocated, %lu reserved; poison %s, %lu BUGs\n",
            z->name, z->base_pfn, z->base_pfn + (pfn_t)z->nr_frames - 1,
            z->nr_frames, z->managed_pages, z->free_pages,
            z->managed_pages - z->free_pages, z->nr_frames - z->managed_pages,
            z->poison ? "on" : "off", z->nr_bugs);
    for (unsigned order = 0; order <= MAX_ORDER; order++) {
        struct list_head *head = &z->free_area[order].free_list;
        struct list_head *pos;
        int shown = 0;

        cprintf("  order %2u (%4u KiB): %6lu free", order,
                (PAGE_SIZE >> 10) << order, z->free_area[order].nr_free);
        list_for_each(pos, head) {
            if (shown++ == 6) {
                cprintf(" ...");
                break;
            }
            cprintf(" 0x%x", zone_page_to_pfn(z,
                    list_entry(pos, struct page, lru)));
        }
        cprintf("\n");
    }
}

/* Linux, mm/vmstat.c: "Node %d, zone %8s " then "%6lu " per order, '\n'. */
int buddy_info_line(const struct zone *z, char *buf, size_t size)
{
    ASSERT(buf != NULL && size > 0);
    size_t total = (size_t)ksnprintf(buf, size, "Node %d, zone %8s ", 0,
                                     z->name ? z->name : "Normal");

    for (unsigned order = 0; order <= MAX_ORDER; order++) {
        size_t used = MIN(total, size - 1);
        total += (size_t)ksnprintf(buf + used, size - used, "%6lu ",
                                   z->free_area[order].nr_free);
    }
    size_t used = MIN(total, size - 1);
    total += (size_t)ksnprintf(buf + used, size - used, "\n");
    return (int)total;
}

#ifndef HOST_TEST
#include "kernel/monitor.h"

static int cmd_buddyinfo(int argc UNUSED, char **argv UNUSED)
{
    char line[160];

    buddy_info_line(&lowmem_zone, line, sizeof(line));
    cprintf("%s", line);
    return 0;
}
MONITOR_CMD(buddyinfo, "buddyinfo",
            "free blocks of each order, as Linux's /proc/buddyinfo",
            cmd_buddyinfo);

static int cmd_buddycheck(int argc UNUSED, char **argv UNUSED)
{
    int violations = buddy_check(&lowmem_zone);

    if (violations == 0)
        cprintf("buddycheck: OK\n");
    else
        cprintf("buddycheck: %d violations\n", violations);
    return violations ? 1 : 0;
}
MONITOR_CMD(buddycheck, "buddycheck",
            "verify the frame allocator's free lists and frame array",
            cmd_buddycheck);

static int cmd_buddydump(int argc UNUSED, char **argv UNUSED)
{
    buddy_dump(&lowmem_zone);
    return 0;
}
MONITOR_CMD(buddydump, "buddydump",
            "counters and the first blocks of each free list", cmd_buddydump);
#endif
