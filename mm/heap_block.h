/*
 * mm/heap_block.h - the layout of a heap region and its blocks, private to
 * mm/heap.c, mm/heap_policy.c and mm/heap_check.c (and to the tests that
 * corrupt tags on purpose).
 *
 * A region is memory given to the heap.  It starts with a descriptor and
 * ends with a fence; between them, blocks tile it with no gaps:
 *
 *   region                                                        region + bytes
 *   +------------+-----------+--------------+-- ... --+---------------------+
 *   | descriptor | block     | block        |         | fence header        |
 *   | ...| fence | (used)    | (free)       |         | size 0, in use      |
 *   +------------+-----------+--------------+-- ... --+---------------------+
 *     24 bytes                                          16 bytes
 *
 * The two fences are tags that say "in use", so the first and the last
 * block never try to merge with memory outside the region.
 *
 * One block, with its boundary tags (offsets from the block's start):
 *
 *    0      4      8          12       16                        size-8  size
 *   +------+------+----------+--------+---- ... ----------------+------+------+
 *   | size | check| requested| owner  | payload                 | size | check|
 *   |   |U |      |          |        | (free: list node, then  |   |U |      |
 *   |      |      |          |        |  poison)                |      |      |
 *   +------+------+----------+--------+---- ... ----------------+------+------+
 *   \____________ header ____________/                          \__ footer __/
 *
 * size       the whole block in bytes, tags included; a multiple of 8, so
 *            bit 0 is free to say "in use" (U)
 * check      HEAP_TAG_MAGIC ^ (size | U): a stray write rarely keeps both
 *            words consistent, so heap_free and heap_check notice it
 * requested  the caller's byte count (0 when free): for the statistics
 * owner      the heap's cookie (0 when free): a block of another heap is
 *            refused
 *
 * Finding neighbours is where the footer earns its keep: the block above
 * starts at block + size; the block below ends just before our header,
 * so the 8 bytes below our header are its footer, which holds its size.
 *
 *   worked example: a used block at 0x1000 of size 0x40 has its footer at
 *   0x1038; the next header is at 0x1040.  If 0x1040 is free with size
 *   0x80, freeing 0x1000 makes one free block 0x1000..0x10c0 of size 0xc0:
 *   the header at 0x1000 and the footer at 0x10b8 are rewritten, and the
 *   two tags in the middle (0x1038 and 0x1040) are poisoned.
 */
#ifndef MM_HEAP_BLOCK_H
#define MM_HEAP_BLOCK_H

#include "mm/heap.h"

#define HEAP_TAG_USED     0x1u
#define HEAP_TAG_FLAGS    0x7u          /* low bits of size_flags: not size */
#define HEAP_TAG_MAGIC    0x4b1c7a95u   /* arbitrary: "check" = MAGIC ^ word */
#define HEAP_REGION_MAGIC 0x52454731u   /* "REG1" */
#define HEAP_OWNER_MAGIC  0x68656170u   /* "heap": mixed into heap->cookie */
#define HEAP_POISON_WORD  0x6b6b6b6bu   /* four HEAP_POISON_BYTEs */

struct heap_tag {
    uint32_t size_flags;        /* block size | HEAP_TAG_USED */
    uint32_t check;             /* HEAP_TAG_MAGIC ^ size_flags */
};

struct heap_header {
    struct heap_tag tag;
    uint32_t requested;         /* bytes asked for; 0 while free */
    uint32_t owner;             /* heap->cookie while in use; 0 while free */
};

struct heap_region {
    union {                     /* a pointer, padded to 8 bytes on i386 too */
        struct heap_region *next;   /* the next region up, or NULL */
        uint64_t next_bits_;
    };
    uint32_t bytes;             /* the whole region, overhead included */
    uint32_t magic;             /* HEAP_REGION_MAGIC */
    struct heap_tag fence;      /* footer "size 0, in use" below block 1 */
};

_Static_assert(sizeof(struct heap_tag) == HEAP_FOOTER_BYTES, "footer size");
_Static_assert(sizeof(struct heap_header) == HEAP_HEADER_BYTES, "header size");
_Static_assert(sizeof(struct heap_region) + HEAP_HEADER_BYTES ==
               HEAP_REGION_OVERHEAD, "region overhead");
_Static_assert(HEAP_HEADER_BYTES + sizeof(struct list_head) + HEAP_FOOTER_BYTES
               <= HEAP_MIN_BLOCK, "a free block must hold its list node");
_Static_assert(HEAP_MIN_BLOCK % HEAP_ALIGN == 0, "minimum block alignment");

/* --- tags ----------------------------------------------------------------- */

static inline uint32_t tag_size(const struct heap_tag *t)
{
    return t->size_flags & ~HEAP_TAG_FLAGS;
}

static inline bool tag_used(const struct heap_tag *t)
{
    return t->size_flags & HEAP_TAG_USED;
}

static inline bool tag_valid(const struct heap_tag *t)
{
    return t->check == (HEAP_TAG_MAGIC ^ t->size_flags);
}

static inline bool tag_poisoned(const struct heap_tag *t)
{
    return t->size_flags == HEAP_POISON_WORD && t->check == HEAP_POISON_WORD;
}

static inline void tag_set(struct heap_tag *t, uint32_t size, bool used)
{
    t->size_flags = size | (used ? HEAP_TAG_USED : 0);
    t->check = HEAP_TAG_MAGIC ^ t->size_flags;
}

/* --- blocks --------------------------------------------------------------- */

static inline uint32_t block_size(const struct heap_header *b)
{
    return tag_size(&b->tag);
}

static inline bool block_used(const struct heap_header *b)
{
    return tag_used(&b->tag);
}

static inline void *block_payload(struct heap_header *b)
{
    return (char *)b + HEAP_HEADER_BYTES;
}

static inline struct heap_header *payload_block(const void *payload)
{
    return (struct heap_header *)((char *)payload - HEAP_HEADER_BYTES);
}

static inline struct heap_tag *block_footer(struct heap_header *b)
{
    return (struct heap_tag *)((char *)b + block_size(b) - HEAP_FOOTER_BYTES);
}

static inline struct heap_header *block_next(struct heap_header *b)
{
    return (struct heap_header *)((char *)b + block_size(b));
}

/* The footer of the block below B (or the region's bottom fence). */
static inline struct heap_tag *block_below_footer(struct heap_header *b)
{
    return (struct heap_tag *)((char *)b - HEAP_FOOTER_BYTES);
}

/* The block below B; only meaningful if its footer is a real block's. */
static inline struct heap_header *block_prev(struct heap_header *b)
{
    return (struct heap_header *)((char *)b - tag_size(block_below_footer(b)));
}

/* Write both tags of B: SIZE bytes, in use or free. */
static inline void block_set(struct heap_header *b, uint32_t size, bool used)
{
    tag_set(&b->tag, size, used);
    tag_set(block_footer(b), size, used);
}

/* A free block's list node lives at the start of its payload. */
static inline struct list_head *block_node(struct heap_header *b)
{
    return (struct list_head *)block_payload(b);
}

static inline struct heap_header *node_block(struct list_head *node)
{
    return payload_block(node);
}

/* --- regions -------------------------------------------------------------- */

static inline struct heap_header *region_first(struct heap_region *r)
{
    return (struct heap_header *)(r + 1);
}

/* The fence header at the top: where the block walk stops. */
static inline struct heap_header *region_fence(struct heap_region *r)
{
    return (struct heap_header *)((char *)r + r->bytes - HEAP_HEADER_BYTES);
}

static inline char *region_end(struct heap_region *r)
{
    return (char *)r + r->bytes;
}

/* --- between the heap's files ---------------------------------------------- */

/* A free block of at least NEED bytes chosen by HEAP's policy, or NULL;
 * counts the search in heap->stats (mm/heap_policy.c). */
struct heap_header *heap_policy_find(struct heap *heap, uint32_t need);

#endif
