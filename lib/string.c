/*
 * lib/string.c - memset, memcpy and friends for a kernel without a libc.
 *
 * Written for clarity, not speed, except memset/memcpy which use the
 * string instructions: under QEMU's -icount a `rep stosl` of one page counts
 * as about a thousand instructions, a byte loop as tens of thousands.
 */
#include "lib/string.h"

#ifndef HOST_TEST
void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    uint32_t word = (uint8_t)c * 0x01010101u;

    if (IS_ALIGNED((uintptr_t)dst | n, 4)) {
        size_t words = n / 4;
        __asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(word) : "memory");
    } else {
        __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    }
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    const void *s = src;

    if (IS_ALIGNED((uintptr_t)dst | (uintptr_t)src | n, 4)) {
        size_t words = n / 4;
        __asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
    } else {
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)                 /* overlapping, dst above src: copy backwards */
        d[n] = s[n];
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b || !*a)
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (; *s; s++)
        if (*s == (char)c)
            return (char *)s;
    return c == 0 ? (char *)s : NULL;
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    for (; *s; s++)
        if (*s == (char)c)
            last = s;
    return c == 0 ? (char *)s : (char *)last;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
#endif /* !HOST_TEST */

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

bool parse_uint(const char *s, unsigned long long *out, bool allow_suffix)
{
    unsigned base = 10;
    unsigned long long v = 0;
    const char *start;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    start = s;
    while (digit_value(*s) < (int)base) {
        unsigned long long next = v * base + (unsigned)digit_value(*s);
        if (next / base != v)
            return false;           /* overflow */
        v = next;
        s++;
    }
    if (s == start)
        return false;
    if (allow_suffix && *s) {
        unsigned shift = 0;
        switch (*s) {
        case 'k': case 'K': shift = 10; break;
        case 'm': case 'M': shift = 20; break;
        case 'g': case 'G': shift = 30; break;
        default: return false;
        }
        if (v > (~0ULL >> shift))
            return false;
        v <<= shift;
        s++;
    }
    if (*s)
        return false;
    *out = v;
    return true;
}

bool parse_int(const char *s, long long *out)
{
    unsigned long long v;
    bool neg = (*s == '-');

    if (!parse_uint(neg ? s + 1 : s, &v, false) || v > (1ULL << 63))
        return false;
    if (!neg && v == (1ULL << 63))
        return false;
    *out = neg ? (long long)(0 - v) : (long long)v;
    return true;
}
