/*
 * sparse - reserve 1 GiB of address space, use only 1 MiB of it.
 *
 * What it shows about memory: VIRT and RES are different things.  mmap()
 * of 1 GiB anonymous memory succeeds at once, even on a machine with less
 * RAM than that, because it only records a region in the process's
 * address space (top shows it as VIRT).  Page frames are given out one by
 * one as pages are first touched (RES).  After touching 1 MiB, VIRT is
 * 1 GiB larger but RES only about 1 MiB larger: the other 1023 MiB cost no
 * memory at all.  munmap() gives the region back.
 *
 * RES growth is counted in minor faults (one per page given a frame):
 * getrusage's ru_maxrss is a peak that on Linux also remembers the process
 * image before execve() (the shell's forked copy), so it may not move at
 * all for a mere 1 MiB.
 *
 * Usage: sparse [S]     after touching, sleep S seconds (default 0) so the
 *                       process can be looked at with top; exits 0, or 1
 *                       if mmap or munmap fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#define PAGE_BYTES     4096L
#define RESERVE_BYTES  (1024L * 1024L * 1024L)	/* 1 GiB of VIRT */
#define TOUCH_BYTES    (1024L * 1024L)		/* 1 MiB of it used */

int main(int argc, char **argv)
{
	long seconds = 0;
	if (argc > 1) {
		char *end;
		seconds = strtol(argv[1], &end, 10);
		if (*end != '\0' || seconds < 0) {
			fprintf(stderr, "usage: sparse [SECONDS]\n");
			return 2;
		}
	}

	struct rusage before, after;
	getrusage(RUSAGE_SELF, &before);

	char *region = mmap(NULL, RESERVE_BYTES, PROT_READ | PROT_WRITE,
	                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED) {
		perror("sparse: mmap of 1 GiB");
		return 1;
	}
	printf("sparse: mmap reserved %ld KiB (VIRT)\n", RESERVE_BYTES / 1024);

	for (long off = 0; off < TOUCH_BYTES; off += PAGE_BYTES)
		region[off] = 1;
	getrusage(RUSAGE_SELF, &after);

	printf("sparse: touched %ld KiB (%ld pages)\n",
	       TOUCH_BYTES / 1024, TOUCH_BYTES / PAGE_BYTES);
	long faults = after.ru_minflt - before.ru_minflt;
	printf("sparse: +%ld minor faults: RES grew by about %ld KiB (peak RES, ru_maxrss, is %ld KiB)\n",
	       faults, faults * PAGE_BYTES / 1024, after.ru_maxrss);
	printf("sparse: VIRT reserved %ld KiB, RES touched %ld KiB\n",
	       RESERVE_BYTES / 1024, TOUCH_BYTES / 1024);

	if (seconds > 0) {
		printf("sparse: sleeping %ld s: compare VIRT and RES in top\n",
		       seconds);
		fflush(stdout);
		struct timespec nap = { .tv_sec = seconds, .tv_nsec = 0 };
		nanosleep(&nap, NULL);
	}

	if (munmap(region, RESERVE_BYTES) != 0) {
		perror("sparse: munmap");
		return 1;
	}
	printf("sparse: munmap returned the 1 GiB region\n");
	return 0;
}
