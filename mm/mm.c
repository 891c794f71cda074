/*
 * mm/mm.c - the order in which memory management comes up.
 *
 *   1. memmap_init: the firmware's map -> reserved ranges -> buddy allocator
 *   2. paging_init: the kernel's own 4 KiB page tables replace the boot
 *      page directory (4 MiB pages); fault_init: demand paging
 *   3. kmalloc_init: the kernel heap, on frames from the buddy allocator
 *
 * Options: debug_pagealloc=1 poisons freed frames and checks the poison
 * when they are handed out again (as Linux's debug_pagealloc does, roughly);
 * heap=first|next|best|worst picks the kernel heap's placement policy.
 */
#include "mm/mm.h"
#include "mm/memmap.h"
#include "mm/page.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "mm/reclaim.h"
#include "kernel/cmdline.h"
#include "kernel/sysctl.h"
#include "lib/kprintf.h"
#include "lib/string.h"

void mm_init(void)
{
    const char *v;

    sysctl_apply_cmdline();
    memmap_init();
    paging_init();
    fault_init();
    if ((v = kernel_param("debug_pagealloc")) && strcmp(v, "0") != 0) {
        lowmem_zone.poison = true;
        kprintf(KERN_INFO "debug_pagealloc: freed frames are poisoned (0x%02x) and checked\n",
                PAGE_POISON);
    }
    kmalloc_init();
    reclaim_init(memmap.reclaim_work, memmap.max_pfn);
    if ((v = kernel_param("heap")) && kmalloc_set_policy_name(v) < 0)
        kprintf(KERN_ERR "heap=%s: unknown policy (first, next, best, worst); "
                "keeping the default\n", v);
}
