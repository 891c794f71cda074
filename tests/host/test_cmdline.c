/*
 * tests/host/test_cmdline.c - the command-line parser, natively.
 */
#include "tests/ktest.h"
#include "kernel/cmdline.h"
#include "lib/errno.h"
#include "lib/string.h"

static struct cmdline c;

static void test_words(struct ktest *t)
{
    ASSERT_EQ(t, cmdline_parse(&c, "/boot/kernel.elf tests=all loglevel=7"), 0);
    EXPECT_EQ(t, c.count, 3);
    EXPECT_STREQ(t, cmdline_get(&c, "tests"), "all");
    EXPECT_STREQ(t, cmdline_get(&c, "loglevel"), "7");
    EXPECT_STREQ(t, cmdline_get(&c, "/boot/kernel.elf"), "");
    EXPECT_NULL(t, cmdline_get(&c, "script"));
}

static void test_quotes(struct ktest *t)
{
    ASSERT_EQ(t, cmdline_parse(&c, "tests=none script=\"dmesg; poweroff 0\"  x=1"), 0);
    EXPECT_STREQ(t, cmdline_get(&c, "script"), "dmesg; poweroff 0");
    EXPECT_STREQ(t, cmdline_get(&c, "x"), "1");
    ASSERT_EQ(t, cmdline_parse(&c, "a=\"x=y\""), 0);
    EXPECT_STREQ(t, cmdline_get(&c, "a"), "x=y");
}

static void test_repeats_and_edges(struct ktest *t)
{
    ASSERT_EQ(t, cmdline_parse(&c, "heap=first heap=best"), 0);
    EXPECT_STREQ(t, cmdline_get(&c, "heap"), "best");
    ASSERT_EQ(t, cmdline_parse(&c, ""), 0);
    EXPECT_EQ(t, c.count, 0);
    ASSERT_EQ(t, cmdline_parse(&c, NULL), 0);
    ASSERT_EQ(t, cmdline_parse(&c, "empty= k"), 0);
    EXPECT_STREQ(t, cmdline_get(&c, "empty"), "");
}

static void test_bad_input(struct ktest *t)
{
    char big[CMDLINE_MAX_BYTES + 100];

    EXPECT_EQ(t, cmdline_parse(&c, "script=\"unterminated"), -EINVAL);
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    EXPECT_EQ(t, cmdline_parse(&c, big), -E2BIG);
    EXPECT_EQ(t, cmdline_parse(&c, "a b c d e f g h i j k l m n o p q r s t u v w x y z "
                                   "1 2 3 4 5 6 7 8 9"), -E2BIG);
}

static const struct ktest_case cmdline_cases[] = {
    KTEST_CASE(test_words),
    KTEST_CASE(test_quotes),
    KTEST_CASE(test_repeats_and_edges),
    KTEST_CASE(test_bad_input),
    { 0 }
};
KTEST_SUITE(cmdline, cmdline_cases);
