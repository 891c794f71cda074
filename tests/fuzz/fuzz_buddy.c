/*
 * tests/fuzz/fuzz_buddy.c - libFuzzer harness for the buddy allocator.
 *
 * The input bytes are a little program for one zone, checked step by step
 * against the reference model of tests/host/buddy_model.h:
 *
 *   byte 0      zone shape: bits 0-2 size (16 << n frames, at most 1024),
 *               bit 3 poisoning on, bits 4-7 pfn offset of the zone's base
 *               (so zones start unaligned too)
 *   byte 1, 2   a hole left reserved at first: start, length
 *   then pairs  (OP, ARG): OP % 8 selects
 *                 0-2  alloc, order (OP >> 3) % (MAX_ORDER + 1)
 *                 3-4  free live block ARG % nlive (put_page if OP & 0x80)
 *                 5    bad free: pfn ARG (scaled to the zone), order OP >> 3
 *                 6    release ARG (scaled) .. + (OP >> 3), maybe overlapping
 *                 7    a full check: buddy_check() must find nothing
 *
 * Any disagreement, or any buddy_check violation, aborts with the reason,
 * which libFuzzer turns into a saved crashing input.  Run with `make fuzz`
 * (30 s) or build/fuzz/fuzz_buddy -runs=N; FUZZ_VERBOSE=1 keeps the
 * allocator's own output, which is otherwise sent to /dev/null.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tests/host/buddy_model.h"

#define FUZZ_MAX_FRAMES 1024

static struct page fuzz_frames[FUZZ_MAX_FRAMES];
static struct zone fuzz_zone;
static struct model fuzz_model;
static pfn_t fuzz_arena;        /* memory for poisoning zones, made once */

static void fuzz_require(struct model *m, bool ok)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_buddy: the zone disagrees with the model: %s\n", m->why);
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!getenv("FUZZ_VERBOSE") && !freopen("/dev/null", "w", stdout))
        return 1;               /* kprintf and cprintf write to stdout */
    fuzz_arena = host_arena_create(FUZZ_MAX_FRAMES + 16);
    return 0;
}

/* Scale the byte B to a pfn of the zone (or a little past its edges). */
static pfn_t fuzz_pfn(const struct zone *z, uint8_t b)
{
    return z->base_pfn - 4 + (pfn_t)((b * (z->nr_frames + 8)) >> 8);
}

static void fuzz_op(struct model *m, uint8_t op, uint8_t arg)
{
    struct zone *z = m->z;
    pfn_t pfn;

    switch (op % 8) {
    case 0: case 1: case 2:
        fuzz_require(m, model_alloc(m, (op >> 3) % (MAX_ORDER + 1)));
        break;
    case 3: case 4:
        if (m->nlive)
            fuzz_require(m, model_free(m, arg % m->nlive, op & 0x80));
        break;
    case 5:
        pfn = fuzz_pfn(z, arg);
        if (zone_contains_pfn(z, pfn))
            fuzz_require(m, model_bad_free(m, pfn, op >> 3));
        break;
    case 6:
        pfn = fuzz_pfn(z, arg);
        fuzz_require(m, model_release(m, pfn, pfn + (op >> 3)));
        break;
    default:
        fuzz_require(m, model_check(m, true));
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct model *m = &fuzz_model;
    unsigned long nr;
    pfn_t base;

    if (size < 3)
        return 0;
    nr = 16ul << (data[0] & 7);
    nr = MIN(nr, FUZZ_MAX_FRAMES);
    /* Poisoning needs memory behind the frames; otherwise any pfns do. */
    base = (data[0] & 8 ? fuzz_arena : 0x100000) + (data[0] >> 4);
    zone_init(&fuzz_zone, fuzz_frames, base, nr);
    fuzz_zone.poison = (data[0] & 8) != 0;
    model_init(m, &fuzz_zone);
    m->check_failures = true;
    pfn_t hole = fuzz_pfn(&fuzz_zone, data[1]);
    fuzz_require(m, model_release(m, base, hole));
    fuzz_require(m, model_release(m, hole + data[2] % 64, base + (pfn_t)nr));
    for (size_t i = 3; i + 1 < size; i += 2)
        fuzz_op(m, data[i], data[i + 1]);
    fuzz_require(m, model_check(m, true));
    while (m->nlive > 0)
        fuzz_require(m, model_free(m, m->nlive - 1, false));
    fuzz_require(m, model_check(m, true));
    return 0;
}
