/*
 * drivers/ata.h - IDE (parallel ATA) disks: find them, read and write
 * their 512-byte sectors.  The disk under swap.
 *
 * A PC has two IDE channels (cables), each with room for two devices, a
 * "master" and a "slave".  The kernel names the four positions as old
 * Linux did:
 *
 *   channel     ports         irq   master   slave
 *   primary     1F0h / 3F6h   14    hda      hdb
 *   secondary   170h / 376h   15    hdc      hdd
 *
 * A disk is an array of sectors numbered from 0 (the LBA, logical block
 * address).  Moving sectors happens in one of two ways, chosen per request:
 *
 *   PIO   the CPU copies every 16-bit word through the data port, polling
 *         the status register in between: simple, works everywhere (early
 *         boot, interrupts off), but the CPU is busy the whole time.
 *   DMA   the IDE controller on the PCI bus (a "bus master") copies the
 *         data to or from memory by itself and raises an interrupt at the
 *         end; meanwhile the process that asked sleeps and others run.
 *
 * drivers/ata.c finds the disks and runs requests (checks, retries, error
 * reports); drivers/ata_pio.c speaks the task-file protocol; ata_dma.c
 * drives the PCI bus master; ata_cmds.c is the monitor's window on all of
 * it (`disks`, `diskread`, `disktest`, `diskbench`, `diskmode`).
 *
 * Safety rule for tools: commands that WRITE (disktest, diskbench) work
 * only on a disk whose sector 0 begins with the 8 bytes "SCRATCH!", a
 * marker that only test images carry.  Nothing the monitor can type will
 * scribble over a disk that holds real data.  ata_write itself has no such
 * check: the swap code writes where it was told to.
 */
#ifndef DRIVERS_ATA_H
#define DRIVERS_ATA_H

#include "lib/types.h"

#define ATA_SECTOR_SIZE     512
#define ATA_SECTORS_PER_CMD 256          /* one command moves at most this many */
#define ATA_LBA28_LIMIT     (1u << 28)   /* sectors reachable with 28-bit LBA: 128 GiB */
#define ATA_NR_DISKS        4            /* hda, hdb, hdc, hdd */
#define ATA_ATTEMPTS        3            /* tries per command before -EIO */

/* The first bytes of sector 0 of a disk that tests may overwrite. */
#define ATA_SCRATCH_MAGIC     "SCRATCH!"
#define ATA_SCRATCH_MAGIC_LEN 8

/* How requests move data.  AUTO uses DMA whenever it can (a PCI bus
 * master was found, the caller may sleep, the buffer is in the direct
 * map) and PIO otherwise; PIO never uses DMA (tests, comparisons). */
enum ata_mode {
    ATA_MODE_AUTO,
    ATA_MODE_PIO,
};

/* What happened on one disk since boot.  Updated by the request that owns
 * the channel; read without locking (the numbers only grow). */
struct ata_stats {
    unsigned long reads, writes;                /* requests that succeeded */
    unsigned long sectors_read, sectors_written;
    unsigned long pio_cmds, dma_cmds;           /* commands issued, by mode */
    unsigned long errors;                       /* failed attempts (retried) */
    unsigned long failures;                     /* requests that gave -EIO */
    uint64_t pio_us, dma_us;                    /* time spent in commands */
};

/* One of the four positions.  Everything but STATS is set once by
 * ata_init and never changes. */
struct ata_disk {
    char name[4];               /* "hda" .. "hdd" */
    bool present;               /* an ATA disk answered IDENTIFY DEVICE */
    bool atapi;                 /* a packet device (CD-ROM): found, ignored */
    uint32_t sectors;           /* addressable with LBA28: at most 2^28 */
    uint8_t channel;            /* 0 primary, 1 secondary */
    uint8_t drive;              /* 0 master, 1 slave */
    char model[41];             /* IDENTIFY words 27-46, trailing blanks cut */
    char firmware[9];           /* IDENTIFY words 23-26 */
    uint8_t ata_major;          /* highest ATA-n the disk claims; 0 unknown */
    int8_t udma_max;            /* highest Ultra DMA mode supported; -1 none */
    bool lba48;                 /* could address more than 2^28 sectors */
    bool dma;                   /* supports DMA transfers */
    struct ata_stats stats;
};

/* Probe both channels and print what is there.  Call once at boot, after
 * the memory allocator (the DMA tables take a page per channel). */
void ata_init(void);

/* The disk called NAME ("hdb"), or NULL if no ATA disk is there. */
struct ata_disk *ata_get(const char *name);
/* Position INDEX (0 = hda .. 3 = hdd), present or not; NULL past the end. */
struct ata_disk *ata_disk_at(unsigned index);

/*
 * Read (write) COUNT sectors starting at LBA into (from) BUF, a kernel
 * address holding COUNT * 512 bytes.  Any COUNT >= 1 is accepted; more
 * than 256 sectors become several commands.  A buffer in the direct map
 * (page_address, kmalloc) can be moved by DMA; others (kernel stacks) are
 * moved by PIO.  The caller may sleep while DMA runs, unless it has
 * interrupts disabled or runs before the scheduler (current == NULL), in
 * which case PIO polling is used.
 *
 * Returns 0, or -ENODEV (no such disk), -EINVAL (count 0, or LBA..LBA+COUNT
 * not inside the disk), -EBUSY (the channel is in use and the caller cannot
 * sleep), -EIO (the disk failed ATA_ATTEMPTS times; each failure is printed
 * with the disk, the LBA and the device's status and error registers).
 */
int ata_read(struct ata_disk *disk, uint32_t lba, unsigned count, void *buf);
int ata_write(struct ata_disk *disk, uint32_t lba, unsigned count, const void *buf);

/* Ask DISK to write its volatile cache to the medium (FLUSH CACHE).
 * Returns 0, -ENODEV, -EBUSY or -EIO. */
int ata_flush(struct ata_disk *disk);

/* Choose how requests move data; returns the previous mode. */
enum ata_mode ata_set_mode(enum ata_mode mode);
const char *ata_mode_name(enum ata_mode mode);
/* Would a request on DISK from process context use DMA? */
bool ata_dma_possible(const struct ata_disk *disk);

/* Does sector 0 of DISK begin with ATA_SCRATCH_MAGIC?  Reads the disk. */
bool ata_is_scratch(struct ata_disk *disk);

/* For tests and disktest: fill COUNT sectors at BUF with a pattern made
 * of their LBA and SEED, so that a sector read back from the wrong place
 * or a stale one is told apart.  ata_pattern_check returns the offset of
 * the first byte that differs, or -1 if all match. */
void ata_pattern_fill(void *buf, uint32_t lba, unsigned count, uint32_t seed);
long ata_pattern_check(const void *buf, uint32_t lba, unsigned count, uint32_t seed);

/* Fault injection for tests: ignore the next N DMA completion interrupts,
 * as if they were lost, so the watchdog must time those commands out. */
void ata_inject_lost_irqs(unsigned n);

#endif
