/*
 * mm/pgtable.h - the x86 two-level page table, bit by bit.
 *
 * 32-bit paging without PAE (Intel SDM Vol. 3A, 4.3 "32-Bit Paging",
 * Figure 4-2 and Tables 4-5/4-6) splits a linear address in three:
 *
 *    31            22 21            12 11                0
 *   +----------------+----------------+-------------------+
 *   |  PDE index     |  PTE index     |  offset in page   |
 *   |  (10 bits)     |  (10 bits)     |  (12 bits)        |
 *   +----------------+----------------+-------------------+
 *         |                 |                  |
 *         v                 v                  |
 *   CR3 -> page directory -> page table -> frame + offset = physical
 *          1024 PDEs        1024 PTEs
 *
 * Worked example: 0xC0100000 = 1100000000 0100000000 000000000000
 *   PDE index 0x300 (768), PTE index 0x100 (256), offset 0.
 *
 * A PDE and a PTE are both 32-bit: the physical address of the next level
 * (or of the frame) in bits 31..12, flags in bits 11..0.  When PRESENT is
 * clear the CPU ignores the other 31 bits: later the kernel keeps a swap
 * entry there.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include "lib/types.h"
#include "kernel/layout.h"

typedef uint32_t pde_t;
typedef uint32_t pte_t;

#define PT_ENTRIES       1024
#define PDE_SHIFT        22                 /* bits 31..22 index the directory */
#define PTE_SHIFT        PAGE_SHIFT         /* bits 21..12 index the table */
#define PT_INDEX_MASK    (PT_ENTRIES - 1)
#define PDE_SPAN         (1u << PDE_SHIFT)  /* 4 MiB mapped by one PDE */

/* Flags common to PDEs and PTEs (SDM Vol. 3A, Tables 4-5 and 4-6). */
#define PTE_PRESENT      (1u << 0)   /* P: the entry maps something */
#define PTE_WRITABLE     (1u << 1)   /* R/W: writes allowed */
#define PTE_USER         (1u << 2)   /* U/S: ring 3 may access */
#define PTE_PWT          (1u << 3)   /* write-through */
#define PTE_PCD          (1u << 4)   /* cache disabled */
#define PTE_ACCESSED     (1u << 5)   /* A: set by the CPU on any access */
#define PTE_DIRTY        (1u << 6)   /* D: set by the CPU on a write (PTE only) */
#define PDE_LARGE        (1u << 7)   /* PS: a 4 MiB page (PDE only, CR4.PSE) */
#define PTE_GLOBAL       (1u << 8)   /* G: survives CR3 reloads (CR4.PGE) */
#define PTE_FLAGS_MASK   0xFFFu
#define PTE_ADDR_MASK    0xFFFFF000u

/* The page-fault error code (SDM Vol. 3A, 4.7, Figure 4-12). */
#define PF_PRESENT       (1u << 0)   /* 0: not present; 1: protection violation */
#define PF_WRITE         (1u << 1)   /* the access was a write */
#define PF_USER          (1u << 2)   /* the access came from ring 3 */
#define PF_RESERVED      (1u << 3)   /* a reserved bit was set in an entry */
#define PF_INSTR         (1u << 4)   /* instruction fetch (with NX only) */

#define CR4_PSE          (1u << 4)
#define CR4_PGE          (1u << 7)

static inline unsigned pde_index(vaddr_t va)
{
    return va >> PDE_SHIFT;
}

static inline unsigned pte_index(vaddr_t va)
{
    return (va >> PTE_SHIFT) & PT_INDEX_MASK;
}

static inline paddr_t pte_paddr(pte_t e)
{
    return e & PTE_ADDR_MASK;
}

static inline bool pte_present(pte_t e)
{
    return e & PTE_PRESENT;
}

/* An entry pointing at page-aligned PADDR with FLAGS (low 12 bits only). */
static inline pte_t pte_make(paddr_t paddr, uint32_t flags)
{
    return (paddr & PTE_ADDR_MASK) | (flags & PTE_FLAGS_MASK);
}

/* Render FLAGS as "P W U A D G" style letters into BUF (>= 16 bytes). */
void pte_flags_str(uint32_t flags, char *buf);

#endif
