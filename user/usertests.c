/*
 * usertests - many small checks of the memory and process system calls.
 *
 * What it shows about memory: the contract between a program and the
 * kernel's memory manager, one promise per check.  Fresh anonymous memory
 * reads as zero; brk() grows and shrinks the heap; munmap() and mprotect()
 * really take access away (the next touch faults); MADV_DONTNEED throws a
 * page's contents away; fork() copies on write; the stack grows on demand;
 * and a bad pointer passed to a system call comes back as EFAULT instead of
 * crashing the kernel or leaking its memory.
 *
 * Each check prints "ok NAME" or "FAIL NAME: line L: EXPR: details" and
 * the run goes on after a failure; the last line is exactly
 * "N passed, N failed" and the exit status is 0 iff nothing failed.
 * A check that expects a fault runs the touch in a forked child and asks
 * waitpid() whether the child was killed by SIGSEGV.
 *
 * Every check is deterministic on Linux and uses only these calls: exit,
 * exit_group, write, writev, read, brk, mmap2, munmap, mprotect, madvise,
 * mlock, munlock, getpid, getppid, gettid, uname, getrandom,
 * clock_gettime, nanosleep, sched_yield, getrusage, getrlimit/setrlimit,
 * fstat64, kill, fork, wait4/waitpid (and what glibc's start-up needs).
 *
 * Not checked: read() into a bad pointer.  With only the calls above there
 * is no file descriptor that is sure to have data and not block (stdin may
 * be a terminal), so read_ebadf checks the descriptor path instead;
 * getrandom, uname and getrusage exercise the same copy-to-user check.
 *
 * Usage: usertests      runs every check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#define PAGE_BYTES  4096

/* Addresses no system call may read or write on a user's behalf. */
#define BAD_LOW     ((void *)1)			/* the unmapped first page */
#define BAD_KERNEL  ((void *)0xC0000000)	/* where this kernel lives */

/* --- the check machinery -------------------------------------------------- */

static char failure[512];

/* Format the reason for a failed CHECK; returns it for the check to return. */
static const char *check_failed(int line, const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static const char *check_failed(int line, const char *expr, const char *fmt, ...)
{
	int n = snprintf(failure, sizeof failure, "line %d: %s: ", line, expr);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(failure + n, sizeof failure - n, fmt, ap);
	va_end(ap);
	return failure;
}

/* Ends the check with a failure when COND is false; the check returns NULL
 * when every CHECK held. */
#define CHECK(cond, ...) \
	do { if (!(cond)) return check_failed(__LINE__, #cond, __VA_ARGS__); } while (0)

/* A fresh private anonymous read-write mapping of PAGES pages, or NULL. */
static char *map_pages(int pages)
{
	void *p = mmap(NULL, (size_t)pages * PAGE_BYTES, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void read_byte(volatile char *addr)  { (void)*addr; }
static void write_byte(volatile char *addr) { *addr = 1; }

/*
 * Run TOUCH(ADDR) in a forked child.  Returns the number of the signal
 * that killed the child, 0 if it exited normally (the touch worked), -1 if
 * fork or waitpid failed.  The child turns off core dumps first, so an
 * expected SIGSEGV leaves no core file behind.
 */
static int touch_in_child(void (*touch)(volatile char *), volatile char *addr)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		setrlimit(RLIMIT_CORE, &no_core);
		touch(addr);
		_exit(0);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

/* --- the heap: brk ---------------------------------------------------------- */

#define BRK_GROW_BYTES (64 * 1024)

static const char *check_brk_grow(void)
{
	char *old_end = sbrk(0);
	CHECK(old_end != (void *)-1, "sbrk(0) failed, errno %d", errno);
	char *got = sbrk(BRK_GROW_BYTES);
	CHECK(got == old_end, "sbrk returned %p, break was %p", got, old_end);
	CHECK(sbrk(0) == old_end + BRK_GROW_BYTES, "break is %p", sbrk(0));

	memset(got, 0x5A, BRK_GROW_BYTES);	/* the new heap is usable */
	for (int i = 0; i < BRK_GROW_BYTES; i++)
		CHECK(got[i] == 0x5A, "byte %d reads 0x%x", i, got[i] & 0xff);

	CHECK(sbrk(-BRK_GROW_BYTES) != (void *)-1, "shrink failed, errno %d", errno);
	return NULL;
}

/* Shrinking the break unmaps the pages above it: touching one faults. */
static const char *check_brk_shrink(void)
{
	char *old_end = sbrk(0);
	CHECK(sbrk(BRK_GROW_BYTES) == old_end, "grow failed, errno %d", errno);
	old_end[BRK_GROW_BYTES - 1] = 1;
	CHECK(sbrk(-BRK_GROW_BYTES) == old_end + BRK_GROW_BYTES,
	      "shrink failed, errno %d", errno);
	CHECK(sbrk(0) == old_end, "break is %p, expected %p", sbrk(0), old_end);

	/* Halfway up is pages above the new break's page: no longer mapped. */
	int sig = touch_in_child(write_byte, old_end + BRK_GROW_BYTES / 2);
	CHECK(sig == SIGSEGV, "child touching the released heap got %d", sig);
	return NULL;
}

/* --- mmap, munmap, mprotect, madvise, mlock ---------------------------------- */

static const char *check_mmap_anon(void)
{
	char *p = map_pages(4);
	CHECK(p != NULL, "mmap failed, errno %d", errno);
	for (int i = 0; i < 4 * PAGE_BYTES; i++)	/* the kernel zeroed them */
		CHECK(p[i] == 0, "fresh byte %d reads 0x%x", i, p[i] & 0xff);
	for (int i = 0; i < 4 * PAGE_BYTES; i++)
		p[i] = (char)i;
	for (int i = 0; i < 4 * PAGE_BYTES; i++)
		CHECK(p[i] == (char)i, "byte %d reads 0x%x", i, p[i] & 0xff);
	CHECK(munmap(p, 4 * PAGE_BYTES) == 0, "munmap: errno %d", errno);
	return NULL;
}

static const char *check_mmap_errors(void)
{
	void *p = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p == MAP_FAILED && errno == EINVAL,
	      "zero-length mmap gave %p, errno %d", p, errno);
	char *page = map_pages(1);
	CHECK(page != NULL, "mmap failed, errno %d", errno);
	int r = munmap(page + 1, PAGE_BYTES);
	CHECK(r == -1 && errno == EINVAL,
	      "munmap of an unaligned address gave %d, errno %d", r, errno);
	CHECK(munmap(page, PAGE_BYTES) == 0, "munmap: errno %d", errno);
	return NULL;
}

/* 256 MiB of address space costs nothing until it is touched. */
static const char *check_mmap_lazy(void)
{
	const int pages = 256 * 256;
	char *p = map_pages(pages);
	CHECK(p != NULL, "mmap of 256 MiB failed, errno %d", errno);
	p[0] = 1;
	p[(long)pages * PAGE_BYTES - 1] = 2;
	CHECK(p[0] == 1 && p[(long)pages * PAGE_BYTES - 1] == 2, "lost writes");
	CHECK(munmap(p, (size_t)pages * PAGE_BYTES) == 0, "munmap: errno %d", errno);
	return NULL;
}

static const char *check_munmap_faults(void)
{
	char *p = map_pages(1);
	CHECK(p != NULL, "mmap failed, errno %d", errno);
	p[0] = 1;
	CHECK(munmap(p, PAGE_BYTES) == 0, "munmap: errno %d", errno);
	int sig = touch_in_child(read_byte, p);
	CHECK(sig == SIGSEGV, "child reading an unmapped page got %d", sig);
	return NULL;
}

/* Unmapping the middle page of three splits the region in two. */
static const char *check_munmap_hole(void)
{
	char *p = map_pages(3);
	CHECK(p != NULL, "mmap failed, errno %d", errno);
	p[0] = 'a';
	p[2 * PAGE_BYTES] = 'c';
	CHECK(munmap(p + PAGE_BYTES, PAGE_BYTES) == 0, "munmap: errno %d", errno);
	CHECK(p[0] == 'a' && p[2 * PAGE_BYTES] == 'c', "neighbours lost data");

	int sig = touch_in_child(write_byte, p);
	CHECK(sig == 0, "child writing the first page got signal %d", sig);
	sig = touch_in_child(write_byte, p + 2 * PAGE_BYTES);
	CHECK(sig == 0, "child writing the third page got signal %d", sig);
	sig = touch_in_child(write_byte, p + PAGE_BYTES);
	CHECK(sig == SIGSEGV, "child writing the hole got %d", sig);

	CHECK(munmap(p, 3 * PAGE_BYTES) == 0, "munmap across the hole: errno %d", errno);
	return NULL;
}

static const char *check_mprotect_readonly(void)
{
	char *p = map_pages(1);
	CHECK(p != NULL, "mmap failed, errno %d", errno);
	p[0] = 42;
	CHECK(mprotect(p, PAGE_BYTES, PROT_READ) == 0, "mprotect: errno %d", errno);
	CHECK(p[0] == 42, "read-only page reads %d", p[0]);

	int sig = touch_in_child(write_byte, p);
	CHECK(sig == SIGSEGV, "child writing a read-only page got %d", sig);

	CHECK(mprotect(p, PAGE_BYTES, PROT_READ | PROT_WRITE) == 0,
	      "mprotect back: errno %d", errno);
	p[0] = 43;
	CHECK(p[0] == 43, "writable again page reads %d", p[0]);
	CHECK(munmap(p, PAGE_BYTES) == 0, "munmap: errno %d", errno);
	return NULL;
}

static const char *check_mprotect_none(void)
{
	char *p = map_pages(1);
	CHECK(p != NULL, "mmap failed, errno %d", errno);
	CHECK(mprotect(p, PAGE_BYTES, PROT_NONE) == 0, "mprotect: errno %d", errno);
	int sig = touch_in_child(read_byte, p);
	CHECK(sig == SIGSEGV, "child reading a PROT_NONE page got %d", sig);
	CHECK(munmap(p, PAGE_BYTES) == 0, "munmap: errno %d", errno);
	return NULL;
}

/* MADV_DONTNEED drops a private anonymous page: it reads back as zero. */
static const char *check_madvise_dontneed(void)
{
	char *p = map_pages(1);
	CHECK(p != NULL, "mmap failed, errno %d", errno);
	memset(p, 0xAB, PAGE_BYTES);
	CHECK(madvise(p, PAGE_BYTES, MADV_DONTNEED) == 0, "madvise: errno %d", errno);
	for (int i = 0; i < PAGE_BYTES; i++)
		CHECK(p[i] == 0, "byte %d reads 0x%x after DONTNEED", i, p[i] & 0xff);
	CHECK(munmap(p, PAGE_BYTES) == 0, "munmap: errno %d", errno);
	return NULL;
}

static const char *check_mlock(void)
{
	char *p = map_pages(1);
	CHECK(p != NULL, "mmap failed, errno %d", errno);
	CHECK(mlock(p, PAGE_BYTES) == 0, "mlock: errno %d", errno);
	CHECK(munlock(p, PAGE_BYTES) == 0, "munlock: errno %d", errno);
	CHECK(munmap(p, PAGE_BYTES) == 0, "munmap: errno %d", errno);
	return NULL;
}

/* Touch 256 KiB of stack from the top down: the stack grows on demand. */
#define STACK_TEST_BYTES (256 * 1024)

static int __attribute__((noinline)) use_stack(void)
{
	volatile char big[STACK_TEST_BYTES];
	for (int i = STACK_TEST_BYTES - 1; i >= 0; i -= PAGE_BYTES)
		big[i] = (char)i;
	int sum = 0;
	for (int i = STACK_TEST_BYTES - 1; i >= 0; i -= PAGE_BYTES)
		sum += big[i] == (char)i;
	return sum;
}

static const char *check_stack_grows(void)
{
	int pages = use_stack();
	CHECK(pages == STACK_TEST_BYTES / PAGE_BYTES, "%d pages read back", pages);
	return NULL;
}

/* --- bad pointers come back as EFAULT ---------------------------------------- */

/* 1 if writes to stdout are thrown away unread (it is /dev/null). */
static int stdout_is_dev_null(void)
{
	struct stat st;
	return fstat(1, &st) == 0 && S_ISCHR(st.st_mode) &&
	       major(st.st_rdev) == 1 && minor(st.st_rdev) == 3;
}

/* syscall() so the C library cannot touch the pointer first. */
static const char *check_efault_write(void)
{
	if (stdout_is_dev_null())	/* /dev/null never reads the buffer */
		return NULL;
	long r = syscall(SYS_write, 1, BAD_LOW, 10);
	CHECK(r == -1 && errno == EFAULT, "write(1, 1, 10) gave %ld, errno %d", r, errno);
	return NULL;
}

static const char *check_efault_writev(void)
{
	if (stdout_is_dev_null())
		return NULL;
	long r = syscall(SYS_writev, 1, BAD_LOW, 1);
	CHECK(r == -1 && errno == EFAULT, "bad iovec array gave %ld, errno %d", r, errno);
	struct iovec iov = { .iov_base = BAD_LOW, .iov_len = 10 };
	r = syscall(SYS_writev, 1, &iov, 1);
	CHECK(r == -1 && errno == EFAULT, "bad iov_base gave %ld, errno %d", r, errno);
	return NULL;
}

static const char *check_efault_uname(void)
{
	long r = syscall(SYS_uname, BAD_LOW);
	CHECK(r == -1 && errno == EFAULT, "uname(1) gave %ld, errno %d", r, errno);
	return NULL;
}

static const char *check_efault_getrusage(void)
{
	long r = syscall(SYS_getrusage, RUSAGE_SELF, BAD_LOW);
	CHECK(r == -1 && errno == EFAULT, "getrusage(1) gave %ld, errno %d", r, errno);
	return NULL;
}

static const char *check_efault_getrandom(void)
{
	long r = syscall(SYS_getrandom, BAD_LOW, 16, 0);
	CHECK(r == -1 && errno == EFAULT, "getrandom(1) gave %ld, errno %d", r, errno);
	return NULL;
}

/* A user pointer into the kernel's half must not let the kernel copy its
 * own memory out (write) or scribble on itself (uname). */
static const char *check_efault_kernel_half(void)
{
	long r;
	if (!stdout_is_dev_null()) {
		r = syscall(SYS_write, 1, BAD_KERNEL, 16);
		CHECK(r == -1 && errno == EFAULT,
		      "write from 0xC0000000 gave %ld, errno %d", r, errno);
	}
	r = syscall(SYS_uname, BAD_KERNEL);
	CHECK(r == -1 && errno == EFAULT,
	      "uname(0xC0000000) gave %ld, errno %d", r, errno);
	return NULL;
}

static const char *check_read_ebadf(void)
{
	char c;
	long r = syscall(SYS_read, -1, &c, 1);
	CHECK(r == -1 && errno == EBADF, "read(-1) gave %ld, errno %d", r, errno);
	return NULL;
}

/* --- processes ------------------------------------------------------------------ */

static const char *check_getpid(void)
{
	pid_t me = getpid(), parent = getppid();
	CHECK(me > 0 && parent > 0 && me != parent, "pid %d, ppid %d", me, parent);
	CHECK(getpid() == me, "getpid changed");

	fflush(stdout);
	pid_t child = fork();
	CHECK(child >= 0, "fork: errno %d", errno);
	if (child == 0)
		_exit(getppid() == me && getpid() != me ? 0 : 1);
	int status;
	CHECK(waitpid(child, &status, 0) == child, "waitpid: errno %d", errno);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child saw the wrong pid or ppid (status 0x%x)", status);
	return NULL;
}

static const char *check_gettid(void)
{
	CHECK(gettid() == getpid(), "tid %d, pid %d", gettid(), getpid());
	return NULL;
}

static const char *check_fork_exit_status(void)
{
	fflush(stdout);
	pid_t child = fork();
	CHECK(child >= 0, "fork: errno %d", errno);
	if (child == 0)
		_exit(42);
	int status;
	CHECK(waitpid(child, &status, 0) == child, "waitpid: errno %d", errno);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42, "status 0x%x", status);
	return NULL;
}

/* The child's write to a global lands on its own copy of the page. */
static volatile int cow_value = 1;

static const char *check_fork_cow(void)
{
	fflush(stdout);
	pid_t child = fork();
	CHECK(child >= 0, "fork: errno %d", errno);
	if (child == 0) {
		cow_value = 2;
		_exit(cow_value == 2 ? 0 : 1);
	}
	int status;
	CHECK(waitpid(child, &status, 0) == child, "waitpid: errno %d", errno);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x", status);
	CHECK(cow_value == 1, "parent sees the child's write: %d", cow_value);
	return NULL;
}

static const char *check_kill_zero(void)
{
	CHECK(kill(getpid(), 0) == 0, "kill(self, 0): errno %d", errno);
	return NULL;
}

static const char *check_sched_yield(void)
{
	CHECK(sched_yield() == 0, "errno %d", errno);
	return NULL;
}

/* --- time, randomness, identity, limits ------------------------------------------ */

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static const char *check_clock_monotonic(void)
{
	struct timespec prev, now;
	CHECK(clock_gettime(CLOCK_MONOTONIC, &prev) == 0, "errno %d", errno);
	for (int i = 0; i < 1000; i++) {
		CHECK(clock_gettime(CLOCK_MONOTONIC, &now) == 0, "errno %d", errno);
		CHECK(ns_of(&now) >= ns_of(&prev), "went back from %lld to %lld ns",
		      ns_of(&prev), ns_of(&now));
		prev = now;
	}
	return NULL;
}

static const char *check_nanosleep(void)
{
	struct timespec before, after, nap = { 0, 1000000 };	/* 1 ms */
	CHECK(clock_gettime(CLOCK_MONOTONIC, &before) == 0, "errno %d", errno);
	CHECK(nanosleep(&nap, NULL) == 0, "errno %d", errno);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &after) == 0, "errno %d", errno);
	CHECK(ns_of(&after) - ns_of(&before) >= 1000000, "slept only %lld ns",
	      ns_of(&after) - ns_of(&before));
	return NULL;
}

static const char *check_getrandom(void)
{
	unsigned char a[16], b[16];
	CHECK(getrandom(a, sizeof a, 0) == sizeof a, "errno %d", errno);
	CHECK(getrandom(b, sizeof b, 0) == sizeof b, "errno %d", errno);
	CHECK(memcmp(a, b, sizeof a) != 0, "two calls gave the same 16 bytes");
	return NULL;
}

static const char *check_uname(void)
{
	struct utsname u;
	CHECK(uname(&u) == 0, "errno %d", errno);
	CHECK(strcmp(u.sysname, "Linux") == 0, "sysname is \"%s\"", u.sysname);
	return NULL;
}

static const char *check_rlimit_stack(void)
{
	struct rlimit rl;
	CHECK(getrlimit(RLIMIT_STACK, &rl) == 0, "errno %d", errno);
	CHECK(rl.rlim_cur > 0 && rl.rlim_cur <= rl.rlim_max,
	      "cur %lu, max %lu", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
	return NULL;
}

/* --- system call plumbing ---------------------------------------------------------- */

static const char *check_writev(void)
{
	static const char first[] = "writev: first buffer, ";
	static const char second[] = "second buffer\n";
	struct iovec iov[2] = {
		{ .iov_base = (void *)first, .iov_len = sizeof first - 1 },
		{ .iov_base = (void *)second, .iov_len = sizeof second - 1 },
	};
	fflush(stdout);		/* keep the line in order with printf's */
	ssize_t n = writev(1, iov, 2);
	CHECK(n == (ssize_t)(iov[0].iov_len + iov[1].iov_len), "wrote %zd", n);
	return NULL;
}

/* i386 Linux has about 460 system calls: 1000 is none of them. */
static const char *check_enosys(void)
{
	long r = syscall(1000);
	CHECK(r == -1 && errno == ENOSYS, "gave %ld, errno %d", r, errno);
	return NULL;
}

/* --- the run ----------------------------------------------------------------------- */

static const struct {
	const char *name;
	const char *(*run)(void);	/* NULL if the check passed */
} checks[] = {
	{ "brk_grow",           check_brk_grow },
	{ "brk_shrink",         check_brk_shrink },
	{ "mmap_anon",          check_mmap_anon },
	{ "mmap_errors",        check_mmap_errors },
	{ "mmap_lazy",          check_mmap_lazy },
	{ "munmap_faults",      check_munmap_faults },
	{ "munmap_hole",        check_munmap_hole },
	{ "mprotect_readonly",  check_mprotect_readonly },
	{ "mprotect_none",      check_mprotect_none },
	{ "madvise_dontneed",   check_madvise_dontneed },
	{ "mlock",              check_mlock },
	{ "stack_grows",        check_stack_grows },
	{ "efault_write",       check_efault_write },
	{ "efault_writev",      check_efault_writev },
	{ "efault_uname",       check_efault_uname },
	{ "efault_getrusage",   check_efault_getrusage },
	{ "efault_getrandom",   check_efault_getrandom },
	{ "efault_kernel_half", check_efault_kernel_half },
	{ "read_ebadf",         check_read_ebadf },
	{ "getpid",             check_getpid },
	{ "gettid",             check_gettid },
	{ "fork_exit_status",   check_fork_exit_status },
	{ "fork_cow",           check_fork_cow },
	{ "kill_zero",          check_kill_zero },
	{ "sched_yield",        check_sched_yield },
	{ "clock_monotonic",    check_clock_monotonic },
	{ "nanosleep",          check_nanosleep },
	{ "getrandom",          check_getrandom },
	{ "uname",              check_uname },
	{ "rlimit_stack",       check_rlimit_stack },
	{ "writev",             check_writev },
	{ "enosys",             check_enosys },
};

int main(void)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		errno = 0;
		const char *why = checks[i].run();
		if (why == NULL) {
			printf("ok %s\n", checks[i].name);
			passed++;
		} else {
			printf("FAIL %s: %s\n", checks[i].name, why);
			failed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
