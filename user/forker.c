/*
 * forker - fork N children that all scribble on "the same" buffer.
 *
 * What it shows about memory: copy-on-write.  fork() gives the child a
 * copy of the parent's whole address space, but copying every page up
 * front would be slow and mostly wasted.  Instead the kernel lets parent
 * and child share each page frame, marked read-only in both page tables.
 * The first write by either side faults; the kernel then copies that one
 * page and gives the writer its private copy.  To the program it looks as
 * if fork() had copied everything:
 *
 *   1. the parent fills BUFFER with pattern A (16 pages) and forks;
 *   2. each child checks it still sees A, writes its own marker byte over
 *      the whole buffer, checks it reads its marker back, and exits with
 *      status i (its index);
 *   3. meanwhile the parent overwrites its buffer with pattern B, which a
 *      child must never see however the processes are scheduled;
 *   4. the parent waits for every child (waitpid), checks each exit
 *      status, and checks that its buffer still holds B: no child's
 *      writes leaked into it.
 *
 * The output does not depend on scheduling (no pids, no timing), except
 * the informational line with the children's fault count.
 *
 * Usage: forker [N]     N children (default 4, 1..64); exits 0 if every
 *                       check passed, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define PAGE_BYTES      4096
#define BUFFER_PAGES    16
#define BUFFER_BYTES    (BUFFER_PAGES * PAGE_BYTES)
#define DEFAULT_CHILDREN 4
#define MAX_CHILDREN    64

/* A child that finds something wrong exits with one of these, never 0..63. */
#define CHILD_SAW_WRONG_DATA   200	/* parent's pattern A was not there */
#define CHILD_LOST_ITS_WRITES  201	/* its own marker did not read back */

static unsigned char buffer[BUFFER_BYTES];

static unsigned char pattern_a(int i) { return (unsigned char)(i * 31 + 7); }
static unsigned char pattern_b(int i) { return (unsigned char)(i * 17 + 3); }

static void fill(unsigned char (*pattern)(int))
{
	for (int i = 0; i < BUFFER_BYTES; i++)
		buffer[i] = pattern(i);
}

static int holds(unsigned char (*pattern)(int))
{
	for (int i = 0; i < BUFFER_BYTES; i++)
		if (buffer[i] != pattern(i))
			return 0;
	return 1;
}

/* Step 2, in child INDEX: never returns. */
static void child(int index)
{
	if (!holds(pattern_a))
		_exit(CHILD_SAW_WRONG_DATA);

	unsigned char marker = (unsigned char)(0x80 | index);
	for (int i = 0; i < BUFFER_BYTES; i++)	/* one COW fault per page */
		buffer[i] = marker;
	for (int i = 0; i < BUFFER_BYTES; i++)
		if (buffer[i] != marker)
			_exit(CHILD_LOST_ITS_WRITES);
	_exit(index);
}

/* Step 4 for child INDEX: 1 if it exited with status INDEX. */
static int child_ok(int index, pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) != pid) {
		printf("forker: FAIL: waitpid for child %d failed\n", index);
		return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == index)
		return 1;
	if (WIFEXITED(status))
		printf("forker: FAIL: child %d exited with status %d\n",
		       index, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("forker: FAIL: child %d killed by signal %d\n",
		       index, WTERMSIG(status));
	return 0;
}

/* Step 1's forks: N children into PIDS; returns how many were made. */
static int fork_children(int n, pid_t pids[])
{
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			printf("forker: FAIL: fork of child %d failed\n", i);
			return i;
		}
		if (pids[i] == 0)
			child(i);
	}
	return n;
}

int main(int argc, char **argv)
{
	int n = DEFAULT_CHILDREN;
	if (argc > 1) {
		char *end;
		long v = strtol(argv[1], &end, 10);
		if (*end != '\0' || v < 1 || v > MAX_CHILDREN) {
			fprintf(stderr, "usage: forker [N]  (1 <= N <= %d)\n",
			        MAX_CHILDREN);
			return 2;
		}
		n = (int)v;
	}

	fill(pattern_a);
	printf("forker: parent filled a %d KiB buffer (%d pages), forking %d children\n",
	       BUFFER_BYTES / 1024, BUFFER_PAGES, n);
	fflush(stdout);		/* or each child would inherit the unwritten line */

	pid_t pids[MAX_CHILDREN];
	int forked = fork_children(n, pids);

	fill(pattern_b);	/* step 3: the parent's own COW faults */

	int ok = 0;
	for (int i = 0; i < forked; i++)
		ok += child_ok(i, pids[i]);

	int parent_ok = holds(pattern_b);
	if (parent_ok)
		printf("forker: parent's buffer unchanged by the children\n");
	else
		printf("forker: FAIL: parent's buffer was changed by a child\n");

	struct rusage children;
	getrusage(RUSAGE_CHILDREN, &children);
	printf("forker: children's minor faults (RUSAGE_CHILDREN): %ld, "
	       "about %d copy-on-write faults each\n",
	       children.ru_minflt, BUFFER_PAGES);

	printf("forker: %d children, %d ok, %d failed\n", n, ok, n - ok);
	return (ok == n && parent_ok) ? 0 : 1;
}
