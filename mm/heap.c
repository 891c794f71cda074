/*
 * mm/heap.c - the allocator: regions, splitting, coalescing, checks on free.
 *
 * Pure logic over memory it is given (see mm/heap.h for the idea,
 * mm/heap_block.h for the block layout and mm/heap_policy.c for the four
 * ways of choosing a block), so the same file runs in the
 * kernel under kmalloc, in the fit-policy lab over a private arena, and on
 * the host under AddressSanitizer.
 *
 * Allocating a request of N bytes:
 *   1. round to a block size: N + 24 bytes of tags, up to a multiple of 8,
 *      at least HEAP_MIN_BLOCK (heap_block_bytes);
 *   2. walk the free list with the heap's policy to choose a free block;
 *   3. if none fits, ask the grow callback for memory and search again;
 *   4. if the chosen block is at least HEAP_MIN_BLOCK bigger than needed,
 *      split it: the front is handed out, the rest stays free in the same
 *      place on the (address-ordered) list; otherwise hand out all of it.
 *
 * Freeing a block:
 *   1. validate: the pointer must be the payload of a used block of this
 *      heap, with both tags intact (else report "BUG:" and change nothing);
 *   2. mark it free and poison its payload;
 *   3. merge with the block above if that is free, then with the block
 *      below if that is free; the tags that end up inside are poisoned, so
 *      a second free of the same pointer is recognised;
 *   4. if it merged with nothing, link it into the free list in address
 *      order (a walk of the list: the price of address-ordered first fit,
 *      which Johnstone and Wilson found to fragment least).
 */
#include "mm/heap_block.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "kernel/assert.h"

#include <stdarg.h>

/* A region's size lives in 32 bits; stay well clear of that. */
#define HEAP_MAX_REGION 0x40000000u

/* --- setting up ------------------------------------------------------------ */

void heap_init(struct heap *heap, const char *name, enum heap_policy policy)
{
    memset(heap, 0, sizeof(*heap));
    heap->name = name;
    heap->policy = policy < HEAP_NPOLICIES ? policy : HEAP_FIRST_FIT;
    /* Free blocks carry owner 0, so the cookie must not be 0. */
    heap->cookie = (HEAP_OWNER_MAGIC ^ (uint32_t)(uintptr_t)heap) | 1u;
    list_init(&heap->free_list);
    heap->rover = &heap->free_list;
}

int heap_init_arena(struct heap *heap, const char *name,
                    enum heap_policy policy, void *mem, size_t bytes)
{
    heap_init(heap, name, policy);
    return heap_add_region(heap, mem, bytes);
}

void heap_set_grow(struct heap *heap, heap_grow_fn grow, void *grow_arg)
{
    heap->grow = grow;
    heap->grow_arg = grow_arg;
}

size_t heap_block_bytes(size_t bytes)
{
    if (bytes > HEAP_MAX_REQUEST)
        return 0;
    return MAX(ALIGN_UP(bytes + HEAP_TAG_BYTES, HEAP_ALIGN), HEAP_MIN_BLOCK);
}

/* --- the free list --------------------------------------------------------- */

/* Overwrite LEN bytes at P: freed memory, or tags that are now inside a
 * bigger block and must never again look like a block's. */
static void heap_bury(void *p, size_t len)
{
    memset(p, HEAP_POISON_BYTE, len);
}

/* Fill free block B's payload after its list node, if the heap poisons. */
static void heap_poison_payload(const struct heap *heap, struct heap_header *b)
{
    if (heap->flags & HEAP_POISON)
        heap_bury((char *)block_node(b) + sizeof(struct list_head),
                  block_size(b) - HEAP_TAG_BYTES - sizeof(struct list_head));
}

void heap_set_poison(struct heap *heap, bool on)
{
    struct list_head *pos;

    if (on && !(heap->flags & HEAP_POISON)) {
        heap->flags |= HEAP_POISON;
        list_for_each(pos, &heap->free_list)
            heap_poison_payload(heap, node_block(pos));
    }
    if (!on)
        heap->flags &= ~HEAP_POISON;
}

/* Link free block B into the free list before the first block above it. */
static void heap_link_sorted(struct heap *heap, struct heap_header *b)
{
    struct list_head *pos;

    list_for_each(pos, &heap->free_list)
        if (node_block(pos) > b)
            break;
    list_add_tail(block_node(b), pos);
}

/* Free block B absorbs the free block UP right above it.  B was not on the
 * list yet: it takes UP's place, which is the right place by address. */
static void heap_merge_upper(struct heap *heap, struct heap_header *b,
                             struct heap_header *up)
{
    struct list_head *bn = block_node(b), *un = block_node(up);
    uint32_t size = block_size(b) + block_size(up);

    list_add(bn, un);
    list_del(un);
    if (heap->rover == un)
        heap->rover = bn;
    /* B's footer, UP's header and UP's node are now inside the block. */
    heap_bury(block_footer(b), HEAP_TAG_BYTES + sizeof(struct list_head));
    block_set(b, size, false);
    heap->stats.free_blocks--;
}

/* The free block LOW right below free block B absorbs it.  Returns LOW. */
static struct heap_header *heap_merge_lower(struct heap *heap,
                                            struct heap_header *low,
                                            struct heap_header *b)
{
    struct list_head *bn = block_node(b);
    uint32_t size = block_size(low) + block_size(b);

    if (!list_empty(bn)) {              /* B had taken its upper's place */
        if (heap->rover == bn)
            heap->rover = block_node(low);
        list_del(bn);
    }
    /* LOW's footer, B's header and B's node are now inside the block. */
    heap_bury(block_below_footer(b), HEAP_TAG_BYTES + sizeof(struct list_head));
    block_set(low, size, false);
    heap->stats.free_blocks--;
    return low;
}

/* B has free tags but is on no list: count it, coalesce it with free
 * neighbours, and make sure the result is on the free list. */
static void heap_insert_free(struct heap *heap, struct heap_header *b)
{
    struct heap_header *up = block_next(b);

    list_init(block_node(b));
    heap->stats.free_bytes += block_size(b);
    heap->stats.free_blocks++;
    if (!block_used(up))
        heap_merge_upper(heap, b, up);
    if (!tag_used(block_below_footer(b)))
        b = heap_merge_lower(heap, block_prev(b), b);
    if (list_empty(block_node(b)))
        heap_link_sorted(heap, b);
}

/* --- regions ---------------------------------------------------------------- */

static void heap_count_region_bytes(struct heap *heap, size_t bytes)
{
    heap->stats.region_bytes += bytes;
    heap->stats.peak_region_bytes = MAX(heap->stats.peak_region_bytes,
                                        heap->stats.region_bytes);
}

static void heap_fence_init(struct heap_header *fence)
{
    tag_set(&fence->tag, 0, true);
    fence->requested = 0;
    fence->owner = 0;
}

/* A fresh free block of SIZE bytes at B, counted and linked. */
static void heap_new_free_block(struct heap *heap, struct heap_header *b,
                                uint32_t size)
{
    block_set(b, size, false);
    b->requested = 0;
    b->owner = 0;
    heap_poison_payload(heap, b);
    heap_insert_free(heap, b);
}

/* Make the BYTES at R a region holding one free block. */
static int heap_new_region(struct heap *heap, struct heap_region *r, size_t bytes)
{
    struct heap_region **link = &heap->regions;

    if (bytes < HEAP_REGION_OVERHEAD + HEAP_MIN_BLOCK || bytes > HEAP_MAX_REGION)
        return -EINVAL;
    r->bytes = (uint32_t)bytes;
    r->magic = HEAP_REGION_MAGIC;
    tag_set(&r->fence, 0, true);
    heap_fence_init(region_fence(r));
    while (*link && *link < r)          /* keep the list in address order */
        link = &(*link)->next;
    r->next = *link;
    *link = r;
    heap->stats.regions++;
    heap_count_region_bytes(heap, bytes);
    heap_new_free_block(heap, region_first(r),
                        (uint32_t)(bytes - HEAP_REGION_OVERHEAD));
    return 0;
}

/*
 * Add BYTES to the top of region R, as sbrk extends a heap.  The old fence
 * header becomes the header of the new memory:
 *
 *   before   ... | last block | fence |
 *   after    ... | last block | new block ............... | fence |
 *                             ^ old fence                    ^ BYTES higher
 *
 * and the new block merges with the last block if that one is free (then
 * BYTES may be smaller than a block).
 */
static int heap_extend_region(struct heap *heap, struct heap_region *r, size_t bytes)
{
    struct heap_header *old_fence = region_fence(r);
    struct heap_tag *top = block_below_footer(old_fence);
    struct heap_header *last = block_prev(old_fence);

    if ((tag_used(top) && bytes < HEAP_MIN_BLOCK) || bytes > HEAP_MAX_REGION - r->bytes)
        return -EINVAL;
    r->bytes += (uint32_t)bytes;
    heap_fence_init(region_fence(r));
    heap_count_region_bytes(heap, bytes);
    if (tag_used(top)) {
        heap_new_free_block(heap, old_fence, (uint32_t)bytes);
        return 0;
    }
    /* The old footer and fence are now inside the block: bury them (and,
     * if the heap poisons, all the new bytes). */
    heap_bury(top, (heap->flags & HEAP_POISON) ? bytes : MIN(bytes, HEAP_TAG_BYTES));
    block_set(last, block_size(last) + (uint32_t)bytes, false);
    heap->stats.free_bytes += bytes;
    return 0;
}

static bool heap_overlaps(const struct heap *heap, uintptr_t start, uintptr_t end)
{
    for (struct heap_region *r = heap->regions; r; r = r->next)
        if (start < (uintptr_t)region_end(r) && end > (uintptr_t)r)
            return true;
    return false;
}

int heap_add_region(struct heap *heap, void *mem, size_t bytes)
{
    uintptr_t start = ALIGN_UP((uintptr_t)mem, HEAP_ALIGN);
    uintptr_t end = ALIGN_DOWN((uintptr_t)mem + bytes, HEAP_ALIGN);

    if (end <= start || heap_overlaps(heap, start, end))
        return -EINVAL;
    for (struct heap_region *r = heap->regions; r; r = r->next)
        if ((uintptr_t)region_end(r) == start)
            return heap_extend_region(heap, r, end - start);
    return heap_new_region(heap, (struct heap_region *)start, end - start);
}

size_t heap_tail_free(const struct heap *heap)
{
    struct heap_region *r = heap->regions;
    struct heap_tag *top;

    if (!r)
        return 0;
    while (r->next)
        r = r->next;
    top = block_below_footer(region_fence(r));
    return tag_used(top) ? 0 : tag_size(top);
}

/* --- allocating ------------------------------------------------------------- */

/*
 * Hand out the first NEED bytes of free block B for a request of REQUEST.
 * A remainder of at least HEAP_MIN_BLOCK becomes a free block that takes
 * B's place on the list; a smaller one stays inside the block (internal
 * fragmentation).  Either way the rover moves to the block after the one
 * taken: the next search starts where this one ended.
 */
static void *heap_take(struct heap *heap, struct heap_header *b, uint32_t need,
                       size_t request)
{
    struct list_head *node = block_node(b), *after;
    struct heap_stats *s = &heap->stats;
    uint32_t size = block_size(b);

    ASSERTF(!block_used(b) && size >= need, "block %p size_flags %08x need %u",
            (void *)b, b->tag.size_flags, need);
    if (size - need >= HEAP_MIN_BLOCK) {
        struct heap_header *rest = (struct heap_header *)((char *)b + need);
        block_set(rest, size - need, false);
        rest->requested = 0;
        rest->owner = 0;
        after = block_node(rest);
        list_add(after, node);
        size = need;
    } else {
        after = node->next;
        s->free_blocks--;
    }
    list_del(node);
    heap->rover = after;
    block_set(b, size, true);
    b->requested = (uint32_t)request;
    b->owner = heap->cookie;
    s->free_bytes -= size;
    s->live_blocks++;
    s->live_given += size;
    s->live_requested += request;
    s->peak_live_requested = MAX(s->peak_live_requested, s->live_requested);
    s->allocs++;
    return block_payload(b);
}

void *heap_alloc(struct heap *heap, size_t bytes)
{
    uint32_t need = (uint32_t)heap_block_bytes(bytes);
    struct heap_header *b = NULL;

    if (need) {
        b = heap_policy_find(heap, need);
        if (!b && heap->grow && heap->grow(heap, need) == 0)
            b = heap_policy_find(heap, need);
    }
    if (!b) {
        heap->stats.failed++;
        return NULL;
    }
    return heap_take(heap, b, need, bytes);
}

/* --- freeing ---------------------------------------------------------------- */

/* Record a refused free of PTR in heap->last_bug, print it as a "BUG:"
 * line unless the heap is quiet, and count it.  Returns -EINVAL, for the
 * caller to pass on. */
static int heap_bug(struct heap *heap, const void *ptr, const char *fmt, ...)
{
    char why[112];
    va_list ap;

    va_start(ap, fmt);
    kvsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    ksnprintf(heap->last_bug, sizeof(heap->last_bug), "heap %s: free(%p): %s",
              heap->name, ptr, why);
    heap->stats.refused++;
    if (!(heap->flags & HEAP_QUIET))
        kprintf(KERN_ERR "BUG: %s\n", heap->last_bug);
    return -EINVAL;
}

static struct heap_region *heap_region_of(const struct heap *heap, const void *p)
{
    for (struct heap_region *r = heap->regions; r; r = r->next)
        if ((const char *)p >= (char *)r && (const char *)p < region_end(r))
            return r;
    return NULL;
}

/* Is PTR's header that of a block this heap handed out and still owns? */
static int heap_validate_header(struct heap *heap, void *ptr)
{
    struct heap_region *r = heap_region_of(heap, ptr);
    struct heap_header *b = payload_block(ptr);

    if (!r || !IS_ALIGNED((uintptr_t)ptr, HEAP_ALIGN) ||
        (char *)ptr < (char *)block_payload(region_first(r)))
        return heap_bug(heap, ptr, "not a block of this heap (outside its regions or misaligned)");
    if (tag_poisoned(&b->tag))
        return heap_bug(heap, ptr, "double free (freed before, then merged into the block below)");
    if (!tag_valid(&b->tag))
        return heap_bug(heap, ptr, "no valid header: not from heap_alloc, or header overwritten");
    if (!block_used(b))
        return heap_bug(heap, ptr, "double free (the block is already free)");
    if (b->owner != heap->cookie)
        return heap_bug(heap, ptr, "the block belongs to another heap");
    if (block_size(b) < HEAP_MIN_BLOCK || block_size(b) % HEAP_ALIGN ||
        (char *)b + block_size(b) > (char *)region_fence(r))
        return heap_bug(heap, ptr, "header size %u does not fit its region", block_size(b));
    return 0;
}

/* Are the footer of PTR's block and the tags of both neighbours intact?
 * A free neighbour's other tag is checked too: merging will rewrite it. */
static int heap_validate_tags(struct heap *heap, void *ptr)
{
    struct heap_header *b = payload_block(ptr), *up = block_next(b);
    struct heap_tag *foot = block_footer(b), *below = block_below_footer(b);

    if (!tag_valid(foot) || foot->size_flags != b->tag.size_flags)
        return heap_bug(heap, ptr, "footer overwritten (write past the end of the %u-byte request?)",
                        b->requested);
    if (!tag_valid(below) ||
        (!tag_used(below) && block_prev(b)->tag.size_flags != below->size_flags))
        return heap_bug(heap, ptr, "the block below has corrupt tags");
    if (!tag_valid(&up->tag) ||
        (!block_used(up) && block_footer(up)->size_flags != up->tag.size_flags))
        return heap_bug(heap, ptr, "the block above has corrupt tags (overrun from this block?)");
    return 0;
}

/* Mark the validated used block B free, poison it, and coalesce it. */
static void heap_release(struct heap *heap, struct heap_header *b)
{
    uint32_t size = block_size(b);

    heap->stats.live_requested -= b->requested;
    heap->stats.live_given -= size;
    heap->stats.live_blocks--;
    heap->stats.frees++;
    b->requested = 0;
    b->owner = 0;
    block_set(b, size, false);
    heap_poison_payload(heap, b);
    heap_insert_free(heap, b);
}

int heap_free(struct heap *heap, void *ptr)
{
    int err;

    if (!ptr)
        return 0;
    err = heap_validate_header(heap, ptr);
    if (!err)
        err = heap_validate_tags(heap, ptr);
    if (err)
        return err;
    heap_release(heap, payload_block(ptr));
    return 0;
}
