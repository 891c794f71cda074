/*
 * mm/swap_map.h - which slots of a swap area are in use, and by how many.
 *
 * When reclaim writes a page out, the page needs a slot on the swap area
 * (mm/swap_header.h: slots 1..last_page).  The PTE that mapped the page
 * then holds the slot number instead of a frame number, and the slot stays
 * taken until the page is read back in and no PTE refers to the slot any
 * more.  After fork, parent and child both hold the same swapped-out page:
 * two PTEs name one slot.  So each slot has a usage count, one byte, as in
 * Linux's swap_map[]:
 *
 *     count   0            free
 *             1..MAX       that many references (PTEs, the swap cache)
 *             SWAP_MAP_BAD never used: slot 0 (the header) and the bad pages
 *
 *     slot:    0    1    2    3    4    5    6    7
 *     count: BAD    1    0    2  BAD    0    1    0      nr_free = 3
 *                                                           (2, 5 and 7)
 *
 * Allocation is next fit: the search starts at a cursor just past the slot
 * handed out last and wraps around.  Pages swapped out together then get
 * consecutive slots, so writing them is one sequential run on the disk,
 * which is the point of Linux's cluster scan (mm/swapfile.c scans for free
 * clusters of 256 slots; this is the same idea without the clusters).  With
 * the map above and the cursor at 3, the next three allocations return 5,
 * 7 and 2.
 *
 * Locking: none here.  The swap code serialises the calls (one swap lock);
 * nothing in this file sleeps or allocates.
 */
#ifndef MM_SWAP_MAP_H
#define MM_SWAP_MAP_H

#include "lib/types.h"

#define SWAP_MAP_BAD  0xffu     /* the header slot and bad pages */
#define SWAP_MAP_MAX  0xfeu     /* the most references a slot may have */

/*
 * Invariants (checked by swap_map_check):
 *   counts[0] == SWAP_MAP_BAD, and counts[s] is SWAP_MAP_BAD exactly for
 *   the nr_bad bad slots besides it;
 *   nr_free == the number of slots s with counts[s] == 0;
 *   1 <= cursor < nr_slots.
 */
struct swap_map {
    uint8_t *counts;        /* nr_slots bytes, owned by the caller */
    uint32_t nr_slots;      /* last_page + 1: the header slot included */
    uint32_t nr_bad;        /* bad slots, slot 0 not counted */
    uint32_t nr_free;
    uint32_t cursor;        /* where the next search starts */
    unsigned long nr_bugs;  /* refused operations so far */
    bool quiet;             /* tests that provoke BUGs on purpose */
    char last_bug[96];      /* the last refused operation, for tests */
};

/*
 * Set up M over COUNTS (NR_SLOTS bytes: a swap area of NR_SLOTS pages,
 * header page included, i.e. last_page + 1) with the NR_BAD slots listed in
 * BAD (any order; a repeat is counted once) marked unusable.  Every other
 * slot from 1 up is free.  Returns 0, or -EINVAL if NR_SLOTS < 2 or a bad
 * slot is 0 or >= NR_SLOTS (the map is then unusable).
 */
int swap_map_init(struct swap_map *m, uint8_t *counts, uint32_t nr_slots,
                  const uint32_t *bad, uint32_t nr_bad);

/* Take a free slot (count becomes 1).  Returns the slot, never 0 or a bad
 * one, or -ENOSPC when every slot is in use. */
long swap_slot_alloc(struct swap_map *m);

/* One more reference to SLOT, which must be in use (fork copies a swap
 * PTE).  Returns 0; -ERANGE if SLOT already has SWAP_MAP_MAX references;
 * -EINVAL, reported as a BUG, for a free, bad or out-of-range slot. */
int swap_slot_dup(struct swap_map *m, uint32_t slot);

/* Drop one reference to SLOT.  Returns the references left (0: the slot is
 * free again), or -EINVAL, reported as a BUG and with nothing changed, for
 * a free, bad or out-of-range slot (a double free). */
int swap_slot_put(struct swap_map *m, uint32_t slot);

/* The count of SLOT: 0 free, 1..SWAP_MAP_MAX, SWAP_MAP_BAD; SWAP_MAP_BAD
 * for a slot out of range too. */
uint8_t swap_slot_count(const struct swap_map *m, uint32_t slot);

/* Slots that can ever be used: nr_slots - 1 - nr_bad. */
static inline uint32_t swap_map_usable(const struct swap_map *m)
{
    return m->nr_slots - 1 - m->nr_bad;
}

/* Verify every invariant above; print each violation.  Returns the number
 * of violations (0: consistent).  For tests, the monitor and gdb. */
int swap_map_check(const struct swap_map *m);

#endif
