/*
 * crash - dereference a NULL pointer.
 *
 * What it shows about memory: not every address is usable.  The kernel
 * never maps the lowest pages of a process's address space (Linux refuses
 * to map anything below vm.mmap_min_addr, 64 KiB), so that a NULL pointer,
 * or a small offset from one, always faults.  The page fault handler finds
 * no mapping for address 0, decides the access is the program's bug, not
 * a page to bring in, and sends the process SIGSEGV, which kills it: the
 * second line is never printed.  A shell reports it as
 * "Segmentation fault" and exit status 139 (128 + SIGSEGV 11).
 *
 * The pointer is volatile so the compiler must really load through it;
 * with a plain NULL, gcc may see the undefined behaviour and replace the
 * access with a trap instruction (SIGILL) or drop it.
 *
 * Usage: crash          prints one line, then dies with SIGSEGV.
 */
#include <stdio.h>

int main(void)
{
	volatile int *volatile pointer = NULL;

	printf("crash: reading through a NULL pointer\n");
	fflush(stdout);		/* the process dies before exit could flush */

	int value = *pointer;

	printf("crash: FAIL: still alive, read %d\n", value);
	return 1;
}
