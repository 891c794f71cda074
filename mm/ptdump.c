/*
 * mm/ptdump.c - `pt ADDR`: the address translation, step by step, on the
 * real page tables of the current address space.
 *
 * The seed's phone-book lookup made literal: the directory index picks a
 * page of the phone book (a page table), the table index picks the line,
 * and the line holds the frame; the offset is carried over unchanged.
 *
 *   mm> pt 0xC0100000
 *   virtual 0xc0100000 = PDE index 768 | PTE index 256 | offset 0x000
 *   CR3 0x0050f000: page directory at physical 0x0050f000
 *   PDE[768] = 0x00510003  present writable kernel  -> page table at 0x00510000
 *   PTE[256] = 0x00100103  present writable kernel global  -> frame 0x00100000
 *   physical 0x00100000 = frame 0x00100000 + offset 0x000
 */
#include "mm/vm.h"
#include "kernel/monitor.h"
#include "kernel/x86.h"
#include "lib/kprintf.h"
#include "lib/string.h"

void pte_flags_str(uint32_t flags, char *buf)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        { PTE_PRESENT, "present" }, { PTE_WRITABLE, "writable" },
        { PTE_USER, "user" }, { PTE_ACCESSED, "accessed" },
        { PTE_DIRTY, "dirty" }, { PDE_LARGE, "4MiB" }, { PTE_GLOBAL, "global" },
    };
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (flags & names[i].bit)
            len += (size_t)ksnprintf(buf + len, 80 - len, "%s%s", len ? " " : "", names[i].name);
    }
    if (!(flags & PTE_PRESENT))
        ksnprintf(buf, 80, "not present");
    else if (!(flags & PTE_USER))
        ksnprintf(buf + len, 80 - len, " kernel-only");
}

/* Walk VA in AS, printing each step; returns 0 if VA maps to a frame. */
static int pt_explain(struct addr_space *as, vaddr_t va)
{
    char flags[80];
    pde_t pde = as->pgdir[pde_index(va)];

    cprintf("virtual 0x%08x = PDE index %u | PTE index %u | offset 0x%03x\n",
            va, pde_index(va), pte_index(va), va & (PAGE_SIZE - 1));
    cprintf("CR3 0x%08x: page directory at physical 0x%08x\n", read_cr3(),
            virt_to_phys(as->pgdir));
    pte_flags_str(pde, flags);
    cprintf("PDE[%u] = 0x%08x  %s", pde_index(va), pde, flags);
    if (!pte_present(pde)) {
        cprintf("\n  -> no page table covers 0x%08x-0x%08x: the walk stops here\n",
                va & ~(PDE_SPAN - 1), (va & ~(PDE_SPAN - 1)) + PDE_SPAN - 1);
        return 1;
    }
    cprintf("  -> page table at 0x%08x\n", pte_paddr(pde));
    pte_t pte = *pgdir_walk(as, va, false);
    pte_flags_str(pte, flags);
    cprintf("PTE[%u] = 0x%08x  %s", pte_index(va), pte, flags);
    if (!pte_present(pte)) {
        cprintf("\n  -> no frame: an access faults (demand paging decides what happens)\n");
        return 1;
    }
    cprintf("  -> frame 0x%08x\n", pte_paddr(pte));
    cprintf("physical 0x%08x = frame 0x%08x + offset 0x%03x\n",
            pte_paddr(pte) | (va & (PAGE_SIZE - 1)), pte_paddr(pte), va & (PAGE_SIZE - 1));
    return 0;
}

static int cmd_pt(int argc, char **argv)
{
    unsigned long long va;

    if (argc != 2 || !parse_uint(argv[1], &va, false) || va > 0xFFFFFFFFull) {
        cprintf("usage: pt ADDR   (a virtual address, e.g. 0xC0100000)\n");
        return 1;
    }
    pt_explain(current_space, (vaddr_t)va);
    return 0;
}
MONITOR_CMD(pt, "pt ADDR", "walk the page tables for a virtual address", cmd_pt);
