/*
 * kernel/sys_io.c - the console as file descriptors 0, 1 and 2.
 *
 * There are no files: every process has the console on stdin, stdout and
 * stderr, and that is all.  Enough for the C library to decide stdout is a
 * terminal (fstat64 says "character device", ioctl TCGETS succeeds: line
 * buffering) and for programs to print and read lines.
 */
#include "kernel/syscall.h"
#include "kernel/console.h"
#include "kernel/proc.h"
#include "mm/uaccess.h"
#include "lib/errno.h"
#include "lib/string.h"

#define CONSOLE_FDS   3
#define IO_CHUNK      256
#define TCGETS        0x5401
#define TIOCGWINSZ    0x5413
#define S_IFCHR       0020000
#define AT_EMPTY_PATH 0x1000
#define TTY_MAJOR     4            /* /dev/tty1 is char 4:1 */
#define TTY_MINOR     1

/* Write N bytes from user BUF to the console; returns N or -EFAULT. */
static long console_write_user(vaddr_t buf, size_t n)
{
    char chunk[IO_CHUNK];
    size_t done = 0;

    while (done < n) {
        size_t len = MIN(n - done, sizeof(chunk));
        if (copy_from_user(chunk, (const void *)(buf + done), len) < 0)
            return done ? (long)done : -EFAULT;
        console_write(chunk, len);
        done += len;
    }
    return (long)n;
}

SYSCALL_DEFINE(__NR_write, write)
{
    if (SYSARG(0) >= CONSOLE_FDS)
        return -EBADF;
    if (!access_ok((void *)SYSARG(1), SYSARG(2)))
        return -EFAULT;
    return console_write_user(SYSARG(1), SYSARG(2));
}

struct iovec32 {
    uint32_t base, len;
};

SYSCALL_DEFINE(__NR_writev, writev)
{
    struct iovec32 iov;
    long total = 0;

    if (SYSARG(0) >= CONSOLE_FDS)
        return -EBADF;
    if (SYSARG(2) > 1024)
        return -EINVAL;
    for (uint32_t i = 0; i < SYSARG(2); i++) {
        if (copy_from_user(&iov, (void *)(SYSARG(1) + i * sizeof(iov)), sizeof(iov)) < 0)
            return -EFAULT;
        if (!access_ok((void *)iov.base, iov.len))
            return -EFAULT;
        long r = console_write_user(iov.base, iov.len);
        if (r < 0)
            return total ? total : r;
        total += r;
    }
    return total;
}

/* A line from the console, echoed as typed (a terminal in canonical
 * mode): returns at a newline or when N bytes are read. */
SYSCALL_DEFINE(__NR_read, read)
{
    char line[IO_CHUNK];
    size_t n = MIN((size_t)SYSARG(2), sizeof(line)), len = 0;

    if (SYSARG(0) >= CONSOLE_FDS)
        return -EBADF;
    if (!access_ok((void *)SYSARG(1), SYSARG(2)))
        return -EFAULT;
    while (len < n) {
        int c = console_getc();
        if (c < 0)
            return -EINTR;
        if (c == '\r')
            c = '\n';
        if ((c == '\b' || c == 127) && len) {
            len--;
            console_write("\b \b", 3);
            continue;
        }
        line[len++] = (char)c;
        console_putc((char)c);
        if (c == '\n' || c == 4)        /* newline, or Ctrl-D */
            break;
    }
    if (len && line[len - 1] == 4)
        len--;                          /* Ctrl-D itself is not data */
    if (copy_to_user((void *)SYSARG(1), line, len) < 0)
        return -EFAULT;
    return (long)len;
}

SYSCALL_DEFINE(__NR_ioctl, ioctl)
{
    if (SYSARG(0) >= CONSOLE_FDS)
        return -EBADF;
    if (SYSARG(1) == TCGETS) {
        /* struct termios (asm-generic/termbits.h): iflag, oflag, cflag,
         * lflag, line, cc[19]: a cooked, echoing 8N1 terminal. */
        uint8_t t[36] = { 0 };
        uint32_t flags[4] = { 0x0500, 0x0005, 0x00bf, 0x8a3b };
        memcpy(t, flags, sizeof(flags));
        return copy_to_user((void *)SYSARG(2), t, sizeof(t)) < 0 ? -EFAULT : 0;
    }
    if (SYSARG(1) == TIOCGWINSZ) {
        uint16_t ws[4] = { 25, 80, 0, 0 };      /* rows, cols, xpixel, ypixel */
        return copy_to_user((void *)SYSARG(2), ws, sizeof(ws)) < 0 ? -EFAULT : 0;
    }
    return -ENOTTY;
}

/* struct stat64 of i386 (arch/x86/include/uapi/asm/stat.h). */
struct stat64 {
    uint64_t st_dev;
    uint8_t pad0[4];
    uint32_t st_ino_low;
    uint32_t st_mode, st_nlink, st_uid, st_gid;
    uint64_t st_rdev;
    uint8_t pad3[4];
    int64_t st_size;
    uint32_t st_blksize;
    uint64_t st_blocks;
    uint32_t times[6];
    uint64_t st_ino;
} __attribute__((packed));
_Static_assert(sizeof(struct stat64) == 96, "i386 struct stat64 is 96 bytes");

SYSCALL_DEFINE(__NR_fstat64, fstat64)
{
    struct stat64 st = { 0 };

    if (SYSARG(0) >= CONSOLE_FDS)
        return -EBADF;
    st.st_mode = S_IFCHR | 0620;
    st.st_nlink = 1;
    st.st_rdev = (TTY_MAJOR << 8) | TTY_MINOR;
    st.st_blksize = 1024;
    st.st_ino = st.st_ino_low = 5;
    return copy_to_user((void *)SYSARG(1), &st, sizeof(st)) < 0 ? -EFAULT : 0;
}

/* struct statx (include/uapi/linux/stat.h): 256 bytes. */
struct statx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, pad1;
    uint64_t ino, size, blocks, attributes_mask;
    uint8_t times[64];
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint8_t spare[112];
} __attribute__((packed));
_Static_assert(sizeof(struct statx) == 256, "struct statx is 256 bytes");

#define STATX_BASIC_STATS 0x7ff

SYSCALL_DEFINE(__NR_statx, statx)
{
    struct statx st = { 0 };
    char first = 0;

    /* Only "stat this open descriptor": statx(fd, "", AT_EMPTY_PATH, ...). */
    if (copy_from_user(&first, (void *)SYSARG(1), 1) < 0)
        return -EFAULT;
    if (first != '\0' || !(SYSARG(2) & AT_EMPTY_PATH))
        return -ENOENT;             /* there is no file system */
    if (SYSARG(0) >= CONSOLE_FDS)
        return -EBADF;
    st.mask = STATX_BASIC_STATS;
    st.blksize = 1024;
    st.nlink = 1;
    st.mode = S_IFCHR | 0620;
    st.ino = 5;
    st.rdev_major = TTY_MAJOR;
    st.rdev_minor = TTY_MINOR;
    return copy_to_user((void *)SYSARG(4), &st, sizeof(st)) < 0 ? -EFAULT : 0;
}
