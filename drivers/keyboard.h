/*
 * drivers/keyboard.h - the PS/2 keyboard as a console input.
 */
#ifndef DRIVERS_KEYBOARD_H
#define DRIVERS_KEYBOARD_H

void keyboard_init(void);

#endif
