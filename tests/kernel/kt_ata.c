/*
 * tests/kernel/kt_ata.c - the IDE driver against an (emulated) disk.
 *
 * These tests write, so they run only on a scratch disk: one whose sector
 * 0 begins with "SCRATCH!" (tests/scenarios/ata_scratch.test attaches a
 * 4 MiB image as hdb).  Without one every case is skipped.  Writes stay
 * at TEST_LBA and above, or in the last sectors, never in sector 0.
 *
 * A round trip writes a pattern naming its sectors, reads it back into a
 * zeroed buffer and compares.  The disk's counters show which mode moved
 * the data, so a case meant for DMA that silently fell back to PIO fails
 * rather than passing for the wrong reason.
 */
#include "tests/ktest.h"
#include "drivers/ata.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/page.h"

#define TEST_LBA   64
#define BUF_ORDER  6            /* 256 KiB: 256 sectors fit at any offset below 128 KiB */
#define OFF_64K_X2 0x8000       /* 128 KiB from here crosses two 64 KiB boundaries */

static uint32_t seed = 0x5eed0000;

static struct ata_disk *scratch_disk(struct ktest *t)
{
    for (unsigned i = 0; i < ATA_NR_DISKS; i++) {
        struct ata_disk *d = ata_disk_at(i);
        if (d->present && ata_is_scratch(d))
            return d;
    }
    ktest_skip(t, "no scratch disk (sector 0 \"SCRATCH!\"): see tests/scenarios/ata_scratch.test");
    return NULL;
}

/* Write COUNT sectors at LBA from BUF in MODE, read them back, compare,
 * and check that each command went the way MODE says. */
static void roundtrip_buf(struct ktest *t, struct ata_disk *d, enum ata_mode mode,
                          uint32_t lba, unsigned count, uint8_t *buf, bool expect_dma)
{
    unsigned long pio = d->stats.pio_cmds, dma = d->stats.dma_cmds;
    unsigned long cmds = 2 * ((count + ATA_SECTORS_PER_CMD - 1) / ATA_SECTORS_PER_CMD);
    enum ata_mode old = ata_set_mode(mode);

    seed += 0x01000193;
    ata_pattern_fill(buf, lba, count, seed);
    EXPECT_EQ(t, ata_write(d, lba, count, buf), 0);
    memset(buf, 0, count * ATA_SECTOR_SIZE);
    EXPECT_EQ(t, ata_read(d, lba, count, buf), 0);
    EXPECT_EQ(t, ata_pattern_check(buf, lba, count, seed), -1);
    EXPECT_EQ(t, d->stats.dma_cmds - dma, expect_dma ? cmds : 0);
    EXPECT_EQ(t, d->stats.pio_cmds - pio, expect_dma ? 0 : cmds);
    ata_set_mode(old);
}

/* The same with a buffer from the page allocator, at byte OFFSET into it. */
static void roundtrip(struct ktest *t, enum ata_mode mode, uint32_t lba, unsigned count,
                      size_t offset)
{
    struct ata_disk *d = scratch_disk(t);

    if (!d)
        return;
    if (mode == ATA_MODE_AUTO && !d->dma) {
        ktest_skip(t, "the disk cannot do DMA");
        return;
    }
    enum ata_mode old = ata_set_mode(mode);
    bool dma = ata_dma_possible(d);
    ata_set_mode(old);
    if (mode == ATA_MODE_AUTO && !dma) {
        ktest_skip(t, "no PCI bus master: DMA not available");
        return;
    }
    struct page *page = alloc_pages(BUF_ORDER);
    ASSERT_NOT_NULL(t, page);
    roundtrip_buf(t, d, mode, lba, count, (uint8_t *)page_address(page) + offset, dma);
    free_pages(page, BUF_ORDER);
}

static void test_lba0_holds_marker(struct ktest *t)
{
    struct ata_disk *d = scratch_disk(t);

    if (!d)
        return;
    struct page *page = alloc_page();
    ASSERT_NOT_NULL(t, page);
    EXPECT_EQ(t, ata_read(d, 0, 1, page_address(page)), 0);
    EXPECT_EQ(t, memcmp(page_address(page), ATA_SCRATCH_MAGIC, ATA_SCRATCH_MAGIC_LEN), 0);
    free_page(page);
}

static void test_pio_1_sector(struct ktest *t)   { roundtrip(t, ATA_MODE_PIO, TEST_LBA, 1, 0); }
static void test_pio_8_sectors(struct ktest *t)  { roundtrip(t, ATA_MODE_PIO, TEST_LBA + 8, 8, 0); }
static void test_pio_256_sectors(struct ktest *t) { roundtrip(t, ATA_MODE_PIO, TEST_LBA + 16, 256, 0); }
static void test_dma_1_sector(struct ktest *t)   { roundtrip(t, ATA_MODE_AUTO, TEST_LBA + 1, 1, 512); }
static void test_dma_8_sectors(struct ktest *t)  { roundtrip(t, ATA_MODE_AUTO, TEST_LBA + 8, 8, 0); }

/* 128 KiB starting 32 KiB into a 256 KiB-aligned block: three PRDs. */
static void test_dma_256_sectors_across_64k(struct ktest *t)
{
    roundtrip(t, ATA_MODE_AUTO, TEST_LBA + 300, 256, OFF_64K_X2);
}

/* 300 sectors: two commands (256 + 44) each way, which roundtrip_buf
 * counts. */
static void test_300_sectors_two_commands(struct ktest *t)
{
    roundtrip(t, ATA_MODE_PIO, TEST_LBA + 600, 300, 0);
}

static void test_last_sectors(struct ktest *t)
{
    struct ata_disk *d = scratch_disk(t);

    if (d)
        roundtrip(t, ATA_MODE_AUTO, d->sectors - 8, 8, 0);
}

static void test_out_of_range_refused(struct ktest *t)
{
    struct ata_disk *d = scratch_disk(t);
    static uint8_t sector[2 * ATA_SECTOR_SIZE];

    if (!d)
        return;
    unsigned long cmds = d->stats.pio_cmds + d->stats.dma_cmds;
    EXPECT_EQ(t, ata_read(d, d->sectors, 1, sector), -EINVAL);
    EXPECT_EQ(t, ata_read(d, d->sectors - 1, 2, sector), -EINVAL);
    EXPECT_EQ(t, ata_write(d, d->sectors - 1, 2, sector), -EINVAL);
    EXPECT_EQ(t, ata_read(d, 0xFFFFFFFFu, 1, sector), -EINVAL);
    EXPECT_EQ(t, ata_read(d, 1, 0, sector), -EINVAL);
    EXPECT_EQ(t, d->stats.pio_cmds + d->stats.dma_cmds, cmds);   /* nothing was sent */
}

static void test_missing_disk_refused(struct ktest *t)
{
    static uint8_t sector[ATA_SECTOR_SIZE];

    EXPECT_EQ(t, ata_read(NULL, 0, 1, sector), -ENODEV);
    EXPECT_NULL(t, ata_get("hdz"));
    for (unsigned i = 0; i < ATA_NR_DISKS; i++) {
        struct ata_disk *d = ata_disk_at(i);
        if (!d->present) {
            EXPECT_EQ(t, ata_read(d, 0, 1, sector), -ENODEV);
            EXPECT_NULL(t, ata_get(d->name));
        }
    }
}

/* A buffer on the kernel stack is outside the direct map: PIO. */
static void test_stack_buffer_uses_pio(struct ktest *t)
{
    struct ata_disk *d = scratch_disk(t);
    uint8_t buf[2 * ATA_SECTOR_SIZE] __attribute__((aligned(4)));

    if (d)
        roundtrip_buf(t, d, ATA_MODE_AUTO, TEST_LBA + 40, 2, buf, false);
}

/* With interrupts off the caller cannot sleep: PIO with counted waits. */
static void test_irqs_off_uses_pio(struct ktest *t)
{
    struct ata_disk *d = scratch_disk(t);

    if (!d)
        return;
    struct page *page = alloc_page();
    ASSERT_NOT_NULL(t, page);
    bool was = irq_save();
    roundtrip_buf(t, d, ATA_MODE_AUTO, TEST_LBA + 48, 8, page_address(page), false);
    irq_restore(was);
    free_page(page);
}

/* A DMA completion interrupt that never arrives: the watchdog ends the
 * wait after ATA_DMA_TIMEOUT_MS, the command is retried and succeeds;
 * the failed attempt is counted.  Takes about two seconds. */
static void test_dma_lost_interrupt_times_out(struct ktest *t)
{
    struct ata_disk *d = scratch_disk(t);

    if (!d)
        return;
    if (!ata_dma_possible(d)) {
        ktest_skip(t, "no DMA");
        return;
    }
    struct page *page = alloc_page();
    ASSERT_NOT_NULL(t, page);
    unsigned long errors = d->stats.errors, dma = d->stats.dma_cmds;
    ata_inject_lost_irqs(1);
    EXPECT_EQ(t, ata_read(d, TEST_LBA, 8, page_address(page)), 0);
    ata_inject_lost_irqs(0);
    EXPECT_EQ(t, d->stats.errors - errors, 1);
    EXPECT_EQ(t, d->stats.dma_cmds - dma, 2);
    free_page(page);
}

static void test_marker_survived(struct ktest *t)
{
    test_lba0_holds_marker(t);
}

static void test_flush(struct ktest *t)
{
    struct ata_disk *d = scratch_disk(t);

    if (d)
        EXPECT_EQ(t, ata_flush(d), 0);
}

static const struct ktest_case ata_cases[] = {
    KTEST_CASE(test_lba0_holds_marker),
    KTEST_CASE(test_pio_1_sector),
    KTEST_CASE(test_pio_8_sectors),
    KTEST_CASE(test_pio_256_sectors),
    KTEST_CASE(test_dma_1_sector),
    KTEST_CASE(test_dma_8_sectors),
    KTEST_CASE(test_dma_256_sectors_across_64k),
    KTEST_CASE(test_300_sectors_two_commands),
    KTEST_CASE(test_last_sectors),
    KTEST_CASE(test_out_of_range_refused),
    KTEST_CASE(test_missing_disk_refused),
    KTEST_CASE(test_stack_buffer_uses_pio),
    KTEST_CASE(test_irqs_off_uses_pio),
    KTEST_CASE(test_flush),
    KTEST_CASE(test_dma_lost_interrupt_times_out),
    KTEST_CASE(test_marker_survived),
    {0}
};
KTEST_SUITE(ata, ata_cases);
