/*
 * kernel/pic.h - the two cascaded 8259A interrupt controllers.
 */
#ifndef KERNEL_PIC_H
#define KERNEL_PIC_H

#include "lib/types.h"

void pic_init(void);
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);
/* Send end-of-interrupt for IRQ; returns false for a spurious IRQ 7/15,
 * which must not be handled (or acknowledged on the master alone). */
bool pic_acknowledge(unsigned irq);

#endif
