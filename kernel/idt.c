/*
 * kernel/idt.c - the interrupt descriptor table.
 *
 * One 8-byte gate per vector (Intel SDM Vol. 3A, 6.11, Figure 6-2) pointing
 * at the stubs in trapentry.asm.  All are interrupt gates, which clear IF on
 * entry, so a handler is never interrupted before it decides to allow it.
 * Only the system-call gate has DPL 3: user code may "int $0x80" but not
 * fake a page fault with "int $14" (that raises #GP instead).
 */
#include "kernel/trap.h"
#include "kernel/gdt.h"
#include "kernel/assert.h"

#define GATE_PRESENT     (1u << 7)
#define GATE_DPL(n)      ((unsigned)(n) << 5)
#define GATE_INT32       0xEu    /* 32-bit interrupt gate */
#define GATE_TASK        0x5u    /* task gate: switch to the TSS named */
#define IDT_VECTORS      256

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t zero;
    uint8_t type_attr;
    uint16_t offset_high;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 8, "IDT gate is 8 bytes (SDM 6.11)");

extern const uint32_t trap_stubs[IDT_VECTORS];   /* trapentry.asm */
static struct idt_gate idt[IDT_VECTORS];

static void idt_set_gate(unsigned vector, uint32_t handler, unsigned dpl)
{
    idt[vector].offset_low = handler & 0xFFFF;
    idt[vector].selector = SEL_KERNEL_CODE;
    idt[vector].zero = 0;
    idt[vector].type_attr = (uint8_t)(GATE_PRESENT | GATE_DPL(dpl) | GATE_INT32);
    idt[vector].offset_high = handler >> 16;
}

void idt_set_task_gate(unsigned vector, uint16_t tss_selector)
{
    idt[vector].offset_low = 0;
    idt[vector].selector = tss_selector;
    idt[vector].zero = 0;
    idt[vector].type_attr = (uint8_t)(GATE_PRESENT | GATE_DPL(0) | GATE_TASK);
    idt[vector].offset_high = 0;
}

void idt_init(void)
{
    for (unsigned v = 0; v < IDT_VECTORS; v++) {
        if (trap_stubs[v])
            idt_set_gate(v, trap_stubs[v], v == T_SYSCALL ? 3 : 0);
    }
    ASSERT(trap_stubs[T_SYSCALL] != 0);
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr = {
        sizeof(idt) - 1, (uint32_t)(uintptr_t)idt
    };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}
