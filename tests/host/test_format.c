/*
 * tests/host/test_format.c - kvsnprintf against the C library's snprintf.
 *
 * Every case formats the same arguments with both and compares the text
 * and the returned length, including truncation into a short buffer.
 */
#include <stdio.h>
#include "tests/ktest.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define SAME(t, ...) \
    do { \
        char mine[128], libc[128]; \
        int n1 = ksnprintf(mine, sizeof(mine), __VA_ARGS__); \
        int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__); \
        EXPECT_STREQ(t, mine, libc); \
        EXPECT_EQ(t, n1, n2); \
    } while (0)

static void test_integers(struct ktest *t)
{
    SAME(t, "%d %d %d", 0, -1, 2147483647);
    SAME(t, "%d", (int)0x80000000);
    SAME(t, "%u %x %X %o", 4294967295u, 0xdeadbeefu, 0xabcu, 8u);
    SAME(t, "%lld %llu %llx", -9223372036854775807LL - 1,
         18446744073709551615ULL, 0x123456789abcdefULL);
    SAME(t, "%ld %lu %zu", -5L, 7UL, (size_t)42);
}

static void test_widths(struct ktest *t)
{
    SAME(t, "[%5d] [%-5d] [%05d] [%05d]", 42, 42, 42, -42);
    SAME(t, "[%8x] [%08x] [%-8x]", 0xbeefu, 0xbeefu, 0xbeefu);
    SAME(t, "[%*d] [%-*d]", 6, 7, 6, 7);
    SAME(t, "[%12llu]", 123456789012ULL);
    SAME(t, "[%1d]", 12345);
}

static void test_strings(struct ktest *t)
{
    SAME(t, "[%s] [%10s] [%-10s] [%.3s]", "abc", "abc", "abc", "abcdef");
    SAME(t, "[%c%c] [%3c]", 'h', 'i', 'x');
    SAME(t, "100%% [%s]", "");
}

static void test_pointer(struct ktest *t)
{
    char buf[32];

    ksnprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0x1234);
    if (sizeof(void *) == 8)
        EXPECT_STREQ(t, buf, "0x0000000000001234");
    else
        EXPECT_STREQ(t, buf, "0x00001234");
}

static void test_truncation(struct ktest *t)
{
    char buf[6];

    EXPECT_EQ(t, ksnprintf(buf, sizeof(buf), "%s", "hello world"), 11);
    EXPECT_STREQ(t, buf, "hello");
    EXPECT_EQ(t, ksnprintf(buf, 1, "%d", 12345), 5);
    EXPECT_STREQ(t, buf, "");
    EXPECT_EQ(t, ksnprintf(NULL, 0, "%d", 12345), 5);
}

static void test_parse_uint(struct ktest *t)
{
    unsigned long long v = 0;
    long long s = 0;

    EXPECT_TRUE(t, parse_uint("123", &v, false));
    EXPECT_EQ(t, v, 123);
    EXPECT_TRUE(t, parse_uint("0xC0100000", &v, false));
    EXPECT_EQ(t, v, 0xC0100000ULL);
    EXPECT_TRUE(t, parse_uint("64M", &v, true));
    EXPECT_EQ(t, v, 64ULL << 20);
    EXPECT_FALSE(t, parse_uint("64M", &v, false));
    EXPECT_FALSE(t, parse_uint("", &v, false));
    EXPECT_FALSE(t, parse_uint("12x", &v, false));
    EXPECT_FALSE(t, parse_uint("99999999999999999999999", &v, false));
    EXPECT_TRUE(t, parse_int("-1000", &s));
    EXPECT_EQ(t, s, -1000);
    EXPECT_FALSE(t, parse_int("-", &s));
}

static const struct ktest_case format_cases[] = {
    KTEST_CASE(test_integers),
    KTEST_CASE(test_widths),
    KTEST_CASE(test_strings),
    KTEST_CASE(test_pointer),
    KTEST_CASE(test_truncation),
    KTEST_CASE(test_parse_uint),
    { 0 }
};
KTEST_SUITE(format, format_cases);
