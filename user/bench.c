/*
 * bench - what a system call, a context switch and a fork cost, counted
 * from user space.
 *
 * rdtsc works in user mode (CR4.TSD is clear), and under QEMU with
 * -icount shift=0 it counts guest instructions, so these figures are exact
 * and repeatable (tools/bench.py boots the kernel that way).  On real
 * hardware or plain Linux they are cycles instead: only roughly comparable.
 *
 *   null syscall      getpid through int $0x80, the cheapest kernel entry
 *   context switch    two processes passing the CPU with sched_yield
 *   fork+exit+wait    of a process that has touched 1 MiB: with
 *                     copy-on-write the child copies nothing it does not
 *                     write, which is why this is cheap
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYSCALLS 10000
#define YIELDS   2000
#define FORKS    50
#define TOUCHED  (1 << 20)

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* getpid with int $0x80 directly: no library cache, no vDSO. */
static inline long raw_getpid(void)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(20) : "memory");
    return r;
}

static void report(const char *name, uint64_t total, unsigned ops)
{
    printf("bench: %-40s %8llu instructions/op\n", name,
           (unsigned long long)(total / ops));
}

static void bench_syscall(void)
{
    uint64_t t0 = rdtsc();
    for (int i = 0; i < SYSCALLS; i++)
        raw_getpid();
    report("null system call (getpid)", rdtsc() - t0, SYSCALLS);
}

static void bench_switch(void)
{
    pid_t child = fork();

    if (child == 0) {
        for (int i = 0; i < YIELDS; i++)
            sched_yield();
        _exit(0);
    }
    uint64_t t0 = rdtsc();
    for (int i = 0; i < YIELDS; i++)
        sched_yield();
    uint64_t t1 = rdtsc();
    waitpid(child, NULL, 0);
    /* Each yield hands the CPU to the other process: one switch each. */
    report("context switch (sched_yield ping-pong)", t1 - t0, 2 * YIELDS);
}

static void bench_fork(void)
{
    char *mem = malloc(TOUCHED);

    if (!mem)
        return;
    memset(mem, 1, TOUCHED);
    uint64_t t0 = rdtsc();
    for (int i = 0; i < FORKS; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        waitpid(pid, NULL, 0);
    }
    report("fork+exit+wait, 1 MiB touched", rdtsc() - t0, FORKS);
    free(mem);
}

/* `bench pressure MIB`: allocate and touch MIB MiB, one page at a time,
 * on a machine where that means reclaim (and swap) on the way. */
static void bench_pressure(long mib)
{
    long pages = mib * 256;
    char *mem = malloc((size_t)mib << 20);

    if (!mem) {
        printf("bench: pressure: malloc of %ld MiB failed\n", mib);
        return;
    }
    uint64_t t0 = rdtsc();
    for (long i = 0; i < pages; i++)
        mem[i * 4096] = (char)i;
    uint64_t t1 = rdtsc();
    unsigned long long x10 = (unsigned long long)pages * 10000000ull / (t1 - t0);
    printf("bench: %-40s %5llu.%llu pages/Minstr %8llu pages/s\n",
           "page allocations under reclaim pressure", x10 / 10, x10 % 10, x10 * 100);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "pressure") == 0) {
        bench_pressure(atol(argv[2]));
        return 0;
    }
    bench_syscall();
    bench_switch();
    bench_fork();
    return 0;
}
