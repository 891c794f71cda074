/*
 * mm/replace.h - page replacement: which resident page to evict when a
 * frame is needed.
 *
 * When memory is full and a page fault needs a frame, some resident page
 * must go (written to swap first if it is dirty).  Evicting the page whose
 * next use lies farthest in the future is optimal (Belady's MIN, "OPT"),
 * but needs the future; real policies guess from the past.  This file is
 * the one interface for four guesses, shared by the kernel's reclaim and
 * by the offline simulator mm/vmsim.c, so the numbers the simulator prints
 * are the numbers of the code the kernel runs:
 *
 *   "fifo"     evict the page that arrived first.  Ignores use entirely;
 *              the textbook example of Belady's anomaly (more frames, more
 *              faults: 9 faults with 3 frames, 10 with 4).
 *   "clock"    FIFO with a second chance: a page whose referenced bit is
 *              set is spared once (the bit cleared, the page moved to the
 *              back).  An approximation of LRU from one hardware bit.
 *   "lru"      evict the least recently used page.  Exact, so it must hear
 *              of EVERY reference (replace_touch): the kernel can only do
 *              that by taking a soft fault per reference, a teaching mode.
 *   "default"  CLOCK-Pro (Jiang, Chen and Zhang, USENIX 2005) with a fixed
 *              cold share: pages are hot or cold, a cold page that is
 *              reused soon becomes hot, and the policy remembers pages it
 *              evicted recently, so a refault tells it that it evicted
 *              the wrong page.  Works from referenced bits alone, resists
 *              scans and loops.  mm/replace_clockpro.c explains it, and why
 *              it was chosen, with numbers.
 *
 * The caller owns the pages.  Each resident page carries a struct rp_node
 * (in struct page for the kernel, in a per-page array for the simulator),
 * and the caller says what happens to it:
 *
 *   replace_insert(r, n)        a page became resident (after its fault)
 *   replace_touch(r, n)         the page was referenced (only LRU cares)
 *   replace_remove(r, n)        the owner freed or unmapped it
 *   n = replace_select_victim(r)   which page to evict; it is taken out of
 *                               the policy, the caller evicts it
 *
 * and answers one question through a callback, referenced(n, ctx): "was
 * this page used since I last asked?", which must TEST AND CLEAR.  In the
 * kernel that is the accessed bit of the page's PTEs (Intel SDM vol. 3,
 * 4.8: the CPU sets A on every access through the PTE; clearing it needs
 * an invlpg so the TLB does not hide later accesses); in the simulator, a
 * bit set on each reference.  The fault that brings a page in sets the bit
 * too: the first answer for a new page always says "used".
 *
 * Locking: none here.  One replacer serves one pool of frames; its owner
 * serialises the calls (the kernel: the reclaim lock).  referenced() is
 * called with that lock held and must not call back into the replacer.
 */
#ifndef MM_REPLACE_H
#define MM_REPLACE_H

#include "lib/types.h"
#include "lib/list.h"

enum rp_policy {
    RP_FIFO,
    RP_CLOCK,
    RP_LRU,
    RP_DEFAULT,                 /* CLOCK-Pro */
    RP_NPOLICIES
};

/* Where a node is.  Only the replacer writes it. */
enum rp_state {
    RP_OUT = 0,                 /* in no policy (new, removed, or evicted) */
    RP_QUEUED,                  /* fifo, clock, lru: on the one list */
    RP_HOT,                     /* default: resident, hot */
    RP_COLD,                    /* default: resident, cold, being tested */
    RP_GHOST,                   /* default: evicted, remembered (replacer-owned) */
};

/* A page as the policy sees it, embedded in the caller's structure.  A
 * zeroed node is a valid one that is in no replacer (RP_OUT is 0); set id
 * before inserting it.  Inserting a node that is already in a replacer is
 * a bug in the caller: replace_insert panics. */
struct rp_node {
    struct list_head link;      /* on the replacer's list; self-linked if RP_OUT */
    uint32_t id;                /* the caller's name for the page: the same
                                   number when it comes back after eviction
                                   (the default policy remembers evicted ids) */
    uint8_t state;              /* enum rp_state */
    uint8_t flags;              /* RP_F_* (policy-private) */
    uint16_t pad;
};

#define RP_F_FRESH  0x01u       /* default: not looked at since insert */

/* Test AND CLEAR "N was referenced since the last call". */
typedef bool (*rp_referenced_fn)(struct rp_node *n, void *ctx);

struct rp_stats {
    unsigned long inserted;
    unsigned long evicted;      /* victims returned */
    unsigned long scanned;      /* referenced() calls made by the hands */
    unsigned long spared;       /* ... that said "used": a second chance */
    unsigned long promoted;     /* default: cold -> hot */
    unsigned long demoted;      /* default: hot -> cold */
    unsigned long ghost_hits;   /* default: a remembered page came back */
};

/* The default policy's memory of evicted pages: one entry per frame, plus
 * one (an entry is made before the oldest is dropped). */
struct rp_ghost {
    struct rp_node node;        /* on the ring, state RP_GHOST */
    uint32_t hash_next;         /* next in the bucket or free list; RP_NIL ends */
};
#define RP_NIL UINT32_MAX
#ifndef HOST_TEST
_Static_assert(sizeof(struct rp_ghost) == 20, "i386: the size replace_work_bytes' comment gives");
#endif

struct replacer {
    enum rp_policy policy;
    rp_referenced_fn referenced;
    void *ctx;
    uint32_t capacity;          /* frames the pages share */
    uint32_t nr_resident;       /* nodes inserted and not yet evicted or removed */
    struct list_head ring;      /* fifo/clock/lru: oldest (or coldest) first;
                                   default: the clock, hands point into it */
    uint32_t budget;            /* hand steps left in this call (see rp_test) */
    struct rp_stats stats;
    /* The default policy (mm/replace_clockpro.c).  Invariants:
     * nr_hot + nr_cold == nr_resident; nr_ghost entries of the ring are
     * ghosts; the hands are NULL exactly when the ring is empty. */
    struct rp_node *hand_hot, *hand_cold, *hand_test;
    uint32_t nr_hot, nr_cold, nr_ghost;
    uint32_t cold_target;       /* resident cold pages wanted: 1% of capacity */
    struct rp_ghost *ghosts;    /* capacity + 1 entries */
    uint32_t *buckets;          /* nr_buckets chain heads (a power of two) */
    uint32_t nr_buckets;
    uint32_t free_ghost;        /* first unused entry, chained by hash_next */
};

/* Work memory replace_init needs for CAPACITY frames (whatever the policy:
 * the policy can be switched later).  24 to 28 bytes a frame on i386: a
 * 20-byte ghost and one or two hash buckets. */
size_t replace_work_bytes(uint32_t capacity);

/*
 * Set R up, empty, with POLICY for CAPACITY frames (at least 1), WORK being
 * replace_work_bytes(CAPACITY) bytes aligned to 4 that R keeps using.
 * REFERENCED may be NULL (then no page ever looks used).  Returns 0 or
 * -EINVAL.
 */
int replace_init(struct replacer *r, enum rp_policy policy, uint32_t capacity,
                 void *work, rp_referenced_fn referenced, void *ctx);

/* Page N (N->id set, N not in any replacer) became resident. */
void replace_insert(struct replacer *r, struct rp_node *n);
/* N was referenced: LRU moves it to the back; the others ignore it. */
void replace_touch(struct replacer *r, struct rp_node *n);
/* N's owner freed it: forget N (a node that is not in R is ignored). */
void replace_remove(struct replacer *r, struct rp_node *n);
/* The page to evict, taken out of R (state RP_OUT); NULL if R holds none.
 * A caller that then cannot evict it (pinned, I/O error) inserts it again. */
struct rp_node *replace_select_victim(struct replacer *r);
/* The page named ID was freed while evicted: drop any memory of it (only
 * the default policy has some; stale memories also age out by themselves). */
void replace_forget(struct replacer *r, uint32_t id);

/* Switch R to POLICY, keeping its resident pages (they start over as new
 * arrivals, oldest first); memories of evicted pages are dropped.  For
 * sysctl vm.page_replacement.  Returns 0 or -EINVAL. */
int replace_set_policy(struct replacer *r, enum rp_policy policy);

/* "fifo", "clock", "lru", "default" -> the policy, or -EINVAL. */
int replace_policy_parse(const char *name);
/* The policy's name, "?" for a number that is not one. */
const char *replace_policy_name(enum rp_policy policy);

/* Verify R's invariants (list lengths, states, hands, counts); print each
 * violation.  Returns the number found (0: consistent). */
int replace_check(const struct replacer *r);

/* --- for the policies' own files (mm/replace*.c) ---------------------------- */

/* Ask the caller whether N was referenced, unless this call has used up
 * its budget of hand steps: then the answer is "no", so that a scan ends
 * even if referenced() always said yes. */
bool rp_test(struct replacer *r, struct rp_node *n);

void rp_clockpro_init(struct replacer *r, void *work);
void rp_clockpro_insert(struct replacer *r, struct rp_node *n);
void rp_clockpro_remove(struct replacer *r, struct rp_node *n);
struct rp_node *rp_clockpro_select_victim(struct replacer *r);
void rp_clockpro_forget(struct replacer *r, uint32_t id);
void rp_clockpro_clear(struct replacer *r);
int rp_clockpro_check(const struct replacer *r);

#endif
