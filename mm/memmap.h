/*
 * mm/memmap.h - physical memory as the boot loader describes it, and the
 * ranges the kernel must keep before it hands any frame out.
 */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include "lib/types.h"

/* A physical range [start, end) that is not the allocator's to give. */
struct reserved_range {
    uint64_t start, end;
    const char *what;
    uint8_t owner;          /* enum page_owner shown by memmap */
};

#define MAX_RESERVED_RANGES 48

/* What the kernel learned from the memory map at boot. */
struct memmap_info {
    uint64_t ram_bytes;             /* all usable RAM the map lists */
    uint64_t ignored_bytes;         /* usable RAM above LOWMEM_LIMIT */
    pfn_t max_pfn;                  /* one past the highest usable lowmem frame */
    unsigned long reserved_frames;  /* usable frames kept by reservations */
    struct reserved_range reserved[MAX_RESERVED_RANGES];
    int nr_reserved;
    void *reclaim_work;             /* replace_work_bytes(max_pfn), for reclaim_init */
};

extern struct memmap_info memmap;

/* Read the multiboot memory map, print it (BIOS-e820 lines), reserve what
 * must stay, place the frame array, and give every other lowmem frame to
 * the buddy allocator.  Called once from mm_init. */
void memmap_init(void);

#endif
