/*
 * mm/memmap.c - from the boot loader's memory map to a working frame
 * allocator.
 *
 * The firmware (BIOS e820, relayed by the Multiboot loader) lists physical
 * address ranges and what they are: usable RAM, reserved, ACPI tables...
 * Usable does not mean free: the kernel image was loaded into it, and the
 * loader put its own information and the modules (the user programs) there
 * too.  So, in order:
 *
 *   1. print the map the way Linux does ("BIOS-e820: [mem ...] usable");
 *   2. collect the ranges that must be kept: the first MiB (BIOS data, VGA
 *      memory, option ROMs), the kernel image, the multiboot structures,
 *      every module and its command line;
 *   3. find room for the frame array (one struct page per frame of lowmem)
 *      in usable memory outside all of those, and keep it as well;
 *   4. give each usable lowmem range, minus the kept ones, to the buddy
 *      allocator -- which records them without touching the frames.
 *
 * Like Linux on 32-bit x86 without HIGHMEM, only the first LOWMEM_LIMIT
 * (896 MiB) of physical memory is mapped and used; RAM above it is
 * reported as ignored.
 */
#include "mm/memmap.h"
#include "mm/page.h"
#include "mm/replace.h"
#include "kernel/layout.h"
#include "kernel/multiboot.h"
#include "kernel/panic.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define FIRST_MIB 0x100000ULL

struct memmap_info memmap;

extern const char kernel_end[];

/* Walk the multiboot map; each entry's SIZE field counts the bytes after
 * itself (Multiboot spec 3.3), so entries may be longer than our struct. */
#define for_each_mmap_entry(e) \
    for (const struct multiboot_mmap_entry *e = phys_to_virt(boot_info->mmap_addr); \
         (uintptr_t)e < (uintptr_t)phys_to_virt(boot_info->mmap_addr) + boot_info->mmap_length; \
         e = (const void *)((const char *)e + e->size + sizeof(e->size)))

static const char *e820_type_name(uint32_t type)
{
    switch (type) {
    case MB_MEMORY_AVAILABLE: return "usable";
    case MB_MEMORY_RESERVED: return "reserved";
    case MB_MEMORY_ACPI: return "ACPI data";
    case MB_MEMORY_NVS: return "ACPI NVS";
    case MB_MEMORY_BADRAM: return "unusable";
    default: return "type unknown";
    }
}

static void memmap_print(void)
{
    kprintf(KERN_INFO "BIOS-provided physical RAM map:\n");
    for_each_mmap_entry(e) {
        if (e->len == 0)
            continue;
        kprintf(KERN_INFO "BIOS-e820: [mem 0x%016llx-0x%016llx] %s (%llu KiB)\n",
                e->addr, e->addr + e->len - 1, e820_type_name(e->type), e->len >> 10);
        if (e->type == MB_MEMORY_AVAILABLE)
            memmap.ram_bytes += e->len;
    }
}

static void memmap_reserve(uint64_t start, uint64_t end, const char *what, uint8_t owner)
{
    if (end <= start)
        return;
    if (memmap.nr_reserved == MAX_RESERVED_RANGES)
        PANIC("memmap: more than %d reserved ranges (adding %s)", MAX_RESERVED_RANGES, what);
    memmap.reserved[memmap.nr_reserved++] = (struct reserved_range){
        ALIGN_DOWN(start, PAGE_SIZE), ALIGN_UP(end, PAGE_SIZE), what, owner };
}

static void memmap_reserve_string(uint32_t paddr, const char *what)
{
    if (paddr)
        memmap_reserve(paddr, paddr + strlen(phys_to_virt(paddr)) + 1, what, OWNER_KERNEL);
}

/* Step 2: everything that is in use before the allocator exists. */
static void memmap_collect_reserved(void)
{
    paddr_t info = virt_to_phys(boot_info);

    memmap_reserve(0, FIRST_MIB, "BIOS, VGA and ROMs (first MiB)", OWNER_NONE);
    memmap_reserve(KERNEL_LOAD_PADDR, virt_to_phys(kernel_end), "kernel image", OWNER_KERNEL);
    memmap_reserve(info, info + sizeof(*boot_info), "multiboot info", OWNER_KERNEL);
    memmap_reserve(boot_info->mmap_addr, boot_info->mmap_addr + boot_info->mmap_length,
                   "multiboot memory map", OWNER_KERNEL);
    if (boot_info->flags & MB_INFO_CMDLINE)
        memmap_reserve_string(boot_info->cmdline, "kernel command line");
    if (boot_info->flags & MB_INFO_LOADER)
        memmap_reserve_string(boot_info->boot_loader_name, "boot loader name");
    if (!(boot_info->flags & MB_INFO_MODS))
        return;
    const struct multiboot_module *mods = phys_to_virt(boot_info->mods_addr);
    memmap_reserve(boot_info->mods_addr,
                   boot_info->mods_addr + boot_info->mods_count * sizeof(*mods),
                   "module list", OWNER_KERNEL);
    for (uint32_t i = 0; i < boot_info->mods_count; i++) {
        memmap_reserve(mods[i].mod_start, mods[i].mod_end, "module", OWNER_PAGECACHE);
        memmap_reserve_string(mods[i].cmdline, "module command line");
    }
}

/* The first reserved range overlapping [START, END), or NULL. */
static const struct reserved_range *memmap_overlap(uint64_t start, uint64_t end)
{
    for (int i = 0; i < memmap.nr_reserved; i++) {
        const struct reserved_range *r = &memmap.reserved[i];
        if (r->start < end && start < r->end)
            return r;
    }
    return NULL;
}

/* Lowmem end: one past the highest usable frame below LOWMEM_LIMIT. */
static void memmap_find_lowmem_end(void)
{
    for_each_mmap_entry(e) {
        if (e->type != MB_MEMORY_AVAILABLE || e->len == 0)
            continue;
        uint64_t end = e->addr + e->len;
        if (end > LOWMEM_LIMIT)
            memmap.ignored_bytes += end - MAX(e->addr, (uint64_t)LOWMEM_LIMIT);
        end = MIN(end, (uint64_t)LOWMEM_LIMIT);
        if (end > e->addr && (end >> PAGE_SHIFT) > memmap.max_pfn)
            memmap.max_pfn = (pfn_t)(end >> PAGE_SHIFT);
    }
    if (memmap.ignored_bytes)
        kprintf(KERN_WARNING "%lluMB HIGHMEM ignored: this kernel maps only the first "
                "%uMB (LOWMEM_LIMIT, no HIGHMEM support)\n",
                memmap.ignored_bytes >> 20, LOWMEM_LIMIT >> 20);
    kprintf(KERN_INFO "%uMB LOWMEM available.\n", memmap.max_pfn >> (20 - PAGE_SHIFT));
}

/* Step 3: the first usable, unreserved, page-aligned lowmem spot of BYTES. */
static paddr_t memmap_place(uint64_t bytes)
{
    for_each_mmap_entry(e) {
        if (e->type != MB_MEMORY_AVAILABLE)
            continue;
        uint64_t start = ALIGN_UP(MAX(e->addr, FIRST_MIB), PAGE_SIZE);
        uint64_t end = MIN(e->addr + e->len, (uint64_t)LOWMEM_LIMIT);
        const struct reserved_range *r;
        while (start + bytes <= end) {
            r = memmap_overlap(start, start + bytes);
            if (!r)
                return (paddr_t)start;
            start = r->end;         /* skip past the obstacle, try again */
        }
    }
    PANIC("memmap: no room for the frame array (%llu bytes)", bytes);
}

/* Step 4: give [START, END) minus every reserved range to the zone.
 * Split around the first overlapping reservation and recurse on both
 * sides; each level removes one reservation, so the depth is bounded. */
static void memmap_release(uint64_t start, uint64_t end)
{
    if (start >= end)
        return;
    const struct reserved_range *r = memmap_overlap(start, end);
    if (!r) {
        zone_release_range(&lowmem_zone, (pfn_t)(start >> PAGE_SHIFT),
                           (pfn_t)(end >> PAGE_SHIFT));
        return;
    }
    memmap_release(start, r->start);
    memmap_release(r->end, end);
}

/* Mark who holds each reserved frame, for the memmap picture. */
static void memmap_label_reserved(void)
{
    for (int i = 0; i < memmap.nr_reserved; i++) {
        const struct reserved_range *r = &memmap.reserved[i];
        for (uint64_t a = r->start; a < r->end && (a >> PAGE_SHIFT) < memmap.max_pfn; a += PAGE_SIZE) {
            struct page *p = zone_pfn_to_page(&lowmem_zone, (pfn_t)(a >> PAGE_SHIFT));
            if (p->state == PAGE_RESERVED && r->owner > p->owner)
                p->owner = r->owner;
        }
    }
}

void memmap_init(void)
{
    memmap_print();
    memmap_collect_reserved();
    memmap_find_lowmem_end();
    if (memmap.max_pfn == 0)
        PANIC("memmap: the memory map lists no usable RAM below %u MiB", LOWMEM_LIMIT >> 20);

    uint64_t array_bytes = (uint64_t)memmap.max_pfn * sizeof(struct page);
    paddr_t array = memmap_place(array_bytes);
    memmap_reserve(array, array + array_bytes, "frame descriptors (struct page)", OWNER_KERNEL);
    /* The page-replacement policy's memory of pages, one entry per frame. */
    uint64_t work_bytes = replace_work_bytes(memmap.max_pfn);
    paddr_t work = memmap_place(work_bytes);
    memmap_reserve(work, work + work_bytes, "page-replacement state", OWNER_KERNEL);
    memmap.reclaim_work = phys_to_virt(work);
    memset(phys_to_virt(array), 0, array_bytes);    /* all PAGE_RESERVED */
    zone_init(&lowmem_zone, phys_to_virt(array), 0, memmap.max_pfn);
    lowmem_zone.name = "Normal";

    uint64_t lowmem_end = (uint64_t)memmap.max_pfn << PAGE_SHIFT;
    for_each_mmap_entry(e)
        if (e->type == MB_MEMORY_AVAILABLE)
            memmap_release(ALIGN_UP(e->addr, PAGE_SIZE),
                           ALIGN_DOWN(MIN(e->addr + e->len, lowmem_end), PAGE_SIZE));
    memmap_label_reserved();
    for (int i = 0; i < memmap.nr_reserved; i++)
        kprintf(KERN_DEBUG "reserve [mem 0x%08llx-0x%08llx] %s\n", memmap.reserved[i].start,
                memmap.reserved[i].end - 1, memmap.reserved[i].what);
    kprintf(KERN_INFO "Memory: %luK/%lluK available (%uK kernel image, %lluK frame array)\n",
            lowmem_zone.free_pages << (PAGE_SHIFT - 10), memmap.ram_bytes >> 10,
            (unsigned)(virt_to_phys(kernel_end) - KERNEL_LOAD_PADDR) >> 10, array_bytes >> 10);
}
