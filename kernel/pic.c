/*
 * kernel/pic.c - remapping and acknowledging the 8259A PICs.
 *
 * At power-on the master PIC delivers IRQ 0-7 on vectors 8-15, on top of the
 * CPU's own exceptions (a timer tick would look like a double fault).  The
 * initialization sequence ICW1..ICW4 (Intel 8259A datasheet) moves IRQ 0-7
 * to vectors 32-39 and IRQ 8-15 (the slave, cascaded on IRQ 2) to 40-47.
 */
#include "kernel/pic.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

#define PIC1_CMD   0x20
#define PIC1_DATA  0x21
#define PIC2_CMD   0xA0
#define PIC2_DATA  0xA1

#define ICW1_INIT  0x10     /* start initialization */
#define ICW1_ICW4  0x01     /* ICW4 will follow */
#define ICW4_8086  0x01     /* 8086 mode (not MCS-80) */
#define OCW2_EOI   0x20     /* non-specific end of interrupt */
#define OCW3_READ_ISR 0x0B  /* next read of the command port returns ISR */
#define CASCADE_IRQ 2

static uint16_t irq_mask = 0xFFFF;   /* bit set = masked; all masked at start */

static void pic_write_mask(void)
{
    outb(PIC1_DATA, irq_mask & 0xFF);
    outb(PIC2_DATA, irq_mask >> 8);
}

void pic_init(void)
{
    outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4);
    outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4);
    outb(PIC1_DATA, IRQ_BASE);                 /* ICW2: vector base */
    outb(PIC2_DATA, IRQ_BASE + 8);
    outb(PIC1_DATA, 1u << CASCADE_IRQ);         /* ICW3: slave on IRQ 2 */
    outb(PIC2_DATA, CASCADE_IRQ);               /* ICW3: slave's identity */
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    irq_mask = (uint16_t)~(1u << CASCADE_IRQ);  /* all masked but the cascade */
    pic_write_mask();
}

void pic_unmask(unsigned irq)
{
    irq_mask &= (uint16_t)~(1u << irq);
    pic_write_mask();
}

void pic_mask(unsigned irq)
{
    irq_mask |= (uint16_t)(1u << irq);
    pic_write_mask();
}

/* A spurious interrupt (a line that dropped before the CPU acknowledged it)
 * arrives as IRQ 7 or 15 with its in-service bit clear. */
static bool pic_is_spurious(unsigned irq)
{
    uint16_t port = irq < 8 ? PIC1_CMD : PIC2_CMD;

    if ((irq & 7) != 7)
        return false;
    outb(port, OCW3_READ_ISR);
    return !(inb(port) & 0x80);
}

bool pic_acknowledge(unsigned irq)
{
    if (pic_is_spurious(irq)) {
        if (irq >= 8)               /* the master did see the cascade */
            outb(PIC1_CMD, OCW2_EOI);
        return false;
    }
    if (irq >= 8)
        outb(PIC2_CMD, OCW2_EOI);
    outb(PIC1_CMD, OCW2_EOI);
    return true;
}
