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
#define GDT_ENTRIES     (GDT_TLS_MIN + GDT_TLS_COUNT)

#define SEL_KERNEL_CODE (GDT_KERNEL_CODE << 3)
#define SEL_KERNEL_DATA (GDT_KERNEL_DATA << 3)
#define SEL_USER_CODE   ((GDT_USER_CODE << 3) | 3)
#define SEL_USER_DATA   ((GDT_USER_DATA << 3) | 3)
#define SEL_TSS         (GDT_TSS << 3)

void gdt_init(void);
/* The kernel stack the CPU loads on an interrupt from ring 3. */
void tss_set_kernel_stack(uint32_t esp0);
/* Install a user data segment at BASE/LIMIT in TLS slot INDEX (6..8). */
void gdt_set_tls(unsigned index, uint32_t base, uint32_t limit, bool limit_in_pages);

#endif
