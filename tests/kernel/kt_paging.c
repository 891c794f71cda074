/*
 * tests/kernel/kt_paging.c - page tables, regions and demand paging, on
 * the real MMU.
 *
 * Each test builds a private address space, switches CR3 to it when it
 * needs the hardware to translate, and destroys it at the end; the frame
 * counts before and after must match exactly, so a leaked page table or
 * frame fails the test that leaked it.
 */
#include "tests/ktest.h"
#include "mm/vm.h"
#include "mm/page.h"
#include "mm/kmalloc.h"
#include "mm/kstack.h"
#include "mm/uaccess.h"
#include "mm/vmstat.h"
#include "lib/errno.h"
#include "lib/string.h"

#define USER_BASE 0x10000000u     /* an arbitrary user address, 4 MiB aligned */

static unsigned long free_before;

static void paging_init_case(void)
{
    /* The kernel heap keeps the frames it grows by; let it grow first so
     * that the count below measures only page tables and user frames. */
    kfree(kmalloc(1024));
    free_before = nr_free_pages();
}

static void paging_exit_case(void)
{
    switch_address_space(&kernel_space);
}

/* Destroy AS and check every frame came back. */
static void finish(struct ktest *t, struct addr_space *as)
{
    switch_address_space(&kernel_space);
    aspace_destroy(as);
    EXPECT_EQ(t, nr_free_pages(), free_before);
}

static void test_map_translate_unmap(struct ktest *t)
{
    struct addr_space *as = aspace_create();
    struct page *frame = alloc_page();
    paddr_t pa = 0, fpa;

    ASSERT_NOT_NULL(t, as);
    ASSERT_NOT_NULL(t, frame);
    fpa = page_to_pfn(frame) << PAGE_SHIFT;
    EXPECT_EQ(t, translate(as, USER_BASE + 0x123, &pa), -EFAULT);
    EXPECT_EQ(t, map_page(as, USER_BASE, fpa, PTE_USER | PTE_WRITABLE), 0);
    EXPECT_EQ(t, as->nr_pgtables, 1);
    EXPECT_EQ(t, translate(as, USER_BASE + 0x123, &pa), 0);
    EXPECT_EQ(t, pa, fpa + 0x123);
    EXPECT_EQ(t, map_page(as, USER_BASE, fpa, PTE_USER), -EEXIST);
    pte_t old = unmap_page(as, USER_BASE);
    EXPECT_EQ(t, pte_paddr(old), fpa);
    EXPECT_TRUE(t, old & PTE_WRITABLE);
    EXPECT_EQ(t, translate(as, USER_BASE, &pa), -EFAULT);
    EXPECT_EQ(t, as->nr_pgtables, 0);           /* the emptied table went */
    EXPECT_EQ(t, as->pgdir[pde_index(USER_BASE)], 0);
    free_page(frame);
    finish(t, as);
}

static void test_tables_freed_when_empty(struct ktest *t)
{
    struct addr_space *as = aspace_create();
    struct page *frame = alloc_page();
    paddr_t fpa = page_to_pfn(frame) << PAGE_SHIFT;

    ASSERT_NOT_NULL(t, as);
    /* Three pages in three different 4 MiB stretches: three tables. */
    for (unsigned i = 0; i < 3; i++)
        EXPECT_EQ(t, map_page(as, USER_BASE + i * PDE_SPAN + i * PAGE_SIZE, fpa, PTE_USER), 0);
    EXPECT_EQ(t, as->nr_pgtables, 3);
    for (unsigned i = 0; i < 3; i++)
        unmap_page(as, USER_BASE + i * PDE_SPAN + i * PAGE_SIZE);
    EXPECT_EQ(t, as->nr_pgtables, 0);
    free_page(frame);
    finish(t, as);
}

static void test_demand_zero(struct ktest *t)
{
    struct addr_space *as = aspace_create();
    int err;
    uint32_t word = 0xFFFFFFFF;
    paddr_t pa;

    ASSERT_NOT_NULL(t, as);
    ASSERT_NOT_NULL(t, vma_add(as, USER_BASE, USER_BASE + 16 * PAGE_SIZE,
                               VM_READ | VM_WRITE, VMA_ANON, &err));
    /* Dirty a frame and free it: the allocator hands the most recently
     * freed frame out first, so the fault is likely to get this one and
     * must clear it. */
    struct page *dirty = alloc_page();
    memset(page_address(dirty), 0xAA, PAGE_SIZE);
    paddr_t dirty_pa = page_to_pfn(dirty) << PAGE_SHIFT;
    free_page(dirty);

    unsigned long faults = vm_events[PGFAULT];
    switch_address_space(as);
    EXPECT_EQ(t, copy_from_user(&word, (void *)(USER_BASE + 5 * PAGE_SIZE + 12), 4), 0);
    EXPECT_EQ(t, word, 0);
    EXPECT_EQ(t, vm_events[PGFAULT], faults + 1);
    EXPECT_EQ(t, as->rss_pages, 1);
    EXPECT_EQ(t, translate(as, USER_BASE + 5 * PAGE_SIZE, &pa), 0);
    EXPECT_EQ(t, pa, dirty_pa);                  /* the test really saw 0xAA go */
    /* Writing goes straight through now: no second fault. */
    word = 0x1234;
    EXPECT_EQ(t, copy_to_user((void *)(USER_BASE + 5 * PAGE_SIZE), &word, 4), 0);
    EXPECT_EQ(t, vm_events[PGFAULT], faults + 1);
    EXPECT_EQ(t, *(uint32_t *)phys_to_virt(pa), 0x1234);
    finish(t, as);
}

static void test_write_to_read_only_region(struct ktest *t)
{
    struct addr_space *as = aspace_create();
    uint32_t word = 7;
    int err;

    ASSERT_NOT_NULL(t, as);
    vma_add(as, USER_BASE, USER_BASE + PAGE_SIZE, VM_READ, VMA_ANON, &err);
    switch_address_space(as);
    EXPECT_EQ(t, copy_to_user((void *)USER_BASE, &word, 4), -EFAULT);
    EXPECT_EQ(t, last_bad_fault.result, -EACCES);
    EXPECT_EQ(t, last_bad_fault.addr, USER_BASE);
    EXPECT_TRUE(t, last_bad_fault.err & PF_WRITE);
    /* Reading is allowed (and maps a zero page); then the write is a
     * protection fault on a present page, still refused. */
    EXPECT_EQ(t, copy_from_user(&word, (void *)USER_BASE, 4), 0);
    EXPECT_EQ(t, word, 0);
    EXPECT_EQ(t, copy_to_user((void *)USER_BASE, &word, 4), -EFAULT);
    EXPECT_TRUE(t, last_bad_fault.err & PF_PRESENT);
    finish(t, as);
}

static void test_access_outside_regions(struct ktest *t)
{
    struct addr_space *as = aspace_create();
    uint32_t word;
    int err;

    ASSERT_NOT_NULL(t, as);
    vma_add(as, USER_BASE, USER_BASE + PAGE_SIZE, VM_READ | VM_WRITE, VMA_ANON, &err);
    switch_address_space(as);
    EXPECT_EQ(t, copy_from_user(&word, (void *)(USER_BASE + PAGE_SIZE), 4), -EFAULT);
    EXPECT_EQ(t, last_bad_fault.result, -EFAULT);
    EXPECT_STREQ(t, last_bad_fault.why, "address not in any region");
    EXPECT_EQ(t, copy_from_user(&word, (void *)0, 4), -EFAULT);
    /* A kernel address is refused before any access is tried. */
    EXPECT_EQ(t, copy_from_user(&word, (void *)KERNEL_VBASE, 4), -EFAULT);
    EXPECT_EQ(t, copy_from_user(&word, (void *)(KERNEL_VBASE - 2), 4), -EFAULT);
    EXPECT_EQ(t, as->rss_pages, 0);
    finish(t, as);
}

static void test_invlpg_on_remap(struct ktest *t)
{
    struct addr_space *as = aspace_create();
    struct page *a = alloc_page(), *b = alloc_page();
    uint32_t word = 0;

    ASSERT_NOT_NULL(t, as);
    *(uint32_t *)page_address(a) = 0xAAAA;
    *(uint32_t *)page_address(b) = 0xBBBB;
    switch_address_space(as);
    map_page(as, USER_BASE, page_to_pfn(a) << PAGE_SHIFT, PTE_USER);
    copy_from_user(&word, (void *)USER_BASE, 4);       /* the TLB now holds A */
    EXPECT_EQ(t, word, 0xAAAA);
    unmap_page(as, USER_BASE);
    map_page(as, USER_BASE, page_to_pfn(b) << PAGE_SHIFT, PTE_USER);
    copy_from_user(&word, (void *)USER_BASE, 4);       /* stale TLB would say A */
    EXPECT_EQ(t, word, 0xBBBB);
    unmap_page(as, USER_BASE);
    free_page(a);
    free_page(b);
    finish(t, as);
}

static void test_file_backed_region(struct ktest *t)
{
    static const char image[] = "program text, then .data";
    struct addr_space *as = aspace_create();
    char buf[32] = { 0 };
    int err;

    ASSERT_NOT_NULL(t, as);
    struct vma *v = vma_add(as, USER_BASE, USER_BASE + 2 * PAGE_SIZE, VM_READ, VMA_FILE, &err);
    ASSERT_NOT_NULL(t, v);
    v->file_data = (const uint8_t *)image;
    v->file_offset = 8;                 /* the region starts at image + 8 */
    v->file_size = sizeof(image);
    switch_address_space(as);
    EXPECT_EQ(t, copy_from_user(buf, (void *)USER_BASE, 4), 0);
    EXPECT_EQ(t, memcmp(buf, "text", 4), 0);
    /* Past the file's end the region reads as zeros (like .bss). */
    EXPECT_EQ(t, copy_from_user(buf, (void *)(USER_BASE + PAGE_SIZE), 8), 0);
    EXPECT_EQ(t, buf[0] | buf[7], 0);
    EXPECT_EQ(t, as->rss_pages, 2);
    finish(t, as);
}

static void test_vma_rules(struct ktest *t)
{
    struct addr_space *as = aspace_create();
    int err;

    ASSERT_NOT_NULL(t, as);
    EXPECT_NOT_NULL(t, vma_add(as, USER_BASE, USER_BASE + 4 * PAGE_SIZE, VM_READ, VMA_ANON, &err));
    EXPECT_NULL(t, vma_add(as, USER_BASE + PAGE_SIZE, USER_BASE + 8 * PAGE_SIZE, VM_READ, VMA_ANON, &err));
    EXPECT_EQ(t, err, -EEXIST);
    EXPECT_NULL(t, vma_add(as, USER_BASE + 100, USER_BASE + 8 * PAGE_SIZE, VM_READ, VMA_ANON, &err));
    EXPECT_EQ(t, err, -EINVAL);
    EXPECT_NULL(t, vma_add(as, KERNEL_VBASE - PAGE_SIZE, KERNEL_VBASE + PAGE_SIZE, VM_READ, VMA_ANON, &err));
    EXPECT_EQ(t, err, -EINVAL);
    /* A region below the first one goes first in the sorted list. */
    struct vma *low = vma_add(as, PAGE_SIZE * 16, PAGE_SIZE * 17, VM_READ, VMA_STACK, &err);
    ASSERT_NOT_NULL(t, low);
    EXPECT_EQ(t, (uintptr_t)list_entry(as->vmas.next, struct vma, link), (uintptr_t)low);
    EXPECT_EQ(t, (uintptr_t)vma_find(as, PAGE_SIZE * 16 + 5), (uintptr_t)low);
    EXPECT_NULL(t, vma_find(as, PAGE_SIZE * 17));
    finish(t, as);
}

static void test_kstack_guard(struct ktest *t)
{
    vaddr_t top = kstack_alloc();
    paddr_t pa;

    ASSERT_NE(t, top, 0);
    EXPECT_EQ(t, translate(&kernel_space, top - 4, &pa), 0);
    EXPECT_EQ(t, translate(&kernel_space, top - KSTACK_PAGES * PAGE_SIZE, &pa), 0);
    vaddr_t guard = top - KSTACK_PAGES * PAGE_SIZE - 4;
    EXPECT_EQ(t, translate(&kernel_space, guard, &pa), -EFAULT);
    EXPECT_TRUE(t, kstack_is_guard(guard));
    EXPECT_FALSE(t, kstack_is_guard(top - 4));
    kstack_free(top);
    EXPECT_FALSE(t, kstack_is_guard(guard));     /* the slot is free again */
    EXPECT_EQ(t, nr_free_pages(), free_before);
}

static const struct ktest_case paging_cases[] = {
    KTEST_CASE(test_map_translate_unmap),
    KTEST_CASE(test_tables_freed_when_empty),
    KTEST_CASE(test_demand_zero),
    KTEST_CASE(test_write_to_read_only_region),
    KTEST_CASE(test_access_outside_regions),
    KTEST_CASE(test_invlpg_on_remap),
    KTEST_CASE(test_file_backed_region),
    KTEST_CASE(test_vma_rules),
    KTEST_CASE(test_kstack_guard),
    { 0 }
};
KTEST_SUITE(paging, paging_cases, .quick = true,
            .init = paging_init_case, .exit = paging_exit_case);
