/*
 * mm/vma.c - the regions of an address space.
 *
 * A sorted doubly linked list of struct vma, one per region.  Linux keeps
 * them in a tree for the thousands of regions a browser has; a process here
 * has a handful (text, data, heap, stack, a few mmaps), so a list is both
 * fast enough and easy to follow.
 *
 * Invariants (checked by vma_add): regions are page aligned, lie below
 * KERNEL_VBASE, do not overlap, and the list is sorted by start address.
 */
#include "mm/vm.h"
#include "mm/page.h"
#include "mm/kmalloc.h"
#include "kernel/assert.h"
#include "lib/errno.h"

struct vma *vma_find(struct addr_space *as, vaddr_t addr)
{
    struct list_head *pos;

    list_for_each(pos, &as->vmas) {
        struct vma *v = list_entry(pos, struct vma, link);
        if (addr < v->start)
            return NULL;            /* sorted: no later region can hold it */
        if (addr < v->end)
            return v;
    }
    return NULL;
}

struct vma *vma_add(struct addr_space *as, vaddr_t start, vaddr_t end,
                    uint32_t prot, enum vma_kind kind, int *err)
{
    struct list_head *pos, *before = &as->vmas;
    struct vma *v;

    if (!IS_ALIGNED(start | end, PAGE_SIZE) || start >= end || end > KERNEL_VBASE) {
        *err = -EINVAL;
        return NULL;
    }
    list_for_each(pos, &as->vmas) {
        struct vma *o = list_entry(pos, struct vma, link);
        if (o->start < end && start < o->end) {
            *err = -EEXIST;
            return NULL;
        }
        if (o->start < start)
            before = pos;           /* insert after the last region below */
    }
    if (!(v = kzalloc(sizeof(*v)))) {
        *err = -ENOMEM;
        return NULL;
    }
    *v = (struct vma){ .start = start, .end = end, .prot = prot, .kind = kind };
    list_add(&v->link, before);
    *err = 0;
    return v;
}

void vma_unmap_range(struct addr_space *as, struct vma *vma, vaddr_t start, vaddr_t end)
{
    ASSERTF(vma->start <= start && end <= vma->end, "range 0x%x-0x%x outside region", start, end);
    for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
        if (!pgdir_walk(as, va, false)) {
            /* No table: nothing in this 4 MiB; skip to the next one. */
            va = ALIGN_DOWN(va, PDE_SPAN) + PDE_SPAN - PAGE_SIZE;
            continue;
        }
        pte_t old = unmap_page(as, va);
        if (pte_present(old)) {
            struct page *frame = pfn_to_page(pte_paddr(old) >> PAGE_SHIFT);
            put_page(frame);
            as->rss_pages--;
        }
    }
}

void vma_remove(struct addr_space *as, struct vma *vma)
{
    vma_unmap_range(as, vma, vma->start, vma->end);
    list_del(&vma->link);
    kfree(vma);
}

const char *vma_kind_name(enum vma_kind kind)
{
    switch (kind) {
    case VMA_ANON: return "anon";
    case VMA_STACK: return "stack";
    case VMA_FILE: return "file";
    }
    return "?";
}
