/*
 * kernel/fpu.h - the floating-point and SSE registers of user programs.
 */
#ifndef KERNEL_FPU_H
#define KERNEL_FPU_H

#include "lib/types.h"

#define FPU_STATE_BYTES 512     /* the FXSAVE area (SDM Vol. 1, 10.5.1) */

struct fpu_state {
    uint8_t bytes[FPU_STATE_BYTES];
} __attribute__((aligned(16)));

/* Turn on the x87 FPU and SSE for user code; record the clean state. */
void fpu_init(void);
/* The state a new program starts with. */
void fpu_init_state(struct fpu_state *s);
static inline void fpu_save(struct fpu_state *s)
{
    __asm__ volatile("fxsave %0" : "=m"(*s));
}
static inline void fpu_restore(const struct fpu_state *s)
{
    __asm__ volatile("fxrstor %0" : : "m"(*s));
}

#endif
