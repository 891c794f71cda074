/*
 * mm/swap.h - swap: pages written to a disk and read back on demand.
 */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include "lib/types.h"
#include "mm/pgtable.h"

struct page;
struct addr_space;

/* A swapped-out page's PTE: PRESENT clear (the CPU ignores the rest),
 * PTE_SWAP set, the slot number where the frame address would be:
 *
 *   31                              12 11        2  1  0
 *   +---------------------------------+-----------+--+--+
 *   |          swap slot              |    0      | 1| 0|
 *   +---------------------------------+-----------+--+--+
 */
#define PTE_SWAP (1u << 1)

/* The exact-LRU teaching mode (mm/lru_soft.c) hides resident pages from
 * the MMU to see every switch between them: PRESENT clear, PTE_SOFT set,
 * every other bit (frame, writable, accessed, dirty) as it was. */
#define PTE_SOFT (1u << 9)          /* an "available" bit (SDM Table 4-6) */

static inline bool pte_is_swap(pte_t e)
{
    return !(e & PTE_PRESENT) && (e & PTE_SWAP) && !(e & PTE_SOFT);
}

/* A frame is behind this entry: present, or only hidden by PTE_SOFT. */
static inline bool pte_resident(pte_t e)
{
    return (e & PTE_PRESENT) || (e & PTE_SOFT);
}

static inline pte_t swp_entry(uint32_t slot)
{
    return (slot << PAGE_SHIFT) | PTE_SWAP;
}

static inline uint32_t swp_slot(pte_t e)
{
    return e >> PAGE_SHIFT;
}

/* Find the swap disk at boot (hdb by default, `swap=hdX` or `swap=none`)
 * and swapon it if it carries a valid header; otherwise say why and run on
 * without swap. */
void swap_init(void);
bool swap_active(void);
/* With swap active, start kswapd (and the disk driver's thread): called
 * by process 1 once the scheduler runs. */
void swap_start_threads(void);

/* Write PAGE (unmapped by the caller, or about to be) to swap; returns its
 * slot (>0), or -ENOSPC / -EIO.  Reuses the page's own slot when the copy
 * there is still its own and current (CLEAN): no write at all. */
long swap_write_page(struct page *page, bool clean);
/* Read SLOT into PAGE.  0 or -EIO. */
int swap_read_page(uint32_t slot, struct page *page);
/* Another PTE refers to SLOT (fork) / one reference to SLOT is gone. */
void swap_slot_share(uint32_t slot);
void swap_slot_release(uint32_t slot);
/* Users of SLOT right now (PTEs and swap-cached pages). */
unsigned swap_slot_users(uint32_t slot);

/* Fault on a swap entry: bring the page at VA back.  0, -ENOMEM (caller
 * reclaims or calls the OOM killer), -EIO (the data is lost: the process
 * must die). */
int swap_in(struct addr_space *as, vaddr_t va, pte_t entry, uint32_t vm_prot);

#endif
