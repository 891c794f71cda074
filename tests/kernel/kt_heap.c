/*
 * tests/kernel/kt_heap.c - the heap allocator (mm/heap.c), in the kernel
 * and on the host alike.
 *
 * Every test builds a private heap over a static arena, so it depends on
 * nothing else in the kernel and leaves nothing behind.  The lessons of
 * mm/heap.h are checked by address: the textbook holes and which one each
 * policy picks, the rover surviving merges, refused frees, the numbers of
 * a small hand-computed example, and heap_check after random workloads.
 *
 * Unit of the textbook tests: a 1024-byte block, which is what a request
 * of 1024 - 24 bytes occupies.
 *
 * In the kernel only, a second suite exercises kmalloc itself: the global
 * heap growing by frames from the buddy allocator.
 */
#include "tests/ktest.h"
#include "mm/heap.h"
#include "mm/heap_block.h"
#include "mm/fitlab.h"
#include "lib/string.h"
#include "lib/errno.h"

#define U 1024u                                 /* one unit: a 1 KiB block */
#define ARENA_BYTES (64u * 1024u)

static uint8_t kt_arena[ARENA_BYTES] __attribute__((aligned(8)));
static struct heap kt_heap_;                    /* one heap per test */

/* A request that occupies exactly K units. */
static size_t units(unsigned k)
{
    return k * U - HEAP_TAG_BYTES;
}

/* Where P lies, in units from BASE; -1 for a failed (NULL) allocation. */
static long unit_of(const void *base, const void *p)
{
    return p ? (long)(((const char *)p - (const char *)base) / U) : -1;
}

static bool text_has(const char *text, const char *word)
{
    size_t n = strlen(word);

    for (; *text; text++)
        if (strncmp(text, word, n) == 0)
            return true;
    return false;
}


static void test_block_bytes(struct ktest *t)
{
    EXPECT_EQ(t, heap_block_bytes(0), 40);
    EXPECT_EQ(t, heap_block_bytes(1), 40);
    EXPECT_EQ(t, heap_block_bytes(16), 40);
    EXPECT_EQ(t, heap_block_bytes(17), 48);
    EXPECT_EQ(t, heap_block_bytes(1000), 1024);
    EXPECT_EQ(t, heap_block_bytes(HEAP_MAX_REQUEST + 1), 0);
}

static void test_policy_names(struct ktest *t)
{
    enum heap_policy p = HEAP_NPOLICIES;

    for (int i = 0; i < HEAP_NPOLICIES; i++) {
        EXPECT_EQ(t, heap_policy_parse(heap_policy_name((enum heap_policy)i), &p), 0);
        EXPECT_EQ(t, p, i);
    }
    EXPECT_EQ(t, heap_policy_parse("bogus", &p), -EINVAL);
}

/* --- the textbook lesson ---------------------------------------------------- */

/* Offsets (units) of the requests y, z, w, v of tests/traces/textbook.trace. */
struct textbook_picks {
    enum heap_policy policy;
    long y, z, w, v;
};

static const struct textbook_picks textbook_expected[] = {
    { HEAP_FIRST_FIT,  0, 17,  4, -1 },
    { HEAP_NEXT_FIT,  17, 21, 29, -1 },
    { HEAP_BEST_FIT,  11,  0, 17, 22 },
    { HEAP_WORST_FIT, 17, 21,  0, -1 },
};

/* Build [free 10][A 1][free 5][B 1][free 20] filling a 37-unit arena;
 * returns the address of unit 0, or NULL. */
static void *textbook_layout(struct heap *h, enum heap_policy policy)
{
    void *h1, *h2, *h3;

    if (heap_init_arena(h, "textbook", policy, kt_arena,
                        37 * U + HEAP_REGION_OVERHEAD))
        return NULL;
    h1 = heap_alloc(h, units(10));
    heap_alloc(h, units(1));
    h2 = heap_alloc(h, units(5));
    heap_alloc(h, units(1));
    h3 = heap_alloc(h, units(20));
    if (!h1 || !h3 || h->stats.free_blocks != 0)
        return NULL;
    heap_free(h, h1);
    heap_free(h, h2);
    heap_free(h, h3);
    return h1;
}

static void test_textbook_picks(struct ktest *t)
{
    struct heap *h = &kt_heap_;

    for (size_t i = 0; i < ARRAY_SIZE(textbook_expected); i++) {
        const struct textbook_picks *want = &textbook_expected[i];
        void *base = textbook_layout(h, want->policy);

        ASSERT_NOT_NULL(t, base);
        EXPECT_EQ(t, h->stats.free_blocks, 3);
        void *x = heap_alloc(h, units(15));
        EXPECT_EQ(t, unit_of(base, x), 17);     /* the lesson: only 20 fits */
        heap_free(h, x);                        /* back to 10, 5, 20 */
        EXPECT_EQ(t, unit_of(base, heap_alloc(h, units(4))), want->y);
        EXPECT_EQ(t, unit_of(base, heap_alloc(h, units(8))), want->z);
        EXPECT_EQ(t, unit_of(base, heap_alloc(h, units(5))), want->w);
        EXPECT_EQ(t, unit_of(base, heap_alloc(h, units(13))), want->v);
        EXPECT_EQ(t, heap_check(h), 0);
    }
}

/* --- next fit's roving pointer ----------------------------------------------- */

/* Five 1-unit blocks fill the arena; free a and c; two half-unit requests
 * fill a, leaving the rover on c.  Returns the five addresses in P[]. */
static void rover_setup(struct ktest *t, struct heap *h, char *p[5], void *half[2])
{
    heap_init_arena(h, "rover", HEAP_NEXT_FIT, kt_arena, 5 * U + HEAP_REGION_OVERHEAD);
    for (int i = 0; i < 5; i++)
        p[i] = heap_alloc(h, units(1));
    heap_free(h, p[0]);
    heap_free(h, p[2]);
    half[0] = heap_alloc(h, U / 2 - HEAP_TAG_BYTES);
    half[1] = heap_alloc(h, U / 2 - HEAP_TAG_BYTES);
    EXPECT_TRUE(t, half[0] == p[0]);
    EXPECT_TRUE(t, (char *)half[1] == p[0] + U / 2);
    EXPECT_TRUE(t, h->rover == block_node(payload_block(p[2])));
}

/* Freeing b merges it with c above: the rover must follow to b. */
static void test_rover_upper_merge(struct ktest *t)
{
    struct heap *h = &kt_heap_;
    char *p[5];
    void *half[2];

    rover_setup(t, h, p, half);
    EXPECT_EQ(t, heap_free(h, p[1]), 0);
    EXPECT_TRUE(t, h->rover == block_node(payload_block(p[1])));
    EXPECT_EQ(t, heap_check(h), 0);
    EXPECT_TRUE(t, heap_alloc(h, units(2)) == p[1]);    /* exactly b + c */
    EXPECT_EQ(t, heap_check(h), 0);
}

/* Free the second half of a, then b: b absorbs c above and is absorbed by
 * the half below, so the rover moves twice and ends on the half. */
static void test_rover_lower_merge(struct ktest *t)
{
    struct heap *h = &kt_heap_;
    char *p[5];
    void *half[2];

    rover_setup(t, h, p, half);
    EXPECT_EQ(t, heap_free(h, half[1]), 0);
    EXPECT_EQ(t, heap_free(h, p[1]), 0);
    EXPECT_TRUE(t, h->rover == block_node(payload_block(half[1])));
    EXPECT_EQ(t, h->stats.free_blocks, 1);
    EXPECT_EQ(t, heap_check(h), 0);
    EXPECT_TRUE(t, heap_alloc(h, U / 2 - HEAP_TAG_BYTES) == half[1]);
    EXPECT_EQ(t, heap_check(h), 0);
}

/* --- refused frees ------------------------------------------------------------ */

/* A quiet heap with three 100-byte blocks and a free tail. */
static void bug_setup(struct heap *h, char *p[3])
{
    heap_init_arena(h, "bugs", HEAP_FIRST_FIT, kt_arena, 4096);
    h->flags |= HEAP_QUIET;
    heap_set_poison(h, true);
    for (int i = 0; i < 3; i++)
        p[i] = heap_alloc(h, 100);
}

/* heap_free(P) must be refused for WHY, changing nothing. */
static void expect_refused(struct ktest *t, struct heap *h, void *p, const char *why)
{
    struct heap_stats before = h->stats;

    EXPECT_EQ(t, heap_free(h, p), -EINVAL);
    EXPECT_EQ(t, h->stats.refused, before.refused + 1);
    EXPECT_EQ(t, h->stats.free_bytes, before.free_bytes);
    EXPECT_EQ(t, h->stats.live_blocks, before.live_blocks);
    if (!text_has(h->last_bug, why))
        ktest_fail_msg(t, __FILE__, __LINE__, h->last_bug);
}

static void test_double_free(struct ktest *t)
{
    struct heap *h = &kt_heap_;
    char *p[3];

    bug_setup(h, p);
    EXPECT_EQ(t, heap_free(h, p[1]), 0);
    expect_refused(t, h, p[1], "already free");
    EXPECT_EQ(t, heap_check(h), 0);
    EXPECT_EQ(t, heap_free(h, p[0]), 0);        /* absorbs p[1]'s block */
    expect_refused(t, h, p[1], "merged");
    expect_refused(t, h, p[0], "already free");
    EXPECT_EQ(t, heap_check(h), 0);
    EXPECT_EQ(t, heap_free(h, p[2]), 0);
    EXPECT_EQ(t, h->stats.free_blocks, 1);
    EXPECT_EQ(t, heap_check(h), 0);
}

static void test_foreign_pointers(struct ktest *t)
{
    struct heap *h = &kt_heap_;
    static uint64_t elsewhere[4];
    char *p[3];

    bug_setup(h, p);
    memset(p[0], 0, 100);
    expect_refused(t, h, &elsewhere[2], "not a block of this heap");
    expect_refused(t, h, p[0] + 1, "misaligned");
    expect_refused(t, h, p[0] + 16, "no valid header");
    expect_refused(t, h, (char *)kt_arena + 8, "not a block of this heap");
    EXPECT_EQ(t, heap_check(h), 0);
    EXPECT_EQ(t, heap_free(h, p[0]), 0);
    EXPECT_EQ(t, heap_check(h), 0);
}

static void test_corrupt_tags(struct ktest *t)
{
    struct heap *h = &kt_heap_;
    struct heap_header *b;
    char *p[3], saved;

    bug_setup(h, p);
    b = payload_block(p[0]);
    saved = p[0][block_size(b) - HEAP_TAG_BYTES];       /* the footer's first byte */
    p[0][block_size(b) - HEAP_TAG_BYTES] ^= 0x55;       /* a write past the end */
    expect_refused(t, h, p[0], "footer overwritten");
    EXPECT_GT(t, heap_check(h), 0);
    p[0][block_size(b) - HEAP_TAG_BYTES] = saved;
    EXPECT_EQ(t, heap_check(h), 0);

    b->tag.size_flags += 8;                             /* a stray write */
    expect_refused(t, h, p[0], "no valid header");
    b->tag.size_flags -= 8;
    payload_block(p[1])->tag.check ^= 1;                /* p[0]'s upper neighbour */
    expect_refused(t, h, p[0], "block above");
    payload_block(p[1])->tag.check ^= 1;
    EXPECT_EQ(t, heap_check(h), 0);
    EXPECT_EQ(t, heap_free(h, p[0]), 0);
    EXPECT_EQ(t, heap_check(h), 0);
}

static void test_use_after_free(struct ktest *t)
{
    struct heap *h = &kt_heap_;
    char *p[3];

    bug_setup(h, p);
    heap_free(h, p[1]);
    EXPECT_EQ(t, (uint8_t)p[1][60], HEAP_POISON_BYTE);
    p[1][60] = 1;                                       /* written after free */
    EXPECT_EQ(t, heap_check(h), 1);
    p[1][60] = HEAP_POISON_BYTE;
    EXPECT_EQ(t, heap_check(h), 0);
}

/* --- statistics on a hand-computed example ------------------------------------ */

/*
 * A 1024-byte arena, first fit.  Block sizes: 1 -> 40, 100 -> 128, 5 -> 40,
 * 200 -> 224; 90 -> 120 would leave 8 bytes of the 128 hole, less than a
 * block, so it gets all 128.
 *
 *   alloc 1, 100, 5    used 40+128+40 = 208 for 106 requested; free 816
 *   free the 100       free 128 + 816 = 944 in 2 blocks, largest 816:
 *                      external fragmentation 1 - 816/944 = 136 per mille
 *   alloc 200          looks at the 128 hole, then the 816: 2 blocks
 *   alloc 90           takes the whole 128 hole
 */
static void test_stats_example(struct ktest *t)
{
    struct heap *h = &kt_heap_;
    struct heap_report r;
    void *p2;

    ASSERT_EQ(t, heap_init_arena(h, "stats", HEAP_FIRST_FIT, kt_arena,
                                 1024 + HEAP_REGION_OVERHEAD), 0);
    heap_alloc(h, 1);
    p2 = heap_alloc(h, 100);
    heap_alloc(h, 5);
    heap_get_report(h, &r);
    EXPECT_EQ(t, r.s.live_requested, 106);
    EXPECT_EQ(t, r.s.live_given, 208);
    EXPECT_EQ(t, r.int_frag_permille, 490);         /* 102 / 208 */
    EXPECT_EQ(t, r.s.free_bytes, 816);
    EXPECT_EQ(t, r.largest_free, 816);
    EXPECT_EQ(t, r.ext_frag_permille, 0);
    EXPECT_EQ(t, r.searched_x100, 100);             /* one block each time */

    heap_free(h, p2);
    heap_get_report(h, &r);
    EXPECT_EQ(t, r.s.free_bytes, 944);
    EXPECT_EQ(t, r.s.free_blocks, 2);
    EXPECT_EQ(t, r.ext_frag_permille, 136);
    EXPECT_EQ(t, r.int_frag_permille, 925);         /* (80 - 6) / 80 */

    heap_alloc(h, 200);
    heap_alloc(h, 90);
    heap_get_report(h, &r);
    EXPECT_EQ(t, r.s.live_given, 40 + 40 + 224 + 128);
    EXPECT_EQ(t, r.s.live_requested, 1 + 5 + 200 + 90);
    EXPECT_EQ(t, r.s.peak_live_requested, 296);
    EXPECT_EQ(t, r.s.free_bytes, 592);
    EXPECT_EQ(t, r.s.free_blocks, 1);
    EXPECT_EQ(t, r.s.searched, 1 + 1 + 1 + 2 + 1);
    EXPECT_EQ(t, r.searched_x100, 120);             /* 6 blocks / 5 allocs */
    EXPECT_EQ(t, r.s.peak_region_bytes, 1024 + HEAP_REGION_OVERHEAD);
    EXPECT_NULL(t, heap_alloc(h, 600));            /* 624 > 592: fails */
    EXPECT_EQ(t, h->stats.failed, 1);
    EXPECT_EQ(t, heap_check(h), 0);
}

/* --- randomized workloads --------------------------------------------------------- */

#define LIVE_MAX 96

struct live_block {
    uint8_t *p;
    size_t size;
    uint8_t fill;
};

static struct live_block kt_live[LIVE_MAX];

/* Mostly small requests, some medium, a few large: 1..4096 bytes. */
static size_t random_size(uint32_t *seed)
{
    uint32_t r = ktest_rand(seed);

    switch (r % 8) {
    case 0:  return 512 + (r >> 8) % 3585;
    case 1:
    case 2:  return 64 + (r >> 8) % 449;
    default: return 1 + (r >> 8) % 64;
    }
}

/* Free slot I after checking that its contents survived. */
static void random_free(struct ktest *t, struct heap *h, int i)
{
    struct live_block *lb = &kt_live[i];

    for (size_t k = 0; k < lb->size; k++) {
        if (lb->p[k] != lb->fill) {
            ktest_fail_msg(t, __FILE__, __LINE__, "block contents changed");
            break;
        }
    }
    EXPECT_EQ(t, heap_free(h, lb->p), 0);
    lb->p = NULL;
}

static void random_workload(struct ktest *t, enum heap_policy policy, uint32_t seed)
{
    struct heap *h = &kt_heap_;

    heap_init_arena(h, "random", policy, kt_arena, ARENA_BYTES);
    heap_set_poison(h, true);
    memset(kt_live, 0, sizeof(kt_live));
    for (int op = 0; op < 3000; op++) {
        int i = (int)(ktest_rand(&seed) % LIVE_MAX);
        if (kt_live[i].p) {
            random_free(t, h, i);
        } else {
            size_t size = random_size(&seed);
            kt_live[i] = (struct live_block){ heap_alloc(h, size), size, (uint8_t)op };
            if (kt_live[i].p)
                memset(kt_live[i].p, kt_live[i].fill, size);
        }
        if (op % 500 == 0)
            EXPECT_EQ(t, heap_check(h), 0);
    }
    EXPECT_EQ(t, heap_check(h), 0);
    for (int i = 0; i < LIVE_MAX; i++)
        if (kt_live[i].p)
            random_free(t, h, i);
    EXPECT_EQ(t, h->stats.free_blocks, 1);      /* everything merged back */
    EXPECT_EQ(t, h->stats.free_bytes, ARENA_BYTES - HEAP_REGION_OVERHEAD);
    EXPECT_EQ(t, heap_check(h), 0);
}

static void test_random_first(struct ktest *t) { random_workload(t, HEAP_FIRST_FIT, 1); }
static void test_random_next(struct ktest *t)  { random_workload(t, HEAP_NEXT_FIT, 2); }
static void test_random_best(struct ktest *t)  { random_workload(t, HEAP_BEST_FIT, 3); }
static void test_random_worst(struct ktest *t) { random_workload(t, HEAP_WORST_FIT, 4); }

/* --- growing ------------------------------------------------------------------------ */

/* A grow callback handing out kt_arena in pieces of 1 KiB or more; with
 * a gap of 64 bytes between pieces if heap->grow_arg is non-NULL, which
 * makes every piece a region of its own. */
static size_t kt_brk;

static int kt_grow(struct heap *h, size_t block_bytes)
{
    size_t gap = h->grow_arg ? 64 : 0;
    size_t bytes = ALIGN_UP(block_bytes + HEAP_REGION_OVERHEAD, U);

    if (kt_brk + gap + bytes > ARENA_BYTES)
        return -ENOMEM;
    if (heap_add_region(h, kt_arena + kt_brk + gap, bytes))
        return -ENOMEM;
    kt_brk += gap + bytes;
    return 0;
}

static void grow_workload(struct ktest *t, bool gaps)
{
    struct heap *h = &kt_heap_;
    void *p[40];

    kt_brk = 0;
    heap_init(h, "grow", HEAP_BEST_FIT);
    heap_set_grow(h, kt_grow, gaps ? h : NULL);
    for (int i = 0; i < 40; i++)
        p[i] = heap_alloc(h, 300 + 40 * (size_t)i);
    EXPECT_EQ(t, h->stats.failed, 0);
    EXPECT_EQ(t, heap_check(h), 0);
    for (int i = 0; i < 40; i += 2)
        EXPECT_EQ(t, heap_free(h, p[i]), 0);
    for (int i = 1; i < 40; i += 2)
        EXPECT_EQ(t, heap_free(h, p[i]), 0);
    EXPECT_EQ(t, h->stats.free_blocks, h->stats.regions);  /* one per region */
    EXPECT_EQ(t, h->stats.region_bytes, kt_brk - (gaps ? 64 * h->stats.regions : 0));
    EXPECT_EQ(t, heap_check(h), 0);
}

/* Adjacent pieces extend the one region, as sbrk would. */
static void test_grow_extends(struct ktest *t)
{
    grow_workload(t, false);
    EXPECT_EQ(t, kt_heap_.stats.regions, 1);
}

static void test_grow_regions(struct ktest *t)
{
    grow_workload(t, true);
    EXPECT_GT(t, kt_heap_.stats.regions, 1);
}

/* A region added just above a free top block merges with it, even when
 * the new piece is smaller than a block. */
static void test_extend_small(struct ktest *t)
{
    struct heap *h = &kt_heap_;

    ASSERT_EQ(t, heap_init_arena(h, "small", HEAP_FIRST_FIT, kt_arena, 1024), 0);
    EXPECT_EQ(t, heap_tail_free(h), 1024 - HEAP_REGION_OVERHEAD);
    EXPECT_EQ(t, heap_add_region(h, kt_arena + 1024, 8), 0);
    EXPECT_EQ(t, heap_tail_free(h), 1032 - HEAP_REGION_OVERHEAD);
    EXPECT_EQ(t, h->stats.free_blocks, 1);
    EXPECT_NOT_NULL(t, heap_alloc(h, 1032 - HEAP_REGION_OVERHEAD - HEAP_TAG_BYTES));
    EXPECT_EQ(t, heap_tail_free(h), 0);
    EXPECT_EQ(t, heap_add_region(h, kt_arena + 1032, 8), -EINVAL);    /* too small */
    EXPECT_EQ(t, heap_add_region(h, kt_arena + 512, 4096), -EINVAL);  /* overlaps */
    EXPECT_EQ(t, heap_check(h), 0);
}

/* --- the fit-policy lab on the embedded textbook trace ------------------------------ */

/* In the kernel, the trace built in by mk/heap.mk must replay to the ending
 * its comments promise (tests/host/test_fitlab.c checks the same on the
 * host, from the file). */
static void test_fitlab_embedded(struct ktest *t)
{
    static const size_t largest[HEAP_NPOLICIES] = { 12 * U, 10 * U, 2 * U, 8 * U };
    struct fitlab_trace trace;
    struct fitlab_plan plan;
    struct fitlab_result res;

    if (!fitlab_find_embedded("textbook", &trace)) {
        ktest_skip(t, "no embedded traces (host build, or traces.o not linked)");
        return;
    }
    ASSERT_EQ(t, fitlab_plan(&trace, &plan), 0);
    ASSERT_LE(t, plan.work_bytes, ARENA_BYTES);
    for (int p = 0; p < HEAP_NPOLICIES; p++) {
        ASSERT_EQ(t, fitlab_replay(&trace, &plan, (enum heap_policy)p, kt_arena, &res), 0);
        EXPECT_EQ(t, res.peak_heap, 37 * U);
        EXPECT_EQ(t, res.largest_free, largest[p]);
        EXPECT_EQ(t, res.failed, p == HEAP_BEST_FIT ? 0 : 1);
        EXPECT_EQ(t, res.check_errors, 0);
    }
}

static const struct ktest_case heap_cases[] = {
    KTEST_CASE(test_block_bytes),
    KTEST_CASE(test_policy_names),
    KTEST_CASE(test_textbook_picks),
    KTEST_CASE(test_rover_upper_merge),
    KTEST_CASE(test_rover_lower_merge),
    KTEST_CASE(test_double_free),
    KTEST_CASE(test_foreign_pointers),
    KTEST_CASE(test_corrupt_tags),
    KTEST_CASE(test_use_after_free),
    KTEST_CASE(test_stats_example),
    KTEST_CASE(test_random_first),
    KTEST_CASE(test_random_next),
    KTEST_CASE(test_random_best),
    KTEST_CASE(test_random_worst),
    KTEST_CASE(test_grow_extends),
    KTEST_CASE(test_grow_regions),
    KTEST_CASE(test_extend_small),
    KTEST_CASE(test_fitlab_embedded),
    { 0 }
};
KTEST_SUITE(heap, heap_cases, .quick = true);

/* --- kmalloc, in the kernel ----------------------------------------------------------- */
#ifndef HOST_TEST
#include "mm/kmalloc.h"

static void test_kmalloc_basic(struct ktest *t)
{
    struct heap *h = kmalloc_heap();
    unsigned long live = h->stats.live_blocks;
    uint8_t *p = kmalloc(32), *z = kzalloc(100), *empty = kmalloc(0);
    size_t i;

    ASSERT_NOT_NULL(t, p);
    ASSERT_NOT_NULL(t, z);
    EXPECT_EQ(t, (uintptr_t)p % 8, 0);
    for (i = 0; i < 100 && z[i] == 0; i++)
        ;
    EXPECT_EQ(t, i, 100);
    EXPECT_NOT_NULL(t, empty);                      /* a block of its own */
    EXPECT_TRUE(t, empty != p && empty != z);
    kfree(p);
    kfree(z);
    kfree(empty);
    EXPECT_EQ(t, h->stats.live_blocks, live);
    EXPECT_EQ(t, heap_check(h), 0);
}

/* Blocks bigger than what is left of a frame make the heap take more
 * frames (or, for 100000 bytes, a run of 32); all of it comes back. */
static void test_kmalloc_grows(struct ktest *t)
{
    struct heap *h = kmalloc_heap();
    unsigned long live = h->stats.live_blocks;
    size_t before = h->stats.region_bytes;
    void *p[6];

    for (int i = 0; i < 5; i++) {
        p[i] = kmalloc(3000);
        ASSERT_NOT_NULL(t, p[i]);
        memset(p[i], i, 3000);
    }
    p[5] = kmalloc(100000);
    ASSERT_NOT_NULL(t, p[5]);
    EXPECT_GE(t, h->stats.region_bytes, before + 100000);
    EXPECT_EQ(t, heap_check(h), 0);
    for (int i = 0; i < 6; i++)
        kfree(p[i]);
    EXPECT_EQ(t, h->stats.live_blocks, live);
    EXPECT_EQ(t, heap_check(h), 0);
}

static void test_kfree_refuses(struct ktest *t)
{
    struct heap *h = kmalloc_heap();
    unsigned long refused = h->stats.refused;
    unsigned flags = h->flags;
    char *p = kmalloc(64);

    ASSERT_NOT_NULL(t, p);
    h->flags |= HEAP_QUIET;
    kfree(p);
    kfree(p);                                   /* double free */
    kfree(kt_arena + 64);                       /* not from kmalloc */
    h->flags = flags;
    EXPECT_EQ(t, h->stats.refused, refused + 2);
    EXPECT_TRUE(t, text_has(h->last_bug, "not a block of this heap"));
    EXPECT_EQ(t, heap_check(h), 0);
}

static const struct ktest_case kmalloc_cases[] = {
    KTEST_CASE(test_kmalloc_basic),
    KTEST_CASE(test_kmalloc_grows),
    KTEST_CASE(test_kfree_refuses),
    { 0 }
};
KTEST_SUITE(kmalloc, kmalloc_cases, .quick = true);
#endif /* !HOST_TEST */
