/*
 * kernel/x86.h - the handful of x86 instructions C cannot express.
 *
 * Each wrapper is one instruction; the "memory" clobbers stop the compiler
 * from moving memory accesses across instructions that change how memory
 * is seen (cr3 loads, invlpg, interrupt masking).
 */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include "lib/types.h"

#define EFLAGS_IF (1u << 9)     /* interrupts enabled (SDM Vol. 1, 3.4.3) */

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }

static inline uint32_t read_eflags(void)
{
    uint32_t f;
    __asm__ volatile("pushfl; popl %0" : "=r"(f));
    return f;
}

/* Disable interrupts and return whether they were enabled, so nested
 * critical sections restore exactly what they found. */
static inline bool irq_save(void)
{
    bool was = read_eflags() & EFLAGS_IF;
    cli();
    return was;
}

static inline void irq_restore(bool was_enabled)
{
    if (was_enabled)
        sti();
}

#define DEFINE_READ_CR(n) \
    static inline uint32_t read_cr##n(void) \
    { \
        uint32_t v; \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); \
        return v; \
    }
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)

static inline void write_cr3(uint32_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void invlpg(vaddr_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Time-stamp counter.  Under QEMU with -icount shift=0 it counts guest
 * instructions exactly, which is what the benchmarks rely on. */
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint32_t read_ebp(void)
{
    uint32_t v;
    __asm__ volatile("mov %%ebp, %0" : "=r"(v));
    return v;
}

#endif
