/*
 * kernel/exec.h - starting a program in a new process.
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include "kernel/proc.h"
#include "kernel/program.h"

#define USER_STACK_TOP      0xC0000000u     /* the stack grows down from here */
#define USER_STACK_INITIAL  (128 * 1024)    /* first stack region; grows on faults */
#define USER_MMAP_BASE      0x40000000u     /* where mmap starts looking */
#define EXEC_MAX_ARGS       16

/* A new process running PROG with ARGV (ARGC words), child of PARENT.
 * Returns it (runnable), or NULL with *WHY set. */
struct proc *exec_spawn(struct program *prog, int argc, char **argv,
                        struct proc *parent, const char **why);

#endif
