/*
 * kernel/ksyms.c - function names for backtraces, from the kernel's own
 * symbol table.
 *
 * The build links the kernel twice: the first link's `nm` output becomes
 * ksym_table (tools/mksyms.sh), sorted by address, which the second link
 * carries in the .ksyms section.  Finding the function that contains an
 * address is a binary search for the last entry at or below it.
 */
#include "kernel/panic.h"
#include "lib/kprintf.h"
#include "lib/string.h"

struct ksym {
    uint32_t addr;
    const char *name;
};

extern const struct ksym ksym_table[];   /* ends with { 0, 0 } */
extern const char kernel_start[], kernel_end[];

static size_t ksym_count(void)
{
    size_t n = 0;

    while (ksym_table[n].addr)
        n++;
    return n;
}

/* Index of the last symbol with addr <= ADDR, or -1. */
static long ksym_find(uint32_t addr)
{
    long lo = 0, hi = (long)ksym_count() - 1, found = -1;

    while (lo <= hi) {
        long mid = (lo + hi) / 2;
        if (ksym_table[mid].addr <= addr) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return found;
}

const char *ksym_describe(uint32_t addr)
{
    static char buf[96];
    long i = ksym_find(addr);

    if (i < 0 || addr >= (uint32_t)(uintptr_t)kernel_end) {
        ksnprintf(buf, sizeof(buf), "0x%08x", addr);
        return buf;
    }
    uint32_t start = ksym_table[i].addr;
    uint32_t next = ksym_table[i + 1].addr ? ksym_table[i + 1].addr : start;
    ksnprintf(buf, sizeof(buf), "%s+0x%x/0x%x", ksym_table[i].name,
              addr - start, next - start);
    return buf;
}

uint32_t ksym_lookup(const char *name)
{
    for (size_t i = 0; ksym_table[i].addr; i++)
        if (strcmp(ksym_table[i].name, name) == 0)
            return ksym_table[i].addr;
    return 0;
}
