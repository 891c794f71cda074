/*
 * kernel/console.c - the kernel console: everything written goes to both
 * the VGA screen and COM1; characters typed on either arrive in one queue.
 *
 * The input queue is a ring written by interrupt handlers and read by the
 * monitor, so reads disable interrupts around the index update.  A full
 * ring drops new input rather than overwrite unread input.
 */
#include "kernel/console.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "drivers/keyboard.h"
#include "kernel/proc.h"
#include "kernel/x86.h"

#define INPUT_RING_SIZE 256

static char input_ring[INPUT_RING_SIZE];
/* head: next slot to write; tail: next to read; empty when equal.
 * Only ever increase; indices are taken modulo the size. */
static volatile uint32_t input_head, input_tail;

void console_init(void)
{
    serial_init();
    vga_init();
}

void console_putc(char c)
{
    serial_putc(c);
    vga_putc(c);
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        console_putc(s[i]);
}

void console_input(char c)
{
    if (input_head - input_tail >= INPUT_RING_SIZE)
        return;
    input_ring[input_head % INPUT_RING_SIZE] = c;
    input_head++;
    wakeup(input_ring);
}

int console_trygetc(void)
{
    bool was = irq_save();
    int c = -1;

    if (input_tail != input_head) {
        c = (unsigned char)input_ring[input_tail % INPUT_RING_SIZE];
        input_tail++;
    }
    irq_restore(was);
    return c;
}

int console_getc(void)
{
    for (;;) {
        cli();
        if (input_tail != input_head) {
            sti();
            return console_trygetc();
        }
        if (current && current->kill_signal) {
            sti();
            return -1;
        }
        if (current)
            sleep_on(input_ring);       /* interrupts off: no lost wakeup */
        else
            __asm__ volatile("sti; hlt" ::: "memory");   /* atomic, likewise */
    }
}
