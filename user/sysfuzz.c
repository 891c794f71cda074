/*
 * sysfuzz - throw random system calls at the kernel and survive.
 *
 * What it shows about memory: every pointer a program hands the kernel is
 * untrusted.  The kernel must check that a user address is mapped, is in
 * the user half, and allows the access (write into a read-only page is
 * refused) before it copies to or from it, and must answer EFAULT rather
 * than fault itself or leak its own memory.  This program calls random
 * system call numbers with arguments biased toward the values that break
 * such checks: 0, -1, small numbers, sizes around a page, pointers into a
 * valid buffer, and wild pointers (1, the kernel half from 0xC0000000, the
 * top of memory, this program's own read-only text).  A kernel that lives
 * through it, and leaves the program alive to say so, passes.
 *
 * Deterministic: a fixed seed gives the same sequence of calls on every
 * run, on Linux and on the teaching kernel alike, so a call that crashes
 * the kernel can be replayed (the third argument "v" prints each call
 * before making it).
 *
 * Three kinds of calls are treated specially:
 *
 *  - denied (see DENY_* below): never made, a new number is drawn.  They
 *    would end the process (exit, execve, rt_sigreturn), block (read,
 *    pause, futex, wait4), create processes (fork, clone), act on other
 *    processes (kill, ptrace, prlimit64), change the machine or the files
 *    when run as root on a real Linux (reboot, mount, open with O_CREAT,
 *    unlink, settimeofday), or damage the fuzzer's own state (brk under
 *    malloc, close(1), rt_sigaction, set_thread_area).  Numbers 451..499
 *    are denied too: calls newer than our headers, unknown here.
 *  - shaped memory calls (mmap2, munmap, mremap, mprotect, madvise, mlock,
 *    munlock, mlock2, msync): random lengths and flags, but addresses only
 *    inside ARENA, a mapping of its own, so they cannot unmap the
 *    program's text, stack or heap.  A successful mmap2 or mremap outside
 *    the arena is unmapped again at once.
 *  - shaped I/O calls (write, writev, ioctl): write and writev only ever
 *    get unmapped or kernel-half pointers, so nothing is written (and no
 *    pipe the fuzzer made can fill up and block it); ioctl only gets harmless
 *    requests (TCGETS, FIONREAD, TIOCGWINSZ, or nonsense), never one that
 *    changes the terminal.
 *
 * Every pointer argument is either wild (unmapped or read-only) or points
 * into SCRATCH, a buffer with an unmapped guard page on each side, so a
 * call that writes more than expected stops at the guard (EFAULT) instead
 * of overwriting the fuzzer.
 *
 * Usage: sysfuzz [ITER [SEED [v]]]   ITER calls (default 10000) from seed
 *                                    SEED (default 1); "v" prints each
 *                                    call.  Ends with
 *                                    "sysfuzz: ITER calls, survived", exit 0.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define PAGE_BYTES     4096u
#define SCRATCH_BYTES  (16 * PAGE_BYTES)
#define ARENA_BYTES    (64 * PAGE_BYTES)
#define KNOWN_NRS      500	/* 0..499: the table plus room for new calls */
#define HEADER_NRS     451	/* 0..450 are named in our <asm/unistd_32.h> */

/* --- a deterministic random source -------------------------------------------- */

/* xorshift32 (Marsaglia 2003): any nonzero state, period 2^32 - 1. */
static uint32_t rng_state = 1;

static uint32_t rnd(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* --- the calls never made ------------------------------------------------------- */

static const int denylist[] = {
	/* DENY_END: would end or replace the process. */
	SYS_exit, SYS_exit_group, SYS_execve, SYS_execveat, SYS_sigreturn,
	SYS_rt_sigreturn, SYS_bdflush, SYS_seccomp, SYS_rseq,
	/* DENY_PROCESSES: would create processes or act on other ones. */
	SYS_fork, SYS_vfork, SYS_clone, SYS_clone3, SYS_kill, SYS_tkill,
	SYS_tgkill, SYS_rt_sigqueueinfo, SYS_rt_tgsigqueueinfo,
	SYS_pidfd_send_signal, SYS_pidfd_getfd, SYS_ptrace, SYS_prlimit64,
	SYS_process_vm_readv, SYS_process_vm_writev, SYS_process_madvise,
	SYS_process_mrelease, SYS_migrate_pages, SYS_move_pages,
	SYS_sched_setparam, SYS_sched_setscheduler, SYS_sched_setattr,
	SYS_sched_setaffinity, SYS_setpriority, SYS_nice, SYS_ioprio_set,
	SYS_setpgid, SYS_setsid, SYS_vhangup,
	/* DENY_BLOCKS: may wait forever (stdin, a futex, a child, a signal). */
	SYS_read, SYS_readv, SYS_pread64, SYS_preadv, SYS_preadv2, SYS_pause,
	SYS_nanosleep, SYS_clock_nanosleep, SYS_clock_nanosleep_time64,
	SYS_waitpid, SYS_wait4, SYS_waitid, SYS_sigsuspend, SYS_rt_sigsuspend,
	SYS_rt_sigtimedwait, SYS_rt_sigtimedwait_time64, SYS_futex,
	SYS_futex_time64, SYS_futex_waitv, SYS_poll, SYS_ppoll,
	SYS_ppoll_time64, SYS_select, SYS__newselect, SYS_pselect6,
	SYS_pselect6_time64, SYS_epoll_wait, SYS_epoll_pwait, SYS_epoll_pwait2,
	SYS_flock, SYS_fcntl, SYS_fcntl64, SYS_io_setup, SYS_io_destroy,
	SYS_io_getevents, SYS_io_submit, SYS_io_cancel, SYS_io_pgetevents,
	SYS_io_pgetevents_time64, SYS_io_uring_setup, SYS_io_uring_enter,
	SYS_io_uring_register, SYS_mq_open, SYS_mq_unlink, SYS_mq_timedsend,
	SYS_mq_timedreceive, SYS_mq_notify, SYS_mq_getsetattr,
	SYS_mq_timedsend_time64, SYS_mq_timedreceive_time64, SYS_ipc,
	SYS_semget, SYS_semctl, SYS_shmget, SYS_shmctl, SYS_shmat, SYS_shmdt,
	SYS_msgget, SYS_msgsnd, SYS_msgrcv, SYS_msgctl, SYS_semtimedop_time64,
	SYS_socketcall, SYS_socket, SYS_socketpair, SYS_bind, SYS_connect,
	SYS_listen, SYS_accept4, SYS_getsockopt, SYS_setsockopt,
	SYS_getsockname, SYS_getpeername, SYS_sendto, SYS_sendmsg,
	SYS_recvfrom, SYS_recvmsg, SYS_shutdown, SYS_recvmmsg,
	SYS_recvmmsg_time64, SYS_sendmmsg, SYS_sendfile, SYS_sendfile64,
	SYS_splice, SYS_tee, SYS_vmsplice, SYS_copy_file_range,
	SYS_sync, SYS_syncfs, SYS_sync_file_range,
	/* DENY_FILES: would create, change or remove files (paths come from
	 * the scratch buffer), or move the fuzzer's own descriptors. */
	SYS_open, SYS_openat, SYS_openat2, SYS_creat, SYS_open_by_handle_at,
	SYS_link, SYS_linkat, SYS_unlink, SYS_unlinkat, SYS_symlink,
	SYS_symlinkat, SYS_rename, SYS_renameat, SYS_renameat2, SYS_mkdir,
	SYS_mkdirat, SYS_rmdir, SYS_mknod, SYS_mknodat, SYS_chmod, SYS_fchmod,
	SYS_fchmodat, SYS_chown, SYS_lchown, SYS_fchown, SYS_chown32,
	SYS_lchown32, SYS_fchown32, SYS_fchownat, SYS_truncate,
	SYS_truncate64, SYS_ftruncate, SYS_ftruncate64, SYS_fallocate,
	SYS_utime, SYS_utimes, SYS_futimesat, SYS_utimensat,
	SYS_utimensat_time64, SYS_setxattr, SYS_lsetxattr, SYS_fsetxattr,
	SYS_removexattr, SYS_lremovexattr, SYS_fremovexattr, SYS_pwrite64,
	SYS_pwritev, SYS_pwritev2, SYS_lseek, SYS__llseek, SYS_close,
	SYS_close_range, SYS_dup2, SYS_dup3, SYS_chdir, SYS_fchdir,
	SYS_chroot, SYS_uselib, SYS_acct,
	/* DENY_MACHINE: would change the machine when run as root. */
	SYS_reboot, SYS_kexec_load, SYS_init_module, SYS_finit_module,
	SYS_delete_module, SYS_mount, SYS_umount, SYS_umount2, SYS_pivot_root,
	SYS_mount_setattr, SYS_open_tree, SYS_move_mount, SYS_fsopen,
	SYS_fsconfig, SYS_fsmount, SYS_fspick, SYS_swapon, SYS_swapoff,
	SYS_quotactl, SYS_quotactl_fd, SYS_sethostname, SYS_setdomainname,
	SYS_settimeofday, SYS_stime, SYS_adjtimex, SYS_clock_settime,
	SYS_clock_settime64, SYS_clock_adjtime, SYS_clock_adjtime64,
	SYS_syslog, SYS_iopl, SYS_ioperm, SYS_vm86, SYS_vm86old,
	SYS_lookup_dcookie, SYS_perf_event_open, SYS_bpf, SYS_fanotify_init,
	SYS_fanotify_mark, SYS_add_key, SYS_request_key, SYS_keyctl,
	SYS_unshare, SYS_setns, SYS_landlock_create_ruleset,
	SYS_landlock_add_rule, SYS_landlock_restrict_self,
	/* DENY_SELF: would wreck the fuzzer's own memory, signals or identity. */
	SYS_brk, SYS_mmap, SYS_remap_file_pages, SYS_mlockall, SYS_munlockall,
	SYS_mbind, SYS_set_mempolicy, SYS_set_mempolicy_home_node,
	SYS_pkey_mprotect, SYS_set_thread_area, SYS_set_tid_address,
	SYS_set_robust_list, SYS_modify_ldt, SYS_arch_prctl, SYS_prctl,
	SYS_personality, SYS_sigaltstack, SYS_signal, SYS_sigaction,
	SYS_rt_sigaction, SYS_sigprocmask, SYS_rt_sigprocmask, SYS_ssetmask,
	SYS_alarm, SYS_setitimer, SYS_timer_create, SYS_timer_settime,
	SYS_timer_settime64, SYS_setrlimit, SYS_capset, SYS_setuid,
	SYS_setgid, SYS_setreuid, SYS_setregid, SYS_setresuid, SYS_setresgid,
	SYS_setgroups, SYS_setfsuid, SYS_setfsgid, SYS_setuid32, SYS_setgid32,
	SYS_setreuid32, SYS_setregid32, SYS_setresuid32, SYS_setresgid32,
	SYS_setgroups32, SYS_setfsuid32, SYS_setfsgid32,
};

static unsigned char denied[KNOWN_NRS];

static void denylist_init(void)
{
	for (size_t i = 0; i < sizeof denylist / sizeof denylist[0]; i++)
		denied[denylist[i]] = 1;
	for (int nr = HEADER_NRS; nr < KNOWN_NRS; nr++)
		denied[nr] = 1;		/* newer than our headers: unknown */
}

/* A call number to make: 90% from the real table, the rest numbers that
 * exist on no Linux (500..1023, negative, huge), all answered ENOSYS. */
static uint32_t pick_nr(void)
{
	static const uint32_t nonsense[] = { 0xFFFFFFFF, 0x80000000, 0xFFFF, 1000 };
	for (;;) {
		uint32_t dice = rnd() % 100, nr;
		if (dice < 90)
			nr = rnd() % HEADER_NRS;
		else if (dice < 98)
			nr = KNOWN_NRS + rnd() % (1024 - KNOWN_NRS);
		else
			nr = nonsense[rnd() % 4];
		if (nr >= KNOWN_NRS || !denied[nr])
			return nr;
	}
}

/* --- arguments ---------------------------------------------------------------- */

static char *scratch;	/* SCRATCH_BYTES, guard page either side */
static char *arena;	/* ARENA_BYTES for the memory calls, same guards */

/* BYTES of read-write memory between two PROT_NONE guard pages, or exit. */
static char *guarded_region(size_t bytes)
{
	char *p = mmap(NULL, bytes + 2 * PAGE_BYTES, PROT_NONE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED ||
	    mprotect(p + PAGE_BYTES, bytes, PROT_READ | PROT_WRITE) != 0) {
		perror("sysfuzz: setting up a guarded region");
		exit(1);
	}
	return p + PAGE_BYTES;
}

/* Addresses no call may read or write: unmapped, or the kernel's half. */
static uint32_t unreadable_pointer(void)
{
	static const uint32_t unmapped[] = {
		1, 0x1000, 0xC0000000, 0xFFFFFFFF, 0xFFFFF000,
	};
	if (rnd() % 2)		/* anywhere in the kernel half */
		return 0xC0000000 + rnd() % 0x30000000;
	return unmapped[rnd() % (sizeof unmapped / sizeof unmapped[0])];
}

/* Those, or addresses a call may read but never write: this program's
 * read-only ELF header page and its text. */
static uint32_t wild_pointer(void)
{
	switch (rnd() % 8) {
	case 0:  return 0x08048000;
	case 1:  return 0x08049000;
	default: return unreadable_pointer();
	}
}

/* A random argument for an unknown parameter: number, size or pointer. */
static uint32_t any_arg(void)
{
	static const uint32_t interesting[] = {
		0, 1, 2, 3, 4, 8, 16, 32, 64, 255, 256, 4095, 4096, 4097,
		0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000,
		0xFFFFFFFE, 0xFFFFFFFF,
	};
	switch (rnd() % 8) {
	case 0:  return 0;
	case 1:  return 0xFFFFFFFF;				/* -1 */
	case 2:  return rnd() % 16;				/* fds, flags */
	case 3:  return interesting[rnd() % (sizeof interesting / sizeof interesting[0])];
	case 4:
	case 5:  return (uint32_t)(uintptr_t)(scratch + rnd() % SCRATCH_BYTES);
	default: return wild_pointer();
	}
}

/* An address in the arena (page-aligned 7 times in 8) and a length that
 * keeps [addr, addr + len) inside it. */
static void arena_range(uint32_t *addr, uint32_t *len)
{
	uint32_t off = rnd() % ARENA_BYTES;
	if (rnd() % 8)
		off &= ~(PAGE_BYTES - 1);
	*addr = (uint32_t)(uintptr_t)arena + off;
	*len = rnd() % (ARENA_BYTES - off + 1);
}

/* --- making one call ---------------------------------------------------------- */

static int in_arena(uint32_t addr)
{
	return addr >= (uint32_t)(uintptr_t)arena &&
	       addr < (uint32_t)(uintptr_t)arena + ARENA_BYTES;
}

/* Give back a mapping a shaped call made outside the arena. */
static void unmap_stray(long ret, uint32_t len)
{
	if (ret != -1 && !in_arena((uint32_t)ret) && len != 0)
		munmap((void *)ret, len);
}

/* Some kernels' headers lack it; the value is Linux's. */
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif

/* Rewrite the arguments A[6] of a shaped call NR (see the top comment). */
static void shape(uint32_t nr, uint32_t a[6])
{
	static struct iovec wild_iov;
	static const uint32_t harmless_ioctls[] = {
		TCGETS, FIONREAD, TIOCGWINSZ, 0, 0xDEAD0000,
	};

	switch (nr) {
	case SYS_mmap2:		/* addr len prot flags fd pgoff */
		a[3] &= ~(uint32_t)(MAP_POPULATE | MAP_LOCKED);	/* no real RAM */
		if (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE))
			arena_range(&a[0], &a[1]);
		break;
	case SYS_mremap:	/* old old_len new_len flags new */
		arena_range(&a[0], &a[1]);
		a[2] = rnd() % (ARENA_BYTES + 1);
		a[3] &= MREMAP_MAYMOVE;		/* never MREMAP_FIXED */
		break;
	case SYS_madvise:	/* addr len advice */
		if (a[2] == MADV_HWPOISON || a[2] == MADV_SOFT_OFFLINE)
			a[2] = MADV_DONTNEED;	/* those poison the host's RAM */
		arena_range(&a[0], &a[1]);
		break;
	case SYS_munmap: case SYS_mprotect: case SYS_mlock: case SYS_munlock:
	case SYS_mlock2: case SYS_msync:
		arena_range(&a[0], &a[1]);
		break;
	case SYS_write:		/* fd buf count: nothing to read at buf */
		a[1] = unreadable_pointer();
		break;
	case SYS_writev:	/* fd iov count: the iovec or its base is bad */
		wild_iov.iov_base = (void *)(uintptr_t)unreadable_pointer();
		wild_iov.iov_len = any_arg();
		a[1] = rnd() % 2 ? unreadable_pointer() : (uint32_t)(uintptr_t)&wild_iov;
		break;
	case SYS_ioctl:		/* fd request arg */
		a[1] = harmless_ioctls[rnd() % (sizeof harmless_ioctls /
		                                sizeof harmless_ioctls[0])];
		break;
	}
}

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? strtol(argv[1], NULL, 0) : 10000;
	unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	int verbose = argc > 3 && strcmp(argv[3], "v") == 0;
	if (iterations < 0 || (uint32_t)seed == 0) {
		fprintf(stderr, "usage: sysfuzz [ITER [SEED [v]]]  (SEED != 0)\n");
		return 2;
	}
	rng_state = (uint32_t)seed;

	denylist_init();
	scratch = guarded_region(SCRATCH_BYTES);
	arena = guarded_region(ARENA_BYTES);
	for (uint32_t i = 0; i < SCRATCH_BYTES; i++)	/* garbage structs */
		scratch[i] = (char)rnd();

	printf("sysfuzz: %ld calls from seed %lu\n", iterations, seed);
	fflush(stdout);

	for (long i = 0; i < iterations; i++) {
		uint32_t nr = pick_nr(), a[6];
		for (int k = 0; k < 6; k++)
			a[k] = any_arg();
		shape(nr, a);
		if (verbose) {
			printf("sysfuzz: #%ld nr %ld (%#x, %#x, %#x, %#x, %#x, %#x)\n",
			       i, (long)(int32_t)nr, a[0], a[1], a[2], a[3], a[4], a[5]);
			fflush(stdout);
		}
		long ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (nr == SYS_mmap2)
			unmap_stray(ret, a[1]);
		else if (nr == SYS_mremap)
			unmap_stray(ret, a[2]);
	}

	printf("sysfuzz: %ld calls, survived\n", iterations);
	return 0;
}
