/*
 * drivers/pit.c - the Programmable Interval Timer as the kernel's clock.
 *
 * Channel 0 of the PIT counts down from a reload value at 1,193,182 Hz and
 * raises IRQ 0 each time it reaches zero (Intel 8254 datasheet, mode 2,
 * "rate generator").  With a reload of 1193 that is about 1000 interrupts
 * a second; uptime is the tick count plus how far the current count has
 * gone, which gives the microseconds Linux prints in "[    1.234567]".
 */
#include "drivers/pit.h"
#include "kernel/trap.h"
#include "kernel/monitor.h"
#include "kernel/x86.h"
#include "lib/kprintf.h"

#define PIT_INPUT_HZ  1193182u
#define PIT_RELOAD    ((PIT_INPUT_HZ + PIT_HZ / 2) / PIT_HZ)
#define PIT_CH0_DATA  0x40
#define PIT_CMD       0x43
/* Command byte: channel 0, lobyte/hibyte access, mode 2, binary. */
#define PIT_CMD_CH0_RATE 0x34
#define PIT_CMD_LATCH_CH0 0x00

_Static_assert(PIT_RELOAD > 0 && PIT_RELOAD <= 0xFFFF, "reload must fit 16 bits");

static volatile uint64_t ticks;
static void (*tick_hook)(void);
static uint64_t last_uptime_us;      /* uptime_us never goes backwards */

static void pit_interrupt(struct trapframe *tf)
{
    (void)tf;
    ticks++;
    if (tick_hook)
        tick_hook();
}

void pit_init(void)
{
    outb(PIT_CMD, PIT_CMD_CH0_RATE);
    outb(PIT_CH0_DATA, PIT_RELOAD & 0xFF);
    outb(PIT_CH0_DATA, PIT_RELOAD >> 8);
    irq_set_handler(IRQ_TIMER, pit_interrupt);
}

void pit_set_tick_hook(void (*hook)(void))
{
    tick_hook = hook;
}

uint64_t pit_ticks(void)
{
    bool was = irq_save();
    uint64_t t = ticks;
    irq_restore(was);
    return t;
}

uint64_t uptime_us(void)
{
    bool was = irq_save();
    uint64_t t = ticks;

    outb(PIT_CMD, PIT_CMD_LATCH_CH0);
    uint32_t count = inb(PIT_CH0_DATA);
    count |= (uint32_t)inb(PIT_CH0_DATA) << 8;
    irq_restore(was);
    if (count > PIT_RELOAD)
        count = PIT_RELOAD;
    /* The counter runs down from RELOAD; elapsed part of this tick: */
    uint32_t frac_us = (PIT_RELOAD - count) * (1000000u / PIT_HZ) / PIT_RELOAD;
    uint64_t us = t * (1000000u / PIT_HZ) + frac_us;
    /* With interrupts off the count wraps without a tick being counted,
     * so a later reading could come out smaller: clamp to be monotonic. */
    was = irq_save();
    if (us < last_uptime_us)
        us = last_uptime_us;
    last_uptime_us = us;
    irq_restore(was);
    return us;
}

void pit_sleep_ms(uint32_t ms)
{
    uint64_t until = pit_ticks() + (uint64_t)ms * PIT_HZ / 1000;
    bool was = irq_save();

    while (ticks < until) {
        /* sti;hlt is atomic: the tick cannot slip in between (SDM STI). */
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
    irq_restore(was);
}

static int cmd_uptime(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint64_t us = uptime_us();
    cprintf("up %llu.%06llu seconds (%llu timer ticks at %u Hz)\n",
            us / 1000000, us % 1000000, pit_ticks(), PIT_HZ);
    return 0;
}
MONITOR_CMD(uptime, "uptime", "time since boot", cmd_uptime);
