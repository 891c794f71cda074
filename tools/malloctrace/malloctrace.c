/*
 * tools/malloctrace/malloctrace.c - record a program's malloc/free calls
 * as an allocation trace (the format of tests/traces/README.md).
 *
 * Loaded with LD_PRELOAD, this library defines malloc, free, calloc and
 * realloc; the dynamic linker resolves the program's calls (and the C
 * library's own) to them, and each passes the call on to the real
 * function, found with dlsym(RTLD_NEXT, ...), then logs it:
 *
 *   malloc(n) = p          a ID n          ID: a counter, one per block
 *   calloc(k, n) = p       a ID k*n
 *   realloc(q, n) = p      a ID n, then f ID(q)   (a copy, then a free;
 *                          realloc(NULL, n) is a malloc, realloc(q, 0) a free)
 *   free(p)                f ID(p)
 *
 * IDs, not addresses, go in the trace: an address is reused as soon as it
 * is freed, so the recorder keeps a map address -> ID (open addressing,
 * linear probing, deletion by backward shift) in memory from mmap.
 *
 * Three traps, and how they are avoided:
 *   - dlsym itself may call calloc (for its error buffer) before the real
 *     calloc is known: while resolving, requests are served from a small
 *     static buffer, and free() ignores pointers into it.
 *   - writing the log must not call malloc (stdio might): lines are
 *     formatted by hand into a buffer that write(2) empties.
 *   - the C library calls malloc from inside our own calls (and other
 *     threads call it concurrently): a per-thread depth counter makes inner
 *     calls pass through unlogged, and a spinlock guards the map and log.
 *
 * Environment:
 *   MALLOCTRACE_OUT   file name prefix (default "malloctrace"); the trace
 *                     goes to PREFIX.PID, so each exec'd process has its own
 *   MALLOCTRACE_MAX   stop after this many a/f lines (default: no limit)
 * A forked child that does not exec is not recorded.  Blocks from
 * memalign, posix_memalign, aligned_alloc and valloc are not recorded, nor
 * are their frees.
 *
 * Build and use (tools/malloctrace/Makefile):
 *   make -C tools/malloctrace
 *   MALLOCTRACE_OUT=/tmp/t LD_PRELOAD=$PWD/tools/malloctrace/malloctrace.so prog
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAP_SLOTS   (1u << 21)          /* live blocks we can follow */
#define LOG_BYTES   (64u * 1024u)
#define BOOT_BYTES  (16u * 1024u)

struct map_slot {
    uintptr_t addr;                     /* 0: empty */
    uint64_t id;
};

static void *(*real_malloc)(size_t);
static void (*real_free)(void *);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);

static struct map_slot *map;            /* MAP_SLOTS entries, from mmap */
static char log_buf[LOG_BYTES];
static size_t log_len;
static int log_fd = -1;
static pid_t log_pid;                   /* the process the log belongs to */
static uint64_t events, max_events = UINT64_MAX, next_id;
static int state;                       /* 0 new, 1 resolving, 2 on, 3 off */
static int lock;                        /* spinlock around all of the above */
static __thread int depth __attribute__((tls_model("initial-exec")));

static _Alignas(16) char boot_buf[BOOT_BYTES];
static size_t boot_used;

/* --- bootstrap memory, while dlsym runs -------------------------------------- */

static void *boot_alloc(size_t n)
{
    size_t at = (boot_used + 15) & ~(size_t)15;

    if (n > BOOT_BYTES || at > BOOT_BYTES - n)
        return NULL;
    boot_used = at + n;
    return boot_buf + at;
}

static int is_boot(const void *p)
{
    return (const char *)p >= boot_buf && (const char *)p < boot_buf + BOOT_BYTES;
}

/* --- the log ------------------------------------------------------------------ */

static void log_flush(void)
{
    size_t done = 0;

    while (log_fd >= 0 && done < log_len) {
        ssize_t n = write(log_fd, log_buf + done, log_len - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    log_len = 0;
}

static void log_put(const char *s, size_t n)
{
    if (log_len + n > LOG_BYTES)
        log_flush();
    memcpy(log_buf + log_len, s, n);
    log_len += n;
}

static void log_num(uint64_t v)
{
    char digits[24];
    int i = sizeof(digits);

    do {
        digits[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    log_put(digits + i, sizeof(digits) - (size_t)i);
}

/* One line: "a ID SIZE" or "f ID". */
static void log_event(char op, uint64_t id, size_t size)
{
    char head[2] = { op, ' ' };

    log_put(head, 2);
    log_num(id);
    if (op == 'a') {
        log_put(" ", 1);
        log_num(size);
    }
    log_put("\n", 1);
    if (++events >= max_events)
        state = 3;
}

/* --- address -> ID ------------------------------------------------------------- */

static size_t map_home(uintptr_t addr)
{
    return (size_t)((addr >> 4) * 0x9E3779B97F4A7C15ull >> 40) & (MAP_SLOTS - 1);
}

static void map_put(uintptr_t addr, uint64_t id)
{
    size_t i = map_home(addr);

    while (map[i].addr && map[i].addr != addr)
        i = (i + 1) & (MAP_SLOTS - 1);
    map[i].addr = addr;
    map[i].id = id;
}

/* Remove ADDR; returns its ID + 1, or 0 if it was not recorded.  Backward
 * shift: later entries of the probe run move up into the hole, so a
 * lookup never stops early at it. */
static uint64_t map_take(uintptr_t addr)
{
    size_t i = map_home(addr), j;
    uint64_t id;

    while (map[i].addr != addr) {
        if (!map[i].addr)
            return 0;
        i = (i + 1) & (MAP_SLOTS - 1);
    }
    id = map[i].id + 1;
    for (j = (i + 1) & (MAP_SLOTS - 1); map[j].addr; j = (j + 1) & (MAP_SLOTS - 1)) {
        size_t home = map_home(map[j].addr);
        /* Move J into the hole I unless its home lies cyclically in (I, J]. */
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            map[i] = map[j];
            i = j;
        }
    }
    map[i].addr = 0;
    return id;
}

/* --- start-up ------------------------------------------------------------------ */

static void spin_lock(void)
{
    while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
        ;
}

static void spin_unlock(void)
{
    __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

/* PREFIX.PID into PATH (SIZE bytes), without snprintf. */
static void trace_path(char *path, size_t size, const char *prefix, pid_t pid)
{
    char digits[16];
    int i = sizeof(digits);
    size_t n = strlen(prefix);

    do {
        digits[--i] = (char)('0' + pid % 10);
        pid /= 10;
    } while (pid);
    if (n + 1 + (sizeof(digits) - (size_t)i) + 1 > size)
        n = 0;
    memcpy(path, prefix, n);
    path[n] = '.';
    memcpy(path + n + 1, digits + i, sizeof(digits) - (size_t)i);
    path[n + 1 + sizeof(digits) - (size_t)i] = '\0';
}

/* Find the real functions and open the log.  The first caller does it;
 * while it runs (state 1) allocations come from boot_buf. */
__attribute__((constructor))
static void recorder_start(void)
{
    int expected = 0;
    const char *prefix = getenv("MALLOCTRACE_OUT"), *max = getenv("MALLOCTRACE_MAX");
    char path[4096];

    if (!__atomic_compare_exchange_n(&state, &expected, 1, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return;
    real_malloc = dlsym(RTLD_NEXT, "malloc");
    real_free = dlsym(RTLD_NEXT, "free");
    real_calloc = dlsym(RTLD_NEXT, "calloc");
    real_realloc = dlsym(RTLD_NEXT, "realloc");
    map = mmap(NULL, MAP_SLOTS * sizeof(*map), PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (max && *max)
        max_events = strtoull(max, NULL, 10);
    log_pid = getpid();
    trace_path(path, sizeof(path), prefix && *prefix ? prefix : "malloctrace", log_pid);
    log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    __atomic_store_n(&state, map != MAP_FAILED && log_fd >= 0 &&
                     real_malloc && real_free && real_calloc && real_realloc ? 2 : 3,
                     __ATOMIC_RELEASE);
}

__attribute__((destructor))
static void recorder_stop(void)
{
    spin_lock();
    if (getpid() == log_pid)
        log_flush();
    state = 3;
    spin_unlock();
}

/* Is the recorder on in this process?  Called with the lock held. */
static int recording(void)
{
    if (state == 2 && getpid() != log_pid)
        state = 3;                      /* a forked child: not ours to log */
    return state == 2;
}

/* --- recording ----------------------------------------------------------------- */

static void record_alloc(void *p, size_t n)
{
    spin_lock();
    if (recording()) {
        map_put((uintptr_t)p, next_id);
        log_event('a', next_id++, n);
    }
    spin_unlock();
}

/* Forget P (before the real free: until then no one else can get P). */
static void record_free(void *p)
{
    uint64_t id;

    spin_lock();
    if (recording() && (id = map_take((uintptr_t)p)) != 0)
        log_event('f', id - 1, 0);
    spin_unlock();
}

/* realloc moved (or failed to move) the block recorded as OLD_ID + 1 (0:
 * not recorded) from Q to P: a new block, then the free of the old one. */
static void record_realloc(void *q, uint64_t old_id, void *p, size_t n)
{
    spin_lock();
    if (!p && old_id) {
        map_put((uintptr_t)q, old_id - 1);      /* failed: Q is still live */
    } else if (p && recording()) {
        map_put((uintptr_t)p, next_id);
        log_event('a', next_id++, n);
        if (old_id && recording())
            log_event('f', old_id - 1, 0);
    }
    spin_unlock();
}

static uint64_t forget(void *q)
{
    uint64_t id = 0;

    spin_lock();
    if (recording())
        id = map_take((uintptr_t)q);
    spin_unlock();
    return id;
}

/* --- the interposed functions ---------------------------------------------------- */

/* True once the real functions are known; false while they are being
 * looked up (the caller must then use boot_buf). */
static int ready(void)
{
    if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == 0)
        recorder_start();
    return __atomic_load_n(&state, __ATOMIC_ACQUIRE) >= 2;
}

void *malloc(size_t n)
{
    void *p;

    if (!ready())
        return boot_alloc(n);
    if (depth)
        return real_malloc(n);
    depth++;
    p = real_malloc(n);
    if (p)
        record_alloc(p, n);
    depth--;
    return p;
}

void *calloc(size_t k, size_t n)
{
    void *p;

    if (!ready())
        return (n && k > SIZE_MAX / n) ? NULL : boot_alloc(k * n);
    if (depth)
        return real_calloc(k, n);
    depth++;
    p = real_calloc(k, n);
    if (p)
        record_alloc(p, k * n);
    depth--;
    return p;
}

void free(void *p)
{
    if (!p || is_boot(p) || !ready())
        return;
    if (!depth) {
        depth++;
        record_free(p);
        depth--;
    }
    real_free(p);
}

void *realloc(void *q, size_t n)
{
    uint64_t old;
    void *p;

    if (!ready() || is_boot(q)) {
        p = malloc(n);                  /* a boot block never moves back */
        if (p && q)
            memcpy(p, q, n < (size_t)(boot_buf + BOOT_BYTES - (char *)q) ?
                         n : (size_t)(boot_buf + BOOT_BYTES - (char *)q));
        return p;
    }
    if (depth)
        return real_realloc(q, n);
    if (!q)
        return malloc(n);
    if (n == 0) {                       /* glibc: realloc(q, 0) frees q */
        free(q);
        return NULL;
    }
    depth++;
    old = forget(q);
    p = real_realloc(q, n);
    record_realloc(q, old, p, n);
    depth--;
    return p;
}
