/*
 * mm/pgdir.c - page directories and page tables: building, walking,
 * mapping, unmapping.
 *
 * One walker, pgdir_walk, finds (or creates) the page-table entry for a
 * virtual address; map_page, unmap_page, protect_page and translate are
 * thin layers on it.  Page tables come from the buddy allocator, zeroed
 * (an all-zero entry is "not present"), and each table's frame counts its
 * present entries in struct page.pt_used, so the moment a table empties it
 * is freed: no frame is kept for an empty 4 MiB stretch of address space.
 *
 * The TLB caches translations, so changing a live entry (unmapping it,
 * taking away write permission) must be followed by `invlpg` on that
 * address (SDM Vol. 3A, 4.10.4 "Invalidation of TLBs").  Entries that
 * were not present need no flush: the CPU does not cache them.
 *
 * Kernel mappings are global (PTE_GLOBAL with CR4.PGE): a CR3 switch
 * between processes does not flush them, since every space shares them.
 */
#include "mm/vm.h"
#include "mm/page.h"
#include "mm/memmap.h"
#include "mm/kmalloc.h"
#include "mm/reclaim.h"
#include "kernel/assert.h"
#include "kernel/monitor.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define KERNEL_PDE_FIRST (KERNEL_VBASE >> PDE_SHIFT)     /* 768 */

struct addr_space kernel_space;
struct addr_space *current_space = &kernel_space;

static bool is_current(const struct addr_space *as)
{
    return as == current_space || as == &kernel_space;
}

/* A zeroed frame for a page directory or table, or NULL.  Under memory
 * pressure it first asks reclaim for frames (evicting user pages never
 * needs a new page table, so this cannot recurse). */
static struct page *pgtable_alloc(void)
{
    struct page *page = alloc_page_reclaim();

    if (!page)
        return NULL;
    page->owner = OWNER_PGTABLE;
    page->pt_used = 0;
    memset(page_address(page), 0, PAGE_SIZE);
    return page;
}

static pte_t *pde_table(pde_t pde)
{
    return phys_to_virt(pte_paddr(pde));
}

pte_t *pgdir_walk(struct addr_space *as, vaddr_t va, bool create)
{
    pde_t *pde = &as->pgdir[pde_index(va)];

    ASSERTF(!(*pde & PDE_LARGE), "va 0x%x is in a 4 MiB page", va);
    if (!pte_present(*pde)) {
        /* Kernel tables all exist from boot: creating one later would
         * leave the other address spaces without it. */
        if (!create || va >= KERNEL_VBASE)
            return NULL;
        struct page *table = pgtable_alloc();
        if (!table)
            return NULL;
        *pde = pte_make(page_to_pfn(table) << PAGE_SHIFT,
                        PTE_PRESENT | PTE_WRITABLE | PTE_USER);
        as->nr_pgtables++;
    }
    return &pde_table(*pde)[pte_index(va)];
}

pte_t *pgdir_walk_next(struct addr_space *as, vaddr_t *va, vaddr_t end)
{
    while (*va < end) {
        pte_t *pte = pgdir_walk(as, *va, false);
        if (pte)
            return pte;
        vaddr_t next = ALIGN_DOWN(*va, PDE_SPAN) + PDE_SPAN;
        if (next < *va)
            break;                      /* past the top of the address space */
        *va = next;
    }
    return NULL;
}

/* The struct page of the table holding the PTE for VA (which exists). */
static struct page *pgdir_table_page(struct addr_space *as, vaddr_t va)
{
    return pfn_to_page(pte_paddr(as->pgdir[pde_index(va)]) >> PAGE_SHIFT);
}

int map_page(struct addr_space *as, vaddr_t va, paddr_t pa, uint32_t flags)
{
    ASSERTF(IS_ALIGNED(va, PAGE_SIZE) && IS_ALIGNED(pa, PAGE_SIZE), "va 0x%x pa 0x%x", va, pa);
    pte_t *pte = pgdir_walk(as, va, true);

    if (!pte)
        return -ENOMEM;
    if (pte_present(*pte))
        return -EEXIST;
    *pte = pte_make(pa, flags | PTE_PRESENT);
    pgdir_table_page(as, va)->pt_used++;
    return 0;
}

/* Free the (empty) page table covering VA and clear its PDE. */
static void pgdir_free_table(struct addr_space *as, vaddr_t va)
{
    pde_t *pde = &as->pgdir[pde_index(va)];
    struct page *table = pgdir_table_page(as, va);

    ASSERTF(va < KERNEL_VBASE, "kernel table for 0x%x must stay", va);
    *pde = 0;
    table->owner = OWNER_NONE;
    free_page(table);
    as->nr_pgtables--;
}

pte_t unmap_page(struct addr_space *as, vaddr_t va)
{
    pte_t *pte = pgdir_walk(as, va, false);
    pte_t old;

    if (!pte || !*pte)
        return 0;
    old = *pte;
    *pte = 0;
    if (is_current(as))
        invlpg(va);
    struct page *table = pgdir_table_page(as, va);
    ASSERTF(table->pt_used > 0, "table of 0x%x counts no entries", va);
    if (--table->pt_used == 0 && va < KERNEL_VBASE)
        pgdir_free_table(as, va);
    return old;
}

int set_pte(struct addr_space *as, vaddr_t va, pte_t new)
{
    pte_t *pte = pgdir_walk(as, va, new != 0);

    if (!pte)
        return new ? -ENOMEM : 0;
    pte_t old = *pte;
    *pte = new;
    if (pte_present(old) && is_current(as))
        invlpg(va);
    struct page *table = pgdir_table_page(as, va);
    if (!old && new) {
        table->pt_used++;
    } else if (old && !new) {
        ASSERTF(table->pt_used > 0, "table of 0x%x counts no entries", va);
        if (--table->pt_used == 0 && va < KERNEL_VBASE)
            pgdir_free_table(as, va);
    }
    return 0;
}

void remap_page(struct addr_space *as, vaddr_t va, paddr_t pa, uint32_t flags)
{
    pte_t *pte = pgdir_walk(as, va, false);

    ASSERTF(pte && pte_present(*pte), "remap of unmapped 0x%x", va);
    *pte = pte_make(pa, flags | PTE_PRESENT);
    if (is_current(as))
        invlpg(va);
}

int protect_page(struct addr_space *as, vaddr_t va, uint32_t flags)
{
    pte_t *pte = pgdir_walk(as, va, false);

    if (!pte || !pte_present(*pte))
        return -EFAULT;
    *pte = pte_make(pte_paddr(*pte), flags | PTE_PRESENT);
    if (is_current(as))
        invlpg(va);
    return 0;
}

int translate(struct addr_space *as, vaddr_t va, paddr_t *pa)
{
    pte_t *pte = pgdir_walk(as, va, false);

    if (!pte || !pte_present(*pte))
        return -EFAULT;
    *pa = pte_paddr(*pte) | (va & (PAGE_SIZE - 1));
    return 0;
}

void switch_address_space(struct addr_space *as)
{
    current_space = as;
    write_cr3(virt_to_phys(as->pgdir));
}

struct addr_space *aspace_create(void)
{
    struct addr_space *as = kzalloc(sizeof(*as));
    struct page *dir;

    if (!as)
        return NULL;
    if (!(dir = pgtable_alloc())) {
        kfree(as);
        return NULL;
    }
    as->pgdir = page_address(dir);
    list_init(&as->vmas);
    /* Share the kernel half: the same page tables, by copying the PDEs. */
    memcpy(&as->pgdir[KERNEL_PDE_FIRST], &kernel_space.pgdir[KERNEL_PDE_FIRST],
           (PT_ENTRIES - KERNEL_PDE_FIRST) * sizeof(pde_t));
    return as;
}

void aspace_destroy(struct addr_space *as)
{
    struct list_head *pos, *tmp;

    ASSERT(as != current_space && as != &kernel_space);
    list_for_each_safe(pos, tmp, &as->vmas)
        vma_remove(as, list_entry(pos, struct vma, link));
    for (unsigned i = 0; i < KERNEL_PDE_FIRST; i++)
        ASSERTF(as->pgdir[i] == 0, "PDE %u still maps a table after every region went", i);
    ASSERTF(as->nr_pgtables == 0 && as->rss_pages == 0, "tables %lu rss %lu",
            as->nr_pgtables, as->rss_pages);
    reclaim_release_space(as);
    struct page *dir = virt_to_page(as->pgdir);
    dir->owner = OWNER_NONE;
    free_page(dir);
    kfree(as);
}

/* --- the kernel's own tables ------------------------------------------- */

/* Fill one kernel page table mapping 4 MiB from physical BASE, up to END. */
static void paging_fill_table(pte_t *table, paddr_t base, paddr_t end)
{
    for (unsigned i = 0; i < PT_ENTRIES && base + i * PAGE_SIZE < end; i++)
        table[i] = pte_make(base + i * PAGE_SIZE, PTE_PRESENT | PTE_WRITABLE | PTE_GLOBAL);
}

void paging_init(void)
{
    struct page *dir = pgtable_alloc();
    paddr_t lowmem_end = (paddr_t)memmap.max_pfn << PAGE_SHIFT;

    ASSERT(dir != NULL);
    kernel_space.pgdir = page_address(dir);
    list_init(&kernel_space.vmas);
    for (paddr_t pa = 0; pa < lowmem_end; pa += PDE_SPAN) {
        struct page *table = pgtable_alloc();
        ASSERTF(table != NULL, "out of memory mapping lowmem at 0x%x", pa);
        paging_fill_table(page_address(table), pa, lowmem_end);
        table->pt_used = (uint16_t)MIN((lowmem_end - pa) / PAGE_SIZE, (paddr_t)PT_ENTRIES);
        kernel_space.pgdir[pde_index(KERNEL_VBASE + pa)] =
            pte_make(page_to_pfn(table) << PAGE_SHIFT, PTE_PRESENT | PTE_WRITABLE);
        kernel_space.nr_pgtables++;
    }
    for (vaddr_t va = KSTACK_AREA_BASE; va - KSTACK_AREA_BASE < KSTACK_AREA_SIZE; va += PDE_SPAN) {
        struct page *table = pgtable_alloc();
        ASSERT(table != NULL);
        kernel_space.pgdir[pde_index(va)] =
            pte_make(page_to_pfn(table) << PAGE_SHIFT, PTE_PRESENT | PTE_WRITABLE);
        kernel_space.nr_pgtables++;
    }
    __asm__ volatile("mov %%cr4, %%eax; or %0, %%eax; mov %%eax, %%cr4"
                     : : "i"(CR4_PGE) : "eax", "memory");
    switch_address_space(&kernel_space);
    kprintf(KERN_INFO "paging: kernel page tables map %u MiB of lowmem with 4 KiB pages "
            "(%lu tables, %lu KiB)\n", lowmem_end >> 20, kernel_space.nr_pgtables,
            kernel_space.nr_pgtables * 4);
}
