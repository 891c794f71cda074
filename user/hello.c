/*
 * hello - the smallest user program: print one line and exit 0.
 *
 * What it shows about memory: even this program is a whole static glibc
 * executable of about 700 KiB.  Before main() runs, the C library's
 * start-up code already asks the kernel for memory: brk() to find and grow
 * the heap (its thread control block lives there), set_thread_area() so %gs
 * can point at thread-local storage, mprotect() to make the RELRO data
 * read-only.  The first printf() allocates stdout's buffer with malloc().
 * A kernel that runs this program correctly has the ELF loader, the stack,
 * the heap and the write() path all working.
 *
 * Usage: hello          prints "hello, world", exits 0.
 */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
