/*
 * lib/tar.h - reading a ustar archive that is already in memory.
 *
 * A tar archive is the simplest file system there is: a header block, the
 * file's bytes padded to whole blocks, the next header, and so on, ending
 * with blocks of zeroes.  Every block is 512 bytes.
 *
 *   0        512      1024     1536     2048     2560     3072
 *   +--------+--------+--------+--------+--------+--------+--------+
 *   | header | data   : data   | header | header | data   | zeroes |
 *   | a.txt  | 700 bytes, pad  | sub/   | sub/b  | 5 B,   | = end  |
 *   | 700 B  | to 2 blocks     | (dir)  | 5 B    | padded |        |
 *   +--------+--------+--------+--------+--------+--------+--------+
 *
 * The kernel receives such an archive as a multiboot module (a bundle of
 * user programs) and walks it with tar_next() to find the files in it; the
 * data pointers point into the archive itself, nothing is copied.
 *
 * The header is the one of POSIX.1-1988 "ustar", specified today in
 * POSIX.1-2017 XCU pax, "ustar Interchange Format"; GNU tar writes it with
 * `tar --format=ustar`.  Numbers in it are ASCII octal, and a checksum
 * covers the whole header block.
 */
#ifndef LIB_TAR_H
#define LIB_TAR_H

#include "lib/types.h"

#define TAR_BLOCK_SIZE 512

/* POSIX pax, "ustar Interchange Format": the header block, field by field.
 * Text fields are NUL-terminated unless they fill the field; numeric
 * fields are octal digits ended by a space or NUL. */
struct tar_header {
    char name[100];         /*   0: file name (the part after PREFIX) */
    char mode[8];           /* 100 */
    char uid[8];            /* 108 */
    char gid[8];            /* 116 */
    char size[12];          /* 124: length of the data in bytes */
    char mtime[12];         /* 136 */
    char chksum[8];         /* 148: sum of the header's bytes, see tar.c */
    char typeflag;          /* 156: TAR_REGTYPE ... */
    char linkname[100];     /* 157 */
    char magic[6];          /* 257: "ustar\0" */
    char version[2];        /* 263: "00" */
    char uname[32];         /* 265 */
    char gname[32];         /* 297 */
    char devmajor[8];       /* 329 */
    char devminor[8];       /* 337 */
    char prefix[155];       /* 345: directory part of long names */
    char pad[12];           /* 500: to a whole block */
};
_Static_assert(sizeof(struct tar_header) == TAR_BLOCK_SIZE, "a ustar header is one block");
_Static_assert(offsetof(struct tar_header, size) == 124 &&
               offsetof(struct tar_header, chksum) == 148 &&
               offsetof(struct tar_header, typeflag) == 156 &&
               offsetof(struct tar_header, magic) == 257 &&
               offsetof(struct tar_header, prefix) == 345,
               "ustar field offsets as POSIX lists them");

#define TAR_MAGIC      "ustar"  /* with its NUL: 6 bytes */
#define TAR_MAGIC_LEN  6
/* GNU tar's own format puts "ustar  \0" across magic and version. */
#define TAR_GNU_MAGIC      "ustar  "
#define TAR_GNU_MAGIC_LEN  8

/* typeflag values (POSIX pax, "ustar Interchange Format"). */
#define TAR_REGTYPE    '0'      /* regular file */
#define TAR_AREGTYPE   '\0'     /* regular file, pre-POSIX writers */
#define TAR_LNKTYPE    '1'      /* hard link: no data */
#define TAR_SYMTYPE    '2'      /* symbolic link: no data */
#define TAR_CHRTYPE    '3'
#define TAR_BLKTYPE    '4'
#define TAR_DIRTYPE    '5'      /* directory: no data */
#define TAR_FIFOTYPE   '6'
#define TAR_CONTTYPE   '7'      /* contiguous file: a regular file to us */
#define TAR_PAX_XHDR   'x'      /* pax extended header (--format=pax) */
#define TAR_PAX_GHDR   'g'

/* PREFIX "/" NAME: 155 + 1 + 100 characters at most. */
#define TAR_NAME_MAX   (sizeof(((struct tar_header *)0)->prefix) + 1 + \
                        sizeof(((struct tar_header *)0)->name))
_Static_assert(TAR_NAME_MAX == 256, "ustar names are at most 256 characters");
#define TAR_WHY_MAX    112

/* One regular file of the archive. */
struct tar_entry {
    char name[TAR_NAME_MAX + 1];    /* as stored, e.g. "bin/hello" or "./a.txt" */
    const void *data;               /* SIZE bytes inside the archive */
    size_t size;
    char typeflag;                  /* TAR_REGTYPE, TAR_AREGTYPE or TAR_CONTTYPE */
    size_t header_offset;           /* where its header starts in the archive */
    char why_buf[TAR_WHY_MAX];      /* holds the text *WHY points to */
};

/*
 * Find the next regular file of ARCHIVE (SIZE bytes) at or after *OFFSET
 * (0 to start, then what the last call left there: a multiple of
 * TAR_BLOCK_SIZE, or SIZE once the end is reached).  Directories,
 * links and devices are stepped over.
 *
 * Returns 1 with *OUT filled and *OFFSET moved past the file's data; 0 at
 * the end of the archive (a zero block, or no whole block left); or a
 * negative errno with *WHY (if WHY is not NULL) set to a reason stored in
 * OUT->why_buf, *OFFSET left on the bad header:
 *   -EINVAL  no ustar magic, GNU or pax format, bad checksum, a numeric
 *            field that is not octal, data past the end, a partial block
 * Reads only bytes inside [ARCHIVE, ARCHIVE + SIZE).
 */
int tar_next(const void *archive, size_t size, size_t *offset,
             struct tar_entry *out, const char **why);

/* Does DATA (SIZE bytes) start with a tar header, with valid checksum?
 * Also true for GNU-format archives, which tar_next then refuses with the
 * advice to use --format=ustar. */
bool tar_looks_like_ustar(const void *data, size_t size);

#endif
