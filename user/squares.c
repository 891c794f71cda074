/*
 * squares - ask the heap for room, use it, give it back.
 *
 * What it shows about memory: malloc() hands out bytes from the process's
 * heap, which the C library grows with brk() when it runs out.  Asking for
 * 100 ints (400 bytes) is far less than a page, so the request is served
 * from the heap glibc already set up at start-up; free() returns the
 * block to the heap (not to the kernel).  malloc() can fail, so the result
 * is checked before it is used: that check is the habit this example
 * teaches.
 *
 * Usage: squares        prints squares[0], [9], [99] and the sum, exits 0
 *                       (exits 1 if malloc fails).
 */
#include <stdio.h>
#include <stdlib.h>

#define COUNT 100

int main(void)
{
	int *squares = malloc(COUNT * sizeof(int));
	if (squares == NULL) {
		fprintf(stderr, "squares: malloc of %zu bytes failed\n",
		        COUNT * sizeof(int));
		return 1;
	}

	long sum = 0;
	for (int i = 0; i < COUNT; i++) {
		squares[i] = i * i;
		sum += squares[i];
	}

	printf("squares: %d ints (%zu bytes) on the heap\n",
	       COUNT, COUNT * sizeof(int));
	printf("squares[0] = %d\n", squares[0]);
	printf("squares[9] = %d\n", squares[9]);
	printf("squares[99] = %d\n", squares[99]);
	printf("sum = %ld\n", sum);

	free(squares);
	return 0;
}
