/*
 * kernel/layout.h - where everything lives: the one source of truth for
 * the kernel's address-space layout.
 *
 * The build turns the #defines below into build/layout.inc for NASM and
 * feeds this file through the C preprocessor for linker.ld, so nothing here
 * is ever typed twice.  Keep this file to plain #defines of numbers plus the
 * C-only helpers guarded at the bottom.
 *
 *   virtual                                   physical
 *   0xFFFFFFFF +------------------------+
 *              | kernel stacks, 4 MiB    |    frames from the buddy allocator,
 *   0xFF000000 +------------------------+    each stack with a guard page
 *              | (unused)                |
 *   0xF8000000 +------------------------+
 *              | direct map of lowmem    |    0x00000000 .. LOWMEM_LIMIT
 *              |   kernel image at       |
 *   0xC0100000 |   KERNEL_VBASE+1 MiB    | <- 0x00100000 (loaded here by GRUB)
 *   0xC0000000 +------------------------+ KERNEL_VBASE
 *              | user space: 3 GiB       |
 *   0x00000000 +------------------------+
 *
 * As in Linux's 32-bit layout, the kernel maps physical memory 1:1 at
 * KERNEL_VBASE, but only up to LOWMEM_LIMIT (896 MiB) so that some kernel
 * virtual space stays free; RAM above it is reported and ignored.
 */
#ifndef KERNEL_LAYOUT_H
#define KERNEL_LAYOUT_H

#define KERNEL_VBASE      0xC0000000  /* start of the kernel's higher half */
#define KERNEL_LOAD_PADDR 0x00100000  /* where the image is loaded: 1 MiB */
#define LOWMEM_LIMIT      0x38000000  /* 896 MiB: end of the direct map */

#define PAGE_SHIFT        12
#define PAGE_SIZE         4096

#define BOOT_STACK_SIZE   16384       /* the boot CPU's first kernel stack */

/* Kernel stacks live apart from the direct map so that the page below each
 * one can stay unmapped: a guard that turns an overflow into a fault. */
#define KSTACK_AREA_BASE  0xFF000000
#define KSTACK_AREA_SIZE  0x00400000  /* one page table's worth: 4 MiB */
#define KSTACK_PAGES      2           /* 8 KiB of stack, as Linux on i386 */
#define KSTACK_SLOT_PAGES 4           /* guard + stack + one spare unmapped page */

/* The boot page directory maps the direct map with 4 MiB pages (PSE); this
 * is how many page-directory entries that takes. */
#define BOOT_PDE_COUNT    (LOWMEM_LIMIT >> 22)

#ifndef __ASSEMBLER__
#include "lib/types.h"

_Static_assert(KERNEL_VBASE + LOWMEM_LIMIT <= KSTACK_AREA_BASE,
               "the direct map must end below the kernel-stack area");
_Static_assert(KSTACK_SLOT_PAGES > KSTACK_PAGES, "each stack slot needs a guard page");

/* The only sanctioned conversions between physical and kernel-virtual
 * addresses: valid for lowmem only. */
static inline void *phys_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)(pa + KERNEL_VBASE);
}

static inline paddr_t virt_to_phys(const void *va)
{
    return (paddr_t)((uintptr_t)va - KERNEL_VBASE);
}
#endif

#endif
