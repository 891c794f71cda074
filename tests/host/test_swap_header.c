/*
 * tests/host/test_swap_header.c - the swap header parser against real mkswap
 * output and against headers broken on purpose.
 *
 * mk/swap.mk runs Debian's mkswap (util-linux) before the tests:
 *   swap64.img   64 MiB sparse file, plain `mkswap`: Linux says "Adding
 *                65532k swap" for it (16384 pages, the header page not used)
 *   teach.img    1 MiB, `mkswap -L teach -U 01234567-89ab-cdef-0123-456789abcdef`
 * Only the first page and the file size matter.  Every broken variant is a
 * copy of teach.img's first page with one field changed in memory; each
 * page sits in a buffer of exactly SWAP_PAGE_BYTES, so AddressSanitizer
 * stops a test at the first byte the parser reads past it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "tests/ktest.h"
#include "mm/swap_header.h"
#include "lib/errno.h"
#include "lib/string.h"

#define SAMPLES "build/host/swap-samples/"
#define TEACH_BYTES (1024u * 1024u)

/* The first page of PATH into a malloc'd page-sized buffer, its size into
 * *BYTES; NULL (and a failure recorded) if it cannot be read. */
static uint8_t *read_page0(struct ktest *t, const char *path, uint64_t *bytes)
{
    uint8_t *page = malloc(SWAP_PAGE_BYTES);
    FILE *f = fopen(path, "rb");
    struct stat st;

    if (!f || fread(page, 1, SWAP_PAGE_BYTES, f) != SWAP_PAGE_BYTES ||
        stat(path, &st) != 0) {
        ktest_fail_msg(t, __FILE__, __LINE__, "cannot read a swap sample: run from "
                       "the repository root after `make hosttests` (mk/swap.mk)");
        free(page);
        page = NULL;
    } else {
        *bytes = (uint64_t)st.st_size;
    }
    if (f)
        fclose(f);
    return page;
}

static void put_le32(uint8_t *page, uint32_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        page[off + i] = (uint8_t)(v >> (8 * i));
}

static struct swap_info_hdr hdr;    /* 2.7 KiB: not on the stack */

static void test_mkswap_64m(struct ktest *t)
{
    uint64_t bytes;
    uint8_t *page = read_page0(t, SAMPLES "swap64.img", &bytes);
    const char *why = NULL;

    ASSERT_NOT_NULL(t, page);
    EXPECT_EQ(t, bytes, 64ull << 20);
    EXPECT_EQ(t, swap_header_parse(page, bytes, &hdr, &why), 0);
    EXPECT_NULL(t, why);
    EXPECT_EQ(t, hdr.version, 1);
    EXPECT_EQ(t, hdr.disk_pages, 16384);
    EXPECT_EQ(t, hdr.last_page, 16383);         /* pages 0..16383 */
    EXPECT_EQ(t, hdr.nr_badpages, 0);
    EXPECT_EQ(t, hdr.usable_pages, 16383);      /* page 0 is the header */
    EXPECT_EQ(t, swap_header_usable_kb(&hdr), 65532);   /* "Adding 65532k swap" */
    EXPECT_STREQ(t, hdr.label, "");
    free(page);
}

static void test_mkswap_label_uuid(struct ktest *t)
{
    uint64_t bytes;
    uint8_t *page = read_page0(t, SAMPLES "teach.img", &bytes);
    char uuid[SWAP_UUID_STR_BYTES];

    ASSERT_NOT_NULL(t, page);
    ASSERT_EQ(t, swap_header_parse(page, bytes, &hdr, NULL), 0);
    EXPECT_EQ(t, hdr.last_page, 255);
    EXPECT_EQ(t, hdr.usable_pages, 255);
    EXPECT_EQ(t, swap_header_usable_kb(&hdr), 1020);    /* mkswap: "size = 1020 KiB" */
    EXPECT_STREQ(t, hdr.label, "teach");
    EXPECT_STREQ(t, swap_header_format_uuid(hdr.uuid, uuid),
                 "01234567-89ab-cdef-0123-456789abcdef");
    EXPECT_EQ(t, page[SWAP_OFF_UUID], 0x01);    /* disk order = printed order */
    free(page);
}

/* Parse a copy of teach.img's page 0 after EDIT changed it; returns the
 * result and the reason in WHY_BUF. */
static int parse_edited(struct ktest *t, void (*edit)(uint8_t *page),
                        uint64_t disk_bytes, const char **why)
{
    uint64_t bytes;
    uint8_t *page = read_page0(t, SAMPLES "teach.img", &bytes);
    int rc;

    if (!page)
        return -ENOENT;
    edit(page);
    *why = NULL;
    rc = swap_header_parse(page, disk_bytes ? disk_bytes : bytes, &hdr, why);
    free(page);
    return rc;
}

static void edit_nothing(uint8_t *page UNUSED) { }
static void edit_no_magic(uint8_t *page) { memset(page + SWAP_OFF_MAGIC, 0, 10); }
static void edit_v0_magic(uint8_t *page) { memcpy(page + SWAP_OFF_MAGIC, "SWAP-SPACE", 10); }
static void edit_version2(uint8_t *page) { put_le32(page, SWAP_OFF_VERSION, 2); }
static void edit_last0(uint8_t *page) { put_le32(page, SWAP_OFF_LAST_PAGE, 0); }
static void edit_last256(uint8_t *page) { put_le32(page, SWAP_OFF_LAST_PAGE, 256); }
static void edit_nrbad_huge(uint8_t *page) { put_le32(page, SWAP_OFF_NR_BADPAGES, 0xffffffffu); }

/* What a big-endian mkswap writes: the three words byte-swapped. */
static void edit_big_endian(uint8_t *page)
{
    put_le32(page, SWAP_OFF_VERSION, 0x01000000u);
    put_le32(page, SWAP_OFF_LAST_PAGE, 0xff000000u);
}

static void expect_refused(struct ktest *t, void (*edit)(uint8_t *), uint64_t disk,
                           const char *reason)
{
    const char *why;

    EXPECT_EQ(t, parse_edited(t, edit, disk, &why), -EINVAL);
    EXPECT_STREQ(t, why ? why : "(no reason)", reason);
}

static void test_refusals(struct ktest *t)
{
    const char *why;

    expect_refused(t, edit_no_magic, 0, "no swap signature (SWAPSPACE2)");
    expect_refused(t, edit_v0_magic, 0, "old v0 swap format (SWAP-SPACE) is not supported");
    expect_refused(t, edit_version2, 0, "unsupported swap header version 2 (only 1 is known)");
    expect_refused(t, edit_big_endian, 0, "swap header is big-endian (version reads "
                   "0x01000000): made by mkswap on another machine");
    expect_refused(t, edit_last0, 0, "last_page is 0: the swap area is empty");
    expect_refused(t, edit_last256, 0,
                   "last_page 256 is beyond the end of the disk (256 pages)");
    expect_refused(t, edit_nrbad_huge, 0,
                   "nr_badpages 4294967295 is more than the header can hold (637)");
    /* The real header on a disk one page shorter than mkswap saw; a disk
     * with a partial page at the end still holds the whole area. */
    expect_refused(t, edit_nothing, TEACH_BYTES - SWAP_PAGE_BYTES,
                   "last_page 255 is beyond the end of the disk (255 pages)");
    EXPECT_EQ(t, parse_edited(t, edit_nothing, TEACH_BYTES + 100, &why), 0);
    expect_refused(t, edit_nothing, 100, "last_page 255 is beyond the end of the disk (0 pages)");
}

/* A bad-page list as mkswap -c would leave it (the scan needs a real
 * device, so the list is written into a copy): pages 7, 3 and 200. */
static void edit_three_bad(uint8_t *page)
{
    put_le32(page, SWAP_OFF_NR_BADPAGES, 3);
    put_le32(page, SWAP_OFF_BADPAGES + 0, 7);
    put_le32(page, SWAP_OFF_BADPAGES + 4, 3);
    put_le32(page, SWAP_OFF_BADPAGES + 8, 200);
}

static void test_badpages(struct ktest *t)
{
    const char *why;

    ASSERT_EQ(t, parse_edited(t, edit_three_bad, 0, &why), 0);
    EXPECT_EQ(t, hdr.nr_badpages, 3);
    EXPECT_EQ(t, hdr.usable_pages, 252);                 /* 255 - 3 */
    EXPECT_EQ(t, swap_header_usable_kb(&hdr), 1008);
    EXPECT_EQ(t, hdr.badpages[0], 3);                    /* sorted */
    EXPECT_EQ(t, hdr.badpages[1], 7);
    EXPECT_EQ(t, hdr.badpages[2], 200);
}

static void edit_bad_zero(uint8_t *page) { edit_three_bad(page); put_le32(page, SWAP_OFF_BADPAGES + 4, 0); }
static void edit_bad_past(uint8_t *page) { edit_three_bad(page); put_le32(page, SWAP_OFF_BADPAGES + 8, 256); }
static void edit_bad_twice(uint8_t *page) { edit_three_bad(page); put_le32(page, SWAP_OFF_BADPAGES + 8, 7); }

/* Every slot of a 2-slot area bad. */
static void edit_all_bad(uint8_t *page)
{
    put_le32(page, SWAP_OFF_LAST_PAGE, 2);
    put_le32(page, SWAP_OFF_NR_BADPAGES, 2);
    put_le32(page, SWAP_OFF_BADPAGES + 0, 2);
    put_le32(page, SWAP_OFF_BADPAGES + 4, 1);
}

/* The most entries the header holds, 637, all valid: accepted. */
static void edit_637_bad(uint8_t *page)
{
    put_le32(page, SWAP_OFF_LAST_PAGE, 255);
    put_le32(page, SWAP_OFF_NR_BADPAGES, 637);
    for (uint32_t i = 0; i < 637; i++)
        put_le32(page, SWAP_OFF_BADPAGES + 4 * i, i % 254 + 1);
}

/* 637 distinct entries (slots 1..637 of 1000): the fullest valid list. */
static void edit_637_distinct(uint8_t *page)
{
    put_le32(page, SWAP_OFF_LAST_PAGE, 1000);
    put_le32(page, SWAP_OFF_NR_BADPAGES, 637);
    for (uint32_t i = 0; i < 637; i++)
        put_le32(page, SWAP_OFF_BADPAGES + 4 * i, 637 - i);
}

static void edit_638_bad(uint8_t *page) { put_le32(page, SWAP_OFF_NR_BADPAGES, 638); }

static void test_bad_badpages(struct ktest *t)
{
    const char *why;

    expect_refused(t, edit_bad_zero, 0, "bad page 0 is outside the swap area (1..255)");
    expect_refused(t, edit_bad_past, 0, "bad page 256 is outside the swap area (1..255)");
    expect_refused(t, edit_bad_twice, 0, "bad page 7 is listed twice");
    expect_refused(t, edit_all_bad, 0, "every slot is a bad page");
    expect_refused(t, edit_638_bad, 0, "nr_badpages 638 is more than the header can hold (637)");
    /* 637 entries over 254 slots must repeat: the largest list is read to
     * its end (ASan checks the bound) and the repeat is what is refused. */
    expect_refused(t, edit_637_bad, 0, "bad page 1 is listed twice");
    ASSERT_EQ(t, parse_edited(t, edit_637_distinct, 1001 * SWAP_PAGE_BYTES, &why), 0);
    EXPECT_EQ(t, hdr.usable_pages, 1000 - 637);
    EXPECT_EQ(t, hdr.badpages[0], 1);
    EXPECT_EQ(t, hdr.badpages[636], 637);
}

static void test_format_uuid(struct ktest *t)
{
    static const uint8_t ff[SWAP_UUID_BYTES] = {
        0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
        0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00 };
    char buf[SWAP_UUID_STR_BYTES];

    EXPECT_STREQ(t, swap_header_format_uuid(ff, buf), "ffeeddcc-bbaa-9988-7766-554433221100");
    EXPECT_EQ(t, strlen(buf), SWAP_UUID_STR_BYTES - 1);
}

static const struct ktest_case swap_header_cases[] = {
    KTEST_CASE(test_mkswap_64m),
    KTEST_CASE(test_mkswap_label_uuid),
    KTEST_CASE(test_refusals),
    KTEST_CASE(test_badpages),
    KTEST_CASE(test_bad_badpages),
    KTEST_CASE(test_format_uuid),
    { 0 }
};
KTEST_SUITE(swap_header, swap_header_cases);
