/*
 * lib/tar.c - walking a ustar archive in memory, header by header.
 *
 * The archive is untrusted input, so each header is checked before any of
 * its numbers is believed: the magic says it is ustar at all, the checksum
 * says the block is intact (and not, say, the middle of a file's data read
 * as a header because an earlier size was wrong), and the size must leave
 * the data inside the archive.  Only then does the walk step over
 *
 *   one header block + the data rounded up to whole blocks
 *
 * to the next header: a 700-byte file takes 512 + 1024 bytes.  The walk
 * stops at the first all-zero block (POSIX ends an archive with two; the
 * first is enough to know) or when no whole block is left.
 *
 * All sums are 64-bit: a size field holds up to 11 octal digits (8 GiB),
 * more than a 32-bit size_t, and must not wrap into a small number.
 */
#include "lib/tar.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "kernel/assert.h"

struct tar_ctx {
    const uint8_t *archive;
    size_t size;
    struct tar_entry *out;
    const char **why;
};

/* Record a refusal: format the reason into OUT->why_buf, return ERR. */
static int PRINTF_LIKE(3, 4) refuse(struct tar_ctx *c, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    err = refuse_with(c->out->why_buf, sizeof(c->out->why_buf), c->why, err, fmt, ap);
    va_end(ap);
    return err;
}

/*
 * A numeric field: optional leading spaces, at least one octal digit, then
 * only spaces or NULs to the end of the field ("0000644 \0", "00000001274\0").
 * At most 12 digits, so the value fits easily in 64 bits.  GNU's base-256
 * form (first byte 0x80) is not octal and is refused like any garbage.
 */
static bool parse_octal(const char *field, size_t width, uint64_t *value)
{
    size_t i = 0;
    unsigned digits = 0;
    uint64_t v = 0;

    while (i < width && field[i] == ' ')
        i++;
    for (; i < width && field[i] >= '0' && field[i] <= '7'; i++, digits++)
        v = v * 8 + (uint64_t)(field[i] - '0');
    for (; i < width; i++)
        if (field[i] != ' ' && field[i] != '\0')
            return false;
    *value = v;
    return digits > 0;
}

/*
 * POSIX: "the simple sum of all bytes in the header", each byte unsigned,
 * "the chksum field is treated as if it were all <space> characters" --
 * the field cannot include itself.  An all-zero header therefore sums to
 * 8 * ' ' = 256, which is why a zero block never has a valid checksum.
 */
static unsigned header_checksum(const struct tar_header *h)
{
    const uint8_t *p = (const uint8_t *)h;
    unsigned sum = 0;

    for (size_t i = 0; i < sizeof(*h); i++) {
        bool in_chksum = i >= offsetof(struct tar_header, chksum) &&
                         i < offsetof(struct tar_header, chksum) + sizeof(h->chksum);
        sum += in_chksum ? ' ' : p[i];
    }
    return sum;
}

static bool checksum_ok(const struct tar_header *h)
{
    uint64_t stored;

    return parse_octal(h->chksum, sizeof(h->chksum), &stored) &&
           stored == header_checksum(h);
}

/* GNU's magic spans the magic and version fields: compare them as one. */
static bool has_gnu_magic(const struct tar_header *h)
{
    return memcmp((const char *)h + offsetof(struct tar_header, magic),
                  TAR_GNU_MAGIC, TAR_GNU_MAGIC_LEN) == 0;
}

static bool is_zero_block(const uint8_t *p)
{
    for (size_t i = 0; i < TAR_BLOCK_SIZE; i++)
        if (p[i] != 0)
            return false;
    return true;
}

/* PREFIX "/" NAME into DST (TAR_NAME_MAX + 1 bytes); either may fill its
 * field without a NUL. */
static void join_name(const struct tar_header *h, char *dst)
{
    size_t plen = strnlen(h->prefix, sizeof(h->prefix));
    size_t nlen = strnlen(h->name, sizeof(h->name));
    size_t n = 0;

    if (plen > 0) {
        memcpy(dst, h->prefix, plen);
        n = plen;
        dst[n++] = '/';
    }
    memcpy(dst + n, h->name, nlen);
    dst[n + nlen] = '\0';
}

/* Is H, at byte OFF, a ustar header we can trust?  Sets *SIZE from it. */
static int check_header(struct tar_ctx *c, const struct tar_header *h, size_t off,
                        uint64_t *size)
{
    if (has_gnu_magic(h))
        return refuse(c, -EINVAL, "GNU tar format at offset 0x%zx, not ustar: "
                      "create the archive with tar --format=ustar", off);
    if (memcmp(h->magic, TAR_MAGIC, TAR_MAGIC_LEN) != 0)
        return refuse(c, -EINVAL, "no ustar magic at offset 0x%zx: not a ustar archive", off);
    if (!checksum_ok(h))
        return refuse(c, -EINVAL, "bad header checksum at offset 0x%zx (%.8s, computed 0%o)",
                      off, h->chksum, header_checksum(h));
    join_name(h, c->out->name);
    if (!parse_octal(h->size, sizeof(h->size), size))
        return refuse(c, -EINVAL, "entry '%.40s': size field is not octal", c->out->name);
    if (h->typeflag == TAR_PAX_XHDR || h->typeflag == TAR_PAX_GHDR)
        return refuse(c, -EINVAL, "pax extended header at offset 0x%zx: "
                      "create the archive with tar --format=ustar", off);
    return 0;
}

/* POSIX: links, devices, FIFOs and directories have no data blocks,
 * whatever their size field says.  Every other type is file data. */
static uint64_t data_bytes(char typeflag, uint64_t size)
{
    return (typeflag >= TAR_LNKTYPE && typeflag <= TAR_FIFOTYPE) ? 0 : size;
}

static bool is_regular(char typeflag)
{
    return typeflag == TAR_REGTYPE || typeflag == TAR_AREGTYPE || typeflag == TAR_CONTTYPE;
}

/* One step of the walk at *OFFSET: 1 for a regular file (in *OUT), 2 for
 * anything else stepped over, 0 at the end, or a negative errno. */
static int step(struct tar_ctx *c, size_t *offset)
{
    size_t off = *offset;
    const struct tar_header *h = (const struct tar_header *)(c->archive + off);
    uint64_t size = 0, next;
    int err;

    if (c->size - off < TAR_BLOCK_SIZE) {
        for (size_t i = off; i < c->size; i++)
            if (c->archive[i] != 0)
                return refuse(c, -EINVAL, "partial block of %zu bytes at offset 0x%zx",
                              c->size - off, off);
        return 0;
    }
    if (is_zero_block(c->archive + off))
        return 0;
    err = check_header(c, h, off, &size);
    if (err)
        return err;
    size = data_bytes(h->typeflag, size);
    if ((uint64_t)off + TAR_BLOCK_SIZE + size > c->size)
        return refuse(c, -EINVAL, "entry '%.40s': %llu bytes of data run past the end "
                      "of the archive", c->out->name, (unsigned long long)size);
    if (is_regular(h->typeflag) && c->out->name[0] == '\0')
        return refuse(c, -EINVAL, "file with an empty name at offset 0x%zx", off);
    next = (uint64_t)off + TAR_BLOCK_SIZE + ALIGN_UP(size, (uint64_t)TAR_BLOCK_SIZE);
    *offset = next < c->size ? (size_t)next : c->size;   /* the last padding may be cut */
    if (!is_regular(h->typeflag))
        return 2;
    c->out->data = c->archive + off + TAR_BLOCK_SIZE;
    c->out->size = (size_t)size;
    c->out->typeflag = h->typeflag;
    c->out->header_offset = off;
    return 1;
}

int tar_next(const void *archive, size_t size, size_t *offset,
             struct tar_entry *out, const char **why)
{
    struct tar_ctx c = { .archive = archive, .size = size, .out = out, .why = why };
    size_t start;
    int r;

    ASSERT(out != NULL && offset != NULL);
    ASSERTF(*offset == size || (*offset < size && IS_ALIGNED(*offset, TAR_BLOCK_SIZE)),
            "offset 0x%zx, size 0x%zx", *offset, size);
    memset(out, 0, sizeof(*out));
    if (why)
        *why = NULL;
    do {
        start = *offset;
        r = step(&c, offset);
    } while (r == 2);
    if (r < 0)
        *offset = start;        /* leave it on the bad header */
    return r;
}

bool tar_looks_like_ustar(const void *data, size_t size)
{
    const struct tar_header *h = data;

    if (size < TAR_BLOCK_SIZE)
        return false;
    if (memcmp(h->magic, TAR_MAGIC, TAR_MAGIC_LEN) != 0 && !has_gnu_magic(h))
        return false;
    return checksum_ok(h);
}
