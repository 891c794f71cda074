/*
 * mm/lru_soft.c - exact LRU, the honest and slow way: a soft fault per
 * page switch.
 *
 * The MMU tells the kernel *that* a page was used (the accessed bit), not
 * *when*, so a real kernel can only approximate LRU.  For the textbook
 * experiments (refstring with RLIMIT_RSS, `sysctl vm.page_replacement=lru`)
 * this mode makes the order exact: of a process's pages under its own LRU
 * policy, only the one used last stays visible to the MMU.  When the
 * process moves to another page, the previous one is hidden (PRESENT
 * cleared, PTE_SOFT set, the frame kept), so touching it again raises a
 * page fault that finds the page still there: a soft fault, which only
 * tells the policy "used now" and shows the page again.  Every switch
 * costs a fault -- that is the price of exact LRU, and why no real kernel
 * does it.  Soft faults are not counted as minor or major faults.
 */
#include "mm/vm.h"
#include "mm/page.h"
#include "mm/replace.h"
#include "mm/swap.h"

static bool lru_soft_active(const struct addr_space *as)
{
    return as->local && as->local->policy == RP_LRU;
}

void lru_soft_switch(struct addr_space *as, vaddr_t va)
{
    vaddr_t last = as->lru_last_va;

    if (!lru_soft_active(as))
        return;
    as->lru_last_va = va;
    if (!last || last == va)
        return;
    pte_t *pte = pgdir_walk(as, last, false);
    if (!pte || !pte_present(*pte))
        return;
    struct page *page = pfn_to_page(pte_paddr(*pte) >> PAGE_SHIFT);
    if (page->owner == OWNER_USER && page->mapping == as->local)
        set_pte(as, last, (*pte & ~PTE_PRESENT) | PTE_SOFT);
}

int lru_soft_fault(struct addr_space *as, vaddr_t va, pte_t entry)
{
    struct page *page = pfn_to_page(pte_paddr(entry) >> PAGE_SHIFT);

    set_pte(as, va, (entry & ~PTE_SOFT) | PTE_PRESENT);
    if (page->owner == OWNER_USER && page->mapping == as->local && as->local)
        replace_touch(as->local, &page->rp);
    lru_soft_switch(as, va);
    return FAULT_SOFT;
}
