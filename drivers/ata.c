/*
 * drivers/ata.c - IDE disks: finding them at boot, and the requests the
 * rest of the kernel makes (read, write, flush), with their checks,
 * retries and error reports.
 *
 * Finding disks.  Each channel is first checked for a floating bus (no
 * device pulls the status lines down, so they read 0xFF), then reset, then
 * each of its two positions is sent IDENTIFY DEVICE.  A disk answers with
 * 256 words describing itself (model, size, features); a CD-ROM refuses
 * and leaves the ATAPI signature behind; an empty position answers nothing.
 * The lines printed follow Linux's libata and old ide driver:
 *
 *   ata1.01: ATA-7: QEMU HARDDISK, 2.5+, max UDMA/100
 *   hdb: 8192 sectors (4 MiB)
 *
 * Requests.  ata_read/ata_write check the range, take the channel (one
 * command at a time per cable), cut the request into commands of at most
 * 256 sectors, and run each command by DMA or PIO (chosen per command by
 * ata_dma_usable).  A failed command is reported with the disk, the LBA,
 * and the device's status and error registers, the channel is reset, and
 * the command is tried again, ATA_ATTEMPTS times in all; then -EIO.
 * Every wait underneath has a deadline, so a broken disk costs at most a
 * few seconds per request and never hangs the kernel.
 */
#include "drivers/ata.h"
#include "drivers/ata_hw.h"
#include "drivers/pit.h"
#include "kernel/proc.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

/* devctl starts as 0xFF, a value never written, so that the first
 * ata_set_nien really writes Device Control whatever the BIOS left. */
struct ata_channel ata_channels[2] = {
    { .name = "ata1", .base = ATA_PRIMARY_BASE, .ctrl = ATA_PRIMARY_CTRL,
      .irq = ATA_PRIMARY_IRQ, .devctl = 0xFF },
    { .name = "ata2", .base = ATA_SECONDARY_BASE, .ctrl = ATA_SECONDARY_CTRL,
      .irq = ATA_SECONDARY_IRQ, .devctl = 0xFF },
};
struct ata_disk ata_disks[ATA_NR_DISKS];
enum ata_mode ata_current_mode = ATA_MODE_AUTO;

/* --- identification --------------------------------------------------- */

/* IDENTIFY strings: two characters per word, the first in the high byte
 * ("QEMU" arrives as the words 0x5145 0x4D55), padded with blanks. */
static void ata_id_string(const uint16_t *id, unsigned word, unsigned words, char *out)
{
    for (unsigned i = 0; i < words; i++) {
        out[2 * i] = (char)(id[word + i] >> 8);
        out[2 * i + 1] = (char)(id[word + i] & 0xFF);
    }
    int n = (int)words * 2;
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
        n--;
    out[n] = '\0';
}

/* Highest n with bit n set in word 80 ("supports ATA-n"); 0 if unknown. */
static uint8_t ata_id_major(const uint16_t *id)
{
    uint16_t w = id[ATA_ID_MAJOR];

    if (w == 0 || w == 0xFFFF)
        return 0;
    for (uint8_t n = 14; n >= 1; n--)
        if (w & (1u << n))
            return n;
    return 0;
}

static int8_t ata_id_udma(const uint16_t *id)
{
    if (!(id[ATA_ID_FIELD_VALID] & ATA_ID_FV_88))
        return -1;
    for (int8_t m = 6; m >= 0; m--)
        if (id[ATA_ID_UDMA] & (1u << m))
            return m;
    return -1;
}

/* "UDMA/100", "MWDMA2" or "PIO", as Linux prints the fastest mode. */
static void ata_xfer_name(const uint16_t *id, char *buf, size_t size)
{
    static const unsigned udma_mb_s[] = { 16, 25, 33, 44, 66, 100, 133 };
    int8_t udma = ata_id_udma(id);
    uint16_t mw = id[ATA_ID_MWDMA] & 7;

    if (udma >= 0)
        ksnprintf(buf, size, "UDMA/%u", udma_mb_s[udma]);
    else if (mw)
        ksnprintf(buf, size, "MWDMA%u", mw & 4 ? 2u : mw & 2 ? 1u : 0u);
    else
        ksnprintf(buf, size, "PIO");
}

void ata_format_size(uint32_t sectors, char *buf, size_t size)
{
    if (sectors >= 2048)
        ksnprintf(buf, size, "%u MiB", sectors / 2048);
    else
        ksnprintf(buf, size, "%u KiB", sectors / 2);
}

/* Fill D from the IDENTIFY DEVICE data ID; false if we cannot use it. */
static bool ata_fill_disk(struct ata_disk *d, const uint16_t *id)
{
    d->sectors = (uint32_t)id[ATA_ID_LBA28] | (uint32_t)id[ATA_ID_LBA28 + 1] << 16;
    if (d->sectors > ATA_LBA28_LIMIT)
        d->sectors = ATA_LBA28_LIMIT;
    ata_id_string(id, ATA_ID_MODEL, ATA_ID_MODEL_LEN, d->model);
    ata_id_string(id, ATA_ID_FIRMWARE, ATA_ID_FIRMWARE_LEN, d->firmware);
    d->ata_major = ata_id_major(id);
    d->udma_max = ata_id_udma(id);
    d->lba48 = id[ATA_ID_CMDSET2] & ATA_ID_CMDSET2_LBA48;
    d->dma = id[ATA_ID_CAPABILITY] & ATA_ID_CAP_DMA;
    return (id[ATA_ID_CAPABILITY] & ATA_ID_CAP_LBA) && d->sectors > 0;
}

static void ata_print_disk(const struct ata_channel *ch, const struct ata_disk *d,
                           const uint16_t *id)
{
    char xfer[16], size[16];

    ata_xfer_name(id, xfer, sizeof(xfer));
    ata_format_size(d->sectors, size, sizeof(size));
    if (d->ata_major)
        kprintf(KERN_INFO "%s.%02u: ATA-%u: %s, %s, max %s\n", ch->name, d->drive,
                d->ata_major, d->model, d->firmware, xfer);
    else
        kprintf(KERN_INFO "%s.%02u: ATA: %s, %s, max %s\n", ch->name, d->drive,
                d->model, d->firmware, xfer);
    kprintf(KERN_INFO "%s.%02u: %u sectors, %s\n", ch->name, d->drive, d->sectors,
            d->lba48 ? "LBA48 (used as LBA28: up to 128 GiB)" : "LBA28");
    uint64_t sectors48 = (uint64_t)id[ATA_ID_LBA48] | (uint64_t)id[ATA_ID_LBA48 + 1] << 16 |
                         (uint64_t)id[ATA_ID_LBA48 + 2] << 32 | (uint64_t)id[ATA_ID_LBA48 + 3] << 48;
    if (d->lba48 && sectors48 > d->sectors)
        kprintf(KERN_INFO "%s: has %llu sectors; only the first %u are reachable with LBA28\n",
                d->name, sectors48, d->sectors);
    kprintf(KERN_INFO "%s: %u sectors (%s)\n", d->name, d->sectors, size);
}

static void ata_probe_position(struct ata_channel *ch, struct ata_disk *d)
{
    uint16_t id[ATA_ID_WORDS];
    char xfer[16];

    switch (ata_identify(ch, d->drive, id)) {
    case ATA_KIND_ATA:
        if (ata_fill_disk(d, id)) {
            d->present = true;
            ata_print_disk(ch, d, id);
        } else {
            kprintf(KERN_WARNING "%s: %s has no LBA addressing; ignored\n", d->name, d->model);
        }
        break;
    case ATA_KIND_ATAPI:
        d->atapi = true;
        ata_id_string(id, ATA_ID_MODEL, ATA_ID_MODEL_LEN, d->model);
        ata_id_string(id, ATA_ID_FIRMWARE, ATA_ID_FIRMWARE_LEN, d->firmware);
        ata_xfer_name(id, xfer, sizeof(xfer));
        kprintf(KERN_INFO "%s.%02u: ATAPI: %s, %s, max %s\n", ch->name, d->drive,
                d->model, d->firmware, xfer);
        kprintf(KERN_INFO "%s: ATAPI, ignored\n", d->name);
        break;
    case ATA_KIND_OTHER:
        kprintf(KERN_INFO "%s.%02u: not an ATA or ATAPI device; ignored\n", ch->name, d->drive);
        break;
    case ATA_KIND_NONE:
        break;
    }
}

static void ata_probe_channel(unsigned c)
{
    struct ata_channel *ch = &ata_channels[c];
    uint8_t s = inb(ch->base + ATA_REG_STATUS);

    if (s == ATA_SR_FLOATING) {
        kprintf(KERN_INFO "%s: floating bus (status 0xff): no devices\n", ch->name);
        return;
    }
    if (ch->bmide)
        kprintf(KERN_INFO "%s: PATA cmd 0x%x ctl 0x%x bmdma 0x%x irq %u\n",
                ch->name, ch->base, ch->ctrl, ch->bmide, ch->irq);
    else
        kprintf(KERN_INFO "%s: PATA cmd 0x%x ctl 0x%x irq %u (PIO only)\n",
                ch->name, ch->base, ch->ctrl, ch->irq);
    ata_channel_reset(ch);
    for (unsigned drive = 0; drive < 2; drive++)
        ata_probe_position(ch, &ata_disks[c * 2 + drive]);
}

void ata_init(void)
{
    unsigned found = 0;

    for (unsigned i = 0; i < ATA_NR_DISKS; i++) {
        struct ata_disk *d = &ata_disks[i];
        ksnprintf(d->name, sizeof(d->name), "hd%c", 'a' + i);
        d->channel = (uint8_t)(i / 2);
        d->drive = (uint8_t)(i % 2);
    }
    ata_dma_init();
    for (unsigned c = 0; c < 2; c++)
        ata_probe_channel(c);
    for (unsigned i = 0; i < ATA_NR_DISKS; i++)
        found += ata_disks[i].present;
    if (!found)
        kprintf(KERN_INFO "ata: no ATA disks found\n");
}

/* --- requests --------------------------------------------------------- */

static bool ata_caller_can_sleep(void)
{
    return current && (read_eflags() & EFLAGS_IF);
}

/* Take channel CH for one request, sleeping while another request has it
 * (if the caller may sleep: else -EBUSY). */
static int ata_channel_get(struct ata_channel *ch)
{
    bool may_sleep = ata_caller_can_sleep();
    bool was = irq_save();

    while (ch->busy) {
        if (!may_sleep) {
            irq_restore(was);
            return -EBUSY;
        }
        sleep_on(&ch->busy);
    }
    ch->busy = true;
    irq_restore(was);
    return 0;
}

static void ata_channel_put(struct ata_channel *ch)
{
    bool was = irq_save();

    ch->busy = false;
    irq_restore(was);
    wakeup(&ch->busy);
}

/* Names of the bits set in the Error register (and DF from STATUS). */
static void ata_error_names(uint8_t status, uint8_t error, char *buf, size_t size)
{
    static const char *const names[8] = {
        "AMNF", "NM", "ABRT", "MCR", "IDNF", "MC", "UNC", "ICRC",
    };
    size_t len = 0;

    buf[0] = '\0';
    if (status & ATA_SR_DF)
        len += (size_t)ksnprintf(buf + len, size - len, "DF");
    for (int bit = 7; bit >= 0; bit--)
        if ((error & (1u << bit)) && len < size)
            len += (size_t)ksnprintf(buf + len, size - len, "%s%s", len ? " " : "", names[bit]);
    if (len == 0)
        ksnprintf(buf, size, "no error bits");
}

static void ata_report(const struct ata_disk *d, bool write, const struct ata_fail *f,
                       bool dma, int attempt)
{
    char names[48];

    if (f->why)
        strlcpy(names, f->why, sizeof(names));
    else
        ata_error_names(f->status, f->error, names, sizeof(names));
    kprintf(KERN_ERR "%s: %s %s at LBA %u: status 0x%02x error 0x%02x (%s); %s, attempt %d of %d\n",
            d->name, write ? "write" : "read", f->timeout ? "timeout" : "error", f->lba,
            f->status, f->error, names, dma ? "DMA" : "PIO", attempt, ATA_ATTEMPTS);
}

/* One try at one command; accounts it in D's statistics. */
static int ata_attempt(struct ata_disk *d, uint32_t lba, unsigned count, void *buf,
                       bool write, struct ata_fail *fail, bool *dma)
{
    uint64_t start = uptime_us();
    int rc;

    *dma = ata_dma_usable(d, buf, count);
    if (*dma)
        rc = ata_dma_transfer(d, lba, count, buf, write, fail);
    else
        rc = ata_pio_transfer(d, lba, count, buf, write, fail);
    uint64_t us = uptime_us() - start;
    if (*dma) {
        d->stats.dma_cmds++;
        d->stats.dma_us += us;
    } else {
        d->stats.pio_cmds++;
        d->stats.pio_us += us;
    }
    return rc;
}

/* One command of COUNT (1..256) sectors, tried up to ATA_ATTEMPTS times. */
static int ata_command(struct ata_disk *d, uint32_t lba, unsigned count, void *buf, bool write)
{
    for (int attempt = 1; attempt <= ATA_ATTEMPTS; attempt++) {
        struct ata_fail fail = {0};
        bool dma;

        if (ata_attempt(d, lba, count, buf, write, &fail, &dma) == ATA_OK) {
            if (write)
                d->stats.sectors_written += count;
            else
                d->stats.sectors_read += count;
            return 0;
        }
        d->stats.errors++;
        ata_report(d, write, &fail, dma, attempt);
        ata_channel_reset(&ata_channels[d->channel]);
    }
    d->stats.failures++;
    kprintf(KERN_ERR "%s: I/O error: %s of %u sector%s at LBA %u failed %d times; giving up\n",
            d->name, write ? "write" : "read", count, count == 1 ? "" : "s", lba, ATA_ATTEMPTS);
    return -EIO;
}

static int ata_rw(struct ata_disk *d, uint32_t lba, unsigned count, void *buf, bool write)
{
    if (!d || !d->present)
        return -ENODEV;
    if (count == 0 || !buf || lba >= d->sectors || count > d->sectors - lba)
        return -EINVAL;
    ata_dma_prepare();          /* before taking the channel: it may allocate */
    struct ata_channel *ch = &ata_channels[d->channel];
    int rc = ata_channel_get(ch);
    if (rc)
        return rc;
    uint8_t *p = buf;
    while (count > 0 && rc == 0) {
        unsigned n = MIN(count, (unsigned)ATA_SECTORS_PER_CMD);
        rc = ata_command(d, lba, n, p, write);
        lba += n;
        count -= n;
        p += n * ATA_SECTOR_SIZE;
    }
    ata_channel_put(ch);
    if (rc == 0) {
        if (write)
            d->stats.writes++;
        else
            d->stats.reads++;
    }
    return rc;
}

int ata_read(struct ata_disk *disk, uint32_t lba, unsigned count, void *buf)
{
    return ata_rw(disk, lba, count, buf, false);
}

int ata_write(struct ata_disk *disk, uint32_t lba, unsigned count, const void *buf)
{
    /* The buffer is only read; ata_rw's pointer is writable for reads. */
    return ata_rw(disk, lba, count, (void *)(uintptr_t)buf, true);
}

int ata_flush(struct ata_disk *disk)
{
    struct ata_fail fail = {0};

    if (!disk || !disk->present)
        return -ENODEV;
    struct ata_channel *ch = &ata_channels[disk->channel];
    int rc = ata_channel_get(ch);
    if (rc)
        return rc;
    if (ata_nondata(disk, ATA_CMD_FLUSH_CACHE, ATA_FLUSH_TIMEOUT_MS, &fail) != ATA_OK) {
        kprintf(KERN_ERR "%s: flush %s: status 0x%02x error 0x%02x\n", disk->name,
                fail.timeout ? "timeout" : "error", fail.status, fail.error);
        disk->stats.errors++;
        ata_channel_reset(ch);
        rc = -EIO;
    }
    ata_channel_put(ch);
    return rc;
}

/* --- lookups and settings --------------------------------------------- */

struct ata_disk *ata_get(const char *name)
{
    for (unsigned i = 0; i < ATA_NR_DISKS; i++) {
        if (ata_disks[i].present && strcmp(ata_disks[i].name, name) == 0) {
            ata_dma_prepare();
            return &ata_disks[i];
        }
    }
    return NULL;
}

struct ata_disk *ata_disk_at(unsigned index)
{
    return index < ATA_NR_DISKS ? &ata_disks[index] : NULL;
}

enum ata_mode ata_set_mode(enum ata_mode mode)
{
    enum ata_mode old = ata_current_mode;

    ata_current_mode = mode;
    return old;
}

const char *ata_mode_name(enum ata_mode mode)
{
    return mode == ATA_MODE_PIO ? "pio" : "auto";
}

bool ata_is_scratch(struct ata_disk *disk)
{
    /* On the stack: moved by PIO, which is fine for one sector. */
    uint8_t sector[ATA_SECTOR_SIZE];

    if (!disk || !disk->present || ata_read(disk, 0, 1, sector) != 0)
        return false;
    return memcmp(sector, ATA_SCRATCH_MAGIC, ATA_SCRATCH_MAGIC_LEN) == 0;
}
