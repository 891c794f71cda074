/*
 * mm/swap_header.c - read and check the header mkswap wrote (mm/swap_header.h
 * draws it).
 *
 * Everything in page 0 is input from a disk, which may be anything: a swap
 * area, a file system, zeroes, an area made on a big-endian machine, or a
 * header that was damaged.  So nothing here trusts a number before checking
 * it, and every refusal says what was wrong in words a user can act on,
 * the way swapon(8) prints Linux's reasons ("Unable to find swap-space
 * signature", "Swap area shorter than signature indicates").
 *
 * The checks, in order (each relies on the ones before it):
 *   1. the magic at byte 4086: "SWAPSPACE2", or the old "SWAP-SPACE";
 *   2. the version: 1.  A big-endian mkswap writes 1 as the bytes
 *      00 00 00 01, which a little-endian reader sees as 0x01000000 =
 *      1 << 24: that is recognised and refused by name (Linux byte-swaps
 *      such a header and uses it; a teaching kernel only explains it);
 *   3. last_page: at least 1, and the area (last_page + 1 pages) must fit
 *      on the disk.  A 1 MiB disk is 256 pages: last_page 255 is fine, 256
 *      would put the last slot past the end;
 *   4. the bad-page list: at most 637 entries, each a slot 1..last_page,
 *      none twice, and not every slot bad.
 *
 * Words are read byte by byte as little-endian, so the parser gives the
 * same answer on any host.
 */
#include "mm/swap_header.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#include <stdarg.h>

static uint32_t le32_at(const uint8_t *page, uint32_t off)
{
    return (uint32_t)page[off] | (uint32_t)page[off + 1] << 8 |
           (uint32_t)page[off + 2] << 16 | (uint32_t)page[off + 3] << 24;
}

static uint32_t swab32(uint32_t x)
{
    return x >> 24 | (x >> 8 & 0xff00u) | (x << 8 & 0xff0000u) | x << 24;
}

/* Record why OUT was refused; returns -EINVAL for "return refuse(...)". */
static int PRINTF_LIKE(3, 4) refuse(struct swap_info_hdr *out, const char **why,
                                    const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    kvsnprintf(out->reason, sizeof(out->reason), fmt, ap);
    va_end(ap);
    if (why)
        *why = out->reason;
    return -EINVAL;
}

/* Checks 1 and 2: the magic and the version. */
static int check_magic_version(const uint8_t *page, struct swap_info_hdr *out,
                               const char **why)
{
    const void *magic = page + SWAP_OFF_MAGIC;
    uint32_t version = le32_at(page, SWAP_OFF_VERSION);

    if (memcmp(magic, SWAP_MAGIC_V0, SWAP_MAGIC_BYTES) == 0)
        return refuse(out, why, "old v0 swap format (SWAP-SPACE) is not supported");
    if (memcmp(magic, SWAP_MAGIC_V1, SWAP_MAGIC_BYTES) != 0)
        return refuse(out, why, "no swap signature (SWAPSPACE2)");
    if (version != SWAP_VERSION && swab32(version) == SWAP_VERSION)
        return refuse(out, why, "swap header is big-endian (version reads 0x%08x): "
                      "made by mkswap on another machine", version);
    if (version != SWAP_VERSION)
        return refuse(out, why, "unsupported swap header version %u (only 1 is known)",
                      version);
    out->version = version;
    return 0;
}

/* Check 3: the area must hold a slot and fit on the disk. */
static int check_size(const uint8_t *page, uint64_t disk_bytes,
                      struct swap_info_hdr *out, const char **why)
{
    uint64_t disk_pages = disk_bytes / SWAP_PAGE_BYTES;

    out->disk_pages = disk_pages > UINT32_MAX ? UINT32_MAX : (uint32_t)disk_pages;
    out->last_page = le32_at(page, SWAP_OFF_LAST_PAGE);
    if (out->last_page == 0)
        return refuse(out, why, "last_page is 0: the swap area is empty");
    if ((uint64_t)out->last_page + 1 > disk_pages)
        return refuse(out, why, "last_page %u is beyond the end of the disk (%llu pages)",
                      out->last_page, (unsigned long long)disk_pages);
    return 0;
}

/* Sort LIST (N entries) ascending: insertion sort, N <= 637. */
static void sort_u32(uint32_t *list, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t v = list[i], j = i;
        while (j > 0 && list[j - 1] > v) {
            list[j] = list[j - 1];
            j--;
        }
        list[j] = v;
    }
}

/* Check 4: the bad-page list, copied sorted into OUT. */
static int check_badpages(const uint8_t *page, struct swap_info_hdr *out,
                          const char **why)
{
    uint32_t n = le32_at(page, SWAP_OFF_NR_BADPAGES);

    if (n > SWAP_MAX_BADPAGES)
        return refuse(out, why, "nr_badpages %u is more than the header can hold (%u)",
                      n, SWAP_MAX_BADPAGES);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t bad = le32_at(page, SWAP_OFF_BADPAGES + 4 * i);
        if (bad == 0 || bad > out->last_page)
            return refuse(out, why, "bad page %u is outside the swap area (1..%u)",
                          bad, out->last_page);
        out->badpages[i] = bad;
    }
    sort_u32(out->badpages, n);
    for (uint32_t i = 1; i < n; i++)
        if (out->badpages[i] == out->badpages[i - 1])
            return refuse(out, why, "bad page %u is listed twice", out->badpages[i]);
    if (n == out->last_page)
        return refuse(out, why, "every slot is a bad page");
    out->nr_badpages = n;
    out->usable_pages = out->last_page - n;
    return 0;
}

int swap_header_parse(const uint8_t page[SWAP_PAGE_BYTES], uint64_t disk_bytes,
                      struct swap_info_hdr *out, const char **why)
{
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = check_magic_version(page, out, why)) != 0 ||
        (rc = check_size(page, disk_bytes, out, why)) != 0 ||
        (rc = check_badpages(page, out, why)) != 0)
        return rc;
    memcpy(out->uuid, page + SWAP_OFF_UUID, SWAP_UUID_BYTES);
    memcpy(out->label, page + SWAP_OFF_LABEL, SWAP_LABEL_BYTES);
    out->label[SWAP_LABEL_BYTES] = '\0';    /* a 16-character label has no NUL */
    return 0;
}

char *swap_header_format_uuid(const uint8_t uuid[SWAP_UUID_BYTES],
                              char buf[SWAP_UUID_STR_BYTES])
{
    static const char hex[] = "0123456789abcdef";
    char *p = buf;

    for (uint32_t i = 0; i < SWAP_UUID_BYTES; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)  /* 8-4-4-4-12 digits */
            *p++ = '-';
        *p++ = hex[uuid[i] >> 4];
        *p++ = hex[uuid[i] & 0xf];
    }
    *p = '\0';
    return buf;
}
