/*
 * kernel/bench.c - `bench`: what the memory-management paths cost, counted
 * in guest instructions.
 *
 * Under QEMU's -icount shift=0 the time-stamp counter advances by exactly
 * one per guest instruction, so `rdtsc` before and after a loop counts its
 * instructions, the same on every run and on every host (tools/bench.py
 * boots the kernel that way).  Without -icount the numbers are cycles of
 * an emulated CPU and only roughly comparable.
 *
 * Each benchmark runs with interrupts off (a timer tick would add its own
 * instructions), repeats its operation ITERATIONS times, and reports the
 * instructions per operation, loop and call overhead included.  Output
 * lines read "bench: NAME VALUE UNIT" for tools/bench.py to collect.
 */
#include "kernel/bench.h"
#include "kernel/monitor.h"
#include "kernel/x86.h"
#include "mm/page.h"
#include "mm/heap.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "drivers/ata.h"
#include "drivers/pit.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define ITERATIONS 1000
#define FRAG_FRAMES 2048

uint64_t boot_done_tsc;
uint64_t kmain_entry_tsc;

static void bench_report(const char *name, uint64_t instructions, unsigned ops)
{
    cprintf("bench: %-40s %8llu instructions/op\n", name, instructions / ops);
}

/* The loop below with empty calls: what each "per op" figure includes
 * beyond the allocator itself. */
static __attribute__((noinline)) void *bench_nop_alloc(struct zone *z, unsigned order)
{
    __asm__ volatile("" : : "r"(z), "r"(order) : "memory");
    return z;
}

static __attribute__((noinline)) int bench_nop_free(struct zone *z, void *p, unsigned order)
{
    __asm__ volatile("" : : "r"(z), "r"(p), "r"(order) : "memory");
    return 0;
}

static void bench_loop_overhead(void)
{
    bool was = irq_save();
    uint64_t t0 = rdtsc();

    for (unsigned i = 0; i < ITERATIONS; i++)
        bench_nop_free(&lowmem_zone, bench_nop_alloc(&lowmem_zone, 0), 0);
    uint64_t t1 = rdtsc();
    irq_restore(was);
    bench_report("(loop + two empty calls)", t1 - t0, ITERATIONS);
}


/* Order-0 alloc+free with a free order-0 block whose buddy is in use: the
 * buddy allocator's fast path, no split and no merge. */
static void bench_buddy_order0(void)
{
    /* Allocate until the order-0 list holds a block: the one that split
     * last leaves its buddy there, and that buddy stays allocated. */
    struct page *pin = alloc_pages(0);
    struct page *pin2 = lowmem_zone.free_area[0].nr_free ? NULL : alloc_pages(0);
    bool was = irq_save();
    uint64_t t0 = rdtsc();

    for (unsigned i = 0; i < ITERATIONS; i++)
        free_pages(alloc_pages(0), 0);
    uint64_t t1 = rdtsc();
    irq_restore(was);
    free_pages(pin, 0);
    if (pin2)
        free_pages(pin2, 0);
    bench_report("buddy order-0 alloc+free", t1 - t0, ITERATIONS);
}

/* Allocate every other frame of a fragmented region: each allocation pops
 * the order-0 list, whose blocks all have allocated buddies. */
static void bench_buddy_fragmented(void)
{
    static struct page *held[FRAG_FRAMES];
    unsigned n = 0;

    while (n < FRAG_FRAMES && (held[n] = alloc_pages(0)))
        n++;
    for (unsigned i = 0; i < n; i += 2)
        free_pages(held[i], 0);
    bool was = irq_save();
    uint64_t t0 = rdtsc();
    for (unsigned i = 0; i < n; i += 2)
        held[i] = alloc_pages(0);
    uint64_t t1 = rdtsc();
    irq_restore(was);
    for (unsigned i = 0; i < n; i++)
        free_pages(held[i], 0);
    bench_report("buddy order-0 alloc, fragmented", t1 - t0, n / 2);
}

static void bench_buddy_order9(void)
{
    bool was = irq_save();
    uint64_t t0 = rdtsc();

    for (unsigned i = 0; i < ITERATIONS; i++)
        free_pages(alloc_pages(9), 9);
    uint64_t t1 = rdtsc();
    irq_restore(was);
    bench_report("buddy order-9 alloc+free", t1 - t0, ITERATIONS);
}

/*
 * The simplest possible frame allocator, as xv6's kalloc.c: a singly
 * linked list threaded through the free frames themselves.  Allocation
 * pops, free pushes.  xv6 also fills each freed frame with junk (to catch
 * use-after-free), which is most of its 2,396 instructions a pair: shown
 * both ways.
 */
struct run {
    struct run *next;
};

static struct run *freelist;

static void *kalloc(void)
{
    struct run *r = freelist;

    if (r)
        freelist = r->next;
    return r;
}

static void kfree_frame(void *frame, bool junk)
{
    struct run *r = frame;

    if (junk)
        memset(frame, 1, PAGE_SIZE);
    r->next = freelist;
    freelist = r;
}

static void bench_freelist(bool junk)
{
    struct page *backing = alloc_pages(4);      /* 16 frames to play with */

    if (!backing)
        return;
    for (unsigned i = 0; i < 16; i++)
        kfree_frame((char *)page_address(backing) + i * PAGE_SIZE, false);
    bool was = irq_save();
    uint64_t t0 = rdtsc();
    for (unsigned i = 0; i < ITERATIONS; i++)
        kfree_frame(kalloc(), junk);
    uint64_t t1 = rdtsc();
    irq_restore(was);
    freelist = NULL;
    free_pages(backing, 4);
    bench_report(junk ? "xv6-style kalloc+kfree (junk fill)" : "xv6-style kalloc+kfree (no fill)",
                 t1 - t0, ITERATIONS);
}

static void bench_kmalloc(enum heap_policy policy, size_t bytes)
{
    char name[48];
    struct heap *heap = kmalloc_heap();
    enum heap_policy saved = heap->policy;
    void *warm = kmalloc(bytes);                /* make sure the heap has room */

    kfree(warm);
    heap_set_policy(heap, policy);
    bool was = irq_save();
    uint64_t t0 = rdtsc();
    for (unsigned i = 0; i < ITERATIONS; i++)
        kfree(kmalloc(bytes));
    uint64_t t1 = rdtsc();
    irq_restore(was);
    heap_set_policy(heap, saved);
    ksnprintf(name, sizeof(name), "kmalloc+kfree %zu B, %s fit", bytes, heap_policy_name(policy));
    bench_report(name, t1 - t0, ITERATIONS);
}

/* Touch fresh pages of an anonymous region: each store faults, and the
 * handler allocates, zeroes (rep stosl: ~1,030) and maps a frame. */
static void bench_demand_zero(void)
{
    const unsigned pages = 256;
    const vaddr_t base = 0x10000000;
    struct addr_space *as = aspace_create();
    int err;

    if (!as || !vma_add(as, base, base + pages * PAGE_SIZE, VM_READ | VM_WRITE, VMA_ANON, &err))
        return;
    switch_address_space(as);
    bool was = irq_save();
    uint64_t t0 = rdtsc();
    for (unsigned i = 0; i < pages; i++)
        *(volatile uint8_t *)(base + i * PAGE_SIZE) = 1;
    uint64_t t1 = rdtsc();
    irq_restore(was);
    switch_address_space(&kernel_space);
    aspace_destroy(as);
    bench_report("demand-zero page fault (store to return)", t1 - t0, pages);
}

/* Pages per million guest instructions; under -icount shift=0 one guest
 * instruction is one nanosecond of guest time, so x1000 is pages/s. */
static void bench_rate(const char *name, unsigned pages, uint64_t instructions)
{
    uint64_t per_minstr_x10 = (uint64_t)pages * 10000000 / (instructions ? instructions : 1);

    cprintf("bench: %-40s %5llu.%llu pages/Minstr %8llu pages/s\n", name,
            per_minstr_x10 / 10, per_minstr_x10 % 10, per_minstr_x10 * 100);
}

/* Swap-out and swap-in of SWAP_BENCH_PAGES pages, and the raw disk writes
 * and reads of the same size beside them (the rest is swap bookkeeping). */
#define SWAP_BENCH_PAGES 64
static void bench_swap(void)
{
    static struct page *pages[SWAP_BENCH_PAGES];
    static long slots[SWAP_BENCH_PAGES];
    struct ata_disk *disk = ata_get("hdb");
    unsigned n = 0;

    if (!swap_active() || !disk)
        return;
    while (n < SWAP_BENCH_PAGES && (pages[n] = alloc_user_page()))
        memset(page_address(pages[n++]), 0x5a, PAGE_SIZE);
    uint64_t t0 = rdtsc();
    for (unsigned i = 0; i < n; i++)
        slots[i] = swap_write_page(pages[i], false);
    uint64_t t1 = rdtsc();
    for (unsigned i = 0; i < n; i++)
        swap_read_page((uint32_t)slots[i], pages[i]);
    uint64_t t2 = rdtsc();
    bench_rate("swap-out (write page to swap)", n, t1 - t0);
    bench_rate("swap-in (read page from swap)", n, t2 - t1);
    /* The raw driver, same pages, same slots. */
    bool was = irq_save();
    t0 = rdtsc();
    for (unsigned i = 0; i < n; i++)
        ata_write(disk, (uint32_t)slots[i] * 8, 8, page_address(pages[i]));
    t1 = rdtsc();
    for (unsigned i = 0; i < n; i++)
        ata_read(disk, (uint32_t)slots[i] * 8, 8, page_address(pages[i]));
    t2 = rdtsc();
    irq_restore(was);
    bench_rate("raw disk write, 4 KiB (PIO)", n, t1 - t0);
    bench_rate("raw disk read, 4 KiB (PIO)", n, t2 - t1);
    for (unsigned i = 0; i < n; i++) {
        if (slots[i] > 0)
            swap_slot_release((uint32_t)slots[i]);
        pages[i]->index = 0;
        free_page(pages[i]);
    }
}

static int cmd_bench(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cprintf("bench: %-40s %8llu instructions\n", "power-on to kmain (BIOS, loader)", kmain_entry_tsc);
    cprintf("bench: %-40s %8llu instructions\n", "kmain to monitor (kernel init)",
            boot_done_tsc - kmain_entry_tsc);
    cprintf("bench: %-40s %8llu instructions\n", "power-on to monitor", boot_done_tsc);
    bench_loop_overhead();
    bench_buddy_order0();
    bench_buddy_fragmented();
    bench_buddy_order9();
    bench_freelist(false);
    bench_freelist(true);
    bench_demand_zero();
    bench_swap();
    for (int p = HEAP_FIRST_FIT; p <= HEAP_WORST_FIT; p++) {
        bench_kmalloc((enum heap_policy)p, 32);
        bench_kmalloc((enum heap_policy)p, 2000);
    }
    return 0;
}
MONITOR_CMD(bench, "bench", "instruction counts of allocator paths (use -icount)", cmd_bench);
