/*
 * mm/swap.c - the swap device: a disk in util-linux mkswap's format.
 *
 * At boot the kernel reads the first page of the swap disk and uses it only
 * if it is a version-1 swap header (mm/swap_header.c) that fits the disk;
 * anything else -- no disk, no signature, an old one, a header claiming
 * more pages than the disk has -- is reported and the kernel runs without
 * swap.  Slot N of the area is the page at byte N x 4096 of the disk (slot
 * 0 is the header), so it is read and written as 8 sectors at LBA 8N, and
 * never a sector outside slots 1..last_page.
 *
 * Swap I/O is synchronous: the transfer runs with interrupts off, so the
 * driver polls (PIO) and no other process runs until the page is on disk
 * or back.  That is what keeps eviction simple on this non-preemptive
 * kernel: while a page is being written nobody can write to it, and nobody
 * can fault on its new swap entry and read a half-written slot.  Linux lets
 * other processes run during swap I/O, and pays for it with page locks and
 * a swap cache that faults consult first; that is the next step, not this.
 *
 * Which slots are in use, and by how many PTEs, is the swap map
 * (mm/swap_map.c).  A page that is read back in keeps its slot as long as
 * it is not modified (the swap cache, struct page.index): evicting it again
 * then needs no write at all.
 */
#include "mm/swap.h"
#include "mm/swap_header.h"
#include "mm/swap_map.h"
#include "mm/page.h"
#include "mm/rmap.h"
#include "mm/vm.h"
#include "mm/vmstat.h"
#include "mm/kmalloc.h"
#include "mm/overcommit.h"
#include "mm/reclaim.h"
#include "kernel/proc.h"
#include "drivers/ata.h"
#include "kernel/cmdline.h"
#include "kernel/monitor.h"
#include "kernel/assert.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define SECTORS_PER_PAGE (PAGE_SIZE / ATA_SECTOR_SIZE)
#define SWAP_PRIORITY    (-2)       /* what Linux gives the first swap area */

static struct {
    struct ata_disk *disk;
    struct swap_map map;
    uint32_t last_page;
    bool active;
} swapdev;

bool swap_active(void)
{
    return swapdev.active;
}

unsigned long swap_total_pages(void)
{
    return swapdev.active ? swapdev.map.nr_slots - 1 - swapdev.map.nr_bad : 0;
}

unsigned long swap_free_pages(void)
{
    return swapdev.active ? swapdev.map.nr_free : 0;
}

/* Read the header page of DISK and, if valid, take the disk as swap. */
static int swap_enable(struct ata_disk *disk, const char **why)
{
    struct page *buf = alloc_page();
    struct swap_info_hdr *hdr = kmalloc(sizeof(*hdr));
    uint8_t *counts = NULL;
    int r = -ENOMEM;

    *why = "out of memory";
    if (!buf || !hdr)
        goto out;
    if ((r = ata_read(disk, 0, SECTORS_PER_PAGE, page_address(buf))) < 0) {
        *why = "cannot read its first page";
        goto out;
    }
    r = swap_header_parse(page_address(buf), (uint64_t)disk->sectors * ATA_SECTOR_SIZE, hdr, why);
    if (r < 0) {
        static char reason[96];
        strlcpy(reason, *why, sizeof(reason));   /* WHY points into HDR */
        *why = reason;
        goto out;
    }
    r = -ENOMEM;
    *why = "out of memory for the swap map";
    if (!(counts = kzalloc(hdr->last_page + 1)))
        goto out;
    if ((r = swap_map_init(&swapdev.map, counts, hdr->last_page + 1, hdr->badpages,
                           hdr->nr_badpages)) < 0) {
        *why = "inconsistent bad-page list";
        kfree(counts);
        goto out;
    }
    swapdev.disk = disk;
    swapdev.last_page = hdr->last_page;
    swapdev.active = true;
    kprintf(KERN_INFO "Adding %lluk swap on /dev/%s.  Priority:%d extents:1 across:%lluk\n",
            swap_header_usable_kb(hdr), disk->name, SWAP_PRIORITY,
            (unsigned long long)hdr->last_page * (PAGE_SIZE / 1024));
out:
    if (buf)
        free_page(buf);
    kfree(hdr);
    return r;
}

void swap_start_threads(void)
{
    if (!swapdev.active)
        return;
    kswapd_start();
    /* The disk driver's helper thread too, while memory is plentiful. */
    ata_get(swapdev.disk->name);
}

void swap_init(void)
{
    const char *name = kernel_param("swap");
    const char *why;

    if (!name)
        name = "hdb";
    if (strcmp(name, "none") == 0)
        return;
    struct ata_disk *disk = ata_get(name);
    if (!disk) {
        kprintf(KERN_INFO "swap: no disk /dev/%s: running without swap\n", name);
        return;
    }
    if (swap_enable(disk, &why) < 0)
        kprintf(KERN_WARNING "swap: /dev/%s: %s; not used as swap, running without swap\n",
                name, why);
}

static uint32_t slot_lba(uint32_t slot)
{
    ASSERTF(slot >= 1 && slot <= swapdev.last_page, "slot %u outside 1..%u", slot,
            swapdev.last_page);
    return slot * SECTORS_PER_PAGE;
}

long swap_write_page(struct page *page, bool clean)
{
    uint32_t slot = page->index;
    long r;

    if (!swapdev.active)
        return -ENOSPC;
    /* The page's own, current copy is already on disk. */
    if (slot && clean)
        return slot;
    /* A copy shared with other processes' PTEs must stay as it is. */
    if (slot && swap_slot_count(&swapdev.map, slot) > 1) {
        swap_slot_put(&swapdev.map, slot);
        slot = 0;
    }
    if (!slot) {
        if ((r = swap_slot_alloc(&swapdev.map)) < 0)
            return r;
        slot = (uint32_t)r;
    }
    bool was = irq_save();          /* synchronous: see the top of the file */
    r = ata_write(swapdev.disk, slot_lba(slot), SECTORS_PER_PAGE, page_address(page));
    irq_restore(was);
    if (r < 0) {
        swap_slot_put(&swapdev.map, slot);
        page->index = 0;
        return r;
    }
    page->index = slot;
    count_vm_event(PSWPOUT);
    return slot;
}

int swap_read_page(uint32_t slot, struct page *page)
{
    bool was = irq_save();          /* synchronous: see the top of the file */
    int r = ata_read(swapdev.disk, slot_lba(slot), SECTORS_PER_PAGE, page_address(page));

    irq_restore(was);
    if (r == 0)
        count_vm_event(PSWPIN);
    return r;
}

void swap_slot_share(uint32_t slot)
{
    swap_slot_dup(&swapdev.map, slot);
}

void swap_slot_release(uint32_t slot)
{
    swap_slot_put(&swapdev.map, slot);
}

unsigned swap_slot_users(uint32_t slot)
{
    return swap_slot_count(&swapdev.map, slot);
}

int swap_in(struct addr_space *as, vaddr_t va, pte_t entry, uint32_t vm_prot)
{
    uint32_t slot = swp_slot(entry);
    struct page *page = alloc_user_page();

    if (!page)
        return -ENOMEM;
    if (swap_read_page(slot, page) < 0) {
        free_page(page);
        return -EIO;
    }
    /* The PTE's reference to the slot becomes the page's (swap cache). */
    page->index = slot;
    uint32_t flags = PTE_USER | ((vm_prot & VM_WRITE) ? PTE_WRITABLE : 0);
    set_pte(as, va, pte_make(page_to_pfn(page) << PAGE_SHIFT, flags | PTE_PRESENT));
    as->swap_pages--;
    as->rss_pages++;
    if (user_page_map(page, as, va, true) < 0) {
        /* Put the swap entry back: nothing is lost, the fault will retry. */
        set_pte(as, va, entry);
        as->swap_pages++;
        as->rss_pages--;
        page->index = 0;
        free_page(page);
        return -ENOMEM;
    }
    count_vm_event(PGMAJFAULT);
    return 0;
}

/* Bring every page of AS that is in swap back into memory. */
static int swapoff_space(struct addr_space *as)
{
    struct list_head *pos;

    list_for_each(pos, &as->vmas) {
        struct vma *v = list_entry(pos, struct vma, link);
        pte_t *pte;
        for (vaddr_t va = v->start; (pte = pgdir_walk_next(as, &va, v->end)); va += PAGE_SIZE) {
            int r = pte_is_swap(*pte) ? swap_in(as, va, *pte, v->prot) : 0;
            if (r < 0)
                return r;
        }
    }
    return 0;
}

/* Pages still swap-cached (a copy in swap besides the resident page) let
 * go of their slots: the copies are about to disappear. */
static void swapoff_drop_cache(void)
{
    for (pfn_t pfn = 0; pfn < lowmem_zone.nr_frames; pfn++) {
        struct page *p = zone_pfn_to_page(&lowmem_zone, pfn);
        if (p->state == PAGE_ALLOCATED && p->owner == OWNER_USER && p->index) {
            swap_slot_put(&swapdev.map, p->index);
            p->index = 0;
        }
    }
}

static int swapoff(const char **why)
{
    unsigned long used = swap_total_pages() - swap_free_pages();

    if (!swapdev.active) {
        *why = "no swap is in use";
        return -EINVAL;
    }
    if (used + watermark_high > nr_free_pages()) {
        *why = "not enough free memory to bring every swapped page back";
        return -ENOMEM;
    }
    for (unsigned i = 0; i < NPROC; i++)
        if (proc_table[i].as && swapoff_space(proc_table[i].as) < 0) {
            *why = "a page could not be read back (see dmesg); swap stays on";
            return -EIO;
        }
    swapoff_drop_cache();
    if (swapdev.map.nr_free != swap_total_pages())
        kprintf(KERN_ERR "BUG: swapoff: %lu slots still in use after every page came back\n",
                swap_total_pages() - swapdev.map.nr_free);
    swapdev.active = false;
    kfree(swapdev.map.counts);
    kprintf(KERN_INFO "swapoff: /dev/%s is no longer swap\n", swapdev.disk->name);
    return 0;
}

static int cmd_swapoff(int argc, char **argv)
{
    const char *why;

    (void)argv;
    if (argc != 1 && argc != 2) {
        cprintf("usage: swapoff [DISK]\n");
        return 1;
    }
    if (swapoff(&why) < 0) {
        cprintf("swapoff: %s\n", why);
        return 1;
    }
    return 0;
}
MONITOR_CMD(swapoff, "swapoff", "bring every swapped page back and stop using swap", cmd_swapoff);

static int cmd_swapon(int argc, char **argv)
{
    const char *why;

    if (argc == 2 && strcmp(argv[1], "-s") == 0) {
        cprintf("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
        if (swapdev.active)
            cprintf("/dev/%-35s partition\t%lu\t\t%lu\t\t%d\n", swapdev.disk->name,
                    swap_total_pages() * 4, (swap_total_pages() - swap_free_pages()) * 4,
                    SWAP_PRIORITY);
        return 0;
    }
    if (argc != 2) {
        cprintf("usage: swapon DISK | swapon -s\n");
        return 1;
    }
    if (swapdev.active) {
        cprintf("swapon: /dev/%s is already swap (one swap area at a time)\n", swapdev.disk->name);
        return 1;
    }
    struct ata_disk *disk = ata_get(argv[1]);
    if (!disk || swap_enable(disk, &why) < 0) {
        cprintf("swapon: /dev/%s: %s\n", argv[1], disk ? why : "no such disk");
        return 1;
    }
    return 0;
}
MONITOR_CMD(swapon, "swapon DISK | swapon -s", "use a mkswap'ed disk as swap; -s lists swap areas", cmd_swapon);
