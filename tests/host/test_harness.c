/*
 * tests/host/test_harness.c - the harness must be able to fail.
 *
 * harness_broken is a deliberately broken suite, marked manual so "all"
 * skips it.  tools/test.py runs `hosttests harness_broken` and checks that
 * the output says `not ok` with the file, line, expression and both
 * values, that tools/ktap.py judges it a failure, and that the exit status
 * is nonzero -- proving a broken test really breaks `make test`.
 */
#include "tests/ktest.h"

static void deliberately_broken(struct ktest *t)
{
    int one_plus_one = 1 + 1;

    EXPECT_EQ(t, one_plus_one, 3);
}

static void still_runs_after_expect(struct ktest *t)
{
    EXPECT_TRUE(t, 1);
}

static const struct ktest_case broken_cases[] = {
    KTEST_CASE(deliberately_broken),
    KTEST_CASE(still_runs_after_expect),
    { 0 }
};
KTEST_SUITE(harness_broken, broken_cases, .manual = true);
