/*
 * drivers/vga.h - the 80x25 VGA text screen.
 */
#ifndef DRIVERS_VGA_H
#define DRIVERS_VGA_H

#include "lib/types.h"

#define VGA_COLS 80
#define VGA_ROWS 25

/* Colours of the text-mode attribute byte (low nibble fg, high nibble bg). */
enum vga_color {
    VGA_BLACK, VGA_BLUE, VGA_GREEN, VGA_CYAN, VGA_RED, VGA_MAGENTA,
    VGA_BROWN, VGA_LIGHT_GREY, VGA_DARK_GREY, VGA_LIGHT_BLUE,
    VGA_LIGHT_GREEN, VGA_LIGHT_CYAN, VGA_LIGHT_RED, VGA_PINK, VGA_YELLOW,
    VGA_WHITE,
};

void vga_init(void);
void vga_putc(char c);
/* Put one cell without moving the cursor (for live pictures). */
void vga_put_at(unsigned row, unsigned col, char c, uint8_t fg, uint8_t bg);
/* While frozen, vga_putc output is dropped (the screen shows a picture). */
void vga_set_frozen(bool frozen);

#endif
