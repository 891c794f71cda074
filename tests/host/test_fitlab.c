/*
 * tests/host/test_fitlab.c - the fit-policy lab on the shipped traces.
 *
 * Reads every tests/traces/NAME.trace from the working directory (the host
 * tests run from the repository root), replays it under the four policies
 * exactly as the kernel's `fitlab` command does, prints the table as KTAP
 * comments, and checks that the numbers are sane: no failures where the
 * heap may grow as far as it likes, heap_check clean, and the textbook
 * trace ending the way tests/traces/textbook.trace says it must.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/ktest.h"
#include "mm/fitlab.h"
#include "lib/errno.h"

#define TRACE_DIR "tests/traces"

/* The whole of PATH, malloc'd (the caller frees it), or NULL. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)) != NULL) {
        *len = fread(text, 1, (size_t)size, f);
        if (*len != (size_t)size) {
            free(text);
            text = NULL;
        }
    }
    fclose(f);
    return text;
}

/* Plan and replay TRACE under every policy into RESULTS; prints the
 * table.  Returns 0 or the first error. */
static int replay_all(struct ktest *t, const struct fitlab_trace *trace,
                      struct fitlab_plan *plan,
                      struct fitlab_result results[HEAP_NPOLICIES])
{
    void *work;
    int rc = fitlab_plan(trace, plan);

    if (rc)
        return rc;
    work = malloc(plan->work_bytes);
    if (!work)
        return -ENOMEM;
    for (int p = 0; p < HEAP_NPOLICIES && !rc; p++)
        rc = fitlab_replay(trace, plan, (enum heap_policy)p, work, &results[p]);
    free(work);
    if (!rc)
        fitlab_print_table(trace, plan, results, "    # ");
    for (int p = 0; p < HEAP_NPOLICIES && !rc; p++)
        EXPECT_EQ(t, results[p].check_errors, 0);
    return rc;
}

static int replay_file(struct ktest *t, const char *name,
                       struct fitlab_plan *plan,
                       struct fitlab_result results[HEAP_NPOLICIES])
{
    char path[256];
    struct fitlab_trace trace = { .name = name };
    int rc;

    snprintf(path, sizeof(path), "%s/%s.trace", TRACE_DIR, name);
    trace.text = read_file(path, &trace.len);
    if (!trace.text) {
        ktest_fail_msg(t, __FILE__, __LINE__, "cannot read the trace (run from the repo root)");
        return -ENOENT;
    }
    rc = replay_all(t, &trace, plan, results);
    free((char *)trace.text);
    return rc;
}

/*
 * The textbook trace's ending (see the table in the trace): the last
 * request of 13 units fails except under best fit, and each policy leaves
 * its own three holes, largest 12, 10, 2 and 8 units.
 */
static void test_textbook_trace(struct ktest *t)
{
    static const size_t largest[HEAP_NPOLICIES] = {
        [HEAP_FIRST_FIT] = 12 * 1024, [HEAP_NEXT_FIT] = 10 * 1024,
        [HEAP_BEST_FIT] = 2 * 1024,   [HEAP_WORST_FIT] = 8 * 1024,
    };
    struct fitlab_result res[HEAP_NPOLICIES];
    struct fitlab_plan plan;

    ASSERT_EQ(t, replay_file(t, "textbook", &plan, res), 0);
    EXPECT_EQ(t, plan.limit, 37 * 1024);
    EXPECT_EQ(t, plan.allocs, 10);
    EXPECT_EQ(t, plan.events, 14);
    for (int p = 0; p < HEAP_NPOLICIES; p++) {
        EXPECT_EQ(t, res[p].peak_heap, 37 * 1024);
        EXPECT_EQ(t, res[p].peak_live, 10216 + 1000 + 5096 + 1000 + 20456);
        EXPECT_EQ(t, res[p].frag_permille, 3);          /* 37888 / 37768 - 1 */
        EXPECT_EQ(t, res[p].free_blocks, 3);
        EXPECT_EQ(t, res[p].largest_free, largest[p]);
        EXPECT_EQ(t, res[p].failed, p == HEAP_BEST_FIT ? 0 : 1);
    }
}

/* Every shipped trace: replays cleanly, nothing fails without a limit,
 * and the heap at peak holds at least the live bytes at peak. */
static void test_all_traces(struct ktest *t)
{
    DIR *dir = opendir(TRACE_DIR);
    struct dirent *de;
    int seen = 0;

    ASSERT_NOT_NULL(t, dir);
    while ((de = readdir(dir)) != NULL) {
        char name[128];
        size_t n = strlen(de->d_name);
        struct fitlab_result res[HEAP_NPOLICIES];
        struct fitlab_plan plan;

        if (n <= 6 || n >= sizeof(name) || strcmp(de->d_name + n - 6, ".trace") != 0)
            continue;
        memcpy(name, de->d_name, n - 6);
        name[n - 6] = '\0';
        seen++;
        if (replay_file(t, name, &plan, res) != 0) {
            ktest_fail_msg(t, __FILE__, __LINE__, de->d_name);
            continue;
        }
        for (int p = 0; p < HEAP_NPOLICIES; p++) {
            EXPECT_GE(t, res[p].peak_heap, res[p].peak_live);
            EXPECT_GE(t, res[p].searched_x100, 100);
            if (strcmp(name, "textbook") != 0)         /* no limit line */
                EXPECT_EQ(t, res[p].failed, 0);
        }
    }
    closedir(dir);
    EXPECT_GE(t, seen, 3);
}

/* Malformed or inconsistent traces are refused with -EINVAL. */
static void test_bad_traces(struct ktest *t)
{
    static const char *const bad[] = {
        "x 1 2\n", "a 1\n", "a 1 12x\n", "a 1 2 3\n", "limit\n", "f\n",
        "a 1 99999999999\n", "f 9\n", "a 1 5\na 1 6\n", "a 1 5\nf 1\nf 1\n",
    };
    char work[4096] __attribute__((aligned(8)));

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct fitlab_trace trace = { "bad", bad[i], strlen(bad[i]) };
        struct fitlab_plan plan;
        struct fitlab_result res;
        int rc = fitlab_plan(&trace, &plan);

        if (rc == 0) {
            ASSERT_LE(t, plan.work_bytes, sizeof(work));
            rc = fitlab_replay(&trace, &plan, HEAP_FIRST_FIT, work, &res);
        }
        EXPECT_EQ(t, rc, -EINVAL);
    }
}

/* Comments, blank lines, CRLF and reuse of an ID after its free are fine. */
static void test_trace_syntax(struct ktest *t)
{
    static const char text[] =
        "# a comment\n\n  a  x 100   # trailing comment\r\nf x\na x 200\n\tf x";
    struct fitlab_trace trace = { "syntax", text, sizeof(text) - 1 };
    char work[4096] __attribute__((aligned(8)));
    struct fitlab_plan plan;
    struct fitlab_result res;

    ASSERT_EQ(t, fitlab_plan(&trace, &plan), 0);
    EXPECT_EQ(t, plan.events, 4);
    EXPECT_EQ(t, plan.allocs, 2);
    EXPECT_EQ(t, plan.limit, 128 + 224);
    ASSERT_LE(t, plan.work_bytes, sizeof(work));
    ASSERT_EQ(t, fitlab_replay(&trace, &plan, HEAP_BEST_FIT, work, &res), 0);
    EXPECT_EQ(t, res.peak_live, 200);
    EXPECT_EQ(t, res.peak_heap, 224);   /* the 128 block's memory grew into 224 */
    EXPECT_EQ(t, res.failed, 0);
    EXPECT_EQ(t, res.free_blocks, 1);
}

static const struct ktest_case fitlab_cases[] = {
    KTEST_CASE(test_textbook_trace),
    KTEST_CASE(test_all_traces),
    KTEST_CASE(test_bad_traces),
    KTEST_CASE(test_trace_syntax),
    { 0 }
};
KTEST_SUITE(fitlab, fitlab_cases);
