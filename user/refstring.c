/*
 * refstring - play a page-reference string on real memory and count the
 * page faults it costs.
 *
 * What it shows about memory: page replacement, measured instead of
 * simulated.  The textbook exercise "3 frames, references 1 2 3 4 1 2 5 1
 * 2 3 4 5: how many faults?" becomes a program: it maps a region of
 * anonymous memory, limits itself to FRAMES resident pages of it, touches
 * the region's pages in the given order (one byte written per reference)
 * and reports how many page faults the touches cost, from getrusage()
 * (ru_minflt + ru_majflt, after minus before).  The kernel's answer can be
 * compared with the simulator's (`vmsim FRAMES PAGE...` at the monitor):
 * under the kernel's current replacement policy the two should agree.
 *
 * Two things keep the count about the string alone:
 *   - mlockall(MCL_CURRENT) pins what is mapped before the region (code,
 *     data, stack), so none of it is evicted and faulted back in between
 *     the touches.  The region is mapped afterwards, so it is not locked.
 *   - setrlimit(RLIMIT_RSS, FRAMES * 4096) asks the kernel to keep at most
 *     FRAMES pages of the process resident beyond that.
 *
 * On Linux, RLIMIT_RSS has been accepted and ignored since 2.6: nothing is
 * evicted, so the count on a Linux host is simply the number of DISTINCT
 * pages in the string (5 for the example above, with any FRAMES).  That is
 * the expected host result.  The teaching kernel enforces the limit with
 * per-process eviction, and there the count depends on FRAMES and on the
 * policy (sysctl vm.page_replacement).  Transparent huge pages are turned
 * off for the region (madvise), or one fault could map 512 pages at once.
 *
 * Usage: refstring FRAMES PAGE...     FRAMES >= 1, each PAGE 0..65535
 *        refstring FRAMES @NAME       a shipped string (tests/traces/refs)
 * Prints "refstring: N references to D pages, FRAMES frames" and then
 * "refstring: N faults"; exits 0, or 1 if a system call fails, 2 for bad
 * arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "refs.h"		/* shipped_refs[]: generated from tests/traces/refs */

#define PAGE_BYTES 4096UL
#define MAX_PAGE   65535UL	/* a region of at most 256 MiB */

static int usage(void)
{
	fprintf(stderr, "usage: refstring FRAMES PAGE...  "
	        "(FRAMES >= 1, 0 <= PAGE <= %lu)\n", MAX_PAGE);
	return 2;
}

/* ARG as a number in LO..HI, or -1. */
static long parse(const char *arg, unsigned long lo, unsigned long hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end != '\0' || arg[0] == '-' || v < lo || v > hi)
		return -1;
	return (long)v;
}

static long faults_so_far(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_minflt + ru.ru_majflt;
}

/* Count the distinct values among the N entries of PAGES (for the report;
 * N is small enough for a bitmap of MAX_PAGE + 1 bits). */
static unsigned long distinct(const long *pages, int n)
{
	static unsigned char seen[(MAX_PAGE + 1) / 8];
	unsigned long d = 0;

	for (int i = 0; i < n; i++) {
		unsigned char bit = (unsigned char)(1u << (pages[i] % 8));
		d += !(seen[pages[i] / 8] & bit);
		seen[pages[i] / 8] |= bit;
	}
	return d;
}

/* Map the region, limit the resident set, touch the pages in order.
 * Returns the faults the touches took, or -1 after printing why. */
static long play(long frames, const long *pages, int n, long max_page)
{
	size_t bytes = (size_t)(max_page + 1) * PAGE_BYTES;
	struct rlimit rss = { (rlim_t)frames * PAGE_BYTES, (rlim_t)frames * PAGE_BYTES };
	volatile char *region;
	long before, after;

	if (mlockall(MCL_CURRENT) != 0)	/* not fatal: the count gets noisier */
		fprintf(stderr, "refstring: mlockall: %s (going on)\n", strerror(errno));
	region = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED) {
		perror("refstring: mmap");
		return -1;
	}
	madvise((void *)region, bytes, MADV_NOHUGEPAGE);	/* may fail: no THP */
	if (setrlimit(RLIMIT_RSS, &rss) != 0) {
		perror("refstring: setrlimit(RLIMIT_RSS)");
		return -1;
	}
	before = faults_so_far();
	for (int i = 0; i < n; i++)
		region[pages[i] * PAGE_BYTES] = (char)i;
	after = faults_so_far();
	if (before < 0 || after < 0) {
		perror("refstring: getrusage");
		return -1;
	}
	return after - before;
}

/* `@NAME`: one of the shipped reference strings, into *PAGES; its length
 * or -1. */
static int shipped(const char *name, long **pages)
{
	for (size_t s = 0; s < sizeof(shipped_refs) / sizeof(shipped_refs[0]); s++) {
		if (strcmp(shipped_refs[s].name, name) != 0)
			continue;
		*pages = calloc((size_t)shipped_refs[s].n, sizeof(**pages));
		for (int i = 0; *pages && i < shipped_refs[s].n; i++)
			(*pages)[i] = shipped_refs[s].pages[i];
		return *pages ? shipped_refs[s].n : -1;
	}
	return -1;
}

int main(int argc, char **argv)
{
	long frames, max_page = 0, faults;
	long *pages;
	int n = argc - 2;

	if (argc < 3 || (frames = parse(argv[1], 1, 1UL << 20)) < 0)
		return usage();
	if (argc == 3 && argv[2][0] == '@') {
		if ((n = shipped(argv[2] + 1, &pages)) < 0) {
			fprintf(stderr, "refstring: no shipped reference string %s\n", argv[2]);
			return 2;
		}
	} else {
		pages = calloc((size_t)n, sizeof(*pages));
		if (!pages) {
			perror("refstring: calloc");
			return 1;
		}
		for (int i = 0; i < n; i++)
			if ((pages[i] = parse(argv[i + 2], 0, MAX_PAGE)) < 0)
				return usage();
	}
	for (int i = 0; i < n; i++)
		if (pages[i] > max_page)
			max_page = pages[i];
	printf("refstring: %d references to %lu pages, %ld frames\n",
	       n, distinct(pages, n), frames);
	fflush(stdout);		/* before the count: stdio's buffer is ready */
	faults = play(frames, pages, n, max_page);
	if (faults < 0)
		return 1;
	printf("refstring: %ld faults\n", faults);
	free(pages);
	return 0;
}
