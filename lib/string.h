/*
 * lib/string.h - the string and memory functions the kernel needs.
 *
 * Freestanding code has no C library, so lib/string.c provides these under
 * their standard names (gcc also emits calls to memcpy/memset by itself).
 * The host unit tests use the C library's versions instead.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include "lib/types.h"

#ifdef HOST_TEST
#include <string.h>
#include <stdlib.h>
#else
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
#endif

/* Parse an unsigned number in decimal, or hex with 0x.  Returns false if
 * S is not entirely a number (optionally followed by k/K, m/M, g/G
 * multipliers when ALLOW_SUFFIX). */
bool parse_uint(const char *s, unsigned long long *out, bool allow_suffix);
bool parse_int(const char *s, long long *out);

#endif
