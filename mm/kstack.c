/*
 * mm/kstack.c - kernel stacks that cannot silently overflow.
 *
 * Each stack gets a slot of KSTACK_SLOT_PAGES pages in the kernel-stack
 * area (kernel/layout.h).  Only the stack pages are mapped; the page below
 * them stays unmapped, so a stack that grows past its bottom touches the
 * guard and faults instead of overwriting whatever lies below:
 *
 *   slot base                                              slot end
 *   | guard (unmapped) | stack page | stack page | spare (unmapped) |
 *                      ^ lowest legal byte       ^ initial esp (top)
 *
 * The fault itself cannot be handled on the overflowed stack (the CPU
 * needs stack space to push the exception frame), which is why the double
 * fault runs as a separate task on its own stack (kernel/doublefault.c).
 */
#include "mm/kstack.h"
#include "mm/vm.h"
#include "mm/page.h"
#include "mm/reclaim.h"
#include "kernel/assert.h"

#define KSTACK_SLOT_BYTES (KSTACK_SLOT_PAGES * PAGE_SIZE)
#define KSTACK_SLOTS      (KSTACK_AREA_SIZE / KSTACK_SLOT_BYTES)

static bool slot_used[KSTACK_SLOTS];

static vaddr_t slot_base(unsigned slot)
{
    return KSTACK_AREA_BASE + slot * KSTACK_SLOT_BYTES;
}

/* The first stack page of SLOT: just above its guard. */
static vaddr_t slot_stack(unsigned slot)
{
    return slot_base(slot) + PAGE_SIZE;
}

static void kstack_unmap(unsigned slot, unsigned mapped)
{
    for (unsigned i = 0; i < mapped; i++) {
        pte_t old = unmap_page(&kernel_space, slot_stack(slot) + i * PAGE_SIZE);
        struct page *frame = pfn_to_page(pte_paddr(old) >> PAGE_SHIFT);
        frame->owner = OWNER_NONE;
        free_page(frame);
    }
}

vaddr_t kstack_alloc(void)
{
    unsigned slot = 0;

    while (slot < KSTACK_SLOTS && slot_used[slot])
        slot++;
    if (slot == KSTACK_SLOTS)
        return 0;
    for (unsigned i = 0; i < KSTACK_PAGES; i++) {
        struct page *frame = alloc_page_reclaim();
        if (!frame || map_page(&kernel_space, slot_stack(slot) + i * PAGE_SIZE,
                               page_to_pfn(frame) << PAGE_SHIFT,
                               PTE_WRITABLE | PTE_GLOBAL) < 0) {
            if (frame)
                free_page(frame);
            kstack_unmap(slot, i);
            return 0;
        }
        frame->owner = OWNER_KERNEL;
    }
    slot_used[slot] = true;
    return slot_stack(slot) + KSTACK_PAGES * PAGE_SIZE;
}

void kstack_free(vaddr_t top)
{
    vaddr_t offset = top - KSTACK_AREA_BASE - PAGE_SIZE - KSTACK_PAGES * PAGE_SIZE;
    unsigned slot = offset / KSTACK_SLOT_BYTES;

    ASSERTF(top > KSTACK_AREA_BASE && offset % KSTACK_SLOT_BYTES == 0 &&
            slot < KSTACK_SLOTS && slot_used[slot], "top 0x%x is not a live stack", top);
    kstack_unmap(slot, KSTACK_PAGES);
    slot_used[slot] = false;
}

bool kstack_is_guard(vaddr_t addr)
{
    if (addr < KSTACK_AREA_BASE || addr - KSTACK_AREA_BASE >= KSTACK_AREA_SIZE)
        return false;
    unsigned slot = (addr - KSTACK_AREA_BASE) / KSTACK_SLOT_BYTES;
    return slot_used[slot] && addr - slot_base(slot) < PAGE_SIZE;
}
