/*
 * mm/kmalloc.c - the kernel heap: one struct heap fed with buddy frames.
 *
 * kmalloc is a thin layer: the allocator is mm/heap.c, and this file only
 * decides where its memory comes from.  The heap starts empty; the first
 * kmalloc finds no block, so the heap's grow callback takes the smallest
 * power-of-two run of frames that holds the block plus a region's overhead
 * (one frame for anything up to 4096 - 40 - 24 = 4032 bytes) and hands it
 * to heap_add_region.  When the buddy allocator returns the frame right
 * above an existing region, the region simply grows, so a heap built from
 * neighbouring frames is one region and a block may span frames.
 *
 *   kmalloc(32):  need = 32 + 24 = 56 bytes; empty heap -> grow: one frame
 *                 = region of 4096 bytes = 40 overhead + a free block of
 *                 4056; split it: 56 used, 4000 free.
 *   kfree(p):     the 56-byte block merges with the 4000 above: one free
 *                 block of 4056 again.
 *
 * Frames are never returned to the buddy allocator, as in early Unix
 * kernels; the peak is what `heap` reports as the heap size at peak.
 *
 * Locking: none yet, like the buddy allocator: the kernel runs on one CPU
 * and no interrupt handler allocates.  The day one does, kmalloc and kfree
 * must run with interrupts disabled.
 */
#include "mm/kmalloc.h"
#include "mm/heap.h"
#include "mm/buddy.h"
#include "mm/page.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "kernel/assert.h"
#include "kernel/layout.h"
#include "kernel/monitor.h"

/* The kernel heap.  Invariant: kheap_ready once kmalloc_init has run; only
 * then may kheap be used. */
static struct heap kheap;
static bool kheap_ready;
static enum heap_policy kheap_boot_policy = HEAP_FIRST_FIT;

/* heap_grow_fn: a region of 2^order frames that holds BLOCK_BYTES. */
static int kmalloc_grow(struct heap *heap, size_t block_bytes)
{
    size_t bytes = block_bytes + HEAP_REGION_OVERHEAD;
    unsigned order = 0;
    struct page *page;

    while (((size_t)PAGE_SIZE << order) < bytes)
        order++;
    if (order > MAX_ORDER)
        return -ENOMEM;
    page = alloc_pages(order);
    if (!page)
        return -ENOMEM;
    page->owner = OWNER_HEAP;      /* counted as Slab in meminfo */
    if (heap_add_region(heap, page_address(page), (size_t)PAGE_SIZE << order)) {
        free_pages(page, order);
        return -ENOMEM;
    }
    return 0;
}

void kmalloc_init(void)
{
    ASSERT(!kheap_ready);
    heap_init(&kheap, "kmalloc", kheap_boot_policy);
    heap_set_poison(&kheap, true);
    heap_set_grow(&kheap, kmalloc_grow, NULL);
    kheap_ready = true;
}

void *kmalloc(size_t bytes)
{
    ASSERT(kheap_ready);
    return heap_alloc(&kheap, bytes);
}

void *kzalloc(size_t bytes)
{
    void *p = kmalloc(bytes);

    if (p)
        memset(p, 0, bytes);
    return p;
}

void kfree(void *ptr)
{
    ASSERT(kheap_ready);
    heap_free(&kheap, ptr);     /* a refused free has been reported */
}

int kmalloc_set_policy_name(const char *name)
{
    enum heap_policy policy;

    if (heap_policy_parse(name, &policy))
        return -EINVAL;
    kheap_boot_policy = policy;
    if (kheap_ready)
        heap_set_policy(&kheap, policy);
    return 0;
}

struct heap *kmalloc_heap(void)
{
    return kheap_ready ? &kheap : NULL;
}

/* --- monitor commands --------------------------------------------------------- */

static int cmd_heap(int argc, char **argv)
{
    if (!kheap_ready) {
        cprintf("heap: kmalloc_init has not run\n");
        return 1;
    }
    if (argc > 2) {
        cprintf("usage: heap [first|next|best|worst|dump]\n");
        return 1;
    }
    if (argc == 2 && strcmp(argv[1], "dump") == 0) {
        heap_dump(&kheap);
        return 0;
    }
    if (argc == 2) {
        if (kmalloc_set_policy_name(argv[1])) {
            cprintf("heap: no policy \"%s\" (first, next, best, worst, or dump)\n",
                    argv[1]);
            return 1;
        }
        cprintf("heap: policy is now %s fit\n", heap_policy_name(kheap.policy));
    }
    heap_print_report(&kheap);
    return 0;
}
MONITOR_CMD(heap, "heap [first|next|best|worst|dump]",
            "kernel heap statistics; switch its placement policy; list its blocks",
            cmd_heap);

static int cmd_heapcheck(int argc UNUSED, char **argv UNUSED)
{
    int errors;

    if (!kheap_ready) {
        cprintf("heapcheck: kmalloc_init has not run\n");
        return 1;
    }
    errors = heap_check(&kheap);
    if (errors)
        cprintf("heapcheck: %d violations (see the log)\n", errors);
    else
        cprintf("heapcheck: ok, %lu used and %lu free blocks in %lu regions\n",
                kheap.stats.live_blocks, kheap.stats.free_blocks,
                kheap.stats.regions);
    return errors ? 1 : 0;
}
MONITOR_CMD(heapcheck, "heapcheck", "verify every invariant of the kernel heap",
            cmd_heapcheck);
