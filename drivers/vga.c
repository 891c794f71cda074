/*
 * drivers/vga.c - text output on the VGA screen.
 *
 * In text mode the screen is an array of 80x25 16-bit cells at physical
 * 0xB8000: the low byte is the character (code page 437), the high byte the
 * colour attribute.  We reach it through the kernel's direct map.  The
 * hardware cursor is moved through the CRT controller's index/data ports
 * (registers 0x0E/0x0F: cursor location high/low).
 */
#include "drivers/vga.h"
#include "kernel/layout.h"
#include "kernel/x86.h"
#include "lib/string.h"

#define VGA_TEXT_PADDR   0xB8000
#define CRTC_INDEX       0x3D4
#define CRTC_DATA        0x3D5
#define CRTC_CURSOR_HIGH 0x0E
#define CRTC_CURSOR_LOW  0x0F
#define DEFAULT_ATTR     ((VGA_BLACK << 4) | VGA_LIGHT_GREY)

static volatile uint16_t *screen;
static unsigned row, col;
static bool frozen;

static uint16_t cell(char c, uint8_t attr)
{
    return (uint16_t)((uint8_t)c | (attr << 8));
}

static void vga_move_cursor(void)
{
    uint16_t pos = (uint16_t)(row * VGA_COLS + col);

    outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
    outb(CRTC_DATA, pos >> 8);
    outb(CRTC_INDEX, CRTC_CURSOR_LOW);
    outb(CRTC_DATA, pos & 0xFF);
}

static void vga_scroll(void)
{
    for (unsigned i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
        screen[i] = screen[i + VGA_COLS];
    for (unsigned i = 0; i < VGA_COLS; i++)
        screen[(VGA_ROWS - 1) * VGA_COLS + i] = cell(' ', DEFAULT_ATTR);
    row = VGA_ROWS - 1;
}

void vga_init(void)
{
    screen = phys_to_virt(VGA_TEXT_PADDR);
    for (unsigned i = 0; i < VGA_ROWS * VGA_COLS; i++)
        screen[i] = cell(' ', DEFAULT_ATTR);
    row = col = 0;
    vga_move_cursor();
}

void vga_putc(char c)
{
    if (!screen || frozen)
        return;
    switch (c) {
    case '\n':
        col = 0;
        row++;
        break;
    case '\r':
        col = 0;
        break;
    case '\b':
        if (col > 0)
            col--;
        screen[row * VGA_COLS + col] = cell(' ', DEFAULT_ATTR);
        break;
    case '\t':
        col = (col + 8) & ~7u;
        break;
    default:
        screen[row * VGA_COLS + col] = cell(c, DEFAULT_ATTR);
        col++;
    }
    if (col >= VGA_COLS) {
        col = 0;
        row++;
    }
    if (row >= VGA_ROWS)
        vga_scroll();
    vga_move_cursor();
}

void vga_put_at(unsigned r, unsigned c, char ch, uint8_t fg, uint8_t bg)
{
    if (screen && r < VGA_ROWS && c < VGA_COLS)
        screen[r * VGA_COLS + c] = cell(ch, (uint8_t)((bg << 4) | (fg & 0xF)));
}

void vga_set_frozen(bool f)
{
    frozen = f;
    if (!f)
        vga_init();
}
