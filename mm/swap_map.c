/*
 * mm/swap_map.c - the swap slot allocator: a usage count per slot and a
 * next-fit cursor (mm/swap_map.h has the picture and the invariants).
 *
 * Three rules keep the map honest:
 *   1. slot 0 and the bad slots are SWAP_MAP_BAD from init on and no
 *      operation ever changes them;
 *   2. nr_free moves with every 0 <-> 1 transition of a count, so
 *      "is there a free slot?" is answered without a scan;
 *   3. an operation on a slot in the wrong state (put of a free slot, dup
 *      of a bad one, a number past the end) is a bug in the caller: it is
 *      refused with a "BUG:" line naming the slot and its count, and the
 *      map is left exactly as it was, so one bad PTE cannot corrupt the
 *      accounting of every other slot.
 */
#include "mm/swap_map.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#include <stdarg.h>

/* Count a refused operation and print it as a "BUG:" line unless M is
 * quiet.  Returns -EINVAL, for "return swap_bug(...)". */
static int PRINTF_LIKE(2, 3) swap_bug(struct swap_map *m, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    kvsnprintf(m->last_bug, sizeof(m->last_bug), fmt, ap);
    va_end(ap);
    m->nr_bugs++;
    if (!m->quiet)
        kprintf(KERN_ERR "BUG: %s\n", m->last_bug);
    return -EINVAL;
}

int swap_map_init(struct swap_map *m, uint8_t *counts, uint32_t nr_slots,
                  const uint32_t *bad, uint32_t nr_bad)
{
    memset(m, 0, sizeof(*m));
    if (nr_slots < 2)
        return -EINVAL;
    for (uint32_t i = 0; i < nr_bad; i++)
        if (bad[i] == 0 || bad[i] >= nr_slots)
            return -EINVAL;
    m->counts = counts;
    m->nr_slots = nr_slots;
    memset(counts, 0, nr_slots);
    counts[0] = SWAP_MAP_BAD;                   /* the header page */
    for (uint32_t i = 0; i < nr_bad; i++) {
        if (counts[bad[i]] != SWAP_MAP_BAD)
            m->nr_bad++;                        /* a repeat counts once */
        counts[bad[i]] = SWAP_MAP_BAD;
    }
    m->nr_free = nr_slots - 1 - m->nr_bad;
    m->cursor = 1;
    return 0;
}

long swap_slot_alloc(struct swap_map *m)
{
    uint32_t slot = m->cursor;

    if (m->nr_free == 0)
        return -ENOSPC;
    /* nr_free > 0 promises a free slot: at most nr_slots - 1 steps. */
    while (m->counts[slot] != 0)
        slot = slot + 1 < m->nr_slots ? slot + 1 : 1;
    m->counts[slot] = 1;
    m->nr_free--;
    m->cursor = slot + 1 < m->nr_slots ? slot + 1 : 1;
    return (long)slot;
}

/* SLOT as a slot in use, or a BUG report naming OP.  Returns 0 or -EINVAL. */
static int check_in_use(struct swap_map *m, uint32_t slot, const char *op)
{
    if (slot == 0 || slot >= m->nr_slots)
        return swap_bug(m, "%s: slot %u is outside the swap area (1..%u)",
                        op, slot, m->nr_slots - 1);
    if (m->counts[slot] == SWAP_MAP_BAD)
        return swap_bug(m, "%s: slot %u is a bad page", op, slot);
    if (m->counts[slot] == 0)
        return swap_bug(m, "%s: slot %u is free", op, slot);
    return 0;
}

int swap_slot_dup(struct swap_map *m, uint32_t slot)
{
    if (check_in_use(m, slot, "swap_slot_dup"))
        return -EINVAL;
    if (m->counts[slot] == SWAP_MAP_MAX)
        return -ERANGE;         /* expected under heavy fork: not a bug */
    m->counts[slot]++;
    return 0;
}

int swap_slot_put(struct swap_map *m, uint32_t slot)
{
    if (check_in_use(m, slot, "swap_slot_put"))
        return -EINVAL;
    if (--m->counts[slot] == 0)
        m->nr_free++;
    return m->counts[slot];
}

uint8_t swap_slot_count(const struct swap_map *m, uint32_t slot)
{
    return slot < m->nr_slots ? m->counts[slot] : SWAP_MAP_BAD;
}

int swap_map_check(const struct swap_map *m)
{
    uint32_t free = 0, bad = 0;
    int errors = 0;

    if (m->nr_slots < 2 || !m->counts) {
        kprintf(KERN_ERR "swap_map_check: map not initialised\n");
        return 1;
    }
    if (m->counts[0] != SWAP_MAP_BAD) {
        kprintf(KERN_ERR "swap_map_check: header slot 0 has count %u\n", m->counts[0]);
        errors++;
    }
    for (uint32_t s = 1; s < m->nr_slots; s++) {
        free += m->counts[s] == 0;
        bad += m->counts[s] == SWAP_MAP_BAD;
    }
    if (free != m->nr_free || bad != m->nr_bad) {
        kprintf(KERN_ERR "swap_map_check: %u free and %u bad slots, the map says "
                "%u and %u\n", free, bad, m->nr_free, m->nr_bad);
        errors++;
    }
    if (m->cursor == 0 || m->cursor >= m->nr_slots) {
        kprintf(KERN_ERR "swap_map_check: cursor %u outside 1..%u\n",
                m->cursor, m->nr_slots - 1);
        errors++;
    }
    return errors;
}
