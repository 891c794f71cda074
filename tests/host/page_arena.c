/*
 * tests/host/page_arena.c - "physical memory" for the host tests.
 *
 * In the kernel, frame PFN lives at phys_to_virt(PFN << PAGE_SHIFT).  On
 * the host there is no physical memory, so a test that needs a frame's
 * bytes (poisoning, get_zeroed_page) first creates an arena: a malloc'd,
 * page-aligned run of NR frames, given frame numbers of its own.
 *
 *   pfn_t base = host_arena_create(16);   frames base .. base+15
 *   zone_init(&z, frames, base, 16);      a zone over exactly those frames
 *   ...
 *   host_arena_destroy(base);
 *
 * Each arena gets the next unused range of pfns, starting at a multiple of
 * 2^MAX_ORDER with a gap after it, so arenas are never adjacent and a
 * buddy computation that strays out of its zone cannot land in another
 * arena.  Being malloc'd, the memory is watched by AddressSanitizer.
 */
#include <stdlib.h>
#include "mm/buddy.h"

#define HOST_ARENAS 16

static struct arena {
    pfn_t base_pfn;             /* 0: slot unused */
    unsigned long nr_frames;
    unsigned char *mem;         /* nr_frames * PAGE_SIZE bytes */
} arenas[HOST_ARENAS];

static pfn_t next_base_pfn = 1u << 18;  /* 1 GiB: looks like a real pfn */

pfn_t host_arena_create(unsigned long nr_frames)
{
    struct arena *a = NULL;

    for (int i = 0; i < HOST_ARENAS && !a; i++)
        if (arenas[i].base_pfn == 0)
            a = &arenas[i];
    ASSERTF(a != NULL, "more than %d host arenas", HOST_ARENAS);
    ASSERT(nr_frames > 0);
    a->mem = aligned_alloc(PAGE_SIZE, nr_frames * PAGE_SIZE);
    ASSERT(a->mem != NULL);
    a->base_pfn = next_base_pfn;
    a->nr_frames = nr_frames;
    next_base_pfn += (pfn_t)ALIGN_UP(nr_frames, 1ul << MAX_ORDER) + (1u << MAX_ORDER);
    return a->base_pfn;
}

void host_arena_destroy(pfn_t base_pfn)
{
    for (int i = 0; i < HOST_ARENAS; i++) {
        if (arenas[i].base_pfn == base_pfn) {
            free(arenas[i].mem);
            arenas[i] = (struct arena){ 0 };
            return;
        }
    }
    PANIC("no host arena at pfn 0x%x", base_pfn);
}

void *host_pfn_to_virt(pfn_t pfn)
{
    for (int i = 0; i < HOST_ARENAS; i++) {
        struct arena *a = &arenas[i];

        if (a->base_pfn && pfn - a->base_pfn < a->nr_frames)
            return a->mem + (size_t)(pfn - a->base_pfn) * PAGE_SIZE;
    }
    PANIC("pfn 0x%x has no memory: no host arena covers it", pfn);
}

pfn_t host_virt_to_pfn(const void *addr)
{
    for (int i = 0; i < HOST_ARENAS; i++) {
        struct arena *a = &arenas[i];
        uintptr_t offset = (uintptr_t)addr - (uintptr_t)a->mem;

        if (a->base_pfn && offset < a->nr_frames * PAGE_SIZE)
            return a->base_pfn + (pfn_t)(offset / PAGE_SIZE);
    }
    PANIC("address %p is in no host arena", addr);
}
