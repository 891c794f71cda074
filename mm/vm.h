/*
 * mm/vm.h - address spaces and their regions (VMAs).
 *
 * An address space is a page directory plus the list of regions that say
 * what each part of the low 3 GiB is *supposed* to hold.  The page tables
 * record what is mapped right now; the regions record what may be mapped.
 * The gap between the two is what makes demand paging work: a region can
 * cover a gigabyte while only the pages touched so far have frames (VIRT
 * versus RES in `top`).  A fault at an address is resolved by finding its
 * region (mm/fault.c):
 *
 *   no region            -> the access is an error (SIGSEGV, SEGV_MAPERR)
 *   region forbids it    -> an error too (SIGSEGV, SEGV_ACCERR)
 *   region allows it     -> allocate a frame, fill it, map it, retry
 *
 * The kernel half (KERNEL_VBASE and up) is the same in every address
 * space: each page directory copies the kernel's PDEs, which are all
 * created at boot and never change, so they can be shared.
 */
#ifndef MM_VM_H
#define MM_VM_H

#include "lib/types.h"
#include "lib/list.h"
#include "mm/pgtable.h"

/* Region permissions (what the program asked for, as PROT_* in mmap). */
#define VM_READ   (1u << 0)
#define VM_WRITE  (1u << 1)
#define VM_EXEC   (1u << 2)

enum vma_kind {
    VMA_ANON,       /* zero-filled on first touch: heap, mmap(MAP_ANONYMOUS) */
    VMA_STACK,      /* zero-filled too; shown separately in pmap */
    VMA_FILE,       /* backed by bytes in memory (a program image module) */
};

struct vma {
    vaddr_t start, end;         /* [start, end), page aligned */
    uint32_t prot;              /* VM_* bits */
    enum vma_kind kind;
    /* VMA_FILE: the page at START shows FILE_DATA + FILE_OFFSET; bytes
     * past FILE_SIZE (from FILE_DATA) read as zero (a segment's .bss). */
    const uint8_t *file_data;
    size_t file_offset, file_size;
    /* VMA_FILE without VM_WRITE: pages come from (and are shared through)
     * this program's page cache instead of private copies. */
    struct program *prog;
    bool shared;                /* MAP_SHARED: fork shares, never copies */
    bool accounted;             /* its size is charged to Committed_AS */
    bool locked;                /* mlock: its pages are never evicted */
    struct list_head link;      /* in addr_space.vmas, sorted by start */
};

struct program;
struct replacer;

struct addr_space {
    pde_t *pgdir;               /* kernel virtual address of the directory */
    struct list_head vmas;      /* sorted, non-overlapping */
    unsigned long nr_pgtables;  /* page-table frames (not the directory) */
    unsigned long rss_pages;    /* user frames mapped right now */
    unsigned long swap_pages;   /* pages swapped out (swap entries in PTEs) */
    /* setrlimit(RLIMIT_RSS): at most RSS_LIMIT of its unlocked pages stay
     * resident, chosen among by its own replacement policy LOCAL (0 and
     * NULL: no limit; its pages compete in the global policy). */
    unsigned long rss_limit;
    struct replacer *local;
    vaddr_t lru_last_va;        /* exact-LRU mode: the one page left visible */
};

/* The kernel's own address space (no regions: kernel faults are bugs) and
 * the one whose directory is in CR3. */
extern struct addr_space kernel_space;
extern struct addr_space *current_space;

/* --- page tables (mm/pgdir.c) ------------------------------------------- */

/* Build the kernel's page tables (direct map of lowmem with 4 KiB pages,
 * global; the kernel-stack area) and switch from the boot directory. */
void paging_init(void);

/* A new address space: empty user half, shared kernel half.  NULL if out
 * of memory. */
struct addr_space *aspace_create(void);
/* Unmap every region (dropping its frames) and free the tables, the
 * directory and AS itself.  AS must not be the current space. */
void aspace_destroy(struct addr_space *as);
/* Load AS's directory into CR3. */
void switch_address_space(struct addr_space *as);

/* The PTE that maps VA in directory PD, or NULL if no page table covers
 * it.  With CREATE, a missing table is allocated (NULL if out of memory).
 * The one page-table walker; every other function goes through it. */
pte_t *pgdir_walk(struct addr_space *as, vaddr_t va, bool create);

/* The walk over a range: the PTE of the first page at or after *VA (and
 * below END) that has a page table, with *VA moved to it; NULL when none is
 * left.  Whole 4 MiB stretches without a table are skipped at once:
 *
 *   for (vaddr_t va = start; (pte = pgdir_walk_next(as, &va, end)); va += PAGE_SIZE)
 */
pte_t *pgdir_walk_next(struct addr_space *as, vaddr_t *va, vaddr_t end);

/* Map the page at VA to the frame at PA with FLAGS (PTE_* bits; PRESENT
 * is added).  Returns 0, -EEXIST if VA is already mapped, -ENOMEM. */
int map_page(struct addr_space *as, vaddr_t va, paddr_t pa, uint32_t flags);
/* Remove VA's mapping, flush it from the TLB, free the page table if it
 * became empty.  Returns the old entry (0 if nothing was mapped); the
 * frame it pointed to is the caller's to release. */
pte_t unmap_page(struct addr_space *as, vaddr_t va);
/* Set VA's page-table entry to PTE (any value: present, a swap entry, or
 * 0), keeping the table's count of used entries and freeing an emptied
 * table; flushes the TLB if a present entry changed.  0 or -ENOMEM (no
 * table could be allocated for a non-zero PTE). */
int set_pte(struct addr_space *as, vaddr_t va, pte_t pte);
/* Point VA's present mapping at the frame PA with FLAGS; flushes. */
void remap_page(struct addr_space *as, vaddr_t va, paddr_t pa, uint32_t flags);
/* Change the flags of VA's present mapping (e.g. to read-only); flushes. */
int protect_page(struct addr_space *as, vaddr_t va, uint32_t flags);
/* The physical address VA maps to, in *PA.  Returns 0 or -EFAULT. */
int translate(struct addr_space *as, vaddr_t va, paddr_t *pa);

/* --- regions (mm/vma.c) -------------------------------------------------- */

/* The region containing ADDR, or NULL. */
struct vma *vma_find(struct addr_space *as, vaddr_t addr);
/* As vma_find, but an address just below a stack region (within the
 * stack size limit) grows the stack down to it, as Linux's stacks grow. */
struct vma *vma_find_or_grow_stack(struct addr_space *as, vaddr_t addr);
/* A copy of SRC's regions and mappings for a forked child: private
 * writable pages become read-only in both, to be copied on write.
 * NULL if out of memory. */
struct addr_space *aspace_fork(struct addr_space *src);
/* Split regions so that START and END are region boundaries. */
int vma_split_at(struct addr_space *as, vaddr_t addr);
/* Add a region [START, END) (page aligned, below KERNEL_VBASE, not
 * overlapping another).  Returns it, or NULL with *ERR = -EINVAL/-EEXIST/
 * -ENOMEM. */
struct vma *vma_add(struct addr_space *as, vaddr_t start, vaddr_t end,
                    uint32_t prot, enum vma_kind kind, int *err);
/* Unmap the pages of [START, END) inside region VMA, releasing frames. */
void vma_unmap_range(struct addr_space *as, struct vma *vma, vaddr_t start, vaddr_t end);
/* Remove a whole region and everything mapped in it (and its commit
 * charge, mm/overcommit.c). */
void vma_remove(struct addr_space *as, struct vma *vma);
/* Charge a writable region's size to Committed_AS, once.  0, or -ENOMEM
 * when the overcommit policy refuses (the region is left uncharged). */
int vma_charge(struct vma *vma);
/* Grow or shrink the end of region VMA to END, keeping its charge right;
 * unmaps what a shrink drops.  0 or -ENOMEM. */
int vma_resize_end(struct addr_space *as, struct vma *vma, vaddr_t end);
const char *vma_kind_name(enum vma_kind kind);

/* What an address space uses, in pages: VIRT is the size of its regions,
 * RES the frames mapped now, SHR those of them shared with another
 * process or the page cache. */
struct mem_usage {
    unsigned long virt_pages, res_pages, shr_pages, dirty_pages, swap_pages;
    unsigned long file_pages;       /* of RES: page-cache frames (program text) */
};
/* Add region V's usage to *U. */
void vma_usage(struct addr_space *as, const struct vma *v, struct mem_usage *u);
/* The usage of the whole address space (zeroes *U first). */
void aspace_usage(struct addr_space *as, struct mem_usage *u);

/* --- faults (mm/fault.c) ------------------------------------------------- */

/* Resolve a fault at ADDR with page-fault error code ERR in AS.  Returns 0
 * when the page is now mapped (FAULT_MAJOR if it came back from swap), or
 * -EFAULT (no region: SEGV_MAPERR) / -EACCES (not allowed: SEGV_ACCERR) /
 * -ENOMEM / -EIO (swap read failed), with *WHY explaining. */
#define FAULT_MAJOR 1
#define FAULT_SOFT  2               /* exact-LRU mode: the page was there */

/* Exact-LRU teaching mode (mm/lru_soft.c), for processes whose own policy
 * is LRU: VA is now the page in use; hide the one used before it. */
void lru_soft_switch(struct addr_space *as, vaddr_t va);
/* A fault on a hidden page (ENTRY has PTE_SOFT): show it, tell the policy. */
int lru_soft_fault(struct addr_space *as, vaddr_t va, pte_t entry);
int handle_mm_fault(struct addr_space *as, vaddr_t addr, uint32_t err, const char **why);

/* The last fault the handler could not resolve, for tests and messages. */
struct fault_report {
    vaddr_t addr;
    uint32_t err;
    int result;
    const char *why;
};
extern struct fault_report last_bad_fault;

void fault_init(void);

#endif
