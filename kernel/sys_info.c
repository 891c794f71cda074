/*
 * kernel/sys_info.c - system calls that report or set small facts: the
 * system's name, time, sleeping, randomness, resource use and limits, and
 * the TLS segment glibc's start-up asks for.
 */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/gdt.h"
#include "kernel/x86.h"
#include "drivers/pit.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "mm/reclaim.h"
#include "lib/errno.h"
#include "lib/string.h"

#define CLOCK_REALTIME   0
#define CLOCK_MONOTONIC  1
#define CLOCK_BOOTTIME   7
#define TIMER_ABSTIME    1
#define RUSAGE_SELF      0
#define RUSAGE_CHILDREN  (-1)
/* No real-time clock driver: wall time is boot time plus this instant
 * (2026-01-01 00:00:00 UTC), so dates are plausible, not true. */
#define BOOT_EPOCH_SECONDS 1767225600ULL

/* struct new_utsname: six fields of 65 bytes. */
SYSCALL_DEFINE(__NR_uname, uname)
{
    char u[6][65];

    memset(u, 0, sizeof(u));
    strlcpy(u[0], "Linux", 65);         /* what programs expect to run on */
    strlcpy(u[1], "mmkernel", 65);
    strlcpy(u[2], "6.1.0-mmkernel", 65);
    strlcpy(u[3], "#1 teaching kernel", 65);
    strlcpy(u[4], "i686", 65);
    strlcpy(u[5], "(none)", 65);
    return copy_to_user((void *)SYSARG(0), u, sizeof(u)) < 0 ? -EFAULT : 0;
}

SYSCALL_DEFINE(__NR_getrandom, getrandom)
{
    static uint64_t state;
    uint8_t chunk[64];
    size_t done = 0, n = MIN((size_t)SYSARG(1), (size_t)0x1000000);

    if (SYSARG(2) & ~7u)
        return -EINVAL;
    if (!access_ok((void *)SYSARG(0), n))
        return -EFAULT;
    state ^= rdtsc();
    while (done < n) {
        size_t len = MIN(n - done, sizeof(chunk));
        for (size_t i = 0; i < len; i++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            chunk[i] = (uint8_t)(state >> 56);
        }
        if (copy_to_user((void *)(SYSARG(0) + done), chunk, len) < 0)
            return -EFAULT;
        done += len;
    }
    return (long)n;
}

/* Nanoseconds on clock ID since its epoch, or -EINVAL. */
static int64_t clock_now_ns(uint32_t id)
{
    uint64_t ns = uptime_us() * 1000;

    if (id == CLOCK_REALTIME)
        return (int64_t)(ns + BOOT_EPOCH_SECONDS * 1000000000ULL);
    if (id == CLOCK_MONOTONIC || id == CLOCK_BOOTTIME || id == 4 /* MONOTONIC_RAW */)
        return (int64_t)ns;
    if (id == 2 || id == 3)         /* process / thread CPU time */
        return (int64_t)((current->user_ticks + current->system_ticks) * (1000000000ULL / PIT_HZ));
    return -EINVAL;
}

static long put_timespec(vaddr_t uptr, int64_t ns, bool wide)
{
    if (wide) {
        int64_t ts[2] = { ns / 1000000000, ns % 1000000000 };
        return copy_to_user((void *)uptr, ts, sizeof(ts)) < 0 ? -EFAULT : 0;
    }
    int32_t ts[2] = { (int32_t)(ns / 1000000000), (int32_t)(ns % 1000000000) };
    return copy_to_user((void *)uptr, ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

SYSCALL_DEFINE(__NR_clock_gettime, clock_gettime)
{
    int64_t ns = clock_now_ns(SYSARG(0));
    return ns < 0 ? ns : put_timespec(SYSARG(1), ns, false);
}

SYSCALL_DEFINE(__NR_clock_gettime64, clock_gettime64)
{
    int64_t ns = clock_now_ns(SYSARG(0));
    return ns < 0 ? ns : put_timespec(SYSARG(1), ns, true);
}

SYSCALL_DEFINE(__NR_gettimeofday, gettimeofday)
{
    int64_t ns = clock_now_ns(CLOCK_REALTIME);
    int32_t tv[2] = { (int32_t)(ns / 1000000000), (int32_t)(ns % 1000000000 / 1000) };

    if (SYSARG(0) && copy_to_user((void *)SYSARG(0), tv, sizeof(tv)) < 0)
        return -EFAULT;
    return 0;
}

SYSCALL_DEFINE(__NR_time, time)
{
    int32_t t = (int32_t)(clock_now_ns(CLOCK_REALTIME) / 1000000000);

    if (SYSARG(0) && copy_to_user((void *)SYSARG(0), &t, sizeof(t)) < 0)
        return -EFAULT;
    return t;
}

/* Sleep until CLOCK reaches DEADLINE_NS; -EINTR if killed meanwhile. */
static long sleep_until(uint32_t clock, int64_t deadline_ns)
{
    bool was = irq_save();
    long r = 0;

    for (;;) {
        /* Read the clock once: a second reading could already be past
         * the deadline and make the time left negative. */
        int64_t left_ns = deadline_ns - clock_now_ns(clock);
        if (left_ns <= 0)
            break;
        if (current->kill_signal) {
            r = -EINTR;
            break;
        }
        /* Whole ticks still to go, rounded up. */
        sleep_until_tick(pit_ticks() + 1 + (uint64_t)left_ns / (1000000000 / PIT_HZ));
    }
    irq_restore(was);
    return r;
}

static long do_nanosleep(uint32_t clock, uint32_t flags, vaddr_t req, bool wide)
{
    int64_t sec, nsec;

    if (wide) {
        int64_t ts[2];
        if (copy_from_user(ts, (void *)req, sizeof(ts)) < 0)
            return -EFAULT;
        sec = ts[0], nsec = ts[1];
    } else {
        int32_t ts[2];
        if (copy_from_user(ts, (void *)req, sizeof(ts)) < 0)
            return -EFAULT;
        sec = ts[0], nsec = ts[1];
    }
    if (sec < 0 || nsec < 0 || nsec >= 1000000000 || clock_now_ns(clock) < 0)
        return -EINVAL;
    int64_t deadline = sec * 1000000000 + nsec;
    if (!(flags & TIMER_ABSTIME))
        deadline += clock_now_ns(clock);
    return sleep_until(clock, deadline);
}

SYSCALL_DEFINE(__NR_nanosleep, nanosleep)
{
    return do_nanosleep(CLOCK_MONOTONIC, 0, SYSARG(0), false);
}

SYSCALL_DEFINE(__NR_clock_nanosleep, clock_nanosleep)
{
    return do_nanosleep(SYSARG(0), SYSARG(1), SYSARG(2), false);
}

SYSCALL_DEFINE(__NR_clock_nanosleep_time64, clock_nanosleep_time64)
{
    return do_nanosleep(SYSARG(0), SYSARG(1), SYSARG(2), true);
}

/* struct rusage (i386): two timevals, then 14 longs from ru_maxrss on. */
SYSCALL_DEFINE(__NR_getrusage, getrusage)
{
    int32_t ru[18] = { 0 };
    int who = (int)SYSARG(0);
    const struct proc *p = current;
    uint64_t utick = p->user_ticks, stick = p->system_ticks;

    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != 1 /* THREAD */)
        return -EINVAL;
    ru[0] = (int32_t)(utick / PIT_HZ);
    ru[1] = (int32_t)(utick % PIT_HZ * (1000000 / PIT_HZ));
    ru[2] = (int32_t)(stick / PIT_HZ);
    ru[3] = (int32_t)(stick % PIT_HZ * (1000000 / PIT_HZ));
    if (who == RUSAGE_CHILDREN) {
        ru[0] = ru[1] = ru[2] = ru[3] = 0;
        ru[4] = (int32_t)(p->child_maxrss_pages * (PAGE_SIZE / 1024));
        ru[8] = (int32_t)p->child_minflt;
        ru[9] = (int32_t)p->child_majflt;
    } else {
        ru[4] = (int32_t)(MAX(p->maxrss_pages, p->as ? p->as->rss_pages : 0) * (PAGE_SIZE / 1024));
        ru[8] = (int32_t)p->minflt;
        ru[9] = (int32_t)p->majflt;
    }
    return copy_to_user((void *)SYSARG(1), ru, sizeof(ru)) < 0 ? -EFAULT : 0;
}

static long get_limit(uint32_t resource, vaddr_t uptr, uint32_t clamp)
{
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    struct rlimit32 r = current->rlimits[resource];
    r.cur = MIN(r.cur, clamp);
    r.max = MIN(r.max, clamp);
    return copy_to_user((void *)uptr, &r, sizeof(r)) < 0 ? -EFAULT : 0;
}

SYSCALL_DEFINE(__NR_ugetrlimit, ugetrlimit)
{
    return get_limit(SYSARG(0), SYSARG(1), RLIM_INFINITY32);
}

/* The old getrlimit reports "infinity" as 0x7fffffff. */
SYSCALL_DEFINE(__NR_getrlimit, getrlimit)
{
    return get_limit(SYSARG(0), SYSARG(1), 0x7fffffff);
}

static long set_limit(struct proc *p, uint32_t resource, struct rlimit32 r)
{
    if (resource >= RLIM_NLIMITS || r.cur > r.max)
        return -EINVAL;
    if (r.max > p->rlimits[resource].max)
        return -EPERM;          /* raising the hard limit needs privilege */
    /* Linux ignores RLIMIT_RSS; here it is the textbook's "K frames per
     * process", enforced by evicting the process's own pages. */
    if (resource == RLIMIT_RSS && p->as) {
        unsigned long pages = r.cur == RLIM_INFINITY32 ? 0 : MAX(1u, r.cur / PAGE_SIZE);
        long err = reclaim_set_rss_limit(p->as, pages);
        if (err < 0)
            return err;
    }
    p->rlimits[resource] = r;
    return 0;
}

SYSCALL_DEFINE(__NR_setrlimit, setrlimit)
{
    struct rlimit32 r;

    if (copy_from_user(&r, (void *)SYSARG(1), sizeof(r)) < 0)
        return -EFAULT;
    return set_limit(current, SYSARG(0), r);
}

static uint32_t limit_from64(uint64_t v)
{
    return v >= RLIM_INFINITY32 ? RLIM_INFINITY32 : (uint32_t)v;
}

static uint64_t limit_to64(uint32_t v)
{
    return v == RLIM_INFINITY32 ? ~0ULL : v;
}

SYSCALL_DEFINE(__NR_prlimit64, prlimit64)
{
    struct proc *p = SYSARG(0) ? proc_find((int)SYSARG(0)) : current;
    uint32_t resource = SYSARG(1);
    uint64_t new64[2], old64[2];

    if (!p)
        return -ESRCH;
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    old64[0] = limit_to64(p->rlimits[resource].cur);
    old64[1] = limit_to64(p->rlimits[resource].max);
    if (SYSARG(2)) {
        if (copy_from_user(new64, (void *)SYSARG(2), sizeof(new64)) < 0)
            return -EFAULT;
        long r = set_limit(p, resource, (struct rlimit32){ limit_from64(new64[0]),
                                                            limit_from64(new64[1]) });
        if (r < 0)
            return r;
    }
    if (SYSARG(3) && copy_to_user((void *)SYSARG(3), old64, sizeof(old64)) < 0)
        return -EFAULT;
    return 0;
}

/* struct user_desc (asm/ldt.h): the flags word's bits. */
struct user_desc {
    uint32_t entry_number, base_addr, limit, flags;
};
#define UD_LIMIT_IN_PAGES (1u << 4)
#define UD_SEG_NOT_PRESENT (1u << 5)

SYSCALL_DEFINE(__NR_set_thread_area, set_thread_area)
{
    struct user_desc d;
    unsigned slot;

    if (copy_from_user(&d, (void *)SYSARG(0), sizeof(d)) < 0)
        return -EFAULT;
    if (d.entry_number == 0xFFFFFFFFu) {
        for (slot = 0; slot < GDT_TLS_COUNT && current->tls[slot].used; slot++)
            ;
        if (slot == GDT_TLS_COUNT)
            return -ESRCH;
        d.entry_number = GDT_TLS_MIN + slot;
        if (copy_to_user((void *)SYSARG(0), &d, sizeof(d)) < 0)
            return -EFAULT;
    } else if (d.entry_number < GDT_TLS_MIN || d.entry_number >= GDT_TLS_MIN + GDT_TLS_COUNT) {
        return -EINVAL;
    }
    slot = d.entry_number - GDT_TLS_MIN;
    current->tls[slot] = (struct tls_desc){
        d.base_addr, d.limit & 0xFFFFF, !(d.flags & UD_SEG_NOT_PRESENT),
        (d.flags & UD_LIMIT_IN_PAGES) != 0 };
    gdt_set_tls(d.entry_number, d.base_addr, d.limit & 0xFFFFF, d.flags & UD_LIMIT_IN_PAGES);
    return 0;
}
