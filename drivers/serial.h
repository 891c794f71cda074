/*
 * drivers/serial.h - COM1, the console that tests and scripts read.
 */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include "lib/types.h"

void serial_init(void);
void serial_putc(char c);
/* Enable the receive interrupt; received bytes go to console_input(). */
void serial_enable_input(void);

#endif
