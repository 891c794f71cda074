/*
 * tests/host/test_tar.c - the ustar reader against archives GNU tar wrote.
 *
 * mk/exec.mk builds build/host/tar-samples/sample.tar from a small tree
 * (the names and contents below must match it) with tar --format=ustar,
 * and gnu.tar from the same tree in GNU tar's own format.  Broken variants
 * are made in memory: a flipped byte, a garbage size, a size larger than
 * the archive, and the archive cut at every block boundary, each in a
 * buffer of exactly its size so AddressSanitizer catches an over-read.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tests/ktest.h"
#include "lib/tar.h"
#include "lib/errno.h"
#include "lib/string.h"

#define SAMPLES "build/host/tar-samples/"

struct blob {
    uint8_t *data;
    size_t size;
};

static bool read_blob(const char *path, struct blob *b)
{
    FILE *f = fopen(path, "rb");

    if (!f)
        return false;
    fseek(f, 0, SEEK_END);
    b->size = (size_t)ftell(f);
    rewind(f);
    b->data = malloc(b->size ? b->size : 1);
    if (fread(b->data, 1, b->size, f) != b->size) {
        free(b->data);
        b->data = NULL;
    }
    fclose(f);
    return b->data != NULL;
}

static struct blob sample;      /* read once, never modified */

static bool need_sample(struct ktest *t)
{
    if (!sample.data && !read_blob(SAMPLES "sample.tar", &sample)) {
        ktest_fail_msg(t, __FILE__, __LINE__,
                       "cannot read " SAMPLES "sample.tar: run from the repository root "
                       "after `make hosttests` (mk/exec.mk builds it)");
        return false;
    }
    return true;
}

static uint8_t *copy_of(const struct blob *b, size_t len)
{
    uint8_t *p = malloc(len ? len : 1);

    memcpy(p, b->data, len);
    return p;
}

/* "long/ddd...d/fff...f.txt": 70 d, 70 f, as mk/exec.mk makes it. */
static void long_name(char *buf)
{
    strcpy(buf, "long/");
    memset(buf + 5, 'd', 70);
    buf[75] = '/';
    memset(buf + 76, 'f', 70);
    strcpy(buf + 146, ".txt");
}

/* `seq 1 400`: the multi-block file. */
static size_t seq_text(char *buf)
{
    size_t n = 0;

    for (int i = 1; i <= 400; i++)
        n += (size_t)sprintf(buf + n, "%d\n", i);
    return n;
}

static void expect_file(struct ktest *t, const struct tar_entry *e,
                        const char *name, const char *content, size_t size)
{
    EXPECT_STREQ(t, e->name, name);
    EXPECT_EQ(t, e->size, size);
    EXPECT_TRUE(t, e->typeflag == TAR_REGTYPE);
    EXPECT_TRUE(t, size == 0 || memcmp(e->data, content, size) == 0);
}

static void test_sample_entries(struct ktest *t)
{
    char longname[TAR_NAME_MAX + 1], seq[2000];
    size_t seq_len = seq_text(seq), off = 0;
    struct tar_entry e;
    const char *why;

    if (!need_sample(t))
        return;
    long_name(longname);
    EXPECT_EQ(t, strlen(longname), 150);
    ASSERT_EQ(t, tar_next(sample.data, sample.size, &off, &e, &why), 1);
    expect_file(t, &e, "a.txt", "hello, tar\n", 11);
    EXPECT_EQ(t, e.header_offset, 0);
    ASSERT_EQ(t, tar_next(sample.data, sample.size, &off, &e, &why), 1);
    expect_file(t, &e, "empty", "", 0);
    ASSERT_EQ(t, tar_next(sample.data, sample.size, &off, &e, &why), 1);
    expect_file(t, &e, "big.txt", seq, seq_len);
    EXPECT_EQ(t, seq_len, 1492);                         /* three data blocks */
    ASSERT_EQ(t, tar_next(sample.data, sample.size, &off, &e, &why), 1);   /* after sub/ */
    expect_file(t, &e, "sub/b.txt", "in a subdirectory\n", 18);
    ASSERT_EQ(t, tar_next(sample.data, sample.size, &off, &e, &why), 1);   /* after 2 dirs */
    expect_file(t, &e, longname, "a long name\n", 12);
    EXPECT_EQ(t, tar_next(sample.data, sample.size, &off, &e, &why), 0);
    EXPECT_EQ(t, tar_next(sample.data, sample.size, &off, &e, &why), 0);   /* stays at the end */
    EXPECT_NULL(t, why);
    EXPECT_TRUE(t, tar_looks_like_ustar(sample.data, sample.size));
}

/* The long name really uses the prefix field (else the test proves little). */
static void test_prefix_field_used(struct ktest *t)
{
    size_t off = 0, last = 0;
    struct tar_entry e;

    if (!need_sample(t))
        return;
    while (tar_next(sample.data, sample.size, &off, &e, NULL) == 1)
        last = e.header_offset;
    const struct tar_header *h = (const struct tar_header *)(sample.data + last);
    EXPECT_EQ(t, strnlen(h->prefix, sizeof(h->prefix)), 75);
    EXPECT_EQ(t, strnlen(h->name, sizeof(h->name)), 74);
}

/* Walk a whole archive: 1s then 0, or an error.  Returns the result. */
static int walk(const uint8_t *data, size_t size, unsigned *files, const char **why)
{
    size_t off = 0;
    struct tar_entry e;
    int r;

    *files = 0;
    while ((r = tar_next(data, size, &off, &e, why)) == 1)
        (*files)++;
    return r;
}

static void expect_walk_fails(struct ktest *t, int line, const char *what,
                              const uint8_t *data, size_t size, const char *text)
{
    unsigned files;
    const char *why = NULL;
    int r = walk(data, size, &files, &why);
    char msg[300];

    if (r == -EINVAL && why && strstr(why, text))
        return;
    snprintf(msg, sizeof(msg), "%s: walk returned %d (\"%s\"), expected -EINVAL (\"...%s...\")",
             what, r, why ? why : "(null)", text);
    ktest_fail_msg(t, __FILE__, line, msg);
}
#define EXPECT_WALK_FAILS(t, what, data, size, text) \
    expect_walk_fails(t, __LINE__, what, data, size, text)

/* Overwrite header field FIELD (WIDTH bytes) of the entry at OFF with TEXT,
 * optionally fixing the checksum so only the field itself is wrong. */
static void set_field(uint8_t *tar, size_t off, size_t field, size_t width,
                      const char *text, bool fix_checksum)
{
    struct tar_header *h = (struct tar_header *)(tar + off);
    unsigned sum = 0;

    memset(tar + off + field, 0, width);
    memcpy(tar + off + field, text, strnlen(text, width));
    if (!fix_checksum)
        return;
    memset(h->chksum, ' ', sizeof(h->chksum));
    for (size_t i = 0; i < sizeof(*h); i++)
        sum += tar[off + i];
    snprintf(h->chksum, sizeof(h->chksum), "%06o", sum);
}

/* Where the header of the Nth regular file (from 0) starts. */
static size_t nth_header(unsigned n)
{
    size_t off = 0;
    struct tar_entry e;

    for (unsigned i = 0; i <= n; i++)
        if (tar_next(sample.data, sample.size, &off, &e, NULL) != 1)
            return 0;
    return e.header_offset;
}

/* Damaged headers: checksums and sizes. */
static void test_corrupted(struct ktest *t)
{
    size_t empty, big;
    uint8_t *tar;

    if (!need_sample(t))
        return;
    empty = nth_header(1);
    big = nth_header(2);
    ASSERT_EQ(t, empty, 1024);                           /* a.txt: header + 1 block */
    tar = copy_of(&sample, sample.size);
    tar[5] ^= 1;                                         /* a.txt's name */
    EXPECT_WALK_FAILS(t, "flipped byte", tar, sample.size, "bad header checksum at offset 0x0");
    tar[5] ^= 1;
    set_field(tar, empty, offsetof(struct tar_header, chksum), 8, "12x4", false);
    EXPECT_WALK_FAILS(t, "checksum garbage", tar, sample.size,
                      "bad header checksum at offset 0x400");
    memcpy(tar, sample.data, sample.size);
    set_field(tar, empty, offsetof(struct tar_header, size), 12, "12x4", true);
    EXPECT_WALK_FAILS(t, "size garbage", tar, sample.size, "entry 'empty': size field is not octal");
    set_field(tar, empty, offsetof(struct tar_header, size), 12, "", true);
    EXPECT_WALK_FAILS(t, "size empty", tar, sample.size, "size field is not octal");
    set_field(tar, empty, offsetof(struct tar_header, size), 12, "\x80\x01", true);
    EXPECT_WALK_FAILS(t, "size base-256", tar, sample.size, "size field is not octal");
    set_field(tar, empty, offsetof(struct tar_header, size), 12, "77777777777", true);
    EXPECT_WALK_FAILS(t, "size 8 GiB", tar, sample.size, "run past the end of the archive");
    memcpy(tar, sample.data, sample.size);
    set_field(tar, big, offsetof(struct tar_header, size), 12, "00000001000", true);
    EXPECT_WALK_FAILS(t, "size too small", tar, sample.size,      /* lands in big.txt's data */
                      "no ustar magic at offset 0x");
    free(tar);
}

/* Headers that are intact but not what we read. */
static void test_foreign_headers(struct ktest *t)
{
    uint8_t *tar;

    if (!need_sample(t))
        return;
    tar = copy_of(&sample, sample.size);
    set_field(tar, 0, offsetof(struct tar_header, magic), 6, "ustaR", true);
    EXPECT_WALK_FAILS(t, "magic", tar, sample.size, "no ustar magic at offset 0x0");
    EXPECT_FALSE(t, tar_looks_like_ustar(tar, sample.size));
    memcpy(tar, sample.data, sample.size);
    set_field(tar, 0, offsetof(struct tar_header, typeflag), 1, "x", true);
    EXPECT_WALK_FAILS(t, "pax header", tar, sample.size, "pax extended header");
    memcpy(tar, sample.data, sample.size);
    set_field(tar, 0, offsetof(struct tar_header, name), 100, "", true);
    EXPECT_WALK_FAILS(t, "no name", tar, sample.size, "file with an empty name at offset 0x0");
    free(tar);
}

/* Cut at every block boundary: a clean end between entries, an error
 * inside one; never a read past the end. */
static void test_truncated(struct ktest *t)
{
    unsigned complete_files, files;
    const char *why;

    if (!need_sample(t))
        return;
    ASSERT_EQ(t, walk(sample.data, sample.size, &complete_files, &why), 0);
    for (size_t len = 0; len <= sample.size; len += TAR_BLOCK_SIZE) {
        uint8_t *tar = copy_of(&sample, len);
        int r = walk(tar, len, &files, &why);

        EXPECT_TRUE(t, r == 0 || (r == -EINVAL && strstr(why, "run past the end")));
        EXPECT_LE(t, files, complete_files);
        free(tar);
    }
    /* Inside a.txt's header, inside its 11 bytes, inside its padding. */
    for (size_t len = 1; len < 2 * TAR_BLOCK_SIZE; len += 7) {
        uint8_t *tar = copy_of(&sample, len);

        if (len < TAR_BLOCK_SIZE)
            EXPECT_WALK_FAILS(t, "in a header", tar, len, "partial block of");
        else if (len < TAR_BLOCK_SIZE + 11)
            EXPECT_WALK_FAILS(t, "in data", tar, len, "entry 'a.txt': 11 bytes of data run past");
        else
            EXPECT_EQ(t, walk(tar, len, &files, &why), 0);   /* only padding cut */
        free(tar);
    }
}

static void test_not_tar(struct ktest *t)
{
    struct blob b;
    uint8_t zeros[TAR_BLOCK_SIZE * 2] = { 0 };
    unsigned files;
    const char *why = NULL;

    ASSERT_TRUE(t, read_blob("build/host/elf-samples/hello32", &b));
    EXPECT_FALSE(t, tar_looks_like_ustar(b.data, b.size));
    EXPECT_WALK_FAILS(t, "ELF", b.data, b.size, "no ustar magic at offset 0x0");
    free(b.data);
    EXPECT_FALSE(t, tar_looks_like_ustar(zeros, sizeof(zeros)));
    EXPECT_FALSE(t, tar_looks_like_ustar(zeros, 100));
    EXPECT_EQ(t, walk(zeros, sizeof(zeros), &files, &why), 0);   /* an empty archive */
    EXPECT_EQ(t, files, 0);
    EXPECT_EQ(t, walk(zeros, 0, &files, &why), 0);
    ASSERT_TRUE(t, read_blob(SAMPLES "gnu.tar", &b));
    EXPECT_TRUE(t, tar_looks_like_ustar(b.data, b.size));       /* an archive, ... */
    EXPECT_WALK_FAILS(t, "GNU format", b.data, b.size,           /* ... but not ours */
                      "GNU tar format at offset 0x0, not ustar: create the archive "
                      "with tar --format=ustar");
    free(b.data);
}

static const struct ktest_case tar_cases[] = {
    KTEST_CASE(test_sample_entries),
    KTEST_CASE(test_prefix_field_used),
    KTEST_CASE(test_corrupted),
    KTEST_CASE(test_foreign_headers),
    KTEST_CASE(test_truncated),
    KTEST_CASE(test_not_tar),
    { 0 }
};
KTEST_SUITE(tar, tar_cases);
