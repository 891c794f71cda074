/*
 * tests/host/test_swap_map.c - the swap slot allocator against a model.
 *
 * The deterministic tests replay mm/swap_map.h's worked example and the
 * edge cases (full map, bad slots, the count limit, refused operations).
 * The random test drives the allocator and a plain array of counts (the
 * model) with the same 20,000 operations, valid and invalid ones mixed,
 * and after each one compares the results, every count and the
 * consistency checker.  The counts live in a buffer of exactly nr_slots
 * bytes, so AddressSanitizer catches any access past the last slot.
 */
#include <stdlib.h>
#include "tests/ktest.h"
#include "mm/swap_map.h"
#include "lib/errno.h"
#include "lib/string.h"

/* The map of mm/swap_map.h's picture: slots 0..7, 4 bad, 1 and 6 used
 * once, 3 used twice, the cursor at 3. */
static void make_picture(struct ktest *t, struct swap_map *m, uint8_t *counts)
{
    static const uint32_t bad[] = { 4 };

    ASSERT_EQ(t, swap_map_init(m, counts, 8, bad, 1), 0);
    EXPECT_EQ(t, swap_slot_alloc(m), 1);
    EXPECT_EQ(t, swap_slot_alloc(m), 2);
    EXPECT_EQ(t, swap_slot_alloc(m), 3);
    EXPECT_EQ(t, swap_slot_alloc(m), 5);       /* 4 is bad */
    EXPECT_EQ(t, swap_slot_alloc(m), 6);
    EXPECT_EQ(t, swap_slot_put(m, 2), 0);
    EXPECT_EQ(t, swap_slot_put(m, 5), 0);
    EXPECT_EQ(t, swap_slot_dup(m, 3), 0);
    m->cursor = 3;
}

static void test_picture(struct ktest *t)
{
    uint8_t *counts = malloc(8);
    struct swap_map m;

    make_picture(t, &m, counts);
    EXPECT_EQ(t, swap_slot_count(&m, 0), SWAP_MAP_BAD);
    EXPECT_EQ(t, swap_slot_count(&m, 3), 2);
    EXPECT_EQ(t, swap_slot_count(&m, 4), SWAP_MAP_BAD);
    EXPECT_EQ(t, m.nr_free, 3);
    EXPECT_EQ(t, swap_map_usable(&m), 6);
    EXPECT_EQ(t, swap_map_check(&m), 0);
    /* Next fit from 3: 5, 7, then wrap round to 2. */
    EXPECT_EQ(t, swap_slot_alloc(&m), 5);
    EXPECT_EQ(t, swap_slot_alloc(&m), 7);
    EXPECT_EQ(t, swap_slot_alloc(&m), 2);
    EXPECT_EQ(t, swap_slot_alloc(&m), -ENOSPC);
    EXPECT_EQ(t, m.nr_free, 0);
    EXPECT_EQ(t, swap_slot_put(&m, 3), 1);     /* the fork's child exits */
    EXPECT_EQ(t, swap_slot_put(&m, 3), 0);
    EXPECT_EQ(t, swap_slot_alloc(&m), 3);
    EXPECT_EQ(t, swap_map_check(&m), 0);
    free(counts);
}

static void test_refused(struct ktest *t)
{
    uint8_t *counts = malloc(8);
    struct swap_map m;
    uint8_t before[8];

    make_picture(t, &m, counts);
    m.quiet = true;
    memcpy(before, counts, 8);
    EXPECT_EQ(t, swap_slot_put(&m, 2), -EINVAL);
    EXPECT_STREQ(t, m.last_bug, "swap_slot_put: slot 2 is free");
    EXPECT_EQ(t, swap_slot_put(&m, 4), -EINVAL);
    EXPECT_STREQ(t, m.last_bug, "swap_slot_put: slot 4 is a bad page");
    EXPECT_EQ(t, swap_slot_put(&m, 0), -EINVAL);
    EXPECT_EQ(t, swap_slot_dup(&m, 8), -EINVAL);
    EXPECT_STREQ(t, m.last_bug, "swap_slot_dup: slot 8 is outside the swap area (1..7)");
    EXPECT_EQ(t, swap_slot_dup(&m, 7), -EINVAL);
    EXPECT_EQ(t, m.nr_bugs, 5);
    EXPECT_EQ(t, memcmp(before, counts, 8), 0);     /* nothing changed */
    EXPECT_EQ(t, m.nr_free, 3);
    EXPECT_EQ(t, swap_map_check(&m), 0);
    free(counts);
}

static void test_count_limit(struct ktest *t)
{
    uint8_t *counts = malloc(2);
    struct swap_map m;
    unsigned i;

    ASSERT_EQ(t, swap_map_init(&m, counts, 2, NULL, 0), 0);   /* one slot */
    ASSERT_EQ(t, swap_slot_alloc(&m), 1);
    EXPECT_EQ(t, swap_slot_alloc(&m), -ENOSPC);
    for (i = 1; i < SWAP_MAP_MAX; i++)
        EXPECT_EQ(t, swap_slot_dup(&m, 1), 0);
    EXPECT_EQ(t, swap_slot_count(&m, 1), SWAP_MAP_MAX);
    EXPECT_EQ(t, swap_slot_dup(&m, 1), -ERANGE);    /* never becomes "bad" */
    EXPECT_EQ(t, swap_slot_count(&m, 1), SWAP_MAP_MAX);
    for (i = SWAP_MAP_MAX; i > 0; i--)
        EXPECT_EQ(t, swap_slot_put(&m, 1), (int)i - 1);
    EXPECT_EQ(t, m.nr_free, 1);
    EXPECT_EQ(t, swap_map_check(&m), 0);
    free(counts);
}

static void test_init(struct ktest *t)
{
    static const uint32_t bad[] = { 5, 2, 5, 9 };
    static const uint32_t bad_zero[] = { 0 };
    static const uint32_t bad_past[] = { 10 };
    uint8_t *counts = malloc(10);
    struct swap_map m;
    long s;

    EXPECT_EQ(t, swap_map_init(&m, counts, 1, NULL, 0), -EINVAL);
    EXPECT_EQ(t, swap_map_init(&m, counts, 10, bad_zero, 1), -EINVAL);
    EXPECT_EQ(t, swap_map_init(&m, counts, 10, bad_past, 1), -EINVAL);
    ASSERT_EQ(t, swap_map_init(&m, counts, 10, bad, 4), 0);
    EXPECT_EQ(t, m.nr_bad, 3);                      /* 5 is listed twice */
    EXPECT_EQ(t, m.nr_free, 6);                     /* 1 3 4 6 7 8 */
    while ((s = swap_slot_alloc(&m)) > 0)
        EXPECT_TRUE(t, s != 2 && s != 5 && s != 9);
    EXPECT_EQ(t, s, -ENOSPC);
    EXPECT_EQ(t, swap_map_check(&m), 0);
    counts[3] = 0;                                  /* corrupt it: caught */
    EXPECT_EQ(t, swap_map_check(&m), 1);
    free(counts);
}

/* --- random operations against the model ------------------------------------ */

#define RND_SLOTS 301u
#define RND_OPS   20000u

static uint32_t rng_state = 2024;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;       /* xorshift32 */
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state % n;
}

/* What the model says OP on SLOT returns; applies it to MODEL. */
static long model_op(int *model, unsigned op, uint32_t slot, uint32_t *free_slots)
{
    if (op == 0) {                      /* alloc: any free slot will do */
        return *free_slots ? 1 : -ENOSPC;
    }
    if (slot == 0 || slot >= RND_SLOTS || model[slot] <= 0)
        return -EINVAL;                 /* free, bad (-1) or outside */
    if (op == 1) {
        if (model[slot] == SWAP_MAP_MAX)
            return -ERANGE;
        model[slot]++;
        return 0;
    }
    if (--model[slot] == 0)
        ++*free_slots;
    return model[slot];
}

/* Usually a slot in use at or after START (so that dup and put mostly
 * succeed), sometimes START itself, whatever it is (a few past the end). */
static uint32_t pick_slot(const int *model, uint32_t start)
{
    if (rnd(5) == 0)
        return start;
    for (uint32_t i = 0; i < RND_SLOTS; i++) {
        uint32_t s = (start + i) % RND_SLOTS;
        if (model[s] > 0)
            return s;
    }
    return start;
}

static void random_step(struct ktest *t, struct swap_map *m, int *model,
                        uint32_t *free_slots)
{
    unsigned r = rnd(20);
    unsigned op = r < 8 ? 0 : r < 11 ? 1 : 2;      /* alloc, dup, put */
    uint32_t slot = pick_slot(model, rnd(RND_SLOTS + 3));
    long want = model_op(model, op, slot, free_slots);
    long got;

    if (op == 0) {
        got = swap_slot_alloc(m);
        if (want == -ENOSPC) {
            EXPECT_EQ(t, got, -ENOSPC);
            return;
        }
        ASSERT_GT(t, got, 0);
        ASSERT_LT(t, got, (long)RND_SLOTS);
        EXPECT_EQ(t, model[got], 0);    /* was free: not 0, not bad */
        model[got] = 1;
        --*free_slots;
        return;
    }
    got = op == 1 ? swap_slot_dup(m, slot) : swap_slot_put(m, slot);
    EXPECT_EQ(t, got, want);
}

static void test_random_against_model(struct ktest *t)
{
    static const uint32_t bad[] = { 7, 100, 101, 300, 150 };
    uint8_t *counts = malloc(RND_SLOTS);
    int model[RND_SLOTS] = { [0] = -1 };
    uint32_t free_slots = RND_SLOTS - 1 - ARRAY_SIZE(bad);
    unsigned full_seen = 0;
    struct swap_map m;

    ASSERT_EQ(t, swap_map_init(&m, counts, RND_SLOTS, bad, ARRAY_SIZE(bad)), 0);
    m.quiet = true;
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
        model[bad[i]] = -1;
    for (unsigned i = 0; i < RND_OPS && t->failures == 0; i++) {
        random_step(t, &m, model, &free_slots);
        ASSERT_EQ(t, m.nr_free, free_slots);
        ASSERT_EQ(t, swap_map_check(&m), 0);
        full_seen += free_slots == 0;
    }
    EXPECT_GT(t, full_seen, 0);         /* the map was full at times */
    for (uint32_t s = 0; s < RND_SLOTS; s++)
        EXPECT_EQ(t, counts[s], model[s] < 0 ? (int)SWAP_MAP_BAD : model[s]);
    EXPECT_GT(t, m.nr_bugs, 0);         /* invalid operations were tried */
    free(counts);
}

static const struct ktest_case swap_map_cases[] = {
    KTEST_CASE(test_picture),
    KTEST_CASE(test_refused),
    KTEST_CASE(test_count_limit),
    KTEST_CASE(test_init),
    KTEST_CASE(test_random_against_model),
    { 0 }
};
KTEST_SUITE(swap_map, swap_map_cases);
