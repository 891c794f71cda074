/*
 * kernel/gdt.h - segments: the flat model every modern x86 kernel uses.
 *
 * Paging, not segmentation, does the protection, so every code and data
 * segment spans the whole 4 GiB; the only thing that differs between the
 * kernel and user segments is the privilege level (DPL 0 vs 3).  The TSS
 * matters for one field: esp0, the kernel stack the CPU switches to when
 * an interrupt arrives in ring 3.  Entries 6..8 are the TLS slots that
 * Linux's set_thread_area hands to glibc (GDT_ENTRY_TLS_MIN is 6 on i386).
 *
 *   index  selector  what
 *     0     0x00     null (required)
 *     1     0x08     kernel code   DPL 0
 *     2     0x10     kernel data   DPL 0
 *     3     0x1B     user code     DPL 3  (selector | RPL 3)
 *     4     0x23     user data     DPL 3
 *     5     0x28     TSS
 *     6-8   0x33..   TLS slots for user threads
 *     9     0x48     double-fault TSS (kernel/doublefault.c)
 */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include "lib/types.h"

#define GDT_KERNEL_CODE 1
#define GDT_KERNEL_DATA 2
#define GDT_USER_CODE   3
#define GDT_USER_DATA   4
#define GDT_TSS         5
#define GDT_TLS_MIN     6
#define GDT_TLS_COUNT   3
#define GDT_DF_TSS      (GDT_TLS_MIN + GDT_TLS_COUNT)
#define GDT_ENTRIES     (GDT_DF_TSS + 1)

#define SEL_KERNEL_CODE (GDT_KERNEL_CODE << 3)
#define SEL_KERNEL_DATA (GDT_KERNEL_DATA << 3)
#define SEL_USER_CODE   ((GDT_USER_CODE << 3) | 3)
#define SEL_USER_DATA   ((GDT_USER_DATA << 3) | 3)
#define SEL_TSS         (GDT_TSS << 3)
#define SEL_DF_TSS      (GDT_DF_TSS << 3)

/* The 32-bit task-state segment (Intel SDM Vol. 3A, 8.2.1, Figure 8-2). */
struct tss {
    uint32_t link;
    uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "32-bit TSS is 104 bytes (SDM 8.2.1)");

/* The main TSS: on a task switch to the double-fault task, the CPU saves
 * the state of whatever was running into it. */
extern struct tss main_tss;

void gdt_init(void);
/* The kernel stack the CPU loads on an interrupt from ring 3. */
void tss_set_kernel_stack(uint32_t esp0);
/* Install a user data segment at BASE/LIMIT in TLS slot INDEX (6..8). */
void gdt_set_tls(unsigned index, uint32_t base, uint32_t limit, bool limit_in_pages);
/* Describe TSS in GDT slot INDEX (a 32-bit available TSS, DPL 0). */
void gdt_set_tss(unsigned index, struct tss *tss);

#endif
