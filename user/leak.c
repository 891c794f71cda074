/*
 * leak - allocate a million 1 KiB blocks and never free one.
 *
 * What it shows about memory: a leak.  Each malloc(1024) takes a little
 * more of the heap; since nothing is freed, the C library keeps growing the
 * heap with brk() (and falls back to mmap() when brk cannot grow).  A
 * million blocks is about 1 GiB of address space and, because malloc
 * writes a header in front of every block, about 1 GiB of touched pages
 * too: more than the machine has.  On Linux the process is eventually
 * killed by the OOM killer (or malloc returns NULL first if address space
 * runs out).  The memory a process leaks is returned when it exits: the
 * kernel frees every page of a dead process, whatever the program forgot.
 *
 * Built with -g and no optimisation, as in the course text: at -O1 and
 * above gcc sees that the blocks are never used and deletes the calls.
 *
 * Usage: leak [N]       allocate N blocks (default 1000000), printing a
 *                       progress line every 100000 and a final line;
 *                       exits 0, or 1 if malloc returns NULL.
 */
#include <stdio.h>
#include <stdlib.h>

#define BLOCK_BYTES     1024
#define DEFAULT_BLOCKS  1000000L
#define PROGRESS_EVERY  100000L

int main(int argc, char **argv)
{
	long blocks = DEFAULT_BLOCKS;
	if (argc > 1) {
		char *end;
		blocks = strtol(argv[1], &end, 10);
		if (*end != '\0' || blocks < 0) {
			fprintf(stderr, "usage: leak [N]  (N >= 0 blocks)\n");
			return 2;
		}
	}

	printf("leak: allocating %ld blocks of %d bytes, freeing none\n",
	       blocks, BLOCK_BYTES);
	fflush(stdout);		/* say so before the OOM killer can strike */

	for (long i = 1; i <= blocks; i++) {
		char *block = malloc(BLOCK_BYTES);
		if (block == NULL) {
			printf("leak: malloc returned NULL after %ld blocks (%ld KiB)\n",
			       i - 1, (i - 1) * BLOCK_BYTES / 1024);
			return 1;
		}
		if (i % PROGRESS_EVERY == 0) {
			printf("leak: %ld blocks (%ld KiB) allocated\n",
			       i, i * BLOCK_BYTES / 1024);
			fflush(stdout);
		}
	}

	printf("leak: done, %ld blocks (%ld KiB) allocated, none freed\n",
	       blocks, blocks * BLOCK_BYTES / 1024);
	return 0;
}
