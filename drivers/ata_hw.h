/*
 * drivers/ata_hw.h - the IDE hardware as the driver's files see it: the
 * task-file registers of ATA/ATAPI-6, the bus-master registers of the
 * Intel PIIX3/PIIX4 IDE function, and the channel state they share.
 *
 * Private to drivers/ata*.c; everyone else uses drivers/ata.h.
 *
 * Each channel decodes two small blocks of I/O ports.  The "command block"
 * at BASE holds the task file, the registers a command is written into;
 * the "control block" at CTRL is one port that reads the status without
 * side effects and writes the reset and interrupt-enable bits:
 *
 *   offset  read                  write
 *   BASE+0  Data (16 bits)        Data
 *   BASE+1  Error                 Features
 *   BASE+2  Sector Count          Sector Count   (0 means 256)
 *   BASE+3  LBA Low   (LBA  7:0)  LBA Low
 *   BASE+4  LBA Mid   (LBA 15:8)  LBA Mid
 *   BASE+5  LBA High  (LBA 23:16) LBA High
 *   BASE+6  Device                Device         (drive, LBA 27:24)
 *   BASE+7  Status (clears INTRQ) Command        (writing it starts the command)
 *   CTRL    Alternate Status      Device Control (SRST, nIEN)
 */
#ifndef DRIVERS_ATA_HW_H
#define DRIVERS_ATA_HW_H

#include "drivers/ata.h"
#include "lib/types.h"

/* --- Task file (ATA/ATAPI-6, clause "Register descriptions") ----------- */

#define ATA_PRIMARY_BASE    0x1F0   /* legacy ("compatibility mode") ports */
#define ATA_PRIMARY_CTRL    0x3F6
#define ATA_PRIMARY_IRQ     14
#define ATA_SECONDARY_BASE  0x170
#define ATA_SECONDARY_CTRL  0x376
#define ATA_SECONDARY_IRQ   15

#define ATA_REG_DATA        0
#define ATA_REG_ERROR       1
#define ATA_REG_FEATURES    1
#define ATA_REG_COUNT       2
#define ATA_REG_LBA_LOW     3
#define ATA_REG_LBA_MID     4
#define ATA_REG_LBA_HIGH    5
#define ATA_REG_DEVICE      6
#define ATA_REG_STATUS      7
#define ATA_REG_COMMAND     7

/*
 * Status (and Alternate Status):
 *
 *     7     6     5     4     3     2     1     0
 *   +-----+-----+-----+-----+-----+-----+-----+-----+
 *   | BSY | DRDY| DF  |  -  | DRQ |  -  |  -  | ERR |
 *   +-----+-----+-----+-----+-----+-----+-----+-----+
 *
 * While BSY is set the other bits mean nothing.  DRQ: the device wants a
 * sector of data moved through the Data port.  ERR: the command failed,
 * the Error register says why.  DF: device fault (does not set ERR).
 * Bit 4 was "seek complete" on old disks; QEMU still sets it (0x50).
 */
#define ATA_SR_BSY          0x80
#define ATA_SR_DRDY         0x40
#define ATA_SR_DF           0x20
#define ATA_SR_DRQ          0x08
#define ATA_SR_ERR          0x01
#define ATA_SR_FLOATING     0xFF    /* nothing drives the bus: pull-ups read 1s */

/* Error register, for the read/write commands used here. */
#define ATA_ER_ICRC         0x80    /* interface CRC error (Ultra DMA) */
#define ATA_ER_UNC          0x40    /* uncorrectable data */
#define ATA_ER_MC           0x20    /* media changed */
#define ATA_ER_IDNF         0x10    /* ID not found: no such sector */
#define ATA_ER_MCR          0x08    /* media change requested */
#define ATA_ER_ABRT         0x04    /* command aborted */
#define ATA_ER_NM           0x02    /* no media */
#define ATA_ER_AMNF         0x01    /* address mark not found (obsolete) */

/*
 * Device register:
 *
 *     7     6     5     4     3 .. 0
 *   +-----+-----+-----+-----+-----------+
 *   |  1  | LBA |  1  | DEV | LBA 27:24 |
 *   +-----+-----+-----+-----+-----------+
 *
 * Bits 7 and 5 are obsolete and written as 1; LBA selects logical block
 * addressing (rather than cylinder/head/sector); DEV picks master (0) or
 * slave (1): both devices see every write, only the selected one answers.
 */
#define ATA_DEV_OBS         0xA0
#define ATA_DEV_LBA         0x40
#define ATA_DEV_SHIFT       4
#define ATA_DEV_LBA_HI_MASK 0x0F

/* Device Control: SRST resets both devices of the channel while set;
 * nIEN set keeps the device from raising its interrupt line. */
#define ATA_CTL_SRST        0x04
#define ATA_CTL_NIEN        0x02

/* Commands (ATA/ATAPI-6, clause "Command descriptions"). */
#define ATA_CMD_READ_SECTORS    0x20    /* PIO data-in */
#define ATA_CMD_WRITE_SECTORS   0x30    /* PIO data-out */
#define ATA_CMD_READ_DMA        0xC8
#define ATA_CMD_WRITE_DMA       0xCA
#define ATA_CMD_FLUSH_CACHE     0xE7    /* non-data */
#define ATA_CMD_IDENTIFY        0xEC    /* IDENTIFY DEVICE: PIO data-in, 1 sector */
#define ATA_CMD_IDENTIFY_PACKET 0xA1    /* IDENTIFY PACKET DEVICE (ATAPI) */

/* Signatures left in LBA Mid/High by a device that aborted IDENTIFY
 * DEVICE because it is not a plain ATA disk (clause "Signature and
 * persistence"; the SATA ones from the Serial ATA specification). */
#define ATA_SIG_ATAPI_MID   0x14
#define ATA_SIG_ATAPI_HIGH  0xEB
#define ATA_SIG_SATAPI_MID  0x69
#define ATA_SIG_SATAPI_HIGH 0x96
#define ATA_SIG_SATA_MID    0x3C
#define ATA_SIG_SATA_HIGH   0xC3

/* IDENTIFY DEVICE data: 256 little-endian words.  Strings hold two ASCII
 * characters per word, the FIRST in the HIGH byte. */
#define ATA_ID_WORDS        256
#define ATA_ID_CONFIG       0       /* bit 15 set: not an ATA device */
#define ATA_ID_FIRMWARE     23      /* words 23-26: 8 characters */
#define ATA_ID_FIRMWARE_LEN 4
#define ATA_ID_MODEL        27      /* words 27-46: 40 characters */
#define ATA_ID_MODEL_LEN    20
#define ATA_ID_CAPABILITY   49      /* bit 8 DMA, bit 9 LBA */
#define ATA_ID_CAP_DMA      (1u << 8)
#define ATA_ID_CAP_LBA      (1u << 9)
#define ATA_ID_FIELD_VALID  53      /* bit 2: word 88 is valid */
#define ATA_ID_FV_88        (1u << 2)
#define ATA_ID_LBA28        60      /* words 60-61: sectors reachable by LBA28 */
#define ATA_ID_MWDMA        63      /* bits 0-2: multiword DMA modes supported */
#define ATA_ID_MAJOR        80      /* bit n set: supports ATA-n */
#define ATA_ID_CMDSET2      83      /* bit 10: 48-bit LBA */
#define ATA_ID_CMDSET2_LBA48 (1u << 10)
#define ATA_ID_UDMA         88      /* bits 0-6: Ultra DMA modes supported */
#define ATA_ID_LBA48        100     /* words 100-103: sectors by LBA48 */

/* --- Bus-master IDE (PIIX4 datasheet 82371AB, 5.2 "IDE controller I/O
 * space registers"; PIIX3 82371SB has the same block) ----------------- */

/* Offsets from the channel's bus-master base: BAR4 + 0 (primary) or
 * BAR4 + 8 (secondary). */
#define BM_CHANNEL_STRIDE   8
#define BM_COMMAND          0       /* BMICx */
#define BM_STATUS           2       /* BMISx */
#define BM_PRDT             4       /* BMIDTPx: physical address of the PRD table */

/* BMICx.  RWCON is the direction seen from the bus master: set = it
 * WRITES memory, i.e. a disk READ.  It must not change while SSBM is set. */
#define BM_CMD_START        0x01    /* SSBM: start/stop bus master */
#define BM_CMD_WRITE_MEMORY 0x08    /* RWCON */

/*
 * BMISx:
 *
 *     7     6       5       4   3     2        1      0
 *   +---+--------+--------+---+---+---------+-------+--------+
 *   | - | DMA1CAP| DMA0CAP| - | - | IDEINTS | ERROR | BMIDEA |
 *   +---+--------+--------+---+---+---------+-------+--------+
 *
 * IDEINTS: the device raised its interrupt (and for a read, all data is
 * in memory).  ERROR: a PCI target/master abort.  Both are cleared by
 * writing 1.  BMIDEA: the bus master is still active.  The CAP bits are
 * plain storage for software (the BIOS notes which drives do DMA).
 */
#define BM_ST_ACTIVE        0x01
#define BM_ST_ERROR         0x02
#define BM_ST_IRQ           0x04
#define BM_ST_CAP_MASK      0x60

/*
 * A Physical Region Descriptor: one contiguous piece of the buffer
 * (PIIX4 datasheet 9.4 "Bus Master Function").  The table is an array of
 * them, dword aligned and not crossing a 64 KiB boundary; each region is
 * at most 64 KiB (a count of 0 means 64 KiB), starts on an even address
 * and must not cross a 64 KiB boundary either.  EOT marks the last one.
 *
 *   31                                  1  0
 *   +-------------------------------------+--+
 *   | memory region physical address      |0 |   dword 0
 *   +-+------------------+----------------+--+
 *   |E|    reserved      | byte count     |0 |   dword 1
 *   +-+------------------+----------------+--+
 *   31                  16 15             1  0
 */
struct ata_prd {
    uint32_t paddr;
    uint16_t bytes;
    uint16_t flags;
};
_Static_assert(sizeof(struct ata_prd) == 8, "a PRD is two dwords");
#define ATA_PRD_EOT         0x8000
#define ATA_PRD_BOUNDARY    0x10000u    /* 64 KiB */
#define ATA_PRD_MAX         8           /* 128 KiB needs at most 3 */

/* --- Channel state --------------------------------------------------- */

/* How one attempt failed, for the report. */
struct ata_fail {
    uint8_t status, error;      /* the device's registers at the failure */
    uint32_t lba;               /* the sector it failed on, as far as known */
    bool timeout;               /* a wait expired (status shows what was stuck) */
    const char *why;            /* a short explanation, or NULL */
};

struct ata_channel {
    const char *name;           /* "ata1", "ata2" as Linux numbers them */
    uint16_t base, ctrl;        /* command and control block ports */
    uint8_t irq;
    uint16_t bmide;             /* bus-master registers; 0: PIO only */
    uint8_t devctl;             /* last byte written to Device Control */
    /* Owned by one request at a time; set and cleared with interrupts off.
     * A sleeper waits on &busy. */
    bool busy;
    /* DMA: the PRD table (one page below 4 GiB), and the command in flight.
     * dma_active is set by the request before starting the bus master;
     * dma_done by the interrupt handler, dma_timed_out by the watchdog;
     * the request sleeps on the channel until one of them is set. */
    struct ata_prd *prdt;
    paddr_t prdt_paddr;
    volatile bool dma_active, dma_done, dma_timed_out;
    volatile uint8_t irq_status, irq_bmstatus;  /* as the handler read them */
    volatile uint64_t deadline;                 /* tick by which it must end */
    unsigned long irqs, stray_irqs, timeouts;
};

extern struct ata_channel ata_channels[2];
extern struct ata_disk ata_disks[ATA_NR_DISKS];
extern enum ata_mode ata_current_mode;

/* How long each wait may take before it counts as a failure.  Real disks
 * can need seconds (spin-up, error recovery); QEMU answers at once. */
#define ATA_CMD_TIMEOUT_MS      2000
#define ATA_IDENTIFY_TIMEOUT_MS 1000
#define ATA_RESET_TIMEOUT_MS    2000
#define ATA_FLUSH_TIMEOUT_MS    10000
#define ATA_DMA_TIMEOUT_MS      2000

/* Internal result codes of one attempt (never returned to callers). */
#define ATA_OK      0
#define ATA_FAILED  1           /* details in struct ata_fail */

/* drivers/ata_pio.c: the task-file protocol. */
void ata_set_nien(struct ata_channel *ch, bool disable_irq);
int ata_start_command(struct ata_channel *ch, unsigned drive, uint32_t lba,
                      unsigned count, uint8_t command, struct ata_fail *fail);
int ata_wait_not_busy(struct ata_channel *ch, unsigned ms, struct ata_fail *fail);
int ata_pio_transfer(struct ata_disk *d, uint32_t lba, unsigned count, void *buf,
                     bool write, struct ata_fail *fail);
int ata_nondata(struct ata_disk *d, uint8_t command, unsigned ms, struct ata_fail *fail);
/* What answered at one position, and its IDENTIFY data in ID. */
enum ata_kind { ATA_KIND_NONE, ATA_KIND_ATA, ATA_KIND_ATAPI, ATA_KIND_OTHER };
enum ata_kind ata_identify(struct ata_channel *ch, unsigned drive, uint16_t *id);
void ata_channel_reset(struct ata_channel *ch);
/* Set FAIL->lba to the sector the device says a failed command of COUNT
 * sectors at LBA stopped on, if the task file holds a plausible one. */
void ata_fail_locate(struct ata_channel *ch, uint32_t lba, unsigned count, struct ata_fail *fail);

/* drivers/ata.c */
/* "4 MiB" or "512 KiB" for a size in SECTORS. */
void ata_format_size(uint32_t sectors, char *buf, size_t size);

/* drivers/ata_dma.c: the PCI bus master. */
void ata_dma_init(void);
/* Start the DMA watchdog thread if it is not running yet and the caller is
 * a process (it allocates, so call it before taking a channel). */
void ata_dma_prepare(void);
bool ata_dma_usable(const struct ata_disk *d, const void *buf, unsigned count);
int ata_dma_transfer(struct ata_disk *d, uint32_t lba, unsigned count, void *buf,
                     bool write, struct ata_fail *fail);

#endif
