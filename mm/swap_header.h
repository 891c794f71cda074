/*
 * mm/swap_header.h - the first page of a Linux swap area, as mkswap writes it.
 *
 * A swap area (a partition or a file) is an array of page-sized slots.
 * Slot 0 is not used for data: it holds the header that `mkswap` wrote,
 * and that `swapon` reads before it lends any slot to the kernel.  The
 * format is Linux's "version 1" header (include/linux/swap.h, union
 * swap_header), unchanged since 1998; this kernel reads disks made by the
 * real util-linux mkswap, so the layout below is a contract with another
 * program, not a choice of ours:
 *
 *   byte    0 +--------------------------------------------+
 *             | bootbits: 1024 bytes left alone for a boot |
 *             | sector or disk label (mkswap zeroes them)  |
 *        1024 +--------------------------------------------+
 *             | version      u32   must be 1               |
 *        1028 | last_page    u32   highest slot number     |
 *        1032 | nr_badpages  u32   entries in badpages[]   |
 *        1036 | uuid[16]           as blkid prints it      |
 *        1052 | label[16]          mkswap -L, NUL-padded   |
 *        1068 | padding (117 x u32), zero                  |
 *        1536 | badpages[nr_badpages]  u32 slot numbers    |
 *             |   ... at most 637 of them ...              |
 *        4084 | 2 bytes that belong to nothing             |
 *        4086 | magic "SWAPSPACE2" (10 bytes, no NUL)      |
 *        4096 +--------------------------------------------+
 *
 * The magic sits at the END of the page (PAGE_SIZE - 10) because the
 * first, 1996 format ("SWAP-SPACE", version 0) used the rest of the page as
 * a bitmap of usable slots.  Numbers are in the byte order of the machine
 * that ran mkswap: little-endian for every x86.
 *
 * Slots 1..last_page hold pages; the area's size is (last_page + 1) pages.
 * A 64 MiB file is 16384 pages, so mkswap writes last_page = 16383 and
 * Linux says "Adding 65532k swap": 16383 usable slots of 4 KiB, the header
 * page not counted.  Bad pages (found by `mkswap -c`) are subtracted too.
 *
 * Layers: pure parsing, no I/O.  The swap-on code reads page 0 of the disk
 * and hands it here; mm/swap_map.h then manages the slots.  The host tests
 * parse images made by the real mkswap (mk/swap.mk).
 */
#ifndef MM_SWAP_HEADER_H
#define MM_SWAP_HEADER_H

#include "lib/types.h"

#define SWAP_PAGE_BYTES      4096u     /* i386's page; mkswap uses getpagesize() */

/* Byte offsets inside page 0 (FACTS.md: checked against mkswap 2.38). */
#define SWAP_BOOTBITS_BYTES  1024u
#define SWAP_OFF_VERSION     1024u
#define SWAP_OFF_LAST_PAGE   1028u
#define SWAP_OFF_NR_BADPAGES 1032u
#define SWAP_OFF_UUID        1036u
#define SWAP_UUID_BYTES      16u
#define SWAP_OFF_LABEL       1052u
#define SWAP_LABEL_BYTES     16u
#define SWAP_OFF_PADDING     1068u
#define SWAP_PADDING_WORDS   117u
#define SWAP_OFF_BADPAGES    1536u
#define SWAP_MAGIC_BYTES     10u
#define SWAP_OFF_MAGIC       (SWAP_PAGE_BYTES - SWAP_MAGIC_BYTES)   /* 4086 */

#define SWAP_MAGIC_V1        "SWAPSPACE2"   /* the header described here */
#define SWAP_MAGIC_V0        "SWAP-SPACE"   /* the 1996 bitmap format: refused */
#define SWAP_VERSION         1u

/* badpages[] runs from byte 1536 up to the magic: (4086 - 1536) / 4 = 637
 * whole entries (Linux's MAX_SWAP_BADPAGES), ending at byte 4084; the two
 * bytes 4084..4085 before the magic belong to nothing. */
#define SWAP_MAX_BADPAGES    ((SWAP_OFF_MAGIC - SWAP_OFF_BADPAGES) / 4u)
#define SWAP_GAP_BYTES       (SWAP_OFF_MAGIC - SWAP_OFF_BADPAGES - 4u * SWAP_MAX_BADPAGES)

/* The same layout as one declaration, so the compiler checks that the
 * offsets above agree with each other.  The parser does not overlay this
 * on the page (it reads little-endian words at the offsets), but anything
 * that does must see exactly these positions. */
struct swap_header_v1 {
    uint8_t  bootbits[SWAP_BOOTBITS_BYTES];
    uint32_t version;
    uint32_t last_page;
    uint32_t nr_badpages;
    uint8_t  uuid[SWAP_UUID_BYTES];
    char     label[SWAP_LABEL_BYTES];
    uint32_t padding[SWAP_PADDING_WORDS];
    uint32_t badpages[SWAP_MAX_BADPAGES];
    uint8_t  gap[SWAP_GAP_BYTES];   /* 2 */
    char     magic[SWAP_MAGIC_BYTES];
} __attribute__((packed));

_Static_assert(offsetof(struct swap_header_v1, version) == SWAP_OFF_VERSION, "version");
_Static_assert(offsetof(struct swap_header_v1, last_page) == SWAP_OFF_LAST_PAGE, "last_page");
_Static_assert(offsetof(struct swap_header_v1, nr_badpages) == SWAP_OFF_NR_BADPAGES, "nr_badpages");
_Static_assert(offsetof(struct swap_header_v1, uuid) == SWAP_OFF_UUID, "uuid");
_Static_assert(offsetof(struct swap_header_v1, label) == SWAP_OFF_LABEL, "label");
_Static_assert(offsetof(struct swap_header_v1, padding) == SWAP_OFF_PADDING, "padding");
_Static_assert(offsetof(struct swap_header_v1, badpages) == SWAP_OFF_BADPAGES, "badpages");
_Static_assert(offsetof(struct swap_header_v1, magic) == SWAP_OFF_MAGIC, "magic");
_Static_assert(sizeof(struct swap_header_v1) == SWAP_PAGE_BYTES, "one page");
_Static_assert(SWAP_MAX_BADPAGES == 637, "Linux's MAX_SWAP_BADPAGES");

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" and its NUL. */
#define SWAP_UUID_STR_BYTES  37u

/* What swap_header_parse found: everything the swap-on code needs, in the
 * host's byte order, valid only when the parse returned 0 (except reason). */
struct swap_info_hdr {
    uint32_t version;               /* 1 */
    uint32_t last_page;             /* highest slot; slots are 1..last_page */
    uint32_t disk_pages;            /* whole pages on the disk (at most 2^32-1) */
    uint32_t nr_badpages;
    uint32_t usable_pages;          /* last_page - nr_badpages */
    uint8_t  uuid[SWAP_UUID_BYTES];
    char     label[SWAP_LABEL_BYTES + 1];   /* NUL-terminated; "" if none */
    uint32_t badpages[SWAP_MAX_BADPAGES];   /* sorted ascending, no repeats */
    char     reason[96];            /* why the header was refused */
};

/*
 * Parse PAGE, the first SWAP_PAGE_BYTES of a disk of DISK_BYTES bytes.
 * Returns 0 with OUT filled in, or -EINVAL with *WHY (if WHY is not NULL)
 * pointing at OUT->reason, one line saying what is wrong:
 *
 *   no swap signature (SWAPSPACE2)
 *   old v0 swap format (SWAP-SPACE) is not supported
 *   swap header is big-endian (version reads 0x01000000): made by mkswap
 *       on another machine
 *   unsupported swap header version N (only 1 is known)
 *   last_page is 0: the swap area is empty
 *   last_page N is beyond the end of the disk (M pages)
 *   nr_badpages N is more than the header can hold (637)
 *   bad page N is outside the swap area (1..LAST)
 *   bad page N is listed twice
 *   every slot is a bad page
 *
 * The checks run in that order, so a page that is not swap at all is
 * reported as such and not as a bad version.  Never touches the disk.
 */
int swap_header_parse(const uint8_t page[SWAP_PAGE_BYTES], uint64_t disk_bytes,
                      struct swap_info_hdr *out, const char **why);

/* Write UUID into BUF (SWAP_UUID_STR_BYTES) as blkid prints it: 32 lower-case
 * hex digits grouped 8-4-4-4-12, the bytes in disk order.  Returns BUF. */
char *swap_header_format_uuid(const uint8_t uuid[SWAP_UUID_BYTES],
                              char buf[SWAP_UUID_STR_BYTES]);

/* The usable space in KiB, as Linux's "Adding NNNk swap" prints it. */
static inline uint64_t swap_header_usable_kb(const struct swap_info_hdr *h)
{
    return (uint64_t)h->usable_pages * (SWAP_PAGE_BYTES / 1024u);
}

#endif
