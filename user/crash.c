/*
 * crash - die of a bug, the way a real program does.
 *
 *   crash          read through a NULL pointer: SIGSEGV
 *   crash divide   divide an integer by zero: SIGFPE
 *
 * What it shows about memory: not every address is usable.  The kernel
 * never maps the lowest pages of a process's address space (Linux refuses
 * to map anything below vm.mmap_min_addr, 64 KiB), so that a NULL pointer,
 * or a small offset from one, always faults.  The page fault handler finds
 * no mapping for address 0, decides the access is the program's bug, not
 * a page to bring in, and sends the process SIGSEGV, which kills it: the
 * second line is never printed.  A shell reports it as
 * "Segmentation fault" and exit status 139 (128 + SIGSEGV 11).  The divide
 * error (CPU exception 0) becomes SIGFPE the same way: only this process
 * dies; the kernel and every other program carry on.
 *
 * The pointer and the divisor are volatile so the compiler must really
 * perform the access; with a plain NULL, gcc may see the undefined
 * behaviour and replace it with a trap instruction (SIGILL) or drop it.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "divide") == 0) {
		/* Both volatile: gcc turns 1 / x into compares, not a divide. */
		volatile int dividend = 1000, zero = 0;

		printf("crash: dividing by zero\n");
		fflush(stdout);
		printf("crash: FAIL: still alive, got %d\n", dividend / zero);
		return 1;
	}

	volatile int *volatile pointer = NULL;

	printf("crash: reading through a NULL pointer\n");
	fflush(stdout);		/* the process dies before exit could flush */

	int value = *pointer;

	printf("crash: FAIL: still alive, read %d\n", value);
	return 1;
}
