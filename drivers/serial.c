/*
 * drivers/serial.c - the 16550 UART on COM1 at 115200 baud, 8N1.
 *
 * Output polls "transmit holding register empty" before each byte: simple,
 * and under QEMU the wait is nil.  Input is interrupt driven (IRQ 4): each
 * received byte is handed to the console's input queue.  Register map:
 * National Semiconductor PC16550D datasheet, Table II.
 */
#include "drivers/serial.h"
#include "kernel/console.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

#define COM1        0x3F8
#define UART_DATA   (COM1 + 0)   /* RBR/THR; divisor low when DLAB=1 */
#define UART_IER    (COM1 + 1)   /* interrupt enable; divisor high when DLAB=1 */
#define UART_FCR    (COM1 + 2)
#define UART_LCR    (COM1 + 3)
#define UART_MCR    (COM1 + 4)
#define UART_LSR    (COM1 + 5)

#define UART_CLOCK_HZ   115200   /* divisor 1 = 115200 baud */
#define BAUD            115200
#define LCR_8N1         0x03
#define LCR_DLAB        0x80
#define FCR_ENABLE_CLEAR 0xC7    /* FIFO on, clear both, 14-byte threshold */
#define MCR_DTR_RTS_OUT2 0x0B    /* OUT2 gates the IRQ line on PCs */
#define IER_RX_AVAILABLE 0x01
#define LSR_DATA_READY  0x01
#define LSR_THR_EMPTY   0x20

static bool present;

void serial_init(void)
{
    uint16_t divisor = UART_CLOCK_HZ / BAUD;

    outb(UART_IER, 0);
    outb(UART_LCR, LCR_DLAB);
    outb(UART_DATA, divisor & 0xFF);
    outb(UART_IER, divisor >> 8);
    outb(UART_LCR, LCR_8N1);
    outb(UART_FCR, FCR_ENABLE_CLEAR);
    outb(UART_MCR, MCR_DTR_RTS_OUT2);
    /* A missing UART reads back 0xFF on every port. */
    present = inb(UART_LSR) != 0xFF;
}

void serial_putc(char c)
{
    if (!present)
        return;
    if (c == '\n')
        serial_putc('\r');
    for (int spin = 0; spin < 100000 && !(inb(UART_LSR) & LSR_THR_EMPTY); spin++)
        ;
    outb(UART_DATA, (uint8_t)c);
}

static void serial_interrupt(struct trapframe *tf)
{
    (void)tf;
    while (inb(UART_LSR) & LSR_DATA_READY)
        console_input((char)inb(UART_DATA));
}

void serial_enable_input(void)
{
    if (!present)
        return;
    irq_set_handler(IRQ_COM1, serial_interrupt);
    outb(UART_IER, IER_RX_AVAILABLE);
}
