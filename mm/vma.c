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
#include "kernel/proc.h"
#include "mm/overcommit.h"
#include "mm/rmap.h"
#include "mm/swap.h"
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
    for (vaddr_t va = start; pgdir_walk_next(as, &va, end); va += PAGE_SIZE) {
        pte_t old = unmap_page(as, va);
        if (pte_resident(old)) {
            user_page_unmap(pfn_to_page(pte_paddr(old) >> PAGE_SHIFT), as, va);
            as->rss_pages--;
        } else if (pte_is_swap(old)) {
            swap_slot_release(swp_slot(old));
            as->swap_pages--;
        }
    }
}

static unsigned long vma_pages(const struct vma *v)
{
    return (v->end - v->start) / PAGE_SIZE;
}

int vma_charge(struct vma *vma)
{
    if (vma->accounted || !(vma->prot & VM_WRITE))
        return 0;
    if (vm_commit(vma_pages(vma)) < 0)
        return -ENOMEM;
    vma->accounted = true;
    return 0;
}

void vma_remove(struct addr_space *as, struct vma *vma)
{
    vma_unmap_range(as, vma, vma->start, vma->end);
    if (vma->accounted)
        vm_uncommit(vma_pages(vma));
    list_del(&vma->link);
    kfree(vma);
}

int vma_resize_end(struct addr_space *as, struct vma *vma, vaddr_t end)
{
    ASSERTF(end > vma->start && IS_ALIGNED(end, PAGE_SIZE), "end 0x%x", end);
    if (end > vma->end) {
        if (vma->accounted && vm_commit((end - vma->end) / PAGE_SIZE) < 0)
            return -ENOMEM;
    } else if (end < vma->end) {
        vma_unmap_range(as, vma, end, vma->end);
        if (vma->accounted)
            vm_uncommit((vma->end - end) / PAGE_SIZE);
    }
    vma->end = end;
    return 0;
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

/* The stack size limit of the process owning AS (8 MiB by default). */
static vaddr_t vma_stack_limit(struct addr_space *as)
{
    if (current && current->as == as && current->rlimits[RLIMIT_STACK].cur != RLIM_INFINITY32)
        return current->rlimits[RLIMIT_STACK].cur;
    return 8u << 20;
}

struct vma *vma_find_or_grow_stack(struct addr_space *as, vaddr_t addr)
{
    struct list_head *pos;
    vaddr_t prev_end = 0;

    list_for_each(pos, &as->vmas) {
        struct vma *v = list_entry(pos, struct vma, link);
        if (addr < v->start) {
            vaddr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
            if (v->kind != VMA_STACK || page < prev_end ||
                v->end - page > vma_stack_limit(as))
                return NULL;
            if (v->accounted && vm_commit((v->start - page) / PAGE_SIZE) < 0)
                return NULL;        /* the overcommit policy says no */
            v->start = page;        /* the stack grows down to cover ADDR */
            return v;
        }
        if (addr < v->end)
            return v;
        prev_end = v->end;
    }
    return NULL;
}

int vma_split_at(struct addr_space *as, vaddr_t addr)
{
    struct vma *v = vma_find(as, addr);

    if (!v || v->start == addr)
        return 0;
    struct vma *upper = kzalloc(sizeof(*upper));
    if (!upper)
        return -ENOMEM;
    *upper = *v;
    upper->start = addr;
    upper->file_offset += addr - v->start;
    v->end = addr;
    list_add(&upper->link, &v->link);
    return 0;
}

/* Share or copy-on-write share the page at VA of region V with CHILD. */
static int vma_fork_page(struct addr_space *parent, struct addr_space *child,
                         const struct vma *v, vaddr_t va, pte_t pte)
{
    struct page *frame = pfn_to_page(pte_paddr(pte) >> PAGE_SHIFT);
    uint32_t flags = pte & (PTE_USER | PTE_WRITABLE);

    if ((v->prot & VM_WRITE) && !v->shared) {
        flags &= ~PTE_WRITABLE;             /* both sides copy on write */
        if (pte & PTE_SOFT)
            set_pte(parent, va, pte & ~PTE_WRITABLE);
        else
            protect_page(parent, va, flags);
    }
    int r = map_page(child, va, pte_paddr(pte), flags);
    if (r < 0)
        return r;
    if ((r = user_page_map(frame, child, va, false)) < 0) {
        unmap_page(child, va);          /* leave no mapping the rmap lacks */
        return r;
    }
    get_page(frame);
    child->rss_pages++;
    return 0;
}

static int vma_fork_pages(struct addr_space *parent, struct addr_space *child,
                          const struct vma *v)
{
    pte_t *pte;

    for (vaddr_t va = v->start; (pte = pgdir_walk_next(parent, &va, v->end)); va += PAGE_SIZE) {
        if (pte_resident(*pte) && vma_fork_page(parent, child, v, va, *pte) < 0)
            return -ENOMEM;
        if (pte_is_swap(*pte)) {            /* both now refer to the slot */
            if (set_pte(child, va, *pte) < 0)
                return -ENOMEM;
            swap_slot_share(swp_slot(*pte));
            child->swap_pages++;
        }
    }
    return 0;
}

struct addr_space *aspace_fork(struct addr_space *src)
{
    struct addr_space *as = aspace_create();
    struct list_head *pos;

    if (!as)
        return NULL;
    list_for_each(pos, &src->vmas) {
        struct vma *v = list_entry(pos, struct vma, link);
        struct vma *copy = kzalloc(sizeof(*copy));
        if (!copy) {
            aspace_destroy(as);
            return NULL;
        }
        *copy = *v;
        copy->accounted = false;
        list_add_tail(&copy->link, &as->vmas);
        if ((v->accounted && vma_charge(copy) < 0) || vma_fork_pages(src, as, v) < 0) {
            aspace_destroy(as);
            return NULL;
        }
    }
    return as;
}

void vma_usage(struct addr_space *as, const struct vma *v, struct mem_usage *u)
{
    pte_t *pte;

    u->virt_pages += (v->end - v->start) / PAGE_SIZE;
    for (vaddr_t va = v->start; (pte = pgdir_walk_next(as, &va, v->end)); va += PAGE_SIZE) {
        if (pte_is_swap(*pte))
            u->swap_pages++;
        if (!pte_resident(*pte))
            continue;
        struct page *frame = pfn_to_page(pte_paddr(*pte) >> PAGE_SHIFT);
        u->res_pages++;
        if (page_count(frame) > 1 || frame->owner == OWNER_PAGECACHE)
            u->shr_pages++;
        if (frame->owner == OWNER_PAGECACHE)
            u->file_pages++;
        if (*pte & PTE_DIRTY)
            u->dirty_pages++;
    }
}

void aspace_usage(struct addr_space *as, struct mem_usage *u)
{
    struct list_head *pos;

    *u = (struct mem_usage){ 0 };
    list_for_each(pos, &as->vmas)
        vma_usage(as, list_entry(pos, struct vma, link), u);
}
