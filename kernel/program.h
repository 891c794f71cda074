/*
 * kernel/program.h - the programs the kernel can run: multiboot modules.
 *
 * There is no file system: every module the boot loader loaded is a
 * program (named by the basename of the first word of its command line),
 * and a module that is a ustar archive contributes every file in it.  The
 * bytes stay where the loader put them; a program's read-only pages are
 * shared by every process running it through its page cache.
 */
#ifndef KERNEL_PROGRAM_H
#define KERNEL_PROGRAM_H

#include "lib/types.h"

#define PROGRAM_NAME_MAX 32
#define MAX_PROGRAMS     64

struct page;

struct program {
    char name[PROGRAM_NAME_MAX];
    const uint8_t *data;        /* the image, in the kernel's direct map */
    size_t size;
    struct page **cache;        /* one frame per file page once read, or NULL */
    unsigned cache_pages;       /* pages currently cached */
};

/* Register every module (called once at boot). */
void programs_init(void);
/* The program named NAME, or NULL. */
struct program *program_find(const char *name);
/* The cached frame holding file page INDEX of PROG (bytes at or beyond
 * LIMIT in the file read as zero), with a reference taken for the caller;
 * NULL if out of memory. */
struct page *program_get_page(struct program *prog, size_t index, size_t limit);

/* Frames held by the page cache of all programs (reclaimable). */
unsigned long programs_cached_pages(void);
/* Reclaim evicted the (now unmapped) cached page INDEX of PROG: forget and
 * free it; the next fault reads the image again. */
void program_drop_page(struct program *prog, size_t index);

#endif
