/*
 * drivers/ata_pio.c - talking to an IDE device through its task file, and
 * moving data by PIO (programmed I/O: the CPU copies every word).
 *
 * Every ATA command follows the same pattern (ATA/ATAPI-6, clause
 * "Protocol"):
 *
 *   1. wait until the channel is idle (BSY clear)
 *   2. select the device (Device register), wait 400 ns, wait until it is
 *      idle and ready (BSY clear, DRDY set)
 *   3. write the parameters (Sector Count, LBA Low/Mid/High), then the
 *      command code: writing the Command register starts it
 *   4. per sector: wait for BSY clear; ERR or DF means failure; DRQ means
 *      the device waits for 256 words through the Data port ("PIO data-in"
 *      for reads, "PIO data-out" for writes)
 *   5. at the end, read the Status register once more, which also
 *      acknowledges the device's interrupt.
 *
 * The device never tells us anything unless asked, so every step that
 * waits polls a status register, and every poll has a deadline: a dead or
 * absent device makes a command fail, never the kernel hang.  With
 * interrupts on the deadline is measured on the PIT clock; with them off
 * the clock stands still, so the poll is bounded by a count instead.
 *
 * PIO polling keeps the device's interrupt disabled (nIEN); only DMA
 * (drivers/ata_dma.c) lets it through.
 */
#include "drivers/ata_hw.h"
#include "drivers/pit.h"
#include "kernel/x86.h"
#include "lib/kprintf.h"
#include "lib/string.h"

/* Status polls per millisecond when the clock cannot be used: an I/O
 * read on the IDE ports takes about a microsecond on real hardware (less
 * under QEMU, where such a deadline is only shorter, never longer). */
#define ATA_SPINS_PER_MS 1000u

struct ata_timer {
    bool ticking;           /* interrupts are on: the PIT measures time */
    uint64_t end_tick;
    uint32_t spins_left;
};

static void ata_timer_start(struct ata_timer *t, unsigned ms)
{
    t->ticking = read_eflags() & EFLAGS_IF;
    t->end_tick = pit_ticks() + (uint64_t)ms * PIT_HZ / 1000 + 1;
    t->spins_left = ms * ATA_SPINS_PER_MS;
}

static bool ata_timer_expired(struct ata_timer *t)
{
    if (t->ticking)
        return pit_ticks() >= t->end_tick;
    return t->spins_left-- == 0;
}

static uint8_t ata_alt_status(struct ata_channel *ch)
{
    return inb(ch->ctrl);
}

/* After writing Device or Command the status is valid only 400 ns later;
 * each Alternate Status read takes at least 100 ns on the bus. */
static void ata_delay_400ns(struct ata_channel *ch)
{
    for (int i = 0; i < 4; i++)
        (void)ata_alt_status(ch);
}

/* Wait about MS milliseconds by counted status reads.  Only for the short
 * pauses of a reset: the clock would round them up to whole ticks and,
 * under -icount, turn them into millions of counted "instructions" of
 * boot time; QEMU needs no pause at all. */
static void ata_delay_ms(struct ata_channel *ch, unsigned ms)
{
    for (uint32_t i = 0; i < ms * ATA_SPINS_PER_MS; i++)
        (void)ata_alt_status(ch);
}

static inline void ata_insw(uint16_t port, void *buf, unsigned words)
{
    __asm__ volatile("rep insw" : "+D"(buf), "+c"(words) : "d"(port) : "memory");
}

static inline void ata_outsw(uint16_t port, const void *buf, unsigned words)
{
    __asm__ volatile("rep outsw" : "+S"(buf), "+c"(words) : "d"(port) : "memory");
}

void ata_set_nien(struct ata_channel *ch, bool disable_irq)
{
    uint8_t v = disable_irq ? ATA_CTL_NIEN : 0;

    if (ch->devctl != v) {
        outb(ch->ctrl, v);
        ch->devctl = v;
    }
}

/* Record a failure the device reported (ERR or DF in STATUS). */
static int ata_fail_device(struct ata_channel *ch, uint8_t status, struct ata_fail *fail)
{
    fail->status = status;
    fail->error = inb(ch->base + ATA_REG_ERROR);
    return ATA_FAILED;
}

static int ata_fail_because(struct ata_channel *ch, uint8_t status, const char *why,
                            bool timeout, struct ata_fail *fail)
{
    fail->status = status;
    fail->error = inb(ch->base + ATA_REG_ERROR);
    fail->why = why;
    fail->timeout = timeout;
    return ATA_FAILED;
}

int ata_wait_not_busy(struct ata_channel *ch, unsigned ms, struct ata_fail *fail)
{
    struct ata_timer t;
    uint8_t s;

    ata_timer_start(&t, ms);
    while ((s = ata_alt_status(ch)) & ATA_SR_BSY) {
        if (ata_timer_expired(&t))
            return ata_fail_because(ch, s, "BSY did not clear", true, fail);
    }
    fail->status = s;
    return ATA_OK;
}

/* Step 4: wait until the device has a sector for us (or wants one). */
static int ata_wait_data(struct ata_channel *ch, struct ata_fail *fail)
{
    if (ata_wait_not_busy(ch, ATA_CMD_TIMEOUT_MS, fail))
        return ATA_FAILED;
    uint8_t s = fail->status;
    if (s & (ATA_SR_ERR | ATA_SR_DF))
        return ata_fail_device(ch, s, fail);
    if (!(s & ATA_SR_DRQ))
        return ata_fail_because(ch, s, "device not ready for data (DRQ clear)", false, fail);
    return ATA_OK;
}

static void ata_select(struct ata_channel *ch, unsigned drive, uint32_t lba)
{
    outb(ch->base + ATA_REG_DEVICE, (uint8_t)(ATA_DEV_OBS | ATA_DEV_LBA |
         (drive << ATA_DEV_SHIFT) | ((lba >> 24) & ATA_DEV_LBA_HI_MASK)));
    ata_delay_400ns(ch);
}

/*
 * Steps 1-3 for a command on DRIVE with LBA and COUNT (1..256).
 * Returns ATA_OK once the command is written, or ATA_FAILED with FAIL
 * filled in when the device never became ready for it.
 */
int ata_start_command(struct ata_channel *ch, unsigned drive, uint32_t lba,
                      unsigned count, uint8_t command, struct ata_fail *fail)
{
    if (ata_wait_not_busy(ch, ATA_CMD_TIMEOUT_MS, fail))
        return ATA_FAILED;
    ata_select(ch, drive, lba);
    if (ata_wait_not_busy(ch, ATA_CMD_TIMEOUT_MS, fail))
        return ATA_FAILED;
    uint8_t s = fail->status;
    if (!(s & ATA_SR_DRDY) || (s & ATA_SR_DRQ))
        return ata_fail_because(ch, s, "device not ready for a command", false, fail);
    outb(ch->base + ATA_REG_FEATURES, 0);
    outb(ch->base + ATA_REG_COUNT, (uint8_t)count);      /* 256 is written as 0 */
    outb(ch->base + ATA_REG_LBA_LOW, (uint8_t)lba);
    outb(ch->base + ATA_REG_LBA_MID, (uint8_t)(lba >> 8));
    outb(ch->base + ATA_REG_LBA_HIGH, (uint8_t)(lba >> 16));
    outb(ch->base + ATA_REG_COMMAND, command);
    ata_delay_400ns(ch);
    return ATA_OK;
}

/* Step 5: the command is over; its final status decides. */
static int ata_finish(struct ata_channel *ch, unsigned ms, struct ata_fail *fail)
{
    if (ata_wait_not_busy(ch, ms, fail))
        return ATA_FAILED;
    uint8_t s = inb(ch->base + ATA_REG_STATUS);
    if (s & (ATA_SR_ERR | ATA_SR_DF))
        return ata_fail_device(ch, s, fail);
    fail->status = s;
    return ATA_OK;
}

/*
 * Move COUNT (1..256) sectors between LBA on disk D and BUF by READ
 * SECTORS / WRITE SECTORS.  Returns ATA_OK or ATA_FAILED; on failure
 * FAIL->lba is the sector being moved when it happened.
 */
int ata_pio_transfer(struct ata_disk *d, uint32_t lba, unsigned count, void *buf,
                     bool write, struct ata_fail *fail)
{
    struct ata_channel *ch = &ata_channels[d->channel];
    uint8_t *p = buf;
    uint16_t data = ch->base + ATA_REG_DATA;

    ata_set_nien(ch, true);
    fail->lba = lba;
    if (ata_start_command(ch, d->drive, lba, count,
                          write ? ATA_CMD_WRITE_SECTORS : ATA_CMD_READ_SECTORS, fail))
        return ATA_FAILED;
    for (unsigned i = 0; i < count; i++, p += ATA_SECTOR_SIZE) {
        fail->lba = lba + i;
        if (ata_wait_data(ch, fail))
            goto failed;
        if (write)
            ata_outsw(data, p, ATA_SECTOR_SIZE / 2);
        else
            ata_insw(data, p, ATA_SECTOR_SIZE / 2);
    }
    /* A write is on the disk (or in its cache) only when BSY clears. */
    if (ata_finish(ch, ATA_CMD_TIMEOUT_MS, fail) == ATA_OK)
        return ATA_OK;
failed:
    /* A write error shows up while we wait for the NEXT sector's DRQ;
     * the device knows which sector it was. */
    if (fail->status & ATA_SR_ERR)
        ata_fail_locate(ch, lba, count, fail);
    return ATA_FAILED;
}

/* A command without data (FLUSH CACHE) on disk D, allowed MS to finish. */
int ata_nondata(struct ata_disk *d, uint8_t command, unsigned ms, struct ata_fail *fail)
{
    struct ata_channel *ch = &ata_channels[d->channel];

    ata_set_nien(ch, true);
    fail->lba = 0;
    if (ata_start_command(ch, d->drive, 0, 0, command, fail))
        return ATA_FAILED;
    return ata_finish(ch, ms, fail);
}

/* After a command failed with ERR, the LBA registers hold the address of
 * the sector it failed on (ATA/ATAPI-6, READ SECTORS and friends, "Error
 * outputs").  Use it if it lies inside the command's LBA..LBA+COUNT. */
void ata_fail_locate(struct ata_channel *ch, uint32_t lba, unsigned count, struct ata_fail *fail)
{
    uint32_t at = (uint32_t)inb(ch->base + ATA_REG_LBA_LOW) |
                  (uint32_t)inb(ch->base + ATA_REG_LBA_MID) << 8 |
                  (uint32_t)inb(ch->base + ATA_REG_LBA_HIGH) << 16 |
                  (uint32_t)(inb(ch->base + ATA_REG_DEVICE) & ATA_DEV_LBA_HI_MASK) << 24;

    if (at >= lba && at - lba < count)
        fail->lba = at;
}

/* Select device 0 and check that it took: a device busy with a command
 * ignores writes to the task file, and QEMU performs a reset a little
 * later, in its main loop, still busy until then.  (Meanwhile it answers
 * for the device selected before the reset: an empty slave reads as
 * status 0, "not busy", and a command sent then would go to nobody.) */
static bool ata_select_device0(struct ata_channel *ch)
{
    struct ata_timer t;

    ata_timer_start(&t, ATA_RESET_TIMEOUT_MS);
    do {
        outb(ch->base + ATA_REG_DEVICE, ATA_DEV_OBS);
        ata_delay_400ns(ch);
        if (!(inb(ch->base + ATA_REG_DEVICE) & (1u << ATA_DEV_SHIFT)))
            return true;
    } while (!ata_timer_expired(&t));
    return false;
}

/*
 * Software reset (ATA/ATAPI-6, "Software reset protocol"): hold SRST for
 * at least 5 us, release it, wait 2 ms, then until BSY clears.  Resets
 * BOTH devices of the channel and leaves device 0 selected.
 */
void ata_channel_reset(struct ata_channel *ch)
{
    struct ata_fail f = {0};

    outb(ch->ctrl, ATA_CTL_SRST | ATA_CTL_NIEN);
    for (int i = 0; i < 16; i++)
        (void)ata_alt_status(ch);
    outb(ch->ctrl, ATA_CTL_NIEN);
    ch->devctl = ATA_CTL_NIEN;
    ata_delay_ms(ch, 2);
    if (!ata_select_device0(ch))
        kprintf(KERN_ERR "%s: device 0 not selectable %u ms after reset\n",
                ch->name, ATA_RESET_TIMEOUT_MS);
    else if (ata_wait_not_busy(ch, ATA_RESET_TIMEOUT_MS, &f))
        kprintf(KERN_ERR "%s: still busy %u ms after reset (status 0x%02x)\n",
                ch->name, ATA_RESET_TIMEOUT_MS, f.status);
}

/* IDENTIFY PACKET DEVICE, for the model of a CD-ROM; ID stays zeroed if
 * the device does not answer. */
static void ata_identify_packet(struct ata_channel *ch, uint16_t *id)
{
    struct ata_fail f = {0};

    outb(ch->base + ATA_REG_COMMAND, ATA_CMD_IDENTIFY_PACKET);
    ata_delay_400ns(ch);
    if (ata_wait_not_busy(ch, ATA_IDENTIFY_TIMEOUT_MS, &f) || !(f.status & ATA_SR_DRQ))
        return;
    ata_insw(ch->base + ATA_REG_DATA, id, ATA_ID_WORDS);
    (void)inb(ch->base + ATA_REG_STATUS);
}

/*
 * Ask position DRIVE of CH what it is (IDENTIFY DEVICE).  An empty
 * position answers with status 0 (QEMU) or a floating 0xFF; an ATAPI
 * device aborts the command and leaves its signature in LBA Mid/High.
 * Returns the kind found; for ATA and ATAPI devices ID holds the 256
 * words of identification (zeroed if an ATAPI device would not say).
 */
enum ata_kind ata_identify(struct ata_channel *ch, unsigned drive, uint16_t *id)
{
    struct ata_fail f = {0};

    memset(id, 0, ATA_ID_WORDS * 2);
    ata_set_nien(ch, true);
    if (ata_wait_not_busy(ch, ATA_IDENTIFY_TIMEOUT_MS, &f))
        return ATA_KIND_NONE;       /* the selected device would ignore us */
    ata_select(ch, drive, 0);
    if (ata_wait_not_busy(ch, ATA_IDENTIFY_TIMEOUT_MS, &f))
        return ATA_KIND_NONE;
    outb(ch->base + ATA_REG_COUNT, 0);
    outb(ch->base + ATA_REG_LBA_LOW, 0);
    outb(ch->base + ATA_REG_LBA_MID, 0);
    outb(ch->base + ATA_REG_LBA_HIGH, 0);
    outb(ch->base + ATA_REG_COMMAND, ATA_CMD_IDENTIFY);
    ata_delay_400ns(ch);
    uint8_t s = ata_alt_status(ch);
    if (s == 0 || s == ATA_SR_FLOATING)
        return ATA_KIND_NONE;
    if (ata_wait_not_busy(ch, ATA_IDENTIFY_TIMEOUT_MS, &f))
        return ATA_KIND_NONE;
    uint8_t mid = inb(ch->base + ATA_REG_LBA_MID), high = inb(ch->base + ATA_REG_LBA_HIGH);
    if ((mid == ATA_SIG_ATAPI_MID && high == ATA_SIG_ATAPI_HIGH) ||
        (mid == ATA_SIG_SATAPI_MID && high == ATA_SIG_SATAPI_HIGH)) {
        ata_identify_packet(ch, id);
        return ATA_KIND_ATAPI;
    }
    if (mid || high)
        return ATA_KIND_OTHER;
    if (ata_wait_data(ch, &f))
        return ATA_KIND_NONE;
    ata_insw(ch->base + ATA_REG_DATA, id, ATA_ID_WORDS);
    (void)inb(ch->base + ATA_REG_STATUS);
    return ATA_KIND_ATA;
}
