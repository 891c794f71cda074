/*
 * tests/host/test_heap_model.c - the heap against a reference model, under
 * AddressSanitizer.
 *
 * The model is the simplest thing that can be right: a list of the live
 * ranges the heap handed out.  Thousands of random operations drive heap
 * and model together, and after each one the heap's answer must agree
 * with the model's idea of what is allowed:
 *
 *   - a new block is 8-aligned, inside the heap's memory, and overlaps no
 *     live range;
 *   - every live block keeps its contents (each is filled with its own
 *     pattern and checked when it is freed);
 *   - a request fails only if no free block is big enough for it;
 *   - the counters say what the model says, and heap_check finds nothing.
 *
 * Each policy runs over a fixed arena and over a heap that grows through
 * separately malloc'd regions (so ASan sees any write past a region), and
 * once more with the policy switched at random while blocks are live.
 */
#include <stdlib.h>
#include "tests/ktest.h"
#include "mm/heap.h"

#define OPS          20000
#define LIVE_MAX     1024
#define ARENA_BYTES  (256u * 1024u)
#define MAX_REGIONS  4096

struct model_block {
    uint8_t *p;
    size_t size;
    uint32_t seed;
};

struct model {
    struct heap heap;
    struct model_block live[LIVE_MAX];
    int nlive;
    size_t live_bytes;
    uint8_t *arena;                 /* fixed: the arena; growing: NULL */
    void *regions[MAX_REGIONS];     /* growing: what to give back to libc */
    int nregions;
    uint32_t rng;
};

static uint32_t model_rand(struct model *m)
{
    return ktest_rand(&m->rng);
}

/* Sizes spread over four orders of magnitude, 0 included. */
static size_t model_size(struct model *m)
{
    uint32_t r = model_rand(m);

    if (r % 64 == 0)
        return 0;
    return 1 + (r >> 8) % (8u << (r % 11));        /* up to 8 KiB */
}

/* heap_grow_fn: a separate malloc'd region per growth, rounded to 4 KiB. */
static int model_grow(struct heap *heap, size_t block_bytes)
{
    struct model *m = heap->grow_arg;
    size_t bytes = ALIGN_UP(block_bytes + HEAP_REGION_OVERHEAD, 4096);
    void *mem;

    if (m->nregions == MAX_REGIONS || !(mem = malloc(bytes)))
        return -1;
    m->regions[m->nregions++] = mem;
    return heap_add_region(heap, mem, bytes);
}

static void fill(struct model_block *b)
{
    for (size_t i = 0; i < b->size; i++)
        b->p[i] = (uint8_t)(b->seed + i * 13 + (i >> 8));
}

static bool intact(const struct model_block *b)
{
    for (size_t i = 0; i < b->size; i++)
        if (b->p[i] != (uint8_t)(b->seed + i * 13 + (i >> 8)))
            return false;
    return true;
}

/* Does [P, P + SIZE) (at least one byte) overlap a live range? */
static bool overlaps(const struct model *m, const uint8_t *p, size_t size)
{
    size_t len = size ? size : 1;

    for (int i = 0; i < m->nlive; i++) {
        size_t other = m->live[i].size ? m->live[i].size : 1;
        if (p < m->live[i].p + other && m->live[i].p < p + len)
            return true;
    }
    return false;
}

static void model_alloc(struct ktest *t, struct model *m)
{
    size_t size = model_size(m);
    uint8_t *p = heap_alloc(&m->heap, size);
    struct heap_report r;

    if (!p) {
        heap_get_report(&m->heap, &r);
        EXPECT_TRUE(t, m->arena != NULL);           /* a growing heap never fails */
        EXPECT_LT(t, r.largest_free, heap_block_bytes(size));
        return;
    }
    EXPECT_EQ(t, (uintptr_t)p % 8, 0);
    if (m->arena)
        EXPECT_TRUE(t, p >= m->arena && p + size <= m->arena + ARENA_BYTES);
    EXPECT_FALSE(t, overlaps(m, p, size));
    m->live[m->nlive] = (struct model_block){ p, size, model_rand(m) };
    fill(&m->live[m->nlive]);
    m->nlive++;
    m->live_bytes += size;
}

static void model_free(struct ktest *t, struct model *m, int i)
{
    struct model_block *b = &m->live[i];

    EXPECT_TRUE(t, intact(b));
    EXPECT_EQ(t, heap_free(&m->heap, b->p), 0);
    m->live_bytes -= b->size;
    *b = m->live[--m->nlive];
}

static void model_agree(struct ktest *t, struct model *m)
{
    EXPECT_EQ(t, m->heap.stats.live_blocks, m->nlive);
    EXPECT_EQ(t, m->heap.stats.live_requested, m->live_bytes);
    EXPECT_EQ(t, heap_check(&m->heap), 0);
}

/* OPS random operations, then free everything. */
static void model_run(struct ktest *t, enum heap_policy policy, bool growing,
                      bool switching)
{
    struct model *m = calloc(1, sizeof(*m));

    ASSERT_NOT_NULL(t, m);
    m->rng = 0x9e3779b9u ^ ((uint32_t)policy << 8) ^ (growing ? 1u : 0u);
    heap_init(&m->heap, "model", policy);
    heap_set_poison(&m->heap, true);
    if (growing) {
        heap_set_grow(&m->heap, model_grow, m);
    } else {
        m->arena = malloc(ARENA_BYTES);
        EXPECT_EQ(t, heap_add_region(&m->heap, m->arena, ARENA_BYTES), 0);
    }
    for (int op = 0; op < OPS; op++) {
        uint32_t r = model_rand(m);
        if (m->nlive && (m->nlive == LIVE_MAX || r % 100 < 45))
            model_free(t, m, (int)((r >> 8) % (uint32_t)m->nlive));
        else
            model_alloc(t, m);
        if (switching && op % 97 == 0)
            heap_set_policy(&m->heap, (enum heap_policy)(model_rand(m) % HEAP_NPOLICIES));
        if (op % 1000 == 999)
            model_agree(t, m);
    }
    while (m->nlive)
        model_free(t, m, m->nlive - 1);
    model_agree(t, m);
    EXPECT_EQ(t, m->heap.stats.free_blocks, m->heap.stats.regions);
    for (int i = 0; i < m->nregions; i++)
        free(m->regions[i]);
    free(m->arena);
    free(m);
}

static void test_model_first(struct ktest *t) { model_run(t, HEAP_FIRST_FIT, false, false); }
static void test_model_next(struct ktest *t)  { model_run(t, HEAP_NEXT_FIT, false, false); }
static void test_model_best(struct ktest *t)  { model_run(t, HEAP_BEST_FIT, false, false); }
static void test_model_worst(struct ktest *t) { model_run(t, HEAP_WORST_FIT, false, false); }
static void test_model_first_grow(struct ktest *t) { model_run(t, HEAP_FIRST_FIT, true, false); }
static void test_model_next_grow(struct ktest *t)  { model_run(t, HEAP_NEXT_FIT, true, false); }
static void test_model_best_grow(struct ktest *t)  { model_run(t, HEAP_BEST_FIT, true, false); }
static void test_model_worst_grow(struct ktest *t) { model_run(t, HEAP_WORST_FIT, true, false); }
static void test_model_switching(struct ktest *t)  { model_run(t, HEAP_NEXT_FIT, false, true); }

static const struct ktest_case heap_model_cases[] = {
    KTEST_CASE(test_model_first),
    KTEST_CASE(test_model_next),
    KTEST_CASE(test_model_best),
    KTEST_CASE(test_model_worst),
    KTEST_CASE(test_model_first_grow),
    KTEST_CASE(test_model_next_grow),
    KTEST_CASE(test_model_best_grow),
    KTEST_CASE(test_model_worst_grow),
    KTEST_CASE(test_model_switching),
    { 0 }
};
KTEST_SUITE(heap_model, heap_model_cases);
