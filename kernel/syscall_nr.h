/*
 * kernel/syscall_nr.h - Linux i386 system-call numbers
 * (arch/x86/entry/syscalls/syscall_32.tbl), for the calls this kernel
 * implements or deliberately answers.  tests/host/test_syscall_nr.c checks
 * every one against the cross toolchain's <asm/unistd_32.h>.
 */
#ifndef KERNEL_SYSCALL_NR_H
#define KERNEL_SYSCALL_NR_H

#define __NR_exit                    1
#define __NR_fork                    2
#define __NR_read                    3
#define __NR_write                   4
#define __NR_waitpid                 7
#define __NR_time                   13
#define __NR_getpid                 20
#define __NR_kill                   37
#define __NR_brk                    45
#define __NR_ioctl                  54
#define __NR_getppid                64
#define __NR_setrlimit              75
#define __NR_getrlimit              76
#define __NR_getrusage              77
#define __NR_gettimeofday           78
#define __NR_mmap                   90
#define __NR_munmap                 91
#define __NR_wait4                 114
#define __NR_clone                 120
#define __NR_uname                 122
#define __NR_mprotect              125
#define __NR_writev                146
#define __NR_mlock                 150
#define __NR_munlock               151
#define __NR_mlockall              152
#define __NR_munlockall            153
#define __NR_sched_yield           158
#define __NR_nanosleep             162
#define __NR_rt_sigaction          174
#define __NR_rt_sigprocmask        175
#define __NR_ugetrlimit            191
#define __NR_mmap2                 192
#define __NR_fstat64               197
#define __NR_getuid32              199
#define __NR_getgid32              200
#define __NR_geteuid32             201
#define __NR_getegid32             202
#define __NR_madvise               219
#define __NR_gettid                224
#define __NR_tkill                 238
#define __NR_set_thread_area       243
#define __NR_exit_group            252
#define __NR_set_tid_address       258
#define __NR_clock_gettime         265
#define __NR_clock_nanosleep       267
#define __NR_tgkill                270
#define __NR_set_robust_list       311
#define __NR_prlimit64             340
#define __NR_getrandom             355
#define __NR_statx                 383
#define __NR_rseq                  386
#define __NR_clock_gettime64       403
#define __NR_clock_nanosleep_time64 407

#endif
