/*
 * mm/heap_check.c - looking at a heap from the outside: the consistency
 * checker, the block dump and the statistics report.
 *
 * heap_check trusts nothing the allocator keeps incrementally.  It walks
 * every region block by block from its bottom fence to its top fence,
 * using only the tags, and compares what it finds with the free list and
 * the counters.  Because the regions are kept in address order and so is
 * the free list, one walk can check both at once: each free block met in
 * the walk must be exactly the next entry of the free list (a "lockstep"
 * walk), which proves the list and the set of free blocks are equal
 * without any extra memory.
 *
 * Nothing here changes the heap, so tests, the monitor (`heapcheck`,
 * `heap`) and gdb (`call heap_check(&kheap)`) may call it at any time.
 */
#include "mm/heap_block.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#include <stdarg.h>

unsigned heap_ratio(size_t num, size_t den, unsigned scale)
{
    uint32_t n = (uint32_t)MIN(num, (size_t)UINT32_MAX);
    uint32_t d = (uint32_t)MIN(den, (size_t)UINT32_MAX);

    if (d == 0)
        return 0;
    while (n > (UINT32_MAX - d / 2) / scale) {  /* n * scale + d/2 must fit */
        n >>= 1;
        d >>= 1;
        if (d == 0)
            return UINT32_MAX;
    }
    return (n * scale + d / 2) / d;
}

/* --- the checker ------------------------------------------------------------ */

struct heap_walk {
    const struct heap *heap;
    int errors;
    struct list_head *cursor;   /* the free-list entry the walk expects next */
    bool rover_seen;
    struct heap_stats seen;     /* the counters, recomputed from the tags */
};

static void check_fail(struct heap_walk *w, const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    w->errors++;
    if (w->heap->flags & HEAP_QUIET)
        return;
    va_start(ap, fmt);
    kvsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    kprintf(KERN_ERR "heap_check %s: %s\n", w->heap->name, msg);
}

/* Check B's tags; false if its size cannot be trusted to find the next
 * block (then the rest of the region cannot be walked). */
static bool check_tags(struct heap_walk *w, struct heap_header *b,
                       struct heap_header *fence)
{
    struct heap_tag *foot;

    if (!tag_valid(&b->tag)) {
        check_fail(w, "block %p: header tag corrupt (%08x %08x)", (void *)b,
                   b->tag.size_flags, b->tag.check);
        return false;
    }
    if (block_size(b) < HEAP_MIN_BLOCK || (char *)block_next(b) > (char *)fence) {
        check_fail(w, "block %p: size %u does not fit the region", (void *)b,
                   block_size(b));
        return false;
    }
    foot = block_footer(b);
    if (!tag_valid(foot) || foot->size_flags != b->tag.size_flags)
        check_fail(w, "block %p: footer %08x does not match header %08x",
                   (void *)b, foot->size_flags, b->tag.size_flags);
    return true;
}

/* The bytes of free block B after its list node must all be poison. */
static void check_poison(struct heap_walk *w, struct heap_header *b)
{
    const uint8_t *p = (const uint8_t *)block_node(b) + sizeof(struct list_head);
    const uint8_t *end = (const uint8_t *)block_footer(b);

    for (; p < end; p++) {
        if (*p != HEAP_POISON_BYTE) {
            check_fail(w, "free block %p: byte at +%u is %02x, not poison "
                       "(written after free?)", (void *)b,
                       (unsigned)(p - (const uint8_t *)b), *p);
            return;
        }
    }
}

/* Free block B, met by the walk, must be the free list's next entry. */
static void check_free_block(struct heap_walk *w, struct heap_header *b)
{
    const struct list_head *head = &w->heap->free_list;

    if (b->requested || b->owner)
        check_fail(w, "free block %p: requested %u owner %08x (expected 0)",
                   (void *)b, b->requested, b->owner);
    while (w->cursor != head && node_block(w->cursor) < b) {
        check_fail(w, "free list entry %p is not a free block",
                   (void *)node_block(w->cursor));
        w->cursor = w->cursor->next;
    }
    if (w->cursor == head || node_block(w->cursor) != b) {
        check_fail(w, "free block %p is missing from the free list", (void *)b);
    } else {
        w->rover_seen |= (w->cursor == w->heap->rover);
        w->cursor = w->cursor->next;
    }
    if (w->heap->flags & HEAP_POISON)
        check_poison(w, b);
    w->seen.free_blocks++;
    w->seen.free_bytes += block_size(b);
}

static void check_used_block(struct heap_walk *w, struct heap_header *b)
{
    if (b->owner != w->heap->cookie)
        check_fail(w, "used block %p: owner %08x, not this heap's %08x",
                   (void *)b, b->owner, w->heap->cookie);
    if (b->requested > block_size(b) - HEAP_TAG_BYTES)
        check_fail(w, "used block %p: requested %u does not fit size %u",
                   (void *)b, b->requested, block_size(b));
    w->seen.live_blocks++;
    w->seen.live_given += block_size(b);
    w->seen.live_requested += b->requested;
}

static void check_fences(struct heap_walk *w, struct heap_region *r)
{
    struct heap_header *fence = region_fence(r);

    if (!tag_valid(&r->fence) || r->fence.size_flags != HEAP_TAG_USED)
        check_fail(w, "region %p: bottom fence corrupt", (void *)r);
    if (!tag_valid(&fence->tag) || fence->tag.size_flags != HEAP_TAG_USED)
        check_fail(w, "region %p: top fence at %p corrupt", (void *)r, (void *)fence);
}

/* Walk region R from its first block to its top fence. */
static void check_region(struct heap_walk *w, struct heap_region *r)
{
    struct heap_header *b = region_first(r), *fence = region_fence(r);
    bool below_free = false;

    if (r->magic != HEAP_REGION_MAGIC) {
        check_fail(w, "region %p: bad magic %08x", (void *)r, r->magic);
        return;
    }
    check_fences(w, r);
    w->seen.regions++;
    w->seen.region_bytes += r->bytes;
    for (; b < fence; b = block_next(b)) {
        if (!check_tags(w, b, fence))
            return;
        if (block_used(b)) {
            check_used_block(w, b);
        } else {
            if (below_free)
                check_fail(w, "free blocks %p and %p are adjacent (not merged)",
                           (void *)block_prev(b), (void *)b);
            check_free_block(w, b);
        }
        below_free = !block_used(b);
    }
    if (b != fence)
        check_fail(w, "region %p: blocks end at %p, past the fence %p",
                   (void *)r, (void *)b, (void *)fence);
}

/* The list's own links: prev mirrors next, and it comes back to the head
 * within as many steps as there could be blocks. */
static void check_links(struct heap_walk *w)
{
    const struct list_head *head = &w->heap->free_list, *pos = head;
    size_t limit = w->heap->stats.region_bytes / HEAP_MIN_BLOCK + 1;

    do {
        if (pos->next->prev != pos) {
            check_fail(w, "free list: %p->next->prev is not %p", (void *)pos,
                       (void *)pos);
            return;
        }
        pos = pos->next;
    } while (pos != head && limit--);
    if (pos != head)
        check_fail(w, "free list does not come back to its head");
}

#define CHECK_COUNTER(w, field) \
    do { \
        if ((w)->seen.field != (w)->heap->stats.field) \
            check_fail(w, "counter " #field " is %lu, the blocks say %lu", \
                       (unsigned long)(w)->heap->stats.field, \
                       (unsigned long)(w)->seen.field); \
    } while (0)

static void check_counters(struct heap_walk *w)
{
    CHECK_COUNTER(w, regions);
    CHECK_COUNTER(w, region_bytes);
    CHECK_COUNTER(w, free_blocks);
    CHECK_COUNTER(w, free_bytes);
    CHECK_COUNTER(w, live_blocks);
    CHECK_COUNTER(w, live_given);
    CHECK_COUNTER(w, live_requested);
}

int heap_check(const struct heap *heap)
{
    struct heap_walk w = { .heap = heap };

    check_links(&w);
    if (w.errors)
        return w.errors;            /* walking a broken list could loop */
    w.cursor = heap->free_list.next;
    for (struct heap_region *r = heap->regions; r; r = r->next) {
        if (r->next && r->next <= r)
            check_fail(&w, "regions %p, %p out of order", (void *)r, (void *)r->next);
        check_region(&w, r);
    }
    for (; w.cursor != &heap->free_list; w.cursor = w.cursor->next)
        check_fail(&w, "free list entry %p is not a free block",
                   (void *)node_block(w.cursor));
    if (heap->rover != &heap->free_list && !w.rover_seen)
        check_fail(&w, "rover %p is not on the free list", (void *)heap->rover);
    check_counters(&w);
    return w.errors;
}

/* --- dump and report --------------------------------------------------------- */

void heap_dump(const struct heap *heap)
{
    cprintf("heap %s: %s fit, %lu regions, %zu bytes\n", heap->name,
            heap_policy_name(heap->policy), heap->stats.regions,
            heap->stats.region_bytes);
    for (struct heap_region *r = heap->regions; r; r = r->next) {
        struct heap_header *b = region_first(r), *fence = region_fence(r);

        cprintf("  region %p..%p (%u bytes)\n", (void *)r, (void *)region_end(r),
                r->bytes);
        for (; b < fence; b = block_next(b)) {
            if (!tag_valid(&b->tag) || block_size(b) < HEAP_MIN_BLOCK) {
                cprintf("    %p  corrupt tag %08x %08x: stop\n", (void *)b,
                        b->tag.size_flags, b->tag.check);
                break;
            }
            if (block_used(b))
                cprintf("    %p  %7u  used  requested %u\n", (void *)b,
                        block_size(b), b->requested);
            else
                cprintf("    %p  %7u  free%s\n", (void *)b, block_size(b),
                        block_node(b) == heap->rover ? "  <- rover" : "");
        }
    }
}

void heap_get_report(const struct heap *heap, struct heap_report *out)
{
    const struct list_head *pos;

    memset(out, 0, sizeof(*out));
    out->s = heap->stats;
    list_for_each(pos, &heap->free_list)
        out->largest_free = MAX(out->largest_free,
                                (size_t)block_size(node_block((struct list_head *)pos)));
    out->int_frag_permille = heap_ratio(out->s.live_given - out->s.live_requested,
                                        out->s.live_given, 1000);
    if (out->s.free_bytes)
        out->ext_frag_permille = 1000 - heap_ratio(out->largest_free,
                                                   out->s.free_bytes, 1000);
    out->searched_x100 = heap_ratio(out->s.searched,
                                   out->s.allocs + out->s.failed, 100);
}

void heap_print_report(const struct heap *heap)
{
    struct heap_report r;

    heap_get_report(heap, &r);
    cprintf("heap %s: policy %s fit, %lu regions, %zu bytes (peak %zu)\n",
            heap->name, heap_policy_name(heap->policy), r.s.regions,
            r.s.region_bytes, r.s.peak_region_bytes);
    cprintf("  in use: %lu blocks, %zu bytes requested, %zu given "
            "(internal fragmentation %u.%u%%)\n", r.s.live_blocks,
            r.s.live_requested, r.s.live_given, r.int_frag_permille / 10,
            r.int_frag_permille % 10);
    cprintf("  free:   %lu blocks, %zu bytes, largest %zu "
            "(external fragmentation %u.%u%%)\n", r.s.free_blocks,
            r.s.free_bytes, r.largest_free, r.ext_frag_permille / 10,
            r.ext_frag_permille % 10);
    cprintf("  calls:  %lu allocs, %lu failed, %lu frees, %lu refused\n",
            r.s.allocs, r.s.failed, r.s.frees, r.s.refused);
    cprintf("  search: %lu free blocks looked at in %lu searches, "
            "%u.%02u per allocation\n", r.s.searched, r.s.searches,
            r.searched_x100 / 100, r.searched_x100 % 100);
    cprintf("  peak live: %zu bytes requested\n", r.s.peak_live_requested);
}
