/*
 * tests/kernel/kt_lib.c - the kernel's own library, tested where it runs:
 * string functions (the host tests use libc's instead), the formatter
 * compiled for i386, the kernel log and its timestamps.
 */
#include "tests/ktest.h"
#include "kernel/klog.h"
#include "kernel/panic.h"
#include "lib/kprintf.h"
#include "lib/string.h"

static void test_memset_memcpy(struct ktest *t)
{
    static char a[64], b[64];

    memset(a, 0x5A, sizeof(a));
    EXPECT_EQ(t, a[0], 0x5A);
    EXPECT_EQ(t, a[63], 0x5A);
    memset(a + 1, 0, 3);                       /* unaligned path */
    EXPECT_EQ(t, a[0], 0x5A);
    EXPECT_EQ(t, a[1] | a[2] | a[3], 0);
    EXPECT_EQ(t, a[4], 0x5A);
    for (int i = 0; i < 64; i++)
        a[i] = (char)i;
    memcpy(b, a, sizeof(a));
    EXPECT_EQ(t, memcmp(a, b, sizeof(a)), 0);
    memcpy(b + 1, a, 7);
    EXPECT_EQ(t, b[1], 0);
    EXPECT_EQ(t, b[7], 6);
    memmove(a + 2, a, 10);                     /* overlapping, upwards */
    EXPECT_EQ(t, a[2], 0);
    EXPECT_EQ(t, a[11], 9);
}

static void test_strings(struct ktest *t)
{
    char buf[8];

    EXPECT_EQ(t, strlen("hello"), 5);
    EXPECT_EQ(t, strcmp("abc", "abd") < 0, 1);
    EXPECT_EQ(t, strncmp("abcdef", "abcxyz", 3), 0);
    EXPECT_STREQ(t, strchr("a=b", '='), "=b");
    EXPECT_STREQ(t, strrchr("/boot/kernel.elf", '/'), "/kernel.elf");
    EXPECT_EQ(t, strlcpy(buf, "truncated!", sizeof(buf)), 10);
    EXPECT_STREQ(t, buf, "truncat");
}

static void test_format_64bit(struct ktest *t)
{
    char buf[64];

    ksnprintf(buf, sizeof(buf), "%llu %5llu.%06llu", 18446744073709551615ULL,
              12ULL, 34ULL);
    EXPECT_STREQ(t, buf, "18446744073709551615    12.000034");
    ksnprintf(buf, sizeof(buf), "%p %08x", (void *)0xC0100000, 0xbeefu);
    EXPECT_STREQ(t, buf, "0xc0100000 0000beef");
}

static char last_log[KLOG_BUF_SIZE];
static size_t last_len;

static void collect(const char *text, size_t n)
{
    for (size_t i = 0; i < n && last_len + 1 < sizeof(last_log); i++)
        last_log[last_len++] = text[i];
    last_log[last_len] = '\0';
}

static void test_log_has_timestamps(struct ktest *t)
{
    kprintf(KERN_DEBUG "kt_lib: marker line\n");
    last_len = 0;
    klog_read(collect);
    const char *m = NULL;
    for (const char *p = last_log; (p = strchr(p, 'k')); p++)
        if (strncmp(p, "kt_lib: marker line\n", 20) == 0)
            m = p;
    ASSERT_NOT_NULL(t, m);
    /* "[    0.123456] " precedes it: 15 characters, '[' and '.' in place. */
    ASSERT_GE(t, m - last_log, 15);
    EXPECT_EQ(t, m[-15], '[');
    EXPECT_EQ(t, m[-9], '.');
    EXPECT_EQ(t, m[-2], ']');
}

static void test_ksyms(struct ktest *t)
{
    uint32_t addr = ksym_lookup("kmain");

    ASSERT_NE(t, addr, 0);
    EXPECT_EQ(t, strncmp(ksym_describe(addr + 3), "kmain+0x3/", 10), 0);
    EXPECT_EQ(t, ksym_lookup("no_such_function"), 0);
}

static const struct ktest_case lib_cases[] = {
    KTEST_CASE(test_memset_memcpy),
    KTEST_CASE(test_strings),
    KTEST_CASE(test_format_64bit),
    KTEST_CASE(test_log_has_timestamps),
    KTEST_CASE(test_ksyms),
    { 0 }
};
KTEST_SUITE(lib, lib_cases, .quick = true);
