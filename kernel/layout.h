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
 *              | (unused, 128 MiB)       |
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

/* The boot page directory maps the direct map with 4 MiB pages (PSE); this
 * is how many page-directory entries that takes. */
#define BOOT_PDE_COUNT    (LOWMEM_LIMIT >> 22)

#ifndef __ASSEMBLER__
#include "lib/types.h"

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
