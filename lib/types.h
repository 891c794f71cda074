/*
 * lib/types.h - the few types every file needs, with units in their names.
 *
 * Physical and virtual addresses are both 32-bit numbers on i386, which is
 * exactly why they get different names here: mixing them up is the classic
 * memory-management bug.  Convert between them only with the helpers in
 * kernel/layout.h (phys_to_virt / virt_to_phys), never with a bare cast.
 */
#ifndef LIB_TYPES_H
#define LIB_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint32_t paddr_t;   /* a physical address */
typedef uint32_t vaddr_t;   /* a virtual address */
typedef uint32_t pfn_t;     /* a physical frame number: paddr >> PAGE_SHIFT */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

#define UNUSED __attribute__((unused))
#define NORETURN __attribute__((noreturn))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

#endif
