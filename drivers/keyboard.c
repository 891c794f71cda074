/*
 * drivers/keyboard.c - PS/2 keyboard, scan code set 1, US layout.
 *
 * The 8042 controller raises IRQ 1 with one byte per key event in its data
 * port: the key's make code when pressed, make | 0x80 when released.  We
 * track Shift and Ctrl, translate presses to ASCII and feed the console;
 * the arrow keys become the ANSI escape sequences a serial terminal would
 * send, so the monitor's history works the same from both.
 */
#include "drivers/keyboard.h"
#include "kernel/console.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

#define KBD_DATA      0x60
#define KBD_STATUS    0x64
#define KBD_OUT_FULL  0x01
#define KEY_RELEASE   0x80
#define SC_EXTENDED   0xE0
#define SC_LSHIFT     0x2A
#define SC_RSHIFT     0x36
#define SC_CTRL       0x1D
#define SC_UP         0x48
#define SC_DOWN       0x50

static const char normal_map[128] = {
    0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b',
    '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n',
    0, 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
    0, '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0, '*',
    0, ' ',
};

static const char shift_map[128] = {
    0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b',
    '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n',
    0, 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
    0, '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0, '*',
    0, ' ',
};

static bool shift, ctrl, extended;

static void keyboard_arrow(char final)
{
    console_input(27);
    console_input('[');
    console_input(final);
}

static void keyboard_scancode(uint8_t sc)
{
    if (sc == SC_EXTENDED) {
        extended = true;
        return;
    }
    bool released = sc & KEY_RELEASE;
    uint8_t key = sc & (uint8_t)~KEY_RELEASE;
    bool was_extended = extended;
    extended = false;

    if (key == SC_LSHIFT || key == SC_RSHIFT) {
        shift = !released;
    } else if (key == SC_CTRL) {
        ctrl = !released;
    } else if (!released && was_extended) {
        if (key == SC_UP)
            keyboard_arrow('A');
        else if (key == SC_DOWN)
            keyboard_arrow('B');
    } else if (!released) {
        char c = shift ? shift_map[key] : normal_map[key];
        if (c && ctrl && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 1);      /* Ctrl-C is 3, as on a tty */
        if (c)
            console_input(c);
    }
}

static void keyboard_interrupt(struct trapframe *tf)
{
    (void)tf;
    while (inb(KBD_STATUS) & KBD_OUT_FULL)
        keyboard_scancode(inb(KBD_DATA));
}

void keyboard_init(void)
{
    while (inb(KBD_STATUS) & KBD_OUT_FULL)   /* drop bytes from the BIOS */
        (void)inb(KBD_DATA);
    irq_set_handler(IRQ_KEYBOARD, keyboard_interrupt);
}
