/*
 * tests/host/buddy_model.h - a reference model of one zone, for the
 * randomized tests (tests/host/test_buddy_stress.c, tests/fuzz/).
 *
 * The model knows nothing about buddies.  It keeps the plainest possible
 * truth, one byte per frame (reserved, free, or in use) plus the list of
 * live blocks, and every operation is done on the real zone and on the
 * model side by side.  A model_* call returns false when the zone
 * disagrees, with the reason in m->why:
 *
 *   - an allocated block must lie inside the zone, be aligned to its size,
 *     and consist of frames the model has free (so no overlap with any
 *     live block);
 *   - an allocation may fail only if the model has no aligned, wholly free
 *     run of that size (checked when m->check_failures is set);
 *   - a bad free must be refused with one report and change nothing;
 *   - the zone's free and managed counts must equal the model's.
 */
#ifndef TESTS_HOST_BUDDY_MODEL_H
#define TESTS_HOST_BUDDY_MODEL_H

#include "mm/buddy.h"

#define MODEL_MAX_FRAMES 8192

enum { MODEL_RESERVED, MODEL_FREE, MODEL_USED };

struct model {
    struct zone *z;
    uint8_t frame[MODEL_MAX_FRAMES];     /* MODEL_* of frame base_pfn + i */
    struct page *live[MODEL_MAX_FRAMES]; /* heads of the blocks in use */
    unsigned nlive;
    unsigned long nfree, nused;
    bool check_failures;                 /* verify that failed allocs had to */
    struct {                             /* what the test exercised */
        unsigned long allocs, failed_allocs, frees, puts, bad_frees, releases;
    } stats;
    char why[192];                       /* the latest disagreement */
};

/* Start modelling Z, freshly zone_init'ed (all reserved). */
void model_init(struct model *m, struct zone *z);
/* zone_release_range(START_PFN, END_PFN) on both. */
bool model_release(struct model *m, pfn_t start_pfn, pfn_t end_pfn);
/* zone_alloc(ORDER) on both; a failure is fine if it had to fail. */
bool model_alloc(struct model *m, unsigned order);
/* Free live block number I (of m->nlive), by zone_free or, with PUT, by
 * get_page + zone_put_page twice (the second put frees). */
bool model_free(struct model *m, unsigned i, bool put);
/* zone_free(PFN, ORDER) where that is not a live block of that order:
 * must be refused.  If it is one, it is freed normally instead. */
bool model_bad_free(struct model *m, pfn_t pfn, unsigned order);
/* The zone's counters against the model's; with FULL, buddy_check too. */
bool model_check(struct model *m, bool full);

#endif
