/*
 * tests/host/test_replace.c - the replacement policies and the simulator.
 *
 * 1. Textbook numbers on Belady's string 1 2 3 4 1 2 5 1 2 3 4 5: FIFO 9
 *    faults with 3 frames and 10 with 4 (the anomaly), LRU 10 and 8, OPT 7
 *    and 6, CLOCK 9 and 10 (worked by hand in mm/replace.c).
 * 2. The shipped workloads (tests/traces/refs/, read from the repository
 *    root), each with a memory that makes it interesting: the default
 *    policy must stay within 1.3x of OPT's faults and never do worse than
 *    FIFO.  The tables are printed as KTAP comments (for the README).
 * 3. Properties on random strings: no policy beats OPT; LRU never faults
 *    more with more frames (it is a stack algorithm, FIFO is not).
 * 4. The interface itself: remove, forget, switching policy with pages
 *    resident, a referenced() that always says yes, and replace_check
 *    after every step of random operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tests/ktest.h"
#include "mm/replace.h"
#include "mm/vmsim.h"
#include "lib/errno.h"
#include "lib/string.h"

#define REFS_DIR "tests/traces/refs/"

/* Run PAGES (N of them) with FRAMES frames into RES. */
static int simulate(const uint32_t *pages, uint32_t n, uint32_t frames,
                    struct vmsim_result *res)
{
    void *work = malloc(vmsim_work_bytes(n, frames));
    int rc = vmsim_run(pages, n, frames, work, res);

    free(work);
    return rc;
}

static const uint32_t belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };

static void test_belady(struct ktest *t)
{
    struct vmsim_result r3, r4;

    ASSERT_EQ(t, simulate(belady, 12, 3, &r3), 0);
    ASSERT_EQ(t, simulate(belady, 12, 4, &r4), 0);
    vmsim_print_table("belady", &r3, "    # ");
    vmsim_print_table("belady", &r4, "    # ");
    EXPECT_EQ(t, r3.npages, 5);
    EXPECT_EQ(t, r3.faults[RP_FIFO], 9);
    EXPECT_EQ(t, r4.faults[RP_FIFO], 10);           /* Belady's anomaly */
    EXPECT_EQ(t, r3.faults[RP_LRU], 10);
    EXPECT_EQ(t, r4.faults[RP_LRU], 8);
    EXPECT_EQ(t, r3.faults[VMSIM_OPT], 7);
    EXPECT_EQ(t, r4.faults[VMSIM_OPT], 6);
    EXPECT_EQ(t, r3.faults[RP_CLOCK], 9);
    EXPECT_EQ(t, r4.faults[RP_CLOCK], 10);
    /* The default policy is built for long strings: its cold frame and
     * its memory of evicted pages need more than 12 references to pay. */
    EXPECT_EQ(t, r3.faults[RP_DEFAULT], 10);
    EXPECT_EQ(t, r4.faults[RP_DEFAULT], 10);
    EXPECT_EQ(t, r3.check_errors + r4.check_errors, 0);
}

/* Read tests/traces/refs/NAME.refs into a malloc'd array. */
static uint32_t *read_refs(struct ktest *t, const char *name, uint32_t *n)
{
    char path[128], why[64];
    FILE *f;
    char *text;
    long len;
    uint32_t *pages = NULL;

    snprintf(path, sizeof(path), REFS_DIR "%s.refs", name);
    f = fopen(path, "rb");
    if (!f) {
        ktest_fail_msg(t, __FILE__, __LINE__, "cannot read a .refs file (run from the repo root)");
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    text = malloc((size_t)len);
    if (fread(text, 1, (size_t)len, f) == (size_t)len) {
        uint32_t max = vmsim_count_words(text, (size_t)len);
        pages = malloc(sizeof(uint32_t) * (max + 1));
        *n = 0;
        if (vmsim_parse(text, (size_t)len, pages, max, n, why, sizeof(why)) != 0) {
            ktest_fail_msg(t, __FILE__, __LINE__, why);
            free(pages);
            pages = NULL;
        }
    }
    free(text);
    fclose(f);
    return pages;
}

/* Run NAME with FRAMES frames, print the table, check the default policy
 * against OPT (within 1.3x) and FIFO (no worse), and OPT against all. */
static void check_workload(struct ktest *t, const char *name, uint32_t frames,
                           uint32_t want_refs)
{
    struct vmsim_result res;
    uint32_t n, *pages = read_refs(t, name, &n);

    ASSERT_NOT_NULL(t, pages);
    EXPECT_EQ(t, n, want_refs);
    ASSERT_EQ(t, simulate(pages, n, frames, &res), 0);
    vmsim_print_table(name, &res, "    # ");
    EXPECT_LE(t, res.faults[RP_DEFAULT] * 10, res.faults[VMSIM_OPT] * 13);
    EXPECT_LE(t, res.faults[RP_DEFAULT], res.faults[RP_FIFO]);
    for (int p = 0; p < RP_NPOLICIES; p++)
        EXPECT_GE(t, res.faults[p], res.faults[VMSIM_OPT]);
    EXPECT_EQ(t, res.check_errors, 0);
    free(pages);
}

/* 50 pages in a loop, 40 frames: memory is 80% of the loop. */
static void test_loop(struct ktest *t) { check_workload(t, "loop", 40, 1000); }
/* 439 pages, the hottest 20 (4.6%) take 53% of the references. */
static void test_zipf(struct ktest *t) { check_workload(t, "zipf", 20, 4000); }
/* A hot set of 25 pages and scans of 40 once-used pages, 30 frames. */
static void test_scanmix(struct ktest *t) { check_workload(t, "scanmix", 30, 1900); }

static uint32_t rng_state = 7;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;       /* xorshift32 */
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state % n;
}

/* Random strings with some locality: OPT is a lower bound for everyone,
 * and LRU's faults never grow with the number of frames. */
static void test_random_properties(struct ktest *t)
{
    uint32_t pages[600];
    struct vmsim_result res, prev;

    for (int round = 0; round < 20; round++) {
        for (unsigned i = 0; i < ARRAY_SIZE(pages); i++)
            pages[i] = rnd(4) ? rnd(12) : 12 + rnd(40);
        for (uint32_t frames = 1; frames <= 24; frames++) {
            ASSERT_EQ(t, simulate(pages, ARRAY_SIZE(pages), frames, &res), 0);
            for (int p = 0; p < RP_NPOLICIES; p++)
                EXPECT_GE(t, res.faults[p], res.faults[VMSIM_OPT]);
            if (frames > 1) {
                EXPECT_LE(t, res.faults[RP_LRU], prev.faults[RP_LRU]);
                EXPECT_LE(t, res.faults[VMSIM_OPT], prev.faults[VMSIM_OPT]);
            }
            EXPECT_EQ(t, res.check_errors, 0);
            prev = res;
        }
    }
}

static void test_parse(struct ktest *t)
{
    static const char text[] = "# comment 1 2\n1 2\t3#4\n\n 4294967295 # end";
    uint32_t pages[8], n = 0;
    char why[64];

    EXPECT_EQ(t, replace_policy_parse("fifo"), RP_FIFO);
    EXPECT_EQ(t, replace_policy_parse("clock"), RP_CLOCK);
    EXPECT_EQ(t, replace_policy_parse("lru"), RP_LRU);
    EXPECT_EQ(t, replace_policy_parse("default"), RP_DEFAULT);
    EXPECT_EQ(t, replace_policy_parse("LRU"), -EINVAL);
    EXPECT_STREQ(t, replace_policy_name(RP_DEFAULT), "default");
    EXPECT_STREQ(t, vmsim_column_name(VMSIM_OPT), "opt");
    ASSERT_EQ(t, vmsim_parse(text, sizeof(text) - 1, pages, 8, &n, why, sizeof(why)), 0);
    EXPECT_EQ(t, n, 4);
    EXPECT_EQ(t, pages[2], 3);
    EXPECT_EQ(t, pages[3], 4294967295u);
    EXPECT_EQ(t, vmsim_parse("1\n2 x3", 6, pages, 8, &n, why, sizeof(why)), -EINVAL);
    EXPECT_STREQ(t, why, "line 2: \"x3\" is not a page number");
    EXPECT_EQ(t, vmsim_parse("4294967296", 10, pages, 8, &n, why, sizeof(why)), -EINVAL);
    n = 7;
    EXPECT_EQ(t, vmsim_parse("1 2", 3, pages, 8, &n, why, sizeof(why)), -E2BIG);
    EXPECT_EQ(t, vmsim_count_words(" a bb\nc ", 8), 3);
}

/* --- the interface, driven directly ------------------------------------------------ */

#define NODES 64
static struct rp_node nodes[NODES];
static bool bits[NODES];
static bool always_yes;

static bool test_referenced(struct rp_node *n, void *ctx UNUSED)
{
    bool b = always_yes || bits[n->id];

    bits[n->id] = false;
    return b;
}

static void reset_nodes(void)
{
    for (uint32_t i = 0; i < NODES; i++) {
        list_init(&nodes[i].link);
        nodes[i].id = i;
        nodes[i].state = RP_OUT;
        bits[i] = false;
    }
    always_yes = false;
}

static void test_empty_and_remove(struct ktest *t)
{
    static uint8_t work[4096] __attribute__((aligned(8)));
    struct replacer r;

    ASSERT_LE(t, replace_work_bytes(8), sizeof(work));
    EXPECT_EQ(t, replace_init(&r, RP_NPOLICIES, 8, work, test_referenced, NULL), -EINVAL);
    EXPECT_EQ(t, replace_init(&r, RP_FIFO, 0, work, test_referenced, NULL), -EINVAL);
    for (int p = 0; p < RP_NPOLICIES; p++) {
        reset_nodes();
        ASSERT_EQ(t, replace_init(&r, (enum rp_policy)p, 8, work, test_referenced, NULL), 0);
        EXPECT_NULL(t, replace_select_victim(&r));
        for (uint32_t i = 0; i < 3; i++)
            replace_insert(&r, &nodes[i]);
        replace_remove(&r, &nodes[0]);
        replace_remove(&r, &nodes[0]);              /* not in r: ignored */
        EXPECT_EQ(t, r.nr_resident, 2);
        EXPECT_EQ(t, replace_check(&r), 0);
        EXPECT_NE(t, (uintptr_t)replace_select_victim(&r), (uintptr_t)&nodes[0]);
        EXPECT_NOT_NULL(t, replace_select_victim(&r));
        EXPECT_NULL(t, replace_select_victim(&r));
        EXPECT_EQ(t, replace_check(&r), 0);
    }
}

/* Every page always looks used: the scan must still end. */
static void test_referenced_always_yes(struct ktest *t)
{
    static uint8_t work[4096] __attribute__((aligned(8)));
    struct replacer r;

    for (int p = 0; p < RP_NPOLICIES; p++) {
        reset_nodes();
        always_yes = true;
        ASSERT_EQ(t, replace_init(&r, (enum rp_policy)p, 8, work, test_referenced, NULL), 0);
        for (uint32_t i = 0; i < 8; i++)
            replace_insert(&r, &nodes[i]);
        for (uint32_t i = 0; i < 8; i++)
            EXPECT_NOT_NULL(t, replace_select_victim(&r));
        EXPECT_EQ(t, r.nr_resident, 0);
        EXPECT_EQ(t, replace_check(&r), 0);
    }
}

/* A page evicted by the default policy and faulted back soon comes back
 * hot; after replace_forget it comes back cold. */
static void test_ghosts(struct ktest *t)
{
    static uint8_t work[4096] __attribute__((aligned(8)));
    struct replacer r;
    struct rp_node *v;

    reset_nodes();
    ASSERT_EQ(t, replace_init(&r, RP_DEFAULT, 4, work, test_referenced, NULL), 0);
    for (uint32_t i = 0; i < 4; i++)
        replace_insert(&r, &nodes[i]);
    v = replace_select_victim(&r);
    ASSERT_NOT_NULL(t, v);
    EXPECT_EQ(t, r.nr_ghost, 1);
    replace_insert(&r, v);
    EXPECT_EQ(t, v->state, RP_HOT);
    EXPECT_EQ(t, r.stats.ghost_hits, 1);
    v = replace_select_victim(&r);
    ASSERT_NOT_NULL(t, v);
    replace_forget(&r, v->id);
    EXPECT_EQ(t, r.nr_ghost, 0);
    replace_insert(&r, v);
    EXPECT_EQ(t, v->state, RP_COLD);
    EXPECT_EQ(t, replace_check(&r), 0);
}

/* One random operation on R over the nodes. */
static void random_op(struct ktest *t, struct replacer *r)
{
    uint32_t i = rnd(NODES);
    struct rp_node *v;

    switch (rnd(10)) {
    case 0: case 1: case 2:
        if (nodes[i].state == RP_OUT && r->nr_resident < r->capacity)
            replace_insert(r, &nodes[i]);
        break;
    case 3: case 4:
        bits[i] = true;
        replace_touch(r, &nodes[i]);
        break;
    case 5:
        replace_remove(r, &nodes[i]);
        break;
    case 6: case 7:
        v = replace_select_victim(r);
        EXPECT_TRUE(t, v ? v->state == RP_OUT : r->nr_resident == 0);
        break;
    case 8:
        replace_forget(r, i);
        break;
    default:
        if (rnd(20) == 0)
            EXPECT_EQ(t, replace_set_policy(r, (enum rp_policy)rnd(RP_NPOLICIES)), 0);
        break;
    }
}

static void test_random_operations(struct ktest *t)
{
    static uint8_t work[8192] __attribute__((aligned(8)));
    struct replacer r;

    reset_nodes();
    ASSERT_LE(t, replace_work_bytes(40), sizeof(work));
    ASSERT_EQ(t, replace_init(&r, RP_DEFAULT, 40, work, test_referenced, NULL), 0);
    for (int step = 0; step < 30000 && t->failures == 0; step++) {
        random_op(t, &r);
        ASSERT_EQ(t, replace_check(&r), 0);
    }
    EXPECT_EQ(t, replace_set_policy(&r, RP_NPOLICIES), -EINVAL);
}

static const struct ktest_case replace_cases[] = {
    KTEST_CASE(test_belady),
    KTEST_CASE(test_loop),
    KTEST_CASE(test_zipf),
    KTEST_CASE(test_scanmix),
    KTEST_CASE(test_random_properties),
    KTEST_CASE(test_parse),
    KTEST_CASE(test_empty_and_remove),
    KTEST_CASE(test_referenced_always_yes),
    KTEST_CASE(test_ghosts),
    KTEST_CASE(test_random_operations),
    { 0 }
};
KTEST_SUITE(replace, replace_cases);
