/*
 * mm/kmalloc.h - the kernel's general-purpose memory: kmalloc and kfree.
 *
 * One global heap (mm/heap.h) that grows by whole frames taken from the
 * buddy allocator whenever no free block fits.  Frames are never given
 * back.  Freed memory is poisoned; a bad kfree is reported with "BUG:" and
 * ignored.  The placement policy is chosen at boot with heap=first|next|
 * best|worst (default first) and can be switched from the monitor.
 *
 * Layers: needs the buddy allocator (kmalloc_init after it is up); used by
 * everything above it.
 */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include "lib/types.h"
#include "mm/heap.h"

/* Set up the kernel heap, empty, with the policy chosen so far.  Call once,
 * after the buddy allocator is up and before the first kmalloc. */
void kmalloc_init(void);

/* BYTES of memory aligned to 8, not cleared; NULL if memory is exhausted.
 * kmalloc(0) returns a unique pointer, as malloc(0) does. */
void *kmalloc(size_t bytes);

/* Like kmalloc, but the memory is zero-filled. */
void *kzalloc(size_t bytes);

/* Return memory from kmalloc/kzalloc.  NULL is ignored.  A pointer kmalloc
 * never returned, a double free or an overwritten tag is reported ("BUG:
 * heap kmalloc: free(...)") and the heap is left unchanged. */
void kfree(void *ptr);

/* Choose the placement policy by NAME ("first", "next", "best", "worst"),
 * for the heap= boot option and the monitor.  May be called before
 * kmalloc_init.  Returns 0, or -EINVAL for an unknown name (the caller
 * reports it). */
int kmalloc_set_policy_name(const char *name);

/* The kernel heap itself, for statistics, heap_check and tests. */
struct heap *kmalloc_heap(void);

#endif
