/*
 * lib/ktest.c - the self-test runner: finds the registered suites, runs
 * them, and reports in KTAP version 1 (the format Linux's KUnit prints).
 *
 * Suites register themselves by placing a pointer in the "ktest_suites"
 * linker section (see KTEST_SUITE in tests/ktest.h); the linker gives us
 * the section's bounds as __start_ktest_suites/__stop_ktest_suites, both in
 * the kernel (linker.ld defines them) and in the host build (GNU ld does it
 * by itself for sections whose names are C identifiers).
 *
 * Output shape, one nesting level per suite, as KUnit does it:
 *
 *   KTAP version 1
 *   1..2
 *       KTAP version 1
 *       # Subtest: buddy
 *       1..2
 *       ok 1 test_split
 *       # test_merge: EXPECTATION FAILED at mm/x.c:42
 *       #   Expected a == b, but a == 3 (0x3), b == 4 (0x4)
 *       not ok 2 test_merge
 *   # buddy: pass:1 fail:1 skip:0 total:2
 *   not ok 1 buddy
 *   ...
 *   # tests: 7 passed, 1 failed
 */
#include "tests/ktest.h"
#include "lib/kprintf.h"
#include "lib/string.h"

extern const struct ktest_suite *__start_ktest_suites[];
extern const struct ktest_suite *__stop_ktest_suites[];

void ktest_fail(struct ktest *t, const char *file, int line, const char *expr,
                const char *lhs, long long lval, const char *rhs, long long rval)
{
    t->failures++;
    kprintf("    # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
    kprintf("    #   Expected %s, but\n", expr);
    kprintf("    #     %s == %lld (0x%llx)\n", lhs, lval, (unsigned long long)lval);
    kprintf("    #     %s == %lld (0x%llx)\n", rhs, rval, (unsigned long long)rval);
}

void ktest_fail_msg(struct ktest *t, const char *file, int line, const char *msg)
{
    t->failures++;
    kprintf("    # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
    kprintf("    #   %s\n", msg);
}

void ktest_expect_streq(struct ktest *t, const char *file, int line,
                        const char *expr, const char *a, const char *b)
{
    if (a && b && strcmp(a, b) == 0)
        return;
    t->failures++;
    kprintf("    # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
    kprintf("    #   Expected %s, but\n", expr);
    kprintf("    #     left  == \"%s\"\n", a ? a : "(null)");
    kprintf("    #     right == \"%s\"\n", b ? b : "(null)");
}

void ktest_skip(struct ktest *t, const char *reason)
{
    t->skip_reason = reason;
}

/* Is NAME one of the comma-separated words of LIST? */
static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = list; *p; ) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        p += len + (comma ? 1 : 0);
    }
    return false;
}

static bool selected(const struct ktest_suite *s, const char *filter)
{
    if (strcmp(filter, "all") == 0)
        return !s->manual;
    if (strcmp(filter, "none") == 0)
        return false;
    if (strcmp(filter, "quick") == 0)
        return s->quick && !s->manual;
    return in_list(filter, s->name);
}

struct tally {
    int pass, fail, skip;
};

static void run_case(const struct ktest_suite *s, const struct ktest_case *c,
                     int number, struct tally *tally)
{
    struct ktest t = { .name = c->name };

    if (s->init)
        s->init();
    c->run(&t);
    if (s->exit)
        s->exit();
    if (t.failures) {
        tally->fail++;
        kprintf("    not ok %d %s\n", number, c->name);
    } else if (t.skip_reason) {
        tally->skip++;
        kprintf("    ok %d %s # SKIP %s\n", number, c->name, t.skip_reason);
    } else {
        tally->pass++;
        kprintf("    ok %d %s\n", number, c->name);
    }
}

/* Run one suite as a KTAP subtest; returns its tally. */
static struct tally run_suite(const struct ktest_suite *s, int number)
{
    struct tally tally = { 0, 0, 0 };
    int n = 0;

    while (s->cases[n].run)
        n++;
    kprintf("    KTAP version 1\n");
    kprintf("    # Subtest: %s\n", s->name);
    kprintf("    1..%d\n", n);
    for (int i = 0; i < n; i++)
        run_case(s, &s->cases[i], i + 1, &tally);
    kprintf("# %s: pass:%d fail:%d skip:%d total:%d\n", s->name,
            tally.pass, tally.fail, tally.skip, n);
    kprintf("%s %d %s\n", tally.fail ? "not ok" : "ok", number, s->name);
    return tally;
}

int ktest_run(const char *filter, int *passed)
{
    struct tally total = { 0, 0, 0 };
    int nsuites = 0, number = 0;

    for (const struct ktest_suite **s = __start_ktest_suites; s < __stop_ktest_suites; s++)
        if (selected(*s, filter))
            nsuites++;
    kprintf("KTAP version 1\n");
    kprintf("1..%d\n", nsuites);
    for (const struct ktest_suite **s = __start_ktest_suites; s < __stop_ktest_suites; s++) {
        if (!selected(*s, filter))
            continue;
        struct tally t = run_suite(*s, ++number);
        total.pass += t.pass;
        total.fail += t.fail;
        total.skip += t.skip;
    }
    kprintf("# tests: %d passed, %d failed\n", total.pass, total.fail);
    if (total.skip)
        kprintf("# skipped: %d\n", total.skip);
    if (passed)
        *passed = total.pass;
    return total.fail;
}
