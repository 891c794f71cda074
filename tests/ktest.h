/*
 * tests/ktest.h - the self-test harness, modelled on Linux's KUnit.
 *
 * A test is a function taking a struct ktest *.  Tests are grouped into
 * suites; a suite registers itself by dropping a pointer into the linker
 * section "ktest_suites", so adding a test file touches no central list.
 *
 *   static void test_split(struct ktest *t)
 *   {
 *       EXPECT_EQ(t, buddy_free_count(), 1024);   records, carries on
 *       ASSERT_TRUE(t, page != NULL);              records, ends this test
 *   }
 *   static const struct ktest_case buddy_cases[] = {
 *       KTEST_CASE(test_split),
 *       {0}
 *   };
 *   KTEST_SUITE(buddy, buddy_cases, .quick = true);
 *
 * The runner (lib/ktest.c) prints KTAP version 1, the format KUnit prints,
 * so the same tools can read it.  A failure prints the file, the line, the
 * expression and both values.  The runner and these macros are pure C: the
 * host unit tests (tests/host/) use exactly the same harness.
 */
#ifndef TESTS_KTEST_H
#define TESTS_KTEST_H

#include "lib/types.h"

struct ktest {
    const char *name;
    int failures;               /* EXPECT/ASSERT failures so far */
    const char *skip_reason;    /* non-NULL: the test was skipped */
};

struct ktest_case {
    const char *name;
    void (*run)(struct ktest *t);
};

struct ktest_suite {
    const char *name;
    const struct ktest_case *cases;   /* terminated by an entry with run == NULL */
    bool quick;                       /* part of the default boot-time suite */
    bool manual;                      /* only when named: not in "all" */
    void (*init)(void);               /* optional: before each case */
    void (*exit)(void);               /* optional: after each case */
};

#define KTEST_CASE(fn) { #fn, fn }

#define KTEST_SUITE(sname, scases, ...) \
    static const struct ktest_suite ktest_suite_##sname = { \
        .name = #sname, .cases = scases, __VA_ARGS__ }; \
    static const struct ktest_suite *ktest_ptr_##sname \
        __attribute__((used, section("ktest_suites"))) = &ktest_suite_##sname

/* Record one failed check.  Used by the macros below. */
void ktest_fail(struct ktest *t, const char *file, int line, const char *expr,
                const char *lhs, long long lval, const char *rhs, long long rval);
void ktest_fail_msg(struct ktest *t, const char *file, int line, const char *msg);
/* Mark the running test skipped; the caller should return. */
void ktest_skip(struct ktest *t, const char *reason);

#define KTEST_CMP_(t, op, a, b, onfail) \
    do { \
        long long ktest_a_ = (long long)(a), ktest_b_ = (long long)(b); \
        if (!(ktest_a_ op ktest_b_)) { \
            ktest_fail(t, __FILE__, __LINE__, #a " " #op " " #b, \
                       #a, ktest_a_, #b, ktest_b_); \
            onfail; \
        } \
    } while (0)

#define EXPECT_EQ(t, a, b) KTEST_CMP_(t, ==, a, b, (void)0)
#define EXPECT_NE(t, a, b) KTEST_CMP_(t, !=, a, b, (void)0)
#define EXPECT_LT(t, a, b) KTEST_CMP_(t, <, a, b, (void)0)
#define EXPECT_LE(t, a, b) KTEST_CMP_(t, <=, a, b, (void)0)
#define EXPECT_GT(t, a, b) KTEST_CMP_(t, >, a, b, (void)0)
#define EXPECT_GE(t, a, b) KTEST_CMP_(t, >=, a, b, (void)0)
#define EXPECT_TRUE(t, c)  KTEST_CMP_(t, !=, !!(c), 0, (void)0)
#define EXPECT_FALSE(t, c) KTEST_CMP_(t, ==, !!(c), 0, (void)0)
#define EXPECT_NULL(t, p)  KTEST_CMP_(t, ==, (uintptr_t)(p), 0, (void)0)
#define EXPECT_NOT_NULL(t, p) KTEST_CMP_(t, !=, (uintptr_t)(p), 0, (void)0)

#define ASSERT_EQ(t, a, b) KTEST_CMP_(t, ==, a, b, return)
#define ASSERT_NE(t, a, b) KTEST_CMP_(t, !=, a, b, return)
#define ASSERT_LT(t, a, b) KTEST_CMP_(t, <, a, b, return)
#define ASSERT_LE(t, a, b) KTEST_CMP_(t, <=, a, b, return)
#define ASSERT_GT(t, a, b) KTEST_CMP_(t, >, a, b, return)
#define ASSERT_GE(t, a, b) KTEST_CMP_(t, >=, a, b, return)
#define ASSERT_TRUE(t, c)  KTEST_CMP_(t, !=, !!(c), 0, return)
#define ASSERT_FALSE(t, c) KTEST_CMP_(t, ==, !!(c), 0, return)
#define ASSERT_NULL(t, p)  KTEST_CMP_(t, ==, (uintptr_t)(p), 0, return)
#define ASSERT_NOT_NULL(t, p) KTEST_CMP_(t, !=, (uintptr_t)(p), 0, return)

/* Compare two NUL-terminated strings; prints both on failure. */
void ktest_expect_streq(struct ktest *t, const char *file, int line,
                        const char *expr, const char *a, const char *b);
#define EXPECT_STREQ(t, a, b) \
    ktest_expect_streq(t, __FILE__, __LINE__, #a " == " #b, a, b)

/* xorshift32: a tiny deterministic generator for randomized tests, the same
 * sequence on every machine (STATE must start nonzero). */
static inline uint32_t ktest_rand(uint32_t *state)
{
    uint32_t x = *state;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/*
 * Run the suites selected by FILTER and print KTAP.
 *   "all"    every suite          "quick"  suites marked .quick
 *   "none"   nothing              "a,b"    the named suites
 * Returns the number of failed test cases; *PASSED receives the passes.
 */
int ktest_run(const char *filter, int *passed);

#endif
