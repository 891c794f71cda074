/*
 * mm/meminfo.c - what memory is doing, in the formats Linux users know.
 *
 *   meminfo   the /proc/meminfo layout: a 16-column label, the value in kB
 *             right-aligned in 8 columns ("MemTotal:         126528 kB")
 *   memmap    a picture of physical memory, one character per block of
 *             frames, so fragmentation is something you can see
 *   e820      the firmware's map again, with the ranges the kernel kept
 *
 * MemTotal is the frames the buddy allocator manages (as in Linux: RAM
 * minus what was reserved at boot, like the kernel image); MemFree is the
 * frames on its free lists, so MemFree = sum over orders of
 * buddyinfo[order] * 2^order * 4 kB, exactly.
 */
#include "mm/memmap.h"
#include "mm/page.h"
#include "mm/overcommit.h"
#include "mm/reclaim.h"
#include "kernel/monitor.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define PAGES_TO_KB(n) ((unsigned long)(n) << (PAGE_SHIFT - 10))
#define MEMMAP_COLUMNS 64
#define MEMMAP_MAX_CELLS 1024

static void meminfo_line(const char *label, unsigned long kb)
{
    char padded[32];

    ksnprintf(padded, sizeof(padded), "%s:", label);
    cprintf("%-16s%8lu kB\n", padded, kb);
}

/* Allocated frames per owner: one pass over the frame array. */
/* Allocated frames per owner, and user pages that also have a copy in
 * swap (SwapCached): one pass over the frame array. */
static unsigned long meminfo_count_owners(unsigned long *by_owner)
{
    unsigned long swap_cached = 0;

    for (unsigned i = 0; i < NR_PAGE_OWNERS; i++)
        by_owner[i] = 0;
    for (pfn_t pfn = 0; pfn < lowmem_zone.nr_frames; pfn++) {
        const struct page *p = zone_pfn_to_page(&lowmem_zone, lowmem_zone.base_pfn + pfn);
        if (p->state != PAGE_ALLOCATED || p->owner >= NR_PAGE_OWNERS)
            continue;
        by_owner[p->owner] += 1ul << p->order;
        if (p->owner == OWNER_USER && p->index)
            swap_cached++;
    }
    return swap_cached;
}

static int cmd_meminfo(int argc, char **argv)
{
    unsigned long by_owner[NR_PAGE_OWNERS];

    unsigned long active, inactive;

    (void)argc;
    (void)argv;
    unsigned long swap_cached = meminfo_count_owners(by_owner);
    reclaim_lists(&active, &inactive);
    meminfo_line("MemTotal", PAGES_TO_KB(lowmem_zone.managed_pages));
    meminfo_line("MemFree", PAGES_TO_KB(lowmem_zone.free_pages));
    /* The page cache cannot be dropped yet, so only free memory counts. */
    meminfo_line("MemAvailable", PAGES_TO_KB(lowmem_zone.free_pages));
    meminfo_line("Cached", PAGES_TO_KB(by_owner[OWNER_PAGECACHE]));
    meminfo_line("SwapCached", PAGES_TO_KB(swap_cached));
    meminfo_line("Active", PAGES_TO_KB(active));
    meminfo_line("Inactive", PAGES_TO_KB(inactive));
    meminfo_line("AnonPages", PAGES_TO_KB(by_owner[OWNER_USER]));
    meminfo_line("KernelStack", PAGES_TO_KB(by_owner[OWNER_KERNEL]));
    meminfo_line("PageTables", PAGES_TO_KB(by_owner[OWNER_PGTABLE]));
    meminfo_line("SwapTotal", PAGES_TO_KB(swap_total_pages()));
    meminfo_line("SwapFree", PAGES_TO_KB(swap_free_pages()));
    meminfo_line("Slab", PAGES_TO_KB(by_owner[OWNER_HEAP]));
    meminfo_line("CommitLimit", PAGES_TO_KB(vm_commit_limit()));
    meminfo_line("Committed_AS", PAGES_TO_KB(vm_committed_pages));
    return 0;
}
MONITOR_CMD(meminfo, "meminfo", "memory counters in /proc/meminfo format", cmd_meminfo);

/* procps `free`: used = total - free - buff/cache, in KiB. */
static int cmd_free(int argc, char **argv)
{
    unsigned long by_owner[NR_PAGE_OWNERS];

    (void)argc;
    (void)argv;
    meminfo_count_owners(by_owner);
    unsigned long total = PAGES_TO_KB(lowmem_zone.managed_pages);
    unsigned long free = PAGES_TO_KB(lowmem_zone.free_pages);
    unsigned long cache = PAGES_TO_KB(by_owner[OWNER_PAGECACHE]);
    unsigned long swap = PAGES_TO_KB(swap_total_pages());
    unsigned long swap_free = PAGES_TO_KB(swap_free_pages());
    cprintf("               total        used        free      shared  buff/cache   available\n");
    cprintf("%-7s %11lu %11lu %11lu %11lu %11lu %11lu\n", "Mem:", total, total - free - cache,
            free, 0ul, cache, free);
    cprintf("%-7s %11lu %11lu %11lu\n", "Swap:", swap, swap - swap_free, swap_free);
    return 0;
}
MONITOR_CMD(free, "free", "memory and swap in use, as procps free prints it", cmd_free);

/* The character for one frame. */
static int memmap_class(const struct page *head)
{
    static const char owner_char[NR_PAGE_OWNERS] = {
        [OWNER_NONE] = 'A', [OWNER_KERNEL] = 'K', [OWNER_PGTABLE] = 'P',
        [OWNER_HEAP] = 'H', [OWNER_USER] = 'U', [OWNER_PAGECACHE] = 'C',
        [OWNER_TEST] = 'T',
    };

    if (!head)
        return 'R';
    if (head->state == PAGE_FREE)
        return '.';
    if (head->state == PAGE_RESERVED)
        return head->owner == OWNER_NONE ? 'R' : owner_char[head->owner];
    return head->owner < NR_PAGE_OWNERS ? owner_char[head->owner] : '?';
}

/* Most common class among the frames [START, START + N). */
static char memmap_cell(pfn_t start, unsigned long n)
{
    static const char classes[] = ".RKPHUCTA?";
    unsigned count[sizeof(classes)] = { 0 };
    unsigned best = 0;

    for (unsigned long i = 0; i < n && start + i < lowmem_zone.nr_frames; i++) {
        struct page *p = zone_pfn_to_page(&lowmem_zone, start + (pfn_t)i);
        struct page *head = p->state == PAGE_RESERVED ? p : zone_block_head(&lowmem_zone, start + (pfn_t)i);
        const char *c = strchr(classes, memmap_class(head));
        count[c ? (unsigned)(c - classes) : sizeof(classes) - 2]++;
    }
    for (unsigned i = 1; i < sizeof(classes) - 1; i++)
        if (count[i] > count[best])
            best = i;
    return classes[best];
}

static int cmd_memmap(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    unsigned long frames = lowmem_zone.nr_frames, per_cell = 1;

    while (frames / per_cell > MEMMAP_MAX_CELLS)
        per_cell *= 2;
    cprintf("Physical memory, %lu frames of 4 KiB; one character = %lu frame%s (%lu KiB)\n",
            frames, per_cell, per_cell > 1 ? "s" : "", per_cell * 4);
    cprintf("  . free   K kernel   P page tables   H kernel heap   U user   C cache/modules\n"
            "  T test   A allocated (no owner)   R reserved (firmware, holes)\n");
    for (unsigned long row = 0; row * per_cell * MEMMAP_COLUMNS < frames; row++) {
        pfn_t base = (pfn_t)(row * per_cell * MEMMAP_COLUMNS);
        cprintf("%08llx ", (unsigned long long)base << PAGE_SHIFT);
        for (unsigned col = 0; col < MEMMAP_COLUMNS && base + col * per_cell < frames; col++)
            cprintf("%c", memmap_cell(base + (pfn_t)(col * per_cell), per_cell));
        cprintf("\n");
    }
    return 0;
}
MONITOR_CMD(memmap, "memmap", "picture of physical memory: free, kernel, user...", cmd_memmap);

static int cmd_e820(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cprintf("Usable RAM %llu KiB, lowmem frames %u, ignored above lowmem %llu KiB\n",
            memmap.ram_bytes >> 10, memmap.max_pfn, memmap.ignored_bytes >> 10);
    cprintf("Kept before the allocator started:\n");
    for (int i = 0; i < memmap.nr_reserved; i++) {
        const struct reserved_range *r = &memmap.reserved[i];
        cprintf("  [mem 0x%08llx-0x%08llx] %7llu KiB  %s\n", r->start, r->end - 1,
                (r->end - r->start) >> 10, r->what);
    }
    return 0;
}
MONITOR_CMD(e820, "e820", "the firmware memory map and the kernel's reservations", cmd_e820);
