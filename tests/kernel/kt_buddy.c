/*
 * tests/kernel/kt_buddy.c - self-tests of the buddy allocator, run both in
 * the kernel and on the host (under AddressSanitizer and UBSan).
 *
 * Every test builds a private zone over a private descriptor array, so it
 * never disturbs the kernel's own lowmem_zone.  Frame numbers are made up
 * (KT_BASE and up, beyond any real RAM) and their memory is never touched:
 * the allocator only reads and writes descriptors unless poisoning is on.
 * The one test that needs real bytes, the poisoning test, borrows 16
 * frames: from lowmem_zone in the kernel, from a host arena on the host.
 *
 * Each scenario ends with buddy_check(), the independent consistency
 * checker of mm/buddy_check.c, which must find nothing.
 */
#include "tests/ktest.h"
#include "mm/buddy.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define KT_FRAMES 4096
#define KT_BASE   0xF0000u      /* pfn of 3.75 GiB: a multiple of 2^MAX_ORDER */

static struct page kt_frames[KT_FRAMES];
static struct zone kt_zone;

/* A zone of NR frames at BASE, with [BASE + FROM, BASE + TO) released. */
static struct zone *kt_zone_make(pfn_t base, unsigned long nr,
                                 unsigned long from, unsigned long to)
{
    zone_init(&kt_zone, kt_frames, base, nr);
    zone_release_range(&kt_zone, base + (pfn_t)from, base + (pfn_t)to);
    return &kt_zone;
}

static pfn_t kt_pfn(struct zone *z, struct page *page)
{
    return zone_page_to_pfn(z, page);
}


/* An order between 0 and 5, each half as likely as the one below. */
static unsigned kt_rand_order(uint32_t *state)
{
    return (unsigned)__builtin_ctz(ktest_rand(state) | (1u << 5));
}

static bool kt_contains(const char *text, const char *want)
{
    size_t n = strlen(want);

    for (; *text; text++)
        if (strncmp(text, want, n) == 0)
            return true;
    return false;
}

/* The report of the latest refused operation must mention WANT. */
static void kt_expect_bug_text(struct ktest *t, const char *file, int line,
                               const char *text, const char *want)
{
    char msg[224];

    if (kt_contains(text, want))
        return;
    ksnprintf(msg, sizeof(msg), "report \"%s\" does not mention \"%s\"",
              text, want);
    ktest_fail_msg(t, file, line, msg);
}

/* Exactly one report since BUGS_BEFORE, and it mentions WANT. */
#define EXPECT_REPORT(t, z, bugs_before, want) \
    do { \
        EXPECT_EQ(t, (z)->nr_bugs, (bugs_before) + 1); \
        kt_expect_bug_text(t, __FILE__, __LINE__, (z)->last_bug, want); \
    } while (0)

/* CALL must be refused with -EINVAL and one report that mentions WANT. */
#define EXPECT_REFUSED(t, z, call, want) \
    do { \
        unsigned long kt_bugs_ = (z)->nr_bugs; \
        EXPECT_EQ(t, (call), -EINVAL); \
        EXPECT_REPORT(t, z, kt_bugs_, want); \
    } while (0)

/* --- snapshots: "exactly as before" ----------------------------------- */

static struct kt_snapshot {
    uint8_t state[KT_FRAMES], order[KT_FRAMES];
    uint16_t refcount[KT_FRAMES];
    unsigned long nr_free[NR_ORDERS], free_pages, managed_pages;
} kt_snap;

static void kt_snapshot_take(const struct zone *z)
{
    for (unsigned long i = 0; i < z->nr_frames; i++) {
        kt_snap.state[i] = z->frames[i].state;
        kt_snap.order[i] = z->frames[i].order;
        kt_snap.refcount[i] = z->frames[i].refcount;
    }
    for (unsigned o = 0; o <= MAX_ORDER; o++)
        kt_snap.nr_free[o] = z->free_area[o].nr_free;
    kt_snap.free_pages = z->free_pages;
    kt_snap.managed_pages = z->managed_pages;
}

/* The number of differences between Z and the snapshot. */
static unsigned long kt_snapshot_diff(const struct zone *z)
{
    unsigned long diff = 0;

    for (unsigned long i = 0; i < z->nr_frames; i++)
        diff += kt_snap.state[i] != z->frames[i].state ||
                kt_snap.order[i] != z->frames[i].order ||
                kt_snap.refcount[i] != z->frames[i].refcount;
    for (unsigned o = 0; o <= MAX_ORDER; o++)
        diff += kt_snap.nr_free[o] != z->free_area[o].nr_free;
    diff += kt_snap.free_pages != z->free_pages;
    diff += kt_snap.managed_pages != z->managed_pages;
    return diff;
}

/* --- splitting and merging -------------------------------------------- */

/* Allocating order N from a zone of order-10 blocks splits one of them and
 * leaves exactly one free block of each order N..9: the buddies of the
 * allocated block, pfn ^ (1 << o).  Freeing it merges everything back. */
static void test_split_and_coalesce_every_order(struct ktest *t)
{
    struct zone *z = kt_zone_make(KT_BASE, KT_FRAMES, 0, KT_FRAMES);

    ASSERT_EQ(t, z->free_area[MAX_ORDER].nr_free, 4);
    for (unsigned order = 0; order <= MAX_ORDER; order++) {
        struct page *page = zone_alloc(z, order);
        ASSERT_NOT_NULL(t, page);
        pfn_t pfn = kt_pfn(z, page);
        EXPECT_EQ(t, pfn & ((1u << order) - 1), 0);
        for (unsigned o = 0; o < MAX_ORDER; o++) {
            struct list_head *list = &z->free_area[o].free_list;
            EXPECT_EQ(t, z->free_area[o].nr_free, o >= order ? 1 : 0);
            if (o >= order && !list_empty(list))
                EXPECT_EQ(t, kt_pfn(z, list_entry(list->next, struct page, lru)),
                          pfn ^ (1u << o));
        }
        EXPECT_EQ(t, z->free_area[MAX_ORDER].nr_free, 3);
        EXPECT_EQ(t, buddy_check(z), 0);
        EXPECT_EQ(t, zone_free(z, page, order), 0);
        EXPECT_EQ(t, z->free_area[MAX_ORDER].nr_free, 4);
        EXPECT_EQ(t, z->free_pages, KT_FRAMES);
        EXPECT_EQ(t, buddy_check(z), 0);
    }
}

/* Take everything (largest blocks first, then smaller), give it all back:
 * the free lists must be exactly what they were.  Holes and an unaligned
 * zone make the starting lists irregular. */
static void test_alloc_all_then_free_all(struct ktest *t)
{
    struct zone *z = kt_zone_make(KT_BASE + 3, 3000, 0, 1000);
    struct list_head held, *pos, *tmp;
    unsigned long got = 0;

    zone_release_range(z, KT_BASE + 3 + 1100, KT_BASE + 3 + 3000);
    kt_snapshot_take(z);
    list_init(&held);
    for (int order = MAX_ORDER; order >= 0; order--) {
        struct page *page;
        while ((page = zone_alloc(z, (unsigned)order)) != NULL) {
            list_add_tail(&page->lru, &held);
            got += 1ul << order;
        }
    }
    EXPECT_EQ(t, got, 2900);
    EXPECT_EQ(t, z->free_pages, 0);
    EXPECT_EQ(t, zone_max_free_order(z), -1);
    EXPECT_EQ(t, buddy_check(z), 0);
    list_for_each_safe(pos, tmp, &held) {
        struct page *page = list_entry(pos, struct page, lru);
        list_del(pos);
        EXPECT_EQ(t, zone_free(z, page, page->order), 0);
    }
    EXPECT_EQ(t, kt_snapshot_diff(z), 0);
    EXPECT_EQ(t, buddy_check(z), 0);
}

/* Every block is aligned to its own size in *physical* frame numbers, even
 * in a zone that starts at an odd pfn. */
static void test_alignment_of_every_block(struct ktest *t)
{
    struct zone *z = kt_zone_make(KT_BASE + 7, 2000, 0, 2000);
    uint32_t seed = 0x1234567u;
    struct list_head held, *pos, *tmp;
    struct page *page;
    unsigned order;

    list_init(&held);
    while (z->free_pages > 0) {
        order = kt_rand_order(&seed);
        if ((page = zone_alloc(z, order)) == NULL)
            continue;
        pfn_t pfn = kt_pfn(z, page);
        EXPECT_EQ(t, pfn & ((1u << order) - 1), 0);
        EXPECT_TRUE(t, pfn >= z->base_pfn &&
                    pfn + (1u << order) <= z->base_pfn + z->nr_frames);
        list_add(&page->lru, &held);
    }
    list_for_each_safe(pos, tmp, &held) {
        page = list_entry(pos, struct page, lru);
        list_del(pos);
        EXPECT_EQ(t, zone_free(z, page, page->order), 0);
    }
    EXPECT_EQ(t, z->free_pages, 2000);
    EXPECT_EQ(t, buddy_check(z), 0);
}

/* zone_release_range hands memory over as the largest aligned blocks and
 * merges it with what is already free. */
static void test_release_blocks_and_merges(struct ktest *t)
{
    /* 100 frames at 0x13 (relative to KT_BASE): 0x13 o0, 0x14 o2, 0x18 o3,
     * 0x20 o5, 0x40 o5, 0x60 o4, 0x70 o2, 0x74 o1, 0x76 o0. */
    static const unsigned long expect[NR_ORDERS] = { 2, 1, 2, 1, 1, 2 };
    struct zone *z = kt_zone_make(KT_BASE + 0x13, 100, 0, 100);
    unsigned long bugs;

    for (unsigned o = 0; o <= MAX_ORDER; o++)
        EXPECT_EQ(t, z->free_area[o].nr_free, expect[o]);
    EXPECT_EQ(t, buddy_check(z), 0);

    z = kt_zone_make(KT_BASE, 64, 4, 8);            /* 4..7: order 2 */
    EXPECT_EQ(t, z->free_area[2].nr_free, 1);
    zone_release_range(z, KT_BASE, KT_BASE + 4);    /* merges into 0..7 */
    EXPECT_EQ(t, z->free_area[2].nr_free, 0);
    EXPECT_EQ(t, z->free_area[3].nr_free, 1);
    zone_release_range(z, KT_BASE + 32, KT_BASE + 64);
    zone_release_range(z, KT_BASE + 8, KT_BASE + 32); /* 0..63: order 6 */
    EXPECT_EQ(t, z->free_area[6].nr_free, 1);
    EXPECT_EQ(t, z->free_pages, 64);
    EXPECT_EQ(t, buddy_check(z), 0);

    z->quiet = true;                                /* released twice: */
    bugs = z->nr_bugs;
    EXPECT_EQ(t, zone_release_range(z, KT_BASE + 10, KT_BASE + 12), 0);
    EXPECT_REPORT(t, z, bugs, "are already the allocator's");
    EXPECT_EQ(t, buddy_check(z), 0);

    z = kt_zone_make(KT_BASE, 64, 0, 0);            /* clipped to the zone */
    EXPECT_EQ(t, zone_release_range(z, KT_BASE - 10, KT_BASE + 100), 64);
    EXPECT_EQ(t, buddy_check(z), 0);
}

/* --- the fragmentation lesson ----------------------------------------- */

static void test_fragmentation_scenario(struct ktest *t)
{
    struct zone *z = kt_zone_make(KT_BASE, 1024, 0, 1024);

    EXPECT_EQ(t, fragdemo_run(z, 4), 0);
    EXPECT_EQ(t, z->free_pages, 1024);
    EXPECT_EQ(t, z->free_area[MAX_ORDER].nr_free, 1);
    EXPECT_EQ(t, buddy_check(z), 0);
    EXPECT_EQ(t, fragdemo_run(z, 0), -EINVAL);
    EXPECT_EQ(t, fragdemo_run(z, MAX_ORDER + 1), -EINVAL);
    z = kt_zone_make(KT_BASE, 1024, 0, 8);          /* nothing to fragment */
    EXPECT_EQ(t, fragdemo_run(z, 4), -ENOMEM);
    EXPECT_EQ(t, buddy_check(z), 0);
}

/* --- random mixed traffic, checked after every step ------------------- */

#define KT_RANDOM_FRAMES 256
#define KT_RANDOM_STEPS  1000

static struct page *kt_live[KT_RANDOM_FRAMES];

static void test_random_mixed_orders(struct ktest *t)
{
    struct zone *z = kt_zone_make(KT_BASE, KT_RANDOM_FRAMES, 3, 250);
    uint32_t seed = 20240601u;
    unsigned nlive = 0;

    kt_snapshot_take(z);
    for (int step = 0; step < KT_RANDOM_STEPS; step++) {
        uint32_t r = ktest_rand(&seed);
        if (nlive > 0 && (r % 100 < 45 || nlive == KT_RANDOM_FRAMES)) {
            unsigned i = (r >> 8) % nlive;
            struct page *page = kt_live[i];
            ASSERT_EQ(t, zone_free(z, page, page->order), 0);
            kt_live[i] = kt_live[--nlive];
        } else {
            struct page *page = zone_alloc(z, kt_rand_order(&seed));
            if (page)
                kt_live[nlive++] = page;
        }
        ASSERT_EQ(t, buddy_check(z), 0);
    }
    while (nlive > 0) {
        struct page *page = kt_live[--nlive];
        EXPECT_EQ(t, zone_free(z, page, page->order), 0);
    }
    EXPECT_EQ(t, kt_snapshot_diff(z), 0);
    EXPECT_EQ(t, buddy_check(z), 0);
}

/* --- bad frees: refused, reported, nothing changed -------------------- */

static struct page kt_stranger;   /* a descriptor of no zone */

/* The scene: 64 frames, 32..47 reserved; A (order 1) and B (order 2)
 * allocated; C free while its odd buddy ODD is allocated. */
struct kt_scene {
    struct page *a, *b, *c, *odd;
};

static struct zone *kt_scene_make(struct kt_scene *s)
{
    struct zone *z = kt_zone_make(KT_BASE, 64, 0, 32);

    zone_release_range(z, KT_BASE + 48, KT_BASE + 64);
    z->quiet = true;
    s->a = zone_alloc(z, 1);
    s->b = zone_alloc(z, 2);
    s->c = zone_alloc(z, 0);            /* splits a pair: c is the low half */
    s->odd = zone_alloc(z, 0);          /* and its buddy c ^ 1 comes next */
    return z;
}

static void test_bad_frees_are_refused(struct ktest *t)
{
    struct kt_scene s;
    struct zone *z = kt_scene_make(&s);

    ASSERT_TRUE(t, s.a && s.b && s.c && s.odd);
    ASSERT_EQ(t, kt_pfn(z, s.odd), kt_pfn(z, s.c) ^ 1);
    ASSERT_EQ(t, kt_pfn(z, s.odd) & 1, 1);
    ASSERT_EQ(t, zone_free(z, s.c, 0), 0);
    kt_snapshot_take(z);

    EXPECT_REFUSED(t, z, zone_free(z, s.c, 0), "double free");
    EXPECT_REFUSED(t, z, zone_free(z, zone_pfn_to_page(z, KT_BASE + 40), 0),
                   "reserved");
    EXPECT_REFUSED(t, z, zone_free(z, s.b, 1),
                   "allocated with order 2 but freed with order 1");
    EXPECT_REFUSED(t, z, zone_free(z, s.odd, 1), "not aligned to order 1");
    EXPECT_REFUSED(t, z, zone_free(z, s.b + 1, 0),
                   "tail, inside the allocated order-2 block");
    EXPECT_REFUSED(t, z, zone_free(z, s.a, MAX_ORDER + 1), "larger than MAX_ORDER");
    EXPECT_REFUSED(t, z, zone_free(z, &kt_stranger, 0), "not a frame descriptor");
    EXPECT_REFUSED(t, z, zone_free(z, (struct page *)((char *)s.a + 1), 1),
                   "not a frame descriptor");
    get_page(s.a);
    EXPECT_REFUSED(t, z, zone_free(z, s.a, 1), "has 2 users");
    EXPECT_EQ(t, zone_put_page(z, s.a), 0);         /* back to one user */
    EXPECT_REFUSED(t, z, zone_put_page(z, zone_pfn_to_page(z, KT_BASE + 40)),
                   "reserved");
    EXPECT_EQ(t, kt_snapshot_diff(z), 0);           /* nothing changed */
    EXPECT_EQ(t, buddy_check(z), 0);

    EXPECT_EQ(t, zone_free(z, s.a, 1), 0);
    EXPECT_EQ(t, zone_free(z, s.b, 2), 0);
    EXPECT_EQ(t, zone_free(z, s.odd, 0), 0);
    EXPECT_EQ(t, z->free_pages, 48);
    EXPECT_EQ(t, buddy_check(z), 0);
}

/* The checker is only worth its name if it notices breakage: damage a
 * healthy zone in four ways, one at a time, and undo each. */
static void test_checker_catches_corruption(struct ktest *t)
{
    struct zone *z = kt_zone_make(KT_BASE, 16, 0, 16);
    struct page *page = zone_alloc(z, 0);   /* pfn 0; free: 1, 2..3, 4..7, 8..15 */
    struct page *two = zone_pfn_to_page(z, KT_BASE + 2);

    ASSERT_NOT_NULL(t, page);
    ASSERT_EQ(t, kt_pfn(z, page), KT_BASE);
    ASSERT_EQ(t, buddy_check(z), 0);

    z->free_pages++;                        /* 1: a counter that lies */
    EXPECT_GT(t, buddy_check(z), 0);
    z->free_pages--;

    page->state = PAGE_FREE;                /* 2: freed without merging */
    page->refcount = 0;
    list_add(&page->lru, &z->free_area[0].free_list);
    z->free_area[0].nr_free++;
    z->free_pages++;
    EXPECT_GT(t, buddy_check(z), 0);
    list_del(&page->lru);
    z->free_area[0].nr_free--;
    z->free_pages--;
    page->state = PAGE_ALLOCATED;
    page->refcount = 1;

    two->state = PAGE_TAIL;                 /* 3: a head lost */
    EXPECT_GT(t, buddy_check(z), 0);
    two->state = PAGE_FREE;

    two->order = 2;                         /* 4: wrong order for its list */
    EXPECT_GT(t, buddy_check(z), 0);
    two->order = 1;

    EXPECT_EQ(t, buddy_check(z), 0);
    EXPECT_EQ(t, zone_free(z, page, 0), 0);
    EXPECT_EQ(t, buddy_check(z), 0);
}

/* get_page / put_page: the last user frees. */
static void test_refcount(struct ktest *t)
{
    struct zone *z = kt_zone_make(KT_BASE, 16, 0, 16);
    struct page *page = zone_alloc(z, 2);

    ASSERT_NOT_NULL(t, page);
    EXPECT_EQ(t, page_count(page), 1);
    get_page(page);
    get_page(page);
    EXPECT_EQ(t, page_count(page), 3);
    EXPECT_EQ(t, zone_put_page(z, page), 0);
    EXPECT_EQ(t, zone_put_page(z, page), 0);
    EXPECT_TRUE(t, page_is_allocated(page));
    EXPECT_EQ(t, z->free_pages, 12);
    EXPECT_EQ(t, zone_put_page(z, page), 0);        /* the last one frees */
    EXPECT_EQ(t, z->free_pages, 16);
    EXPECT_EQ(t, page_count(page), 0);
    EXPECT_EQ(t, buddy_check(z), 0);
}

/* --- poisoning: a write after free is caught at the next allocation --- */

struct kt_backing {
    pfn_t base;
    struct page *borrowed;      /* kernel: the block taken from lowmem_zone */
};

/* 16 frames of real memory, or false (the caller skips). */
static bool kt_backing_get(struct kt_backing *m)
{
#ifdef HOST_TEST
    m->base = host_arena_create(16);
    m->borrowed = NULL;
    return true;
#else
    m->borrowed = lowmem_zone.managed_pages ? alloc_pages(4) : NULL;
    if (m->borrowed) {
        m->borrowed->owner = OWNER_TEST;
        m->base = page_to_pfn(m->borrowed);
    }
    return m->borrowed != NULL;
#endif
}

static void kt_backing_put(struct kt_backing *m)
{
#ifdef HOST_TEST
    host_arena_destroy(m->base);
#else
    free_pages(m->borrowed, 4);
#endif
}

static void test_poison_catches_write_after_free(struct ktest *t)
{
    struct kt_backing mem;
    struct zone *z;
    struct page *page;
    unsigned long bugs;
    uint8_t *bytes;
    char want[64];

    if (!kt_backing_get(&mem)) {
        ktest_skip(t, "no frames to borrow from lowmem_zone");
        return;
    }
    z = kt_zone_make(mem.base, 16, 0, 16);
    z->poison = true;
    z->quiet = true;
    page = zone_alloc(z, 0);
    ASSERT_NOT_NULL(t, page);
    bytes = pfn_to_virt(kt_pfn(z, page));
    memset(bytes, 0x11, PAGE_SIZE);                 /* use it */
    EXPECT_EQ(t, zone_free(z, page, 0), 0);
    EXPECT_EQ(t, bytes[0], PAGE_POISON);
    EXPECT_EQ(t, bytes[PAGE_SIZE - 1], PAGE_POISON);
    EXPECT_EQ(t, z->nr_poisoned, 1);
    EXPECT_EQ(t, buddy_check(z), 0);

    bytes[0x123] = 0x42;                            /* the bug: write after free */
    bugs = z->nr_bugs;
    EXPECT_TRUE(t, zone_alloc(z, 0) == page);       /* handed out, but reported */
    ksnprintf(want, sizeof(want), "pfn 0x%x at offset 0x123: 0x42 instead "
              "of 0xaa", kt_pfn(z, page));
    EXPECT_REPORT(t, z, bugs, want);
    EXPECT_EQ(t, z->nr_poisoned, 0);
    EXPECT_EQ(t, zone_free(z, page, 0), 0);         /* clean this time */
    page = zone_alloc(z, 4);                        /* all 16, one poisoned */
    EXPECT_EQ(t, z->nr_bugs, bugs + 1);             /* no new report */
    EXPECT_EQ(t, zone_free(z, page, 4), 0);
    EXPECT_EQ(t, buddy_check(z), 0);
    kt_backing_put(&mem);
}

/* --- printing --------------------------------------------------------- */

static void test_buddyinfo_format(struct ktest *t)
{
    struct zone *z = kt_zone_make(KT_BASE, KT_FRAMES, 0, KT_FRAMES);
    char line[160];
    struct page *page;
    int n;

    n = buddy_info_line(z, line, sizeof(line));
    EXPECT_STREQ(t, line, "Node 0, zone   Normal      0      0      0      0"
                 "      0      0      0      0      0      0      4 \n");
    EXPECT_EQ(t, n, (int)strlen(line));
    page = zone_alloc(z, 0);
    buddy_info_line(z, line, sizeof(line));
    EXPECT_STREQ(t, line, "Node 0, zone   Normal      1      1      1      1"
                 "      1      1      1      1      1      1      3 \n");
    EXPECT_EQ(t, buddy_info_line(z, line, 10), n);  /* truncated, same length */
    EXPECT_STREQ(t, line, "Node 0, z");
    EXPECT_EQ(t, zone_free(z, page, 0), 0);
    EXPECT_EQ(t, buddy_check(z), 0);
}

/* --- the Linux-named wrappers on lowmem_zone -------------------------- */

#ifdef HOST_TEST
static struct page kt_low_frames[64];
#endif

static void test_lowmem_wrappers(struct ktest *t)
{
#ifdef HOST_TEST
    pfn_t base = host_arena_create(64);             /* lowmem of 64 frames */
    zone_init(&lowmem_zone, kt_low_frames, base, 64);
    zone_release_range(&lowmem_zone, base, base + 64);
#else
    if (lowmem_zone.managed_pages == 0) {
        ktest_skip(t, "lowmem_zone is not set up");
        return;
    }
#endif
    unsigned long before = nr_free_pages();
    struct page *page = alloc_page();
    ASSERT_NOT_NULL(t, page);
    EXPECT_EQ(t, nr_free_pages(), before - 1);
    EXPECT_TRUE(t, pfn_to_page(page_to_pfn(page)) == page);
    uintptr_t addr = get_zeroed_page();
    ASSERT_NE(t, addr, 0);
    const uint8_t *bytes = (const uint8_t *)addr;
    unsigned nonzero = 0;
    for (unsigned i = 0; i < PAGE_SIZE; i++)
        nonzero += bytes[i] != 0;
    EXPECT_EQ(t, nonzero, 0);
    EXPECT_TRUE(t, page_address(virt_to_page((void *)addr)) == (void *)addr);
    get_page(page);
    put_page(page);
    EXPECT_EQ(t, free_page(virt_to_page((void *)addr)), 0);
    EXPECT_EQ(t, free_page(page), 0);
    EXPECT_EQ(t, nr_free_pages(), before);
    EXPECT_EQ(t, buddy_check(&lowmem_zone), 0);
#ifdef HOST_TEST
    zone_init(&lowmem_zone, NULL, 0, 0);
    host_arena_destroy(base);
#endif
}

static const struct ktest_case buddy_cases[] = {
    KTEST_CASE(test_split_and_coalesce_every_order),
    KTEST_CASE(test_alloc_all_then_free_all),
    KTEST_CASE(test_alignment_of_every_block),
    KTEST_CASE(test_release_blocks_and_merges),
    KTEST_CASE(test_fragmentation_scenario),
    KTEST_CASE(test_random_mixed_orders),
    KTEST_CASE(test_bad_frees_are_refused),
    KTEST_CASE(test_checker_catches_corruption),
    KTEST_CASE(test_refcount),
    KTEST_CASE(test_poison_catches_write_after_free),
    KTEST_CASE(test_buddyinfo_format),
    KTEST_CASE(test_lowmem_wrappers),
    { 0 }
};
KTEST_SUITE(buddy, buddy_cases, .quick = true);
