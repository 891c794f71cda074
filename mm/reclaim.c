/*
 * mm/reclaim.c - choosing pages to evict, and evicting them.
 *
 * Every resident user page is in the page-replacement policy (mm/replace.c;
 * `sysctl vm.page_replacement=fifo|clock|lru|default`).  When frames run
 * short the policy names a victim, and the page leaves memory one of two
 * ways:
 *
 *   - a page of a program's image (the page cache) is clean: unmap it from
 *     every process and drop it; a later fault reads it from the image;
 *   - an anonymous page (heap, stack, data) is written to swap first -- or
 *     not even that, if it was read back from swap and has not been written
 *     since (its swap copy is still good) -- and every PTE that mapped it
 *     becomes a swap entry.
 *
 * "Recently used?" comes from the hardware: the CPU sets the accessed bit
 * in a PTE on every use (SDM Vol. 3A, 4.8); the policy's referenced()
 * question is answered by testing and clearing it in all the page's PTEs,
 * found through the reverse map.
 *
 * Reclaim runs in two places, like Linux: in kswapd, a kernel thread woken
 * when free frames fall below the low watermark, which works until the
 * high one; and directly in the allocation that found no frame.
 */
#include "mm/reclaim.h"
#include "mm/page.h"
#include "mm/rmap.h"
#include "mm/replace.h"
#include "mm/swap.h"
#include "mm/vm.h"
#include "mm/vmstat.h"
#include "mm/kmalloc.h"
#include "mm/overcommit.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "kernel/sysctl.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

static struct replacer replacer;
static bool replacer_ready;
/* Victims one reclaim_pages(NR) call looks at, at most. */
#define RECLAIM_MAX_TRIES(nr) (4 * (nr) + 64)
unsigned long watermark_min, watermark_low, watermark_high;
long sysctl_page_replacement = RP_DEFAULT;
static const char kswapd_wait;

static int page_replacement_parse(const char *text, long *out)
{
    int p = replace_policy_parse(text);

    if (p < 0)
        return -EINVAL;
    *out = p;
    return 0;
}

static const char *page_replacement_show(long v)
{
    /* Setting the variable takes effect at the next reclaim. */
    return replace_policy_name((enum rp_policy)v);
}

SYSCTL_DEFINE(vm_page_replacement, "vm.page_replacement", &sysctl_page_replacement,
              0, RP_NPOLICIES - 1, page_replacement_parse, page_replacement_show);

/* Test and clear the accessed bit in every PTE that maps the page. */
static bool page_referenced(struct rp_node *n, void *ctx)
{
    struct page *page = container_of(n, struct page, rp);
    bool used = false;

    (void)ctx;
    count_vm_event(PGSCAN);
    for (struct rmap_entry *e = page->rmap; e; e = e->next) {
        pte_t *pte = pgdir_walk(e->as, e->va, false);
        if (pte && (*pte & PTE_ACCESSED)) {
            *pte &= ~PTE_ACCESSED;
            if (e->as == current_space)
                invlpg(e->va);
            used = true;
        }
    }
    return used;
}

void reclaim_init(void *work, unsigned long frames)
{
    replace_init(&replacer, RP_DEFAULT, (uint32_t)frames, work, page_referenced, NULL);
    replacer_ready = true;
    watermark_low = MAX(32ul, frames / 64);
    watermark_high = 2 * watermark_low;
    watermark_min = watermark_low / 4;
}

/* A stable name for the page across eviction and refault (the default
 * policy remembers evicted pages by it). */
static uint32_t page_id(const struct page *page)
{
    uint32_t a, b;

    if (page->owner == OWNER_PAGECACHE) {
        a = (uint32_t)(uintptr_t)page->mapping;
        b = page->index;
    } else if (page->rmap) {
        a = (uint32_t)(uintptr_t)page->rmap->as;
        b = page->rmap->va >> PAGE_SHIFT;
    } else {
        a = page_to_pfn(page);
        b = 0;
    }
    return (a * 2654435761u) ^ (b * 40503u + 0x9e3779b9u);
}

void reclaim_lists(unsigned long *active, unsigned long *inactive)
{
    if (replacer.policy == RP_DEFAULT) {
        *active = replacer.nr_hot;          /* CLOCK-Pro's hot pages */
        *inactive = replacer.nr_cold;
    } else {
        *active = 0;                        /* one list: all on probation */
        *inactive = replacer.nr_resident;
    }
}

/* The policy PAGE is (or goes) in: its process's own, if it limits its
 * resident set and the page is not locked, else the global one.  For a
 * user page the choice is remembered in page->mapping. */
static struct replacer *page_replacer(struct page *page)
{
    if (page->owner == OWNER_USER && page->mapping)
        return page->mapping;
    return &replacer;
}

void reclaim_track(struct page *page)
{
    if (!replacer_ready)
        return;
    page->rp.id = page_id(page);
    if (page->owner == OWNER_USER && page->rmap) {
        struct addr_space *as = page->rmap->as;
        const struct vma *v = vma_find(as, page->rmap->va);
        if (as->local && !(v && v->locked))
            page->mapping = as->local;
    }
    replace_insert(page_replacer(page), &page->rp);
}

void reclaim_untrack(struct page *page)
{
    if (replacer_ready && page->rp.state != RP_OUT)
        replace_remove(page_replacer(page), &page->rp);
    if (page->owner == OWNER_USER)
        page->mapping = NULL;
}

/* Is any mapping of PAGE in a region mlock'ed by its process? */
static bool page_locked(const struct page *page)
{
    for (const struct rmap_entry *e = page->rmap; e; e = e->next) {
        const struct vma *v = vma_find(e->as, e->va);
        if (v && v->locked)
            return true;
    }
    return false;
}

/* Replace every mapping of PAGE with NEW_PTE (0: unmapped; else a swap
 * entry), dropping the references the mappings held. */
static void page_unmap_all(struct page *page, pte_t new_pte)
{
    while (page->rmap) {
        struct rmap_entry *e = page->rmap;
        struct addr_space *as = e->as;
        set_pte(as, e->va, new_pte);
        as->rss_pages--;
        if (new_pte)
            as->swap_pages++;
        rmap_remove(page, as, e->va);
        put_page(page);
    }
}

static bool page_dirty(const struct page *page)
{
    for (const struct rmap_entry *e = page->rmap; e; e = e->next) {
        pte_t *pte = pgdir_walk(e->as, e->va, false);
        if (pte && (*pte & PTE_DIRTY))
            return true;
    }
    return false;
}

/* Evict PAGE (already out of the policy).  0, or -EBUSY/-ENOSPC/-EIO. */
static int evict_page(struct page *page)
{
    if (page_locked(page))
        return -EBUSY;
    if (page->owner == OWNER_PAGECACHE) {
        page_unmap_all(page, 0);
        program_drop_page(page->mapping, page->index);
        return 0;
    }
    long slot = swap_write_page(page, !page_dirty(page));
    if (slot < 0)
        return (int)slot;
    /* The page's reference to the slot goes to the first PTE; each other
     * PTE takes one of its own. */
    for (unsigned n = rmap_count(page); n > 1; n--)
        swap_slot_share((uint32_t)slot);
    page->index = 0;
    page_unmap_all(page, swp_entry((uint32_t)slot));
    return 0;
}

/* Evict from R until it holds fewer than LIMIT pages (or nothing goes). */
static void reclaim_from(struct replacer *r, unsigned long limit)
{
    for (unsigned long tries = r->nr_resident; r->nr_resident >= limit && tries; tries--) {
        struct rp_node *n = replace_select_victim(r);
        if (!n)
            break;
        struct page *page = container_of(n, struct page, rp);
        page->mapping = NULL;           /* out of R while it is evicted */
        if (evict_page(page) == 0) {
            count_vm_event(PGSTEAL);
        } else {
            page->mapping = r;
            replace_insert(r, n);
        }
    }
}

void reclaim_enforce_rss(struct addr_space *as)
{
    if (as->local && as->rss_limit)
        reclaim_from(as->local, as->rss_limit);
}

int reclaim_set_rss_limit(struct addr_space *as, unsigned long pages)
{
    if (as->local && as->local->nr_resident)
        return as->local->capacity == pages || pages == 0 ? 0 : -EBUSY;
    if (as->local) {
        kfree(as->local);
        as->local = NULL;
    }
    as->rss_limit = pages;
    if (!pages)
        return 0;
    size_t work = replace_work_bytes((uint32_t)pages);
    struct replacer *r = kmalloc(sizeof(*r) + work);
    if (!r)
        return -ENOMEM;
    replace_init(r, (enum rp_policy)sysctl_page_replacement, (uint32_t)pages, r + 1,
                 page_referenced, NULL);
    as->local = r;
    return 0;
}

void reclaim_release_space(struct addr_space *as)
{
    kfree(as->local);
    as->local = NULL;
}

unsigned long reclaim_pages(unsigned long nr)
{
    unsigned long freed = 0;

    if (!replacer_ready)
        return 0;
    if ((enum rp_policy)sysctl_page_replacement != replacer.policy)
        replace_set_policy(&replacer, (enum rp_policy)sysctl_page_replacement);
    /* Each victim that cannot go (locked, no swap for it) is put back; stop
     * after a full round of those, or after a few times NR of them: when
     * swap is full most pages cannot go, and every pick costs the policy a
     * scan, so looking at all of them for each fault would take forever. */
    unsigned long tries = MIN(replacer.nr_resident, RECLAIM_MAX_TRIES(nr));
    for (; freed < nr && tries; tries--) {
        struct rp_node *n = replace_select_victim(&replacer);
        if (!n)
            break;
        struct page *page = container_of(n, struct page, rp);
        if (evict_page(page) == 0) {
            freed++;
            count_vm_event(PGSTEAL);
        } else {
            replace_insert(&replacer, n);
        }
    }
    return freed;
}

struct page *alloc_page_reclaim(void)
{
    struct page *page = alloc_page();

    if (!page && reclaim_pages(RECLAIM_BATCH))
        page = alloc_page();
    return page;
}

struct page *alloc_user_page(void)
{
    struct page *page;

    /* RAM and swap both full: what reclaim could still find is clean pages
     * that are in use and fault straight back, so processes would take
     * each other's last frames forever.  Say "out of memory" instead while
     * a reserve is left, and let the OOM killer settle it. */
    if (swap_free_pages() == 0 && nr_free_pages() < watermark_min)
        return NULL;
    page = alloc_page();
    if (!page && reclaim_pages(RECLAIM_BATCH))
        page = alloc_page();
    if (nr_free_pages() < watermark_low)
        wakeup(&kswapd_wait);
    if (page)
        user_page_init(page, OWNER_USER);
    return page;
}

/* Sleep until an allocation finds free frames below the low watermark,
 * then reclaim up to the high one, or until nothing more can go. */
static void kswapd(void)
{
    for (;;) {
        bool was = irq_save();
        sleep_on(&kswapd_wait);
        irq_restore(was);
        while (nr_free_pages() < watermark_high && reclaim_pages(RECLAIM_BATCH))
            ;
    }
}

void kswapd_start(void)
{
    proc_spawn_kernel("kswapd0", kswapd);
}
