/*
 * drivers/pit.h - the kernel clock: the 8253/8254 PIT at a fixed rate.
 */
#ifndef DRIVERS_PIT_H
#define DRIVERS_PIT_H

#include "lib/types.h"

#define PIT_HZ 1000     /* timer interrupts per second: one tick = 1 ms */

void pit_init(void);
/* Ticks since pit_init. */
uint64_t pit_ticks(void);
/* Microseconds since boot, with sub-tick precision from the counter. */
uint64_t uptime_us(void);
/* Sleep with interrupts on until at least MS milliseconds have passed. */
void pit_sleep_ms(uint32_t ms);
/* Called on every tick after the clock is advanced (e.g. the scheduler). */
void pit_set_tick_hook(void (*hook)(void));

#endif
