/*
 * tests/host/test_buddy_stress.c - hundreds of thousands of random buddy
 * operations, each checked against the reference model of
 * tests/host/buddy_model.h (host only: too slow for the boot-time tests).
 *
 * The zone starts all reserved and is handed to the allocator piece by
 * piece, at random, in between allocations and frees, as a memory map
 * with holes would; releases overlap on purpose (they must be reported and
 * skipped) and bad frees are thrown in.  Every operation compares the
 * counters with the model; every STRESS_CHECK_EVERY operations, and at the
 * end, buddy_check() verifies the whole structure.
 */
#include "tests/ktest.h"
#include "tests/host/buddy_model.h"
#include "lib/kprintf.h"

#define STRESS_OPS         200000
#define STRESS_CHECK_EVERY 1000

static struct page stress_frames[MODEL_MAX_FRAMES];
static struct zone stress_zone;
static struct model stress_model;

/* A model_* call that must agree; on disagreement, fail with its reason. */
#define STRESS_OK(t, m, call) \
    do { \
        if (!(call)) { \
            ktest_fail_msg(t, __FILE__, __LINE__, (m)->why); \
            return; \
        } \
    } while (0)


/* Release a random range of up to 128 frames, sometimes past the edges. */
static bool stress_release(struct model *m, uint32_t *seed)
{
    struct zone *z = m->z;
    pfn_t start = z->base_pfn - 32 +
                  (pfn_t)(ktest_rand(seed) % (z->nr_frames + 64));

    return model_release(m, start, start + ktest_rand(seed) % 128);
}

/* One random operation: mostly allocations and frees. */
static bool stress_step(struct model *m, uint32_t *seed)
{
    uint32_t r = ktest_rand(seed);
    uint32_t pick = r % 100;
    struct zone *z = m->z;

    if (pick < 45)      /* order 0 half the time, 1 a quarter, ... up to 10 */
        return model_alloc(m, (unsigned)__builtin_ctz(ktest_rand(seed) |
                                                      (1u << MAX_ORDER)));
    if (pick < 87)
        return m->nlive == 0 ||
               model_free(m, (r >> 8) % m->nlive, (r >> 7) % 8 == 0);
    if (pick < 95)
        return model_bad_free(m, z->base_pfn +
                              (pfn_t)(ktest_rand(seed) % z->nr_frames),
                              ktest_rand(seed) % (MAX_ORDER + 3));
    return stress_release(m, seed);
}

static void stress_report(const struct model *m)
{
    kprintf("    # %lu allocs (%lu failed), %lu frees, %lu put_page frees, "
            "%lu bad frees, %lu releases\n", m->stats.allocs,
            m->stats.failed_allocs, m->stats.frees, m->stats.puts,
            m->stats.bad_frees, m->stats.releases);
}

/* A zone of NR frames at BASE, modelled, with nothing released yet. */
static struct model *stress_setup(pfn_t base, unsigned long nr)
{
    zone_init(&stress_zone, stress_frames, base, nr);
    model_init(&stress_model, &stress_zone);
    stress_model.check_failures = true;
    return &stress_model;
}

static void test_stress_against_model(struct ktest *t)
{
    struct model *m = stress_setup(0x200003, MODEL_MAX_FRAMES - 5);
    uint32_t seed = 0x9e3779b9u;

    for (int i = 0; i < 8; i++)
        STRESS_OK(t, m, stress_release(m, &seed));
    for (int op = 1; op <= STRESS_OPS; op++) {
        STRESS_OK(t, m, stress_step(m, &seed));
        if (op % STRESS_CHECK_EVERY == 0)
            STRESS_OK(t, m, model_check(m, true));
    }
    while (m->nlive > 0)
        STRESS_OK(t, m, model_free(m, m->nlive - 1, false));
    STRESS_OK(t, m, model_check(m, true));
    stress_report(m);
}

/* Release an aligned zone in random pieces, with traffic in between; once
 * all of it is released and all of it freed, merging must have rebuilt the
 * largest blocks: nothing but order-MAX_ORDER blocks may be left. */
static void test_stress_release_in_pieces(struct ktest *t)
{
    pfn_t base = 0x300000;
    struct model *m = stress_setup(base, MODEL_MAX_FRAMES);
    uint32_t seed = 12345;

    for (int round = 0; round < 2000; round++) {
        STRESS_OK(t, m, stress_release(m, &seed));
        for (int i = 0; i < 20; i++)
            STRESS_OK(t, m, stress_step(m, &seed));
    }
    STRESS_OK(t, m, model_release(m, base, base + MODEL_MAX_FRAMES));
    while (m->nlive > 0)
        STRESS_OK(t, m, model_free(m, m->nlive - 1, false));
    STRESS_OK(t, m, model_check(m, true));
    stress_report(m);
    EXPECT_EQ(t, stress_zone.free_area[MAX_ORDER].nr_free,
              MODEL_MAX_FRAMES >> MAX_ORDER);
    EXPECT_EQ(t, stress_zone.free_pages, MODEL_MAX_FRAMES);
}

static const struct ktest_case buddy_stress_cases[] = {
    KTEST_CASE(test_stress_against_model),
    KTEST_CASE(test_stress_release_in_pieces),
    { 0 }
};
KTEST_SUITE(buddy_stress, buddy_stress_cases);
