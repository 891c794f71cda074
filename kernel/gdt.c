/*
 * kernel/gdt.c - builds the GDT and the TSS and loads them.
 *
 * Descriptor layout: Intel SDM Vol. 3A, 3.4.5 "Segment Descriptors"
 * (Figure 3-8); TSS layout: 8.2.1 "Task-State Segment" (Figure 8-2).
 *
 *   63      56 55  52 51   48 47        40 39       32
 *   +---------+------+-------+------------+-----------+
 *   | base    | flags| limit | access     | base      |
 *   | 31:24   | G D  | 19:16 | P DPL S typ| 23:16     |
 *   +---------+------+-------+------------+-----------+
 *   | base 15:0               | limit 15:0             |
 *   +-------------------------+------------------------+
 *   31                      16 15                     0
 */
#include "kernel/gdt.h"
#include "kernel/assert.h"
#include "lib/string.h"

/* Access byte (bits 40..47). */
#define SEG_PRESENT   (1u << 7)
#define SEG_DPL(n)    ((uint32_t)(n) << 5)
#define SEG_CODEDATA  (1u << 4)        /* S=1: code or data, not system */
#define SEG_CODE_RX   0xAu             /* type: execute/read */
#define SEG_DATA_RW   0x2u             /* type: read/write */
#define SEG_TSS32     0x9u             /* type: available 32-bit TSS */
/* Flags nibble (bits 52..55). */
#define SEG_GRAN_4K   (1u << 3)        /* G: limit counts 4 KiB units */
#define SEG_32BIT     (1u << 2)        /* D/B: 32-bit segment */

struct gdt_entry {
    uint16_t limit_low;
    uint16_t base_low;
    uint8_t base_mid;
    uint8_t access;
    uint8_t limit_high_flags;
    uint8_t base_high;
} __attribute__((packed));
_Static_assert(sizeof(struct gdt_entry) == 8, "GDT descriptor is 8 bytes (SDM 3.4.5)");

static struct gdt_entry gdt[GDT_ENTRIES];
struct tss main_tss;

static void gdt_set(unsigned i, uint32_t base, uint32_t limit,
                    uint8_t access, uint8_t flags)
{
    ASSERTF(i < GDT_ENTRIES, "index %u", i);
    ASSERTF(limit <= 0xFFFFF, "limit 0x%x must fit 20 bits", limit);
    gdt[i].limit_low = limit & 0xFFFF;
    gdt[i].base_low = base & 0xFFFF;
    gdt[i].base_mid = (base >> 16) & 0xFF;
    gdt[i].access = access;
    gdt[i].limit_high_flags = (uint8_t)(((limit >> 16) & 0xF) | (flags << 4));
    gdt[i].base_high = (base >> 24) & 0xFF;
}

void gdt_set_tls(unsigned index, uint32_t base, uint32_t limit, bool limit_in_pages)
{
    ASSERTF(index >= GDT_TLS_MIN && index < GDT_TLS_MIN + GDT_TLS_COUNT,
            "TLS slot %u", index);
    gdt_set(index, base, limit,
            SEG_PRESENT | SEG_DPL(3) | SEG_CODEDATA | SEG_DATA_RW,
            SEG_32BIT | (limit_in_pages ? SEG_GRAN_4K : 0));
}

void tss_set_kernel_stack(uint32_t esp0)
{
    main_tss.esp0 = esp0;
}

void gdt_set_tss(unsigned index, struct tss *tss)
{
    tss->iomap_base = sizeof(*tss);     /* no I/O permission bitmap */
    gdt_set(index, (uint32_t)(uintptr_t)tss, sizeof(*tss) - 1,
            SEG_PRESENT | SEG_DPL(0) | SEG_TSS32, 0);
}

/* Load GDTR, then reload every segment register so the CPU's hidden
 * descriptor caches come from the new table (SDM 3.4.3). */
static void gdt_load(void)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr = {
        sizeof(gdt) - 1, (uint32_t)(uintptr_t)gdt
    };

    __asm__ volatile(
        "lgdt %0\n\t"
        "mov %1, %%ds\n\t"
        "mov %1, %%es\n\t"
        "mov %1, %%ss\n\t"
        "mov %2, %%fs\n\t"
        "mov %2, %%gs\n\t"
        "ljmp %3, $1f\n"
        "1:\n\t"
        "ltr %w4"
        : : "m"(gdtr), "r"(SEL_KERNEL_DATA), "r"(0),
            "i"(SEL_KERNEL_CODE), "r"(SEL_TSS) : "memory");
}

void gdt_init(void)
{
    const uint8_t flat = SEG_GRAN_4K | SEG_32BIT;

    memset(gdt, 0, sizeof(gdt));
    gdt_set(GDT_KERNEL_CODE, 0, 0xFFFFF,
            SEG_PRESENT | SEG_DPL(0) | SEG_CODEDATA | SEG_CODE_RX, flat);
    gdt_set(GDT_KERNEL_DATA, 0, 0xFFFFF,
            SEG_PRESENT | SEG_DPL(0) | SEG_CODEDATA | SEG_DATA_RW, flat);
    gdt_set(GDT_USER_CODE, 0, 0xFFFFF,
            SEG_PRESENT | SEG_DPL(3) | SEG_CODEDATA | SEG_CODE_RX, flat);
    gdt_set(GDT_USER_DATA, 0, 0xFFFFF,
            SEG_PRESENT | SEG_DPL(3) | SEG_CODEDATA | SEG_DATA_RW, flat);

    memset(&main_tss, 0, sizeof(main_tss));
    main_tss.ss0 = SEL_KERNEL_DATA;
    gdt_set_tss(GDT_TSS, &main_tss);
    gdt_load();
}
