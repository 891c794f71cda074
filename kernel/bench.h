/*
 * kernel/bench.h - deterministic benchmarks in guest instructions.
 */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

#include "lib/types.h"

/* rdtsc when kmain finished booting (before tests and the boot script):
 * under -icount shift=0, the guest instructions from power-on to here. */
extern uint64_t boot_done_tsc;
/* rdtsc on entry to kmain: what the firmware and the loader took. */
extern uint64_t kmain_entry_tsc;

#endif
