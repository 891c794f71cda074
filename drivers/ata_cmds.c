/*
 * drivers/ata_cmds.c - the monitor's commands for disks.
 *
 *   disks                     each position: model, size, mode, counters
 *   diskread DISK LBA         first 64 bytes of one sector, and a checksum
 *   disktest DISK LBA COUNT   write a pattern, read it back, compare
 *   diskbench DISK            1 MiB in 4 KiB requests, by PIO then by DMA
 *   diskmode [auto|pio]       show or choose how requests move data
 *
 * disktest and diskbench overwrite sectors, so they refuse every disk
 * whose sector 0 does not begin with the 8 bytes "SCRATCH!", and they
 * never write sector 0 itself: no typing mistake can damage a disk that
 * holds data (a swap area starts with a Linux swap header, not the
 * marker).  A scratch image for QEMU:
 *
 *   printf 'SCRATCH!' > scratch.img && truncate -s 4M scratch.img
 *   qemu-system-i386 ... -drive file=scratch.img,format=raw,if=ide,index=1
 *
 * (index=1 is the primary slave, hdb.)
 */
#include "drivers/ata.h"
#include "drivers/ata_hw.h"
#include "drivers/pit.h"
#include "kernel/monitor.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/page.h"

#define SECTORS_PER_PAGE (PAGE_SIZE / ATA_SECTOR_SIZE)
#define CMD_BUF_ORDER    5          /* 32 pages = 128 KiB = 256 sectors */
#define BENCH_FIRST_LBA  SECTORS_PER_PAGE   /* the first page keeps the marker */
#define BENCH_PAGES      256        /* 1 MiB */
#define DUMP_BYTES       64

_Static_assert((PAGE_SIZE << CMD_BUF_ORDER) == ATA_SECTORS_PER_CMD * ATA_SECTOR_SIZE,
               "the command buffer holds exactly one full command");

/* --- the test pattern --------------------------------------------------- */

static uint32_t ata_pattern_word(uint32_t lba, unsigned i, uint32_t seed)
{
    return (lba * 0x9E3779B1u) ^ (i * 0x85EBCA6Bu) ^ seed;
}

void ata_pattern_fill(void *buf, uint32_t lba, unsigned count, uint32_t seed)
{
    uint32_t *w = buf;

    for (unsigned s = 0; s < count; s++)
        for (unsigned i = 0; i < ATA_SECTOR_SIZE / 4; i++)
            *w++ = ata_pattern_word(lba + s, i, seed);
}

long ata_pattern_check(const void *buf, uint32_t lba, unsigned count, uint32_t seed)
{
    const uint32_t *w = buf;

    for (unsigned s = 0; s < count; s++)
        for (unsigned i = 0; i < ATA_SECTOR_SIZE / 4; i++, w++)
            if (*w != ata_pattern_word(lba + s, i, seed))
                return (long)(s * ATA_SECTOR_SIZE + i * 4);
    return -1;
}

/* --- helpers ------------------------------------------------------------- */

static const char *errno_text(int rc)
{
    switch (rc) {
    case -EIO: return "EIO (input/output error)";
    case -EINVAL: return "EINVAL (outside the disk)";
    case -ENODEV: return "ENODEV (no such disk)";
    case -EBUSY: return "EBUSY (channel busy)";
    case -ENOMEM: return "ENOMEM (out of memory)";
    default: return "error";
    }
}

static struct ata_disk *cmd_disk(const char *cmd, const char *name)
{
    struct ata_disk *d = ata_get(name);

    if (!d)
        cprintf("%s: %s: no such disk (see `disks`)\n", cmd, name);
    return d;
}

/* Writing commands run only on scratch disks (see the top of this file). */
static bool cmd_scratch_only(const char *cmd, struct ata_disk *d)
{
    if (ata_is_scratch(d))
        return true;
    cprintf("%s: %s: sector 0 does not begin with \"%s\": not a scratch disk; "
            "refusing to write to it\n", cmd, d->name, ATA_SCRATCH_MAGIC);
    return false;
}

static uint32_t fnv1a32(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;

    while (n--)
        h = (h ^ *p++) * 16777619u;
    return h;
}

/* --- disks ----------------------------------------------------------------- */

static void disks_line(const struct ata_disk *d)
{
    const struct ata_stats *s = &d->stats;
    char size[16];

    if (d->atapi) {
        cprintf("%-4s %-20.20s ATAPI, ignored\n", d->name, d->model);
        return;
    }
    if (!d->present) {
        cprintf("%-4s %-20s -\n", d->name, "(none)");
        return;
    }
    ata_format_size(d->sectors, size, sizeof(size));
    cprintf("%-4s %-20.20s %8s %-4s %7lu %8lu %7lu %8lu %6lu %6lu %6lu %7llu\n",
            d->name, d->model, size, ata_dma_possible(d) ? "DMA" : "PIO",
            s->reads, s->sectors_read, s->writes, s->sectors_written, s->errors,
            s->pio_cmds, s->dma_cmds, (s->pio_us + s->dma_us) / 1000);
}

static int cmd_disks(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cprintf("disk model                    size mode   reads  sectors  writes  sectors "
            "errors pio-cmd dma-cmd      ms\n");
    for (unsigned i = 0; i < ATA_NR_DISKS; i++)
        disks_line(ata_disk_at(i));
    for (unsigned c = 0; c < 2; c++) {
        const struct ata_channel *ch = &ata_channels[c];
        if (ch->bmide)
            cprintf("%s: irq %u, bus master 0x%x: %lu interrupts (%lu stray), "
                    "%lu DMA timeouts\n", ch->name, ch->irq, ch->bmide, ch->irqs,
                    ch->stray_irqs, ch->timeouts);
        else
            cprintf("%s: irq %u, no bus master: PIO only\n", ch->name, ch->irq);
    }
    cprintf("mode: %s\n", ata_mode_name(ata_current_mode));
    return 0;
}
MONITOR_CMD(disks, "disks", "IDE disks: model, size, transfer mode and counters", cmd_disks);

/* --- diskread --------------------------------------------------------------- */

static void dump_sector(const struct ata_disk *d, uint32_t lba, const uint8_t *buf)
{
    for (unsigned off = 0; off < DUMP_BYTES; off += 16) {
        char hex[16 * 3 + 1], ascii[17];
        for (unsigned i = 0; i < 16; i++) {
            uint8_t b = buf[off + i];
            ksnprintf(hex + 3 * i, 4, "%02x ", b);
            ascii[i] = b >= 0x20 && b < 0x7F ? (char)b : '.';
        }
        ascii[16] = '\0';
        cprintf("%04x  %s |%s|\n", off, hex, ascii);
    }
    cprintf("%s LBA %u: 512 bytes, fnv1a32 0x%08x (first %u shown)\n", d->name, lba,
            fnv1a32(buf, ATA_SECTOR_SIZE), DUMP_BYTES);
}

static int cmd_diskread(int argc, char **argv)
{
    unsigned long long lba;

    if (argc != 3 || !parse_uint(argv[2], &lba, false)) {
        cprintf("usage: diskread DISK LBA   (e.g. diskread hdb 0)\n");
        return 1;
    }
    struct ata_disk *d = cmd_disk("diskread", argv[1]);
    if (!d)
        return 1;
    if (lba >= d->sectors) {
        cprintf("diskread: LBA %llu is past the end of %s (%u sectors)\n", lba, d->name, d->sectors);
        return 1;
    }
    struct page *page = alloc_page();
    if (!page) {
        cprintf("diskread: %s\n", errno_text(-ENOMEM));
        return 1;
    }
    int rc = ata_read(d, (uint32_t)lba, 1, page_address(page));
    if (rc == 0)
        dump_sector(d, (uint32_t)lba, page_address(page));
    else
        cprintf("diskread: %s LBA %llu: %s\n", d->name, lba, errno_text(rc));
    free_page(page);
    return rc ? 1 : 0;
}
MONITOR_CMD(diskread, "diskread DISK LBA", "show a disk sector (first 64 bytes, checksum)",
            cmd_diskread);

/* --- disktest --------------------------------------------------------------- */

/* Write (or read back and compare) COUNT sectors at LBA, 256 at a time
 * through BUF.  Returns 0, or 1 after printing what went wrong. */
static int disktest_pass(struct ata_disk *d, uint32_t lba, uint32_t count, uint8_t *buf,
                         uint32_t seed, bool write)
{
    for (uint32_t done = 0; done < count;) {
        unsigned n = MIN(count - done, (uint32_t)ATA_SECTORS_PER_CMD);
        int rc;
        if (write) {
            ata_pattern_fill(buf, lba + done, n, seed);
            rc = ata_write(d, lba + done, n, buf);
        } else {
            memset(buf, 0, n * ATA_SECTOR_SIZE);
            rc = ata_read(d, lba + done, n, buf);
        }
        if (rc) {
            cprintf("disktest: %s %s at LBA %u: %s\n", d->name, write ? "write" : "read",
                    lba + done, errno_text(rc));
            return 1;
        }
        long bad = write ? -1 : ata_pattern_check(buf, lba + done, n, seed);
        if (bad >= 0) {
            cprintf("disktest: %s: MISMATCH in LBA %u at byte %ld\n", d->name,
                    lba + done + (uint32_t)bad / ATA_SECTOR_SIZE, bad % ATA_SECTOR_SIZE);
            return 1;
        }
        done += n;
    }
    return 0;
}

static int cmd_disktest(int argc, char **argv)
{
    static uint32_t runs;
    unsigned long long lba, count;

    if (argc != 4 || !parse_uint(argv[2], &lba, false) || !parse_uint(argv[3], &count, false)) {
        cprintf("usage: disktest DISK LBA COUNT   (scratch disks only; LBA >= 1)\n");
        return 1;
    }
    struct ata_disk *d = cmd_disk("disktest", argv[1]);
    if (!d || !cmd_scratch_only("disktest", d))
        return 1;
    if (lba == 0 || count == 0 || lba >= d->sectors || count > d->sectors - lba) {
        cprintf("disktest: need 1 <= LBA and LBA + COUNT <= %u (sector 0 holds the marker)\n",
                d->sectors);
        return 1;
    }
    struct page *page = alloc_pages(CMD_BUF_ORDER);
    if (!page) {
        cprintf("disktest: %s\n", errno_text(-ENOMEM));
        return 1;
    }
    uint32_t seed = ++runs * 0x9E3779B9u;
    int bad = disktest_pass(d, (uint32_t)lba, (uint32_t)count, page_address(page), seed, true) ||
              disktest_pass(d, (uint32_t)lba, (uint32_t)count, page_address(page), seed, false);
    if (!bad)
        cprintf("disktest: %s: wrote, read back and compared %llu sectors at LBA %llu (%s): ok\n",
                d->name, count, lba, ata_dma_possible(d) ? "DMA" : "PIO");
    free_pages(page, CMD_BUF_ORDER);
    return bad;
}
MONITOR_CMD(disktest, "disktest DISK LBA COUNT",
            "write a pattern to a scratch disk, read it back, compare", cmd_disktest);

/* --- diskbench --------------------------------------------------------------
 *
 * What the figures mean.  "instructions/page" is the time-stamp counter
 * per 4 KiB request: guest instructions under -icount while the CPU runs,
 * host cycles without it.  PIO keeps the CPU busy copying words and
 * polling, so its figure is CPU work.  During DMA the CPU is idle (hlt)
 * and under -icount the virtual clock then jumps ahead, so the DMA figure
 * counts waiting too, not CPU work.  And the disk's answers come from
 * QEMU's host threads, so the figures vary from run to run even under
 * -icount: compare them, do not expect them to repeat exactly.
 */

static int bench_pass(struct ata_disk *d, void *page, bool write)
{
    const char *mode = ata_dma_possible(d) ? "dma" : "pio", *op = write ? "write" : "read";
    uint64_t tsc = rdtsc(), us = uptime_us();
    char name[40];

    for (unsigned i = 0; i < BENCH_PAGES; i++) {
        uint32_t lba = BENCH_FIRST_LBA + i * SECTORS_PER_PAGE;
        int rc = write ? ata_write(d, lba, SECTORS_PER_PAGE, page)
                       : ata_read(d, lba, SECTORS_PER_PAGE, page);
        if (rc) {
            cprintf("diskbench: %s %s at LBA %u: %s\n", d->name, op, lba, errno_text(rc));
            return 1;
        }
    }
    tsc = rdtsc() - tsc;
    us = uptime_us() - us;
    ksnprintf(name, sizeof(name), "ata %s %s 4K page", mode, op);
    cprintf("bench: %-40s %8llu instructions/page\n", name, tsc / BENCH_PAGES);
    cprintf("diskbench: %s %s %s: %u pages in %llu us: %llu pages/s\n", d->name, mode, op,
            BENCH_PAGES, us, us ? BENCH_PAGES * 1000000ull / us : 0ull);
    return 0;
}

/* Both passes (write, then read) in MODE; restores the mode after. */
static int bench_mode(struct ata_disk *d, void *page, enum ata_mode mode)
{
    enum ata_mode old = ata_set_mode(mode);
    int bad = bench_pass(d, page, true) || bench_pass(d, page, false);

    ata_set_mode(old);
    return bad;
}

static int cmd_diskbench(int argc, char **argv)
{
    if (argc != 2) {
        cprintf("usage: diskbench DISK   (scratch disks of at least 1 MiB + 4 KiB)\n");
        return 1;
    }
    struct ata_disk *d = cmd_disk("diskbench", argv[1]);
    if (!d || !cmd_scratch_only("diskbench", d))
        return 1;
    if (d->sectors < BENCH_FIRST_LBA + BENCH_PAGES * SECTORS_PER_PAGE) {
        cprintf("diskbench: %s is too small (%u sectors)\n", d->name, d->sectors);
        return 1;
    }
    struct page *page = alloc_page();
    if (!page) {
        cprintf("diskbench: %s\n", errno_text(-ENOMEM));
        return 1;
    }
    ata_pattern_fill(page_address(page), 0, SECTORS_PER_PAGE, 0);
    int bad = bench_mode(d, page_address(page), ATA_MODE_PIO);
    if (!bad && d->dma && ata_channels[d->channel].bmide)
        bad = bench_mode(d, page_address(page), ATA_MODE_AUTO);
    else if (!bad)
        cprintf("diskbench: %s: no DMA (no bus master, or the disk cannot); skipped\n", d->name);
    free_page(page);
    return bad;
}
MONITOR_CMD(diskbench, "diskbench DISK",
            "write and read 1 MiB of a scratch disk in 4 KiB requests, PIO then DMA",
            cmd_diskbench);

/* --- diskmode ---------------------------------------------------------------- */

static int cmd_diskmode(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "auto") == 0)
        ata_set_mode(ATA_MODE_AUTO);
    else if (argc == 2 && strcmp(argv[1], "pio") == 0)
        ata_set_mode(ATA_MODE_PIO);
    else if (argc != 1) {
        cprintf("usage: diskmode [auto|pio]\n");
        return 1;
    }
    cprintf("diskmode: %s\n", ata_mode_name(ata_current_mode));
    return 0;
}
MONITOR_CMD(diskmode, "diskmode [auto|pio]",
            "how disk requests move data: auto (DMA when possible) or pio", cmd_diskmode);
