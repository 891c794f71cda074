/*
 * mm/heap_policy.c - the four placement policies: which free block serves
 * a request.
 *
 * All four walk the same free list (every free block, in address order)
 * and differ only in when they stop and what they keep:
 *
 *   first fit   stop at the first block that is big enough.  Address
 *               order makes that the lowest one, so the bottom of the heap
 *               fills up and the top stays in big pieces.
 *   next fit    the same, but start at the rover, where the previous
 *               search stopped, and wrap around the list once.  Searches
 *               are short, but the allocations spread over the whole heap
 *               and mix objects of different ages (Johnstone and Wilson
 *               measured far more fragmentation than first fit).
 *   best fit    look at every block, keep the smallest that is big
 *               enough; stop early only on an exact fit.  Leaves the
 *               smallest possible remainder, at the price of a full walk.
 *   worst fit   look at every block, keep the largest.  Leaves the
 *               largest possible remainder, hoping it stays useful; in
 *               practice it breaks up every big block first.
 *
 * Worked example, holes [10 @0] [5 @11] [20 @17] (in KiB, at those KiB
 * offsets) and a request of 4: first fit takes @0 (the lowest that fits),
 * best fit @11 (5 is the smallest >= 4), worst fit @17 (20 is the
 * largest); next fit takes the first hole at or after its rover.
 *
 * Each policy counts the free blocks it looks at: the statistics report
 * the average per allocation, the cost side of the trade-off.
 */
#include "mm/heap_block.h"
#include "lib/errno.h"
#include "lib/string.h"

static const char *const policy_names[HEAP_NPOLICIES] = {
    [HEAP_FIRST_FIT] = "first",
    [HEAP_NEXT_FIT] = "next",
    [HEAP_BEST_FIT] = "best",
    [HEAP_WORST_FIT] = "worst",
};

void heap_set_policy(struct heap *heap, enum heap_policy policy)
{
    if (policy < HEAP_NPOLICIES)
        heap->policy = policy;
}

const char *heap_policy_name(enum heap_policy policy)
{
    return policy < HEAP_NPOLICIES ? policy_names[policy] : "?";
}

int heap_policy_parse(const char *name, enum heap_policy *out)
{
    for (int p = 0; p < HEAP_NPOLICIES; p++) {
        if (strcmp(name, policy_names[p]) == 0) {
            *out = (enum heap_policy)p;
            return 0;
        }
    }
    return -EINVAL;
}

/* --- the four policies -------------------------------------------------------
 * Each walks the free list and counts in *LOOKED the blocks it examined;
 * each returns a free block of at least NEED bytes, or NULL. */

static struct heap_header *fit_first(struct heap *heap, uint32_t need,
                                     unsigned long *looked)
{
    struct list_head *pos;

    list_for_each(pos, &heap->free_list) {
        (*looked)++;
        if (block_size(node_block(pos)) >= need)
            return node_block(pos);
    }
    return NULL;
}

/* Start at the rover (inclusive) and go once round the circular list,
 * stepping over the list head, which is no block. */
static struct heap_header *fit_next(struct heap *heap, uint32_t need,
                                    unsigned long *looked)
{
    struct list_head *start = heap->rover, *pos = start;

    do {
        if (pos != &heap->free_list) {
            (*looked)++;
            if (block_size(node_block(pos)) >= need)
                return node_block(pos);
        }
        pos = pos->next;
    } while (pos != start);
    return NULL;
}

static struct heap_header *fit_best(struct heap *heap, uint32_t need,
                                    unsigned long *looked)
{
    struct heap_header *best = NULL;
    struct list_head *pos;

    list_for_each(pos, &heap->free_list) {
        struct heap_header *b = node_block(pos);
        (*looked)++;
        if (block_size(b) < need || (best && block_size(b) >= block_size(best)))
            continue;
        best = b;
        if (block_size(b) == need)      /* nothing can beat an exact fit */
            break;
    }
    return best;
}

static struct heap_header *fit_worst(struct heap *heap, uint32_t need,
                                     unsigned long *looked)
{
    struct heap_header *worst = NULL;
    struct list_head *pos;

    list_for_each(pos, &heap->free_list) {
        struct heap_header *b = node_block(pos);
        (*looked)++;
        if (!worst || block_size(b) > block_size(worst))
            worst = b;
    }
    return worst && block_size(worst) >= need ? worst : NULL;
}

struct heap_header *heap_policy_find(struct heap *heap, uint32_t need)
{
    unsigned long looked = 0;
    struct heap_header *b;

    switch (heap->policy) {
    case HEAP_NEXT_FIT:  b = fit_next(heap, need, &looked); break;
    case HEAP_BEST_FIT:  b = fit_best(heap, need, &looked); break;
    case HEAP_WORST_FIT: b = fit_worst(heap, need, &looked); break;
    default:             b = fit_first(heap, need, &looked); break;
    }
    heap->stats.searches++;
    heap->stats.searched += looked;
    return b;
}
