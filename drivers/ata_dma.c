/*
 * drivers/ata_dma.c - bus-master DMA: the IDE controller copies sectors
 * to and from memory by itself while the CPU runs other processes.
 *
 * The IDE controller of a PIIX chipset (QEMU's i440fx machine has a PIIX3)
 * is a PCI function.  Besides the legacy task-file ports it decodes 16
 * bytes of "bus-master" registers, placed by the BIOS at the I/O address
 * in its BAR4.  A DMA command goes (PIIX4 datasheet 9.4, "Bus Master
 * Function"):
 *
 *   1. describe the buffer's physical memory in a PRD table (ata_hw.h)
 *   2. give the bus master the table's address and the direction; clear
 *      its interrupt and error bits
 *   3. send READ DMA / WRITE DMA to the disk through the task file
 *   4. set Start: controller and disk move the data between themselves
 *   5. the disk raises IRQ 14 (15): our handler reads the statuses and
 *      wakes the process that sleeps on the channel
 *   6. that process clears Start and checks both statuses.
 *
 * Between 4 and 5 the requesting process sleeps, so a swap-out does not
 * keep the CPU in a polling loop.  An interrupt that never comes must not
 * leave it asleep forever, and sleep_on has no timeout; so a small kernel
 * thread, "ata_eh" (after Linux's SCSI error handler threads), sleeps
 * until the earliest deadline of the commands in flight and wakes their
 * owners with dma_timed_out set.  It starts with the first request made
 * from process context, and sleeps without a deadline while no DMA is in
 * flight, so an idle disk costs nothing.
 *
 * DMA is used only when it can work: a bus master was found, the caller
 * may sleep (a process, interrupts on: see ata_dma_usable), and the
 * buffer lies in the direct map, where kernel virtual addresses translate
 * to physical ones by a subtraction.  Otherwise the request uses PIO.
 */
#include "drivers/ata_hw.h"
#include "drivers/pit.h"
#include "kernel/assert.h"
#include "kernel/layout.h"
#include "kernel/proc.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "lib/kprintf.h"
#include "mm/page.h"

/* --- PCI configuration space (PCI Local Bus Specification 3.0) ----------
 * Configuration mechanism #1 (3.2.2.3.2): write the address of a register
 * to CONFIG_ADDRESS, then read or write it through CONFIG_DATA.
 *
 *    31   30..24  23..16  15..11   10..8      7..2     1..0
 *   +---+--------+-------+-------+----------+--------+----+
 *   | E |reserved|  bus  |device | function |register| 00 |
 *   +---+--------+-------+-------+----------+--------+----+
 */
#define PCI_CONFIG_ADDRESS  0xCF8
#define PCI_CONFIG_DATA     0xCFC
#define PCI_CONFIG_ENABLE   0x80000000u

/* Header registers (6.1, "Configuration Space Organization"). */
#define PCI_REG_ID          0x00    /* vendor 15:0, device 31:16 */
#define PCI_REG_COMMAND     0x04    /* 16 bits (6.2.2) */
#define PCI_REG_CLASS       0x08    /* class 31:24, subclass 23:16, prog-if 15:8 */
#define PCI_REG_HEADER      0x0C    /* header type in bits 23:16 */
#define PCI_REG_BAR4        0x20
#define PCI_CMD_IO          0x0001  /* respond to I/O space accesses */
#define PCI_CMD_MASTER      0x0004  /* may act as a bus master */
#define PCI_HEADER_MULTI    0x80    /* the device has functions 1-7 */
#define PCI_BAR_IO          0x1     /* bit 0 of a BAR: an I/O range (6.2.5.1) */
#define PCI_BAR_IO_MASK     0xFFFFFFFCu
#define PCI_NO_DEVICE       0xFFFF  /* vendor ID read from an empty slot */
#define PCI_CLASS_STORAGE   0x01
#define PCI_SUBCLASS_IDE    0x01
/* IDE programming interface: a channel in "native" mode has its ports in
 * BARs 0-3 and a PCI interrupt; we handle only compatibility mode. */
#define PCI_IDE_PRIMARY_NATIVE   0x01
#define PCI_IDE_SECONDARY_NATIVE 0x04

struct pci_fn {
    uint8_t bus, dev, fn;
};

static uint32_t pci_config_address(struct pci_fn f, unsigned reg)
{
    return PCI_CONFIG_ENABLE | (uint32_t)f.bus << 16 | (uint32_t)f.dev << 11 |
           (uint32_t)f.fn << 8 | (reg & 0xFC);
}

static uint32_t pci_read32(struct pci_fn f, unsigned reg)
{
    outl(PCI_CONFIG_ADDRESS, pci_config_address(f, reg));
    return inl(PCI_CONFIG_DATA);
}

static void pci_write16(struct pci_fn f, unsigned reg, uint16_t v)
{
    outl(PCI_CONFIG_ADDRESS, pci_config_address(f, reg));
    outw((uint16_t)(PCI_CONFIG_DATA + (reg & 2)), v);
}

/* The first IDE controller (class 01h, subclass 01h) on bus 0, where
 * chipsets keep theirs.  Returns false if there is none. */
static bool pci_find_ide(struct pci_fn *out)
{
    for (uint8_t dev = 0; dev < 32; dev++) {
        for (uint8_t fn = 0; fn < 8; fn++) {
            struct pci_fn f = { 0, dev, fn };
            if ((pci_read32(f, PCI_REG_ID) & 0xFFFF) == PCI_NO_DEVICE) {
                if (fn == 0)
                    break;
                continue;
            }
            uint32_t class = pci_read32(f, PCI_REG_CLASS);
            if (class >> 24 == PCI_CLASS_STORAGE && ((class >> 16) & 0xFF) == PCI_SUBCLASS_IDE) {
                *out = f;
                return true;
            }
            if (fn == 0 && !((pci_read32(f, PCI_REG_HEADER) >> 16) & PCI_HEADER_MULTI))
                break;
        }
    }
    return false;
}

/* --- the watchdog ------------------------------------------------------ */

static struct proc *ata_watchdog;
static const char ata_watchdog_idle;     /* it sleeps here while no DMA runs */

/* Time out the DMA commands past their deadline; return the earliest
 * deadline still pending, or 0 if none.  Interrupts off. */
static uint64_t ata_watchdog_scan(void)
{
    uint64_t now = pit_ticks(), next = 0;

    for (unsigned c = 0; c < 2; c++) {
        struct ata_channel *ch = &ata_channels[c];
        if (!ch->dma_active || ch->dma_done || ch->dma_timed_out)
            continue;
        if (now >= ch->deadline) {
            ch->dma_timed_out = true;
            ch->timeouts++;
            wakeup(ch);
        } else if (next == 0 || ch->deadline < next) {
            next = ch->deadline;
        }
    }
    return next;
}

static void ata_watchdog_main(void)
{
    cli();
    for (;;) {
        uint64_t next = ata_watchdog_scan();
        if (next)
            sleep_until_tick(next);
        else
            sleep_on(&ata_watchdog_idle);
    }
}

void ata_dma_prepare(void)
{
    static bool warned;

    if (ata_watchdog || !current || !(ata_channels[0].bmide | ata_channels[1].bmide))
        return;
    ata_watchdog = proc_spawn_kernel("ata_eh", ata_watchdog_main);
    if (!ata_watchdog && !warned) {
        warned = true;
        kprintf(KERN_WARNING "ata: cannot start the DMA watchdog (no process slot "
                "or memory); using PIO until it can\n");
    }
}

/* --- DMA transfers ------------------------------------------------------ */

/*
 * Describe BYTES of physical memory at PADDR in CH's PRD table, cutting
 * at every 64 KiB boundary.  Example: 128 KiB at 0x00238000 becomes
 *   0x00238000  32 KiB   (up to the boundary at 0x00240000)
 *   0x00240000  64 KiB   (stored as byte count 0)
 *   0x00250000  32 KiB   EOT
 */
static void ata_prd_fill(struct ata_channel *ch, paddr_t paddr, uint32_t bytes)
{
    unsigned n = 0;

    while (bytes > 0) {
        uint32_t room = ATA_PRD_BOUNDARY - (paddr & (ATA_PRD_BOUNDARY - 1));
        uint32_t len = MIN(bytes, room);
        ASSERTF(n < ATA_PRD_MAX, "paddr 0x%x bytes %u", paddr, bytes);
        ch->prdt[n].paddr = paddr;
        ch->prdt[n].bytes = (uint16_t)len;      /* 65536 is stored as 0 */
        ch->prdt[n].flags = 0;
        paddr += len;
        bytes -= len;
        n++;
    }
    ch->prdt[n - 1].flags = ATA_PRD_EOT;
}

bool ata_dma_possible(const struct ata_disk *d)
{
    return d && d->present && d->dma && ata_channels[d->channel].bmide &&
           ata_current_mode == ATA_MODE_AUTO;
}

bool ata_dma_usable(const struct ata_disk *d, const void *buf, unsigned count)
{
    uintptr_t va = (uintptr_t)buf;
    uint32_t bytes = count * ATA_SECTOR_SIZE;

    if (!ata_dma_possible(d) || !ata_watchdog)
        return false;
    if (!current || !(read_eflags() & EFLAGS_IF))
        return false;           /* cannot sleep: early boot, or interrupts off */
    return va >= KERNEL_VBASE && va - KERNEL_VBASE <= LOWMEM_LIMIT - bytes &&
           (va & 1) == 0;       /* the direct map; PRD addresses are even */
}

/* Steps 5-6: sleep until the interrupt handler or the watchdog ends it. */
static void ata_dma_wait(struct ata_channel *ch)
{
    bool was = irq_save();

    /* A kill wakes us early; the transfer still owns the buffer, so we
     * go back to sleep until it is really over. */
    while (!ch->dma_done && !ch->dma_timed_out)
        sleep_on(ch);
    ch->dma_active = false;
    irq_restore(was);
}

/* Give the command in flight ATA_DMA_TIMEOUT_MS from now, and make sure
 * the watchdog is counting. */
static void ata_dma_set_deadline(struct ata_channel *ch)
{
    bool was = irq_save();

    ch->deadline = pit_ticks() + (uint64_t)ATA_DMA_TIMEOUT_MS * PIT_HZ / 1000;
    irq_restore(was);
    wakeup(&ata_watchdog_idle);
}

/* Before the command is sent: a disk that rejects it at once interrupts
 * right away, and the handler must know we are waiting. */
static void ata_dma_arm(struct ata_channel *ch)
{
    bool was = irq_save();

    ch->dma_done = false;
    ch->dma_timed_out = false;
    ch->dma_active = true;
    irq_restore(was);
    ata_dma_set_deadline(ch);
}

static int ata_dma_fail(struct ata_channel *ch, uint8_t status, const char *why,
                        struct ata_fail *fail)
{
    fail->status = status;
    fail->error = inb(ch->base + ATA_REG_ERROR);
    fail->why = why;
    return ATA_FAILED;
}

/* Step 6: after Start is cleared, what do the two statuses say? */
static int ata_dma_result(struct ata_channel *ch, uint32_t lba, unsigned count,
                          struct ata_fail *fail)
{
    uint8_t bms = inb(ch->bmide + BM_STATUS);

    outb(ch->bmide + BM_STATUS, (bms & BM_ST_CAP_MASK) | BM_ST_IRQ | BM_ST_ERROR);
    if (ch->dma_timed_out) {
        fail->timeout = true;
        return ata_dma_fail(ch, inb(ch->ctrl), "no interrupt within 2 s", fail);
    }
    uint8_t s = ch->irq_status;
    if ((bms | ch->irq_bmstatus) & BM_ST_ERROR)
        return ata_dma_fail(ch, s, "bus master error: PCI abort", fail);
    if (s & (ATA_SR_ERR | ATA_SR_DF)) {
        ata_fail_locate(ch, lba, count, fail);
        return ata_dma_fail(ch, s, NULL, fail);
    }
    if (bms & BM_ST_ACTIVE)
        return ata_dma_fail(ch, s, "disk moved less than the PRD table describes", fail);
    return ATA_OK;
}

/*
 * Move COUNT (1..256) sectors between LBA on D and BUF by READ DMA /
 * WRITE DMA, sleeping until the disk's interrupt.  The caller checked
 * ata_dma_usable.  Returns ATA_OK or ATA_FAILED with FAIL filled in.
 */
int ata_dma_transfer(struct ata_disk *d, uint32_t lba, unsigned count, void *buf,
                     bool write, struct ata_fail *fail)
{
    struct ata_channel *ch = &ata_channels[d->channel];
    uint8_t dir = write ? 0 : BM_CMD_WRITE_MEMORY;

    fail->lba = lba;
    ata_prd_fill(ch, virt_to_phys(buf), count * ATA_SECTOR_SIZE);
    outb(ch->bmide + BM_COMMAND, dir);                          /* 2 */
    outl(ch->bmide + BM_PRDT, ch->prdt_paddr);
    outb(ch->bmide + BM_STATUS,
         (inb(ch->bmide + BM_STATUS) & BM_ST_CAP_MASK) | BM_ST_IRQ | BM_ST_ERROR);
    ata_set_nien(ch, false);
    ata_dma_arm(ch);
    if (ata_start_command(ch, d->drive, lba, count,                  /* 3 */
                          write ? ATA_CMD_WRITE_DMA : ATA_CMD_READ_DMA, fail)) {
        ch->dma_active = false;
        return ATA_FAILED;
    }
    ata_dma_set_deadline(ch);              /* sending it may have taken a while */
    __asm__ volatile("" ::: "memory");     /* the buffer is written before Start */
    outb(ch->bmide + BM_COMMAND, dir | BM_CMD_START);                /* 4 */
    ata_dma_wait(ch);                                                /* 5 */
    outb(ch->bmide + BM_COMMAND, dir);                               /* 6 */
    __asm__ volatile("" ::: "memory");     /* and read only after the end */
    return ata_dma_result(ch, lba, count, fail);
}

static unsigned ata_irqs_to_lose;    /* ata_inject_lost_irqs */

void ata_inject_lost_irqs(unsigned n)
{
    ata_irqs_to_lose = n;
}

/* IRQ 14/15.  Reading the Status register makes the disk drop its
 * interrupt request; an interrupt nobody waits for is counted and
 * acknowledged that way. */
static void ata_irq(struct trapframe *tf)
{
    unsigned irq = tf->trapno - IRQ_BASE;
    struct ata_channel *ch = &ata_channels[irq == ATA_PRIMARY_IRQ ? 0 : 1];
    uint8_t bms = ch->bmide ? inb(ch->bmide + BM_STATUS) : 0;
    bool lose = ch->dma_active && ata_irqs_to_lose > 0;

    ch->irqs++;
    ata_irqs_to_lose -= lose;
    if (lose || !ch->dma_active || ch->dma_done || !(bms & BM_ST_IRQ)) {
        (void)inb(ch->base + ATA_REG_STATUS);
        ch->stray_irqs++;
        return;
    }
    ch->irq_bmstatus = bms;
    ch->irq_status = inb(ch->base + ATA_REG_STATUS);
    ch->dma_done = true;
    wakeup(ch);
}

/* --- setup --------------------------------------------------------------- */

/* One page per channel for its PRD table: page aligned, so it never
 * crosses a 64 KiB boundary, and lowmem, so below 4 GiB. */
static bool ata_dma_alloc_prdt(struct ata_channel *ch)
{
    struct page *page = alloc_page();

    if (!page)
        return false;
    page->owner = OWNER_KERNEL;
    ch->prdt = page_address(page);
    ch->prdt_paddr = (paddr_t)page_to_pfn(page) << PAGE_SHIFT;
    return true;
}

/* Check the controller F can do bus-master DMA; its bus-master I/O base
 * (BAR4), or 0. */
static uint16_t ata_dma_base(struct pci_fn f)
{
    uint32_t class = pci_read32(f, PCI_REG_CLASS);
    uint32_t bar4 = pci_read32(f, PCI_REG_BAR4);
    uint8_t progif = (uint8_t)(class >> 8);

    if (progif & (PCI_IDE_PRIMARY_NATIVE | PCI_IDE_SECONDARY_NATIVE)) {
        kprintf(KERN_INFO "ata: IDE controller in native PCI mode (prog-if 0x%02x) "
                "is not supported: PIO only\n", progif);
        return 0;
    }
    if (!(bar4 & PCI_BAR_IO) || !(bar4 & PCI_BAR_IO_MASK) || (bar4 & PCI_BAR_IO_MASK) > 0xFFF0) {
        kprintf(KERN_INFO "ata: no bus-master I/O range (BAR4 0x%08x): PIO only\n", bar4);
        return 0;
    }
    return (uint16_t)(bar4 & PCI_BAR_IO_MASK);
}

void ata_dma_init(void)
{
    struct pci_fn f;

    if (!pci_find_ide(&f)) {
        kprintf(KERN_INFO "ata: no PCI IDE controller: PIO only\n");
        return;
    }
    uint32_t id = pci_read32(f, PCI_REG_ID);
    uint16_t base = ata_dma_base(f);
    if (!base)
        return;
    if (!ata_dma_alloc_prdt(&ata_channels[0]) || !ata_dma_alloc_prdt(&ata_channels[1])) {
        kprintf(KERN_WARNING "ata: no memory for PRD tables: PIO only\n");
        return;
    }
    uint16_t cmd = (uint16_t)pci_read32(f, PCI_REG_COMMAND);
    pci_write16(f, PCI_REG_COMMAND, cmd | PCI_CMD_IO | PCI_CMD_MASTER);
    for (unsigned c = 0; c < 2; c++)
        ata_channels[c].bmide = (uint16_t)(base + c * BM_CHANNEL_STRIDE);
    irq_set_handler(ATA_PRIMARY_IRQ, ata_irq);
    irq_set_handler(ATA_SECONDARY_IRQ, ata_irq);
    kprintf(KERN_INFO "ata: PCI IDE %04x:%04x at %02x:%02x.%u, bus master at I/O 0x%x\n",
            id & 0xFFFF, id >> 16, f.bus, f.dev, f.fn, base);
}
