/*
 * mm/rmap.c - reverse mapping: which PTEs point at this frame?
 *
 * Page tables answer "which frame does this address use"; eviction needs
 * the opposite question.  To write a page to swap the kernel must change
 * every PTE that maps it -- after fork, a copy-on-write page is mapped by
 * parent and child; a page of program text by every process running that
 * program.  So each user frame keeps a short list of (address space,
 * virtual address) pairs, one per mapping, added and removed exactly where
 * PTEs are set and cleared.  Linux does this with anon_vma chains to save
 * memory; a list per page is the plain version of the same idea.
 */
#include "mm/rmap.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "mm/kmalloc.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "kernel/assert.h"
#include "lib/errno.h"
#include "lib/string.h"

int rmap_add(struct page *page, struct addr_space *as, vaddr_t va)
{
    struct rmap_entry *e = kmalloc(sizeof(*e));

    if (!e)
        return -ENOMEM;
    e->as = as;
    e->va = va;
    e->next = page->rmap;
    page->rmap = e;
    return 0;
}

void rmap_remove(struct page *page, struct addr_space *as, vaddr_t va)
{
    for (struct rmap_entry **pp = &page->rmap; *pp; pp = &(*pp)->next) {
        if ((*pp)->as == as && (*pp)->va == va) {
            struct rmap_entry *e = *pp;
            *pp = e->next;
            kfree(e);
            return;
        }
    }
    PANIC("rmap: pfn 0x%x is not mapped at 0x%x in space %p", page_to_pfn(page), va, as);
}

unsigned rmap_count(const struct page *page)
{
    unsigned n = 0;

    for (const struct rmap_entry *e = page->rmap; e; e = e->next)
        n++;
    return n;
}

void user_page_init(struct page *page, uint8_t owner)
{
    /* The buddy allocator used LRU for its free list and leaves the rest
     * as the last owner left it: start from a clean slate. */
    memset(&page->rp, 0, sizeof(page->rp));
    list_init(&page->rp.link);
    page->owner = owner;
    page->rmap = NULL;
    page->mapping = NULL;
    page->index = 0;
}

int user_page_map(struct page *page, struct addr_space *as, vaddr_t va, bool fresh)
{
    if (rmap_add(page, as, va) < 0)
        return -ENOMEM;
    if (fresh)
        reclaim_track(page);
    return 0;
}

void user_page_put(struct page *page)
{
    if (page_count(page) == 1) {
        /* The last reference: the page leaves the policy and its swap copy
         * (if any) is no longer needed by it. */
        ASSERTF(!page->rmap, "pfn 0x%x freed while still mapped", page_to_pfn(page));
        reclaim_untrack(page);
        if (page->owner == OWNER_USER && page->index)
            swap_slot_release(page->index);
        page->index = 0;
        page->mapping = NULL;
    }
    put_page(page);
}

void user_page_unmap(struct page *page, struct addr_space *as, vaddr_t va)
{
    rmap_remove(page, as, va);
    user_page_put(page);
}
