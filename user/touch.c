/*
 * touch - allocate N MiB, then touch every page, and watch RES grow.
 *
 * What it shows about memory: demand paging.  malloc() of a large block
 * (glibc uses mmap() for anything over 128 KiB) only reserves address
 * space: the process's VIRT grows at once, but no page frame is given to
 * it yet.  The first write to each 4 KiB page raises a page fault; the
 * kernel then finds a free frame, zeroes it, and maps it.  Such a fault,
 * served without any disk I/O, is a "minor" fault.  So touching N MiB
 * should cost about N * 256 minor faults and raise the resident set (RES)
 * by about N MiB.  getrusage() reports both: ru_minflt counts minor
 * faults, ru_maxrss is the peak resident set in KiB (a high-water mark:
 * it never goes down).
 *
 * Read the numbers as Linux defines them: both counters survive execve(),
 * so "before" includes the faults and the peak RES of whatever ran in
 * this process before the program was loaded (the shell's forked copy of
 * itself, or a Python test runner).  The fault count's *difference* is
 * exact; the peak RES after touching is at least N MiB, but its
 * difference can be anything from 0 to N MiB.  (Linux also keeps RSS in
 * per-CPU counters, so it can be off by a few hundred KiB.)
 *
 * Usage: touch [N]      N MiB (default 16, 1..3072); exits 0, or 1 if
 *                       malloc fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#define PAGE_BYTES   4096L
#define MIB          (1024L * 1024L)
#define DEFAULT_MIB  16L
#define MAX_MIB      3072L	/* an i386 process has at most 4 GiB */

static void report(const char *when, const struct rusage *ru)
{
	printf("touch: %-7s maxrss %ld KiB, minor faults %ld\n",
	       when, ru->ru_maxrss, ru->ru_minflt);
}

int main(int argc, char **argv)
{
	long mib = DEFAULT_MIB;
	if (argc > 1) {
		char *end;
		mib = strtol(argv[1], &end, 10);
		if (*end != '\0' || mib < 1 || mib > MAX_MIB) {
			fprintf(stderr, "usage: touch [N]  (1 <= N <= %ld MiB)\n",
			        MAX_MIB);
			return 2;
		}
	}
	long bytes = mib * MIB;
	long pages = bytes / PAGE_BYTES;

	struct rusage before, after;
	getrusage(RUSAGE_SELF, &before);

	char *block = malloc(bytes);
	if (block == NULL) {
		printf("touch: malloc of %ld MiB failed\n", mib);
		return 1;
	}
	printf("touch: malloc'd %ld MiB (%ld pages): VIRT grew, RES did not\n",
	       mib, pages);

	/* One write per page is enough to make the kernel back it. */
	for (long off = 0; off < bytes; off += PAGE_BYTES)
		block[off] = 1;
	getrusage(RUSAGE_SELF, &after);

	printf("touch: touched %ld pages, one byte each\n", pages);
	report("before:", &before);
	report("after:", &after);
	long faults = after.ru_minflt - before.ru_minflt;
	printf("touch: +%ld minor faults for %ld pages touched: RES grew by about %ld KiB\n",
	       faults, pages, faults * PAGE_BYTES / 1024);

	free(block);
	return 0;
}
