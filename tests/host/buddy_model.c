/*
 * tests/host/buddy_model.c - the reference model of a zone (see
 * buddy_model.h): frame-by-frame truth, compared with the buddy allocator
 * after every operation.
 */
#include <stdio.h>
#include <stdarg.h>
#include "tests/host/buddy_model.h"
#include "lib/errno.h"
#include "lib/string.h"

static bool PRINTF_LIKE(2, 3) disagree(struct model *m, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(m->why, sizeof(m->why), fmt, ap);
    va_end(ap);
    return false;
}

/* Is every frame of [I, I + N) (indexes into the zone) in STATE? */
static bool model_all(const struct model *m, unsigned long i, unsigned long n,
                      int state)
{
    for (unsigned long j = i; j < i + n; j++)
        if (m->frame[j] != state)
            return false;
    return true;
}

static void model_mark(struct model *m, unsigned long i, unsigned long n,
                       int state)
{
    for (unsigned long j = i; j < i + n; j++)
        m->frame[j] = (uint8_t)state;
}

void model_init(struct model *m, struct zone *z)
{
    ASSERT(z->nr_frames <= MODEL_MAX_FRAMES && z->managed_pages == 0);
    memset(m, 0, sizeof(*m));
    m->z = z;
    z->quiet = true;            /* bad frees are provoked by the thousand */
}

bool model_release(struct model *m, pfn_t start_pfn, pfn_t end_pfn)
{
    struct zone *z = m->z;
    unsigned long bugs = z->nr_bugs, expect = 0, runs = 0, got;
    pfn_t lo = MAX(start_pfn, z->base_pfn);
    pfn_t hi = MIN(end_pfn, z->base_pfn + (pfn_t)z->nr_frames);

    bool prev_reserved = true;

    for (pfn_t pfn = lo; pfn < hi; pfn++) {
        bool reserved = m->frame[pfn - z->base_pfn] == MODEL_RESERVED;

        if (reserved)
            expect++;
        else if (prev_reserved)
            runs++;             /* one report per run of non-reserved frames */
        prev_reserved = reserved;
    }
    for (pfn_t pfn = lo; pfn < hi; pfn++)
        if (m->frame[pfn - z->base_pfn] == MODEL_RESERVED)
            m->frame[pfn - z->base_pfn] = MODEL_FREE;
    m->nfree += expect;
    m->stats.releases++;
    got = zone_release_range(z, start_pfn, end_pfn);
    if (got != expect || z->nr_bugs - bugs != runs)
        return disagree(m, "release 0x%x-0x%x: released %lu (model %lu), "
                        "%lu reports (model %lu)", start_pfn, end_pfn, got,
                        expect, z->nr_bugs - bugs, runs);
    return model_check(m, false);
}

/* Did an allocation of ORDER have to fail: no aligned, wholly free run? */
static bool model_must_fail(const struct model *m, unsigned order)
{
    const struct zone *z = m->z;
    unsigned long size = 1ul << order;
    pfn_t end = z->base_pfn + (pfn_t)z->nr_frames;

    for (pfn_t pfn = (pfn_t)ALIGN_UP(z->base_pfn, size); pfn + size <= end;
         pfn += (pfn_t)size)
        if (model_all(m, pfn - z->base_pfn, size, MODEL_FREE))
            return false;
    return true;
}

bool model_alloc(struct model *m, unsigned order)
{
    struct zone *z = m->z;
    struct page *page = zone_alloc(z, order);
    unsigned long size = 1ul << order, i;
    pfn_t pfn;

    if (!page) {
        m->stats.failed_allocs++;
        if (order <= MAX_ORDER && m->check_failures && !model_must_fail(m, order))
            return disagree(m, "alloc order %u failed, but the model has an "
                            "aligned free run", order);
        return model_check(m, false);
    }
    if (!zone_contains_page(z, page) || order > MAX_ORDER)
        return disagree(m, "alloc order %u returned %p, outside the zone",
                        order, (void *)page);
    pfn = zone_page_to_pfn(z, page);
    i = pfn - z->base_pfn;
    if ((pfn & (size - 1)) || i + size > z->nr_frames)
        return disagree(m, "alloc order %u returned pfn 0x%x: misaligned or "
                        "past the end", order, pfn);
    if (!model_all(m, i, size, MODEL_FREE))
        return disagree(m, "alloc order %u returned pfn 0x%x, which overlaps "
                        "a live or reserved frame", order, pfn);
    if (page->order != order || page->refcount != 1 || page->state != PAGE_ALLOCATED)
        return disagree(m, "alloc order %u: head pfn 0x%x has state %u order %u "
                        "refcount %u", order, pfn, page->state, page->order,
                        page->refcount);
    m->stats.allocs++;
    model_mark(m, i, size, MODEL_USED);
    m->live[m->nlive++] = page;
    m->nfree -= size;
    m->nused += size;
    return model_check(m, false);
}

bool model_free(struct model *m, unsigned i, bool put)
{
    struct zone *z = m->z;
    struct page *page = m->live[i];
    unsigned order = page->order;
    unsigned long size = 1ul << order;
    int err;

    if (put) {
        m->stats.puts++;
        get_page(page);
        err = zone_put_page(z, page);
        if (err || !page_is_allocated(page))
            return disagree(m, "put_page with 2 users freed pfn 0x%x (%d)",
                            zone_page_to_pfn(z, page), err);
        err = zone_put_page(z, page);
    } else {
        m->stats.frees++;
        err = zone_free(z, page, order);
    }
    if (err)
        return disagree(m, "free of live pfn 0x%x order %u refused: %s",
                        zone_page_to_pfn(z, page), order, z->last_bug);
    model_mark(m, zone_page_to_pfn(z, page) - z->base_pfn, size, MODEL_FREE);
    m->live[i] = m->live[--m->nlive];
    m->nfree += size;
    m->nused -= size;
    return model_check(m, false);
}

bool model_bad_free(struct model *m, pfn_t pfn, unsigned order)
{
    struct zone *z = m->z;
    struct page *page = zone_pfn_to_page(z, pfn);
    unsigned long bugs = z->nr_bugs;
    int err;

    for (unsigned i = 0; i < m->nlive; i++)
        if (m->live[i] == page && page->order == order)
            return model_free(m, i, false);     /* that one is legal */
    m->stats.bad_frees++;
    err = zone_free(z, page, order);
    if (err != -EINVAL || z->nr_bugs != bugs + 1)
        return disagree(m, "bad free of pfn 0x%x order %u returned %d with "
                        "%lu reports", pfn, order, err, z->nr_bugs - bugs);
    return model_check(m, false);
}

bool model_check(struct model *m, bool full)
{
    struct zone *z = m->z;
    int violations;

    if (z->free_pages != m->nfree || z->managed_pages != m->nfree + m->nused)
        return disagree(m, "zone says %lu free / %lu managed, model %lu / %lu",
                        z->free_pages, z->managed_pages, m->nfree,
                        m->nfree + m->nused);
    if (full && (violations = buddy_check(z)) != 0)
        return disagree(m, "buddy_check found %d violations", violations);
    return true;
}
