/*
 * mm/fitlab.c - the fit-policy lab: trace parsing, replay, the table.
 *
 * Replaying a trace (see mm/fitlab.h for what is measured and why):
 *   1. fitlab_plan reads the text once: it checks every line, counts the
 *      allocations and adds up their block sizes, which bounds the heap
 *      no policy can outgrow (each growth adds at most the block that
 *      needed it): without a `limit` line, that sum (at most
 *      FITLAB_DEFAULT_LIMIT) is the limit;
 *   2. fitlab_replay carves the caller's work memory into an ID table and
 *      an arena, starts an empty heap whose grow callback extends it
 *      upwards through the arena like sbrk, and applies each line;
 *   3. the heap's own statistics give the row of the table.
 *
 * IDs are looked up in an open-addressing hash table (FNV-1a, linear
 * probing) with at least twice as many slots as there are allocations, so
 * it is at most half full and a probe sequence always ends.  A slot keeps
 * pointing into the trace text: no ID is ever copied.
 *
 * The traces are input, in the kernel too (the monitor reads them): a bad
 * line is reported with its number and the replay stops; nothing panics.
 */
#include "mm/fitlab.h"
#include "mm/heap.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#include <stdarg.h>

struct trace_event {
    char op;                    /* 'a', 'f', or 'l' for a limit line */
    const char *id;             /* into the trace text */
    size_t idlen;
    size_t size;                /* 'a': bytes requested; 'l': the limit */
};

struct trace_cursor {
    const struct fitlab_trace *trace;
    size_t pos;                 /* offset of the next line */
    unsigned line;              /* number of the line last read, from 1 */
};

/* One ID.  Invariant: id == NULL (never used) or the ID's text; live while
 * its allocation has not been freed; ptr is NULL if the request failed. */
struct fitlab_slot {
    const char *id;
    size_t idlen;
    void *ptr;
    bool live;
};

/* The sbrk-like arena a replay's heap grows through.  Invariant: the heap
 * owns exactly base[0 .. used). */
struct fitlab_arena {
    char *base;                 /* 8-aligned */
    size_t used;
    size_t max;                 /* limit + HEAP_REGION_OVERHEAD */
};

/* --- parsing ------------------------------------------------------------------ */

static void trace_error(const struct trace_cursor *c, const char *fmt, ...)
{
    char msg[96];
    va_list ap;

    va_start(ap, fmt);
    kvsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    kprintf(KERN_ERR "fitlab: %s:%u: %s\n", c->trace->name, c->line, msg);
}

/* Split S (LEN bytes, one line) at blanks into at most MAX tokens; a token
 * starting with '#' ends the line.  Returns the count, MAX + 1 if more. */
static unsigned trace_split(const char *s, size_t len, const char *tok[],
                            size_t toklen[], unsigned max)
{
    unsigned n = 0;
    size_t i = 0;

    for (;;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i == len || s[i] == '#')
            return n;
        if (n == max)
            return max + 1;
        tok[n] = s + i;
        while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            i++;
        toklen[n] = (size_t)(s + i - tok[n]);
        n++;
    }
}

/* A decimal number of at most 10 digits that fits 32 bits. */
static bool trace_number(const char *s, size_t len, size_t *out)
{
    uint64_t v = 0;

    if (len == 0 || len > 10)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > UINT32_MAX)
        return false;
    *out = (size_t)v;
    return true;
}

static bool token_is(const char *tok, size_t len, const char *word)
{
    return len == strlen(word) && memcmp(tok, word, len) == 0;
}

/* Turn the N tokens of one line (N is 4 if there were more than 3) into
 * EV.  Returns 0 or -EINVAL (reported). */
static int trace_parse(const struct trace_cursor *c, const char *tok[],
                       size_t toklen[], unsigned n, struct trace_event *ev)
{
    ev->op = tok[0][0];
    ev->id = tok[n > 1 ? 1 : 0];
    ev->idlen = toklen[n > 1 ? 1 : 0];
    ev->size = 0;
    if (n == 3 && token_is(tok[0], toklen[0], "a") &&
        trace_number(tok[2], toklen[2], &ev->size))
        return 0;
    if (n == 2 && token_is(tok[0], toklen[0], "f"))
        return 0;
    if (n == 2 && token_is(tok[0], toklen[0], "limit") &&
        trace_number(tok[1], toklen[1], &ev->size)) {
        ev->op = 'l';
        return 0;
    }
    trace_error(c, "expected \"a ID SIZE\", \"f ID\" or \"limit BYTES\"");
    return -EINVAL;
}

/* The next event of C's trace into EV.  Returns 1, 0 at the end, or
 * -EINVAL for a malformed line (reported). */
static int trace_next(struct trace_cursor *c, struct trace_event *ev)
{
    const struct fitlab_trace *t = c->trace;
    const char *tok[3];
    size_t toklen[3];

    while (c->pos < t->len) {
        const char *line = t->text + c->pos;
        size_t len = 0;
        unsigned n;

        while (c->pos + len < t->len && line[len] != '\n')
            len++;
        n = trace_split(line, len, tok, toklen, 3);
        c->pos += len + 1;              /* past the newline, or the end */
        c->line++;
        if (n == 0)
            continue;
        return trace_parse(c, tok, toklen, n, ev) ? -EINVAL : 1;
    }
    return 0;
}

int fitlab_plan(const struct fitlab_trace *trace, struct fitlab_plan *plan)
{
    struct trace_cursor c = { .trace = trace };
    struct trace_event ev;
    size_t sum = 0;
    bool limit_given = false;
    int rc;

    memset(plan, 0, sizeof(*plan));
    while ((rc = trace_next(&c, &ev)) > 0) {
        if (ev.op == 'l') {
            plan->limit = ev.size;
            limit_given = true;
            continue;
        }
        plan->events++;
        if (ev.op == 'a') {
            plan->allocs++;
            sum += heap_block_bytes(ev.size);
        }
    }
    if (rc < 0)
        return rc;
    if (!limit_given)
        plan->limit = MIN(sum, (size_t)FITLAB_DEFAULT_LIMIT);
    plan->limit = ALIGN_DOWN(plan->limit, HEAP_ALIGN);
    plan->slots = 2;
    while (plan->slots < 2 * plan->allocs)
        plan->slots *= 2;
    plan->work_bytes = plan->slots * sizeof(struct fitlab_slot) + HEAP_ALIGN +
                       plan->limit + HEAP_REGION_OVERHEAD;
    return 0;
}

/* --- replaying ----------------------------------------------------------------- */

struct fitlab_replay {
    struct trace_cursor cursor;
    struct heap heap;
    struct fitlab_arena arena;
    struct fitlab_slot *slots;
    size_t nslots;              /* a power of two */
};

/* heap_grow_fn: extend the arena by what BLOCK_BYTES needs beyond the free
 * block already at the top, within the limit. */
static int fitlab_grow(struct heap *heap, size_t block_bytes)
{
    struct fitlab_arena *a = heap->grow_arg;
    size_t tail = heap_tail_free(heap);
    size_t extra;

    if (a->used == 0)                   /* the first region */
        extra = block_bytes + HEAP_REGION_OVERHEAD;
    else if (tail < block_bytes)        /* the new bytes merge with the tail */
        extra = ALIGN_UP(block_bytes - tail, HEAP_ALIGN);
    else                                /* cannot be: the tail would have fit */
        return -ENOMEM;
    if (extra > a->max - a->used ||
        heap_add_region(heap, a->base + a->used, extra) != 0)
        return -ENOMEM;
    a->used += extra;
    return 0;
}

/* The slot of the ID at S (LEN bytes): its own, or the empty one where it
 * belongs.  FNV-1a: xor in each byte, multiply by the FNV prime. */
static struct fitlab_slot *fitlab_lookup(struct fitlab_replay *r,
                                         const char *s, size_t len)
{
    uint32_t hash = 2166136261u;
    size_t i;

    for (i = 0; i < len; i++)
        hash = (hash ^ (uint8_t)s[i]) * 16777619u;
    for (i = hash & (r->nslots - 1); ; i = (i + 1) & (r->nslots - 1)) {
        struct fitlab_slot *slot = &r->slots[i];
        if (!slot->id || (slot->idlen == len && memcmp(slot->id, s, len) == 0))
            return slot;
    }
}

/* Report an inconsistent event about ID; returns -EINVAL. */
static int fitlab_bad_id(const struct fitlab_replay *r, const struct trace_event *ev,
                         const char *what)
{
    char id[32];
    size_t n = MIN(ev->idlen, sizeof(id) - 1);

    memcpy(id, ev->id, n);
    id[n] = '\0';
    trace_error(&r->cursor, "%s %s", id, what);
    return -EINVAL;
}

/* Apply one a or f event.  Returns 0 or -EINVAL (reported). */
static int fitlab_apply(struct fitlab_replay *r, const struct trace_event *ev)
{
    struct fitlab_slot *slot = fitlab_lookup(r, ev->id, ev->idlen);

    if (ev->op == 'a') {
        if (slot->id && slot->live)
            return fitlab_bad_id(r, ev, "is allocated again before it was freed");
        slot->id = ev->id;
        slot->idlen = ev->idlen;
        slot->live = true;
        slot->ptr = heap_alloc(&r->heap, ev->size);  /* NULL: counted as failed */
        return 0;
    }
    if (!slot->id || !slot->live)
        return fitlab_bad_id(r, ev, "is freed but not allocated");
    slot->live = false;
    if (slot->ptr && heap_free(&r->heap, slot->ptr) != 0)
        return fitlab_bad_id(r, ev, "was refused by heap_free");
    return 0;
}

static void fitlab_collect(struct heap *heap, struct fitlab_result *out)
{
    struct heap_report rep;
    unsigned ratio;

    heap_get_report(heap, &rep);
    out->peak_heap = rep.s.peak_region_bytes ?
                     rep.s.peak_region_bytes - HEAP_REGION_OVERHEAD : 0;
    out->peak_live = rep.s.peak_live_requested;
    ratio = heap_ratio(out->peak_heap, out->peak_live, 1000);
    out->frag_permille = ratio > 1000 ? ratio - 1000 : 0;
    out->free_blocks = rep.s.free_blocks;
    out->largest_free = rep.largest_free;
    out->failed = rep.s.failed;
    out->searched_x100 = rep.searched_x100;
    out->check_errors = heap_check(heap);
}

int fitlab_replay(const struct fitlab_trace *trace, const struct fitlab_plan *plan,
                  enum heap_policy policy, void *work, struct fitlab_result *out)
{
    struct fitlab_replay r = { .cursor = { .trace = trace } };
    size_t table_bytes = plan->slots * sizeof(struct fitlab_slot);
    struct trace_event ev;
    int rc;

    memset(out, 0, sizeof(*out));
    out->policy = policy;
    r.slots = work;
    r.nslots = plan->slots;
    memset(r.slots, 0, table_bytes);
    r.arena.base = (char *)ALIGN_UP((uintptr_t)work + table_bytes, HEAP_ALIGN);
    r.arena.max = plan->limit + HEAP_REGION_OVERHEAD;
    heap_init(&r.heap, trace->name, policy);
    heap_set_grow(&r.heap, fitlab_grow, &r.arena);
    while ((rc = trace_next(&r.cursor, &ev)) > 0)
        if (ev.op != 'l' && (rc = fitlab_apply(&r, &ev)) != 0)
            break;
    if (rc < 0)
        return rc;
    fitlab_collect(&r.heap, out);
    return 0;
}

/* --- the table ----------------------------------------------------------------- */

void fitlab_print_table(const struct fitlab_trace *trace,
                        const struct fitlab_plan *plan,
                        const struct fitlab_result results[HEAP_NPOLICIES],
                        const char *prefix)
{
    cprintf("%strace %s: %lu events, %lu allocations, heap limit %zu bytes, "
            "live at peak %zu bytes\n", prefix, trace->name, plan->events,
            plan->allocs, plan->limit, results[0].peak_live);
    cprintf("%s%-6s %10s %9s %7s %10s %7s %9s\n", prefix, "policy",
            "heap@peak", "frag(J&W)", "holes", "largest", "failed", "searched");
    for (int p = 0; p < HEAP_NPOLICIES; p++) {
        const struct fitlab_result *res = &results[p];
        cprintf("%s%-6s %10zu %7u.%u%% %7lu %10zu %7lu %6u.%02u%s\n", prefix,
                heap_policy_name(res->policy), res->peak_heap,
                res->frag_permille / 10, res->frag_permille % 10,
                res->free_blocks, res->largest_free, res->failed,
                res->searched_x100 / 100, res->searched_x100 % 100,
                res->check_errors ? "  HEAP_CHECK FAILED" : "");
    }
}

int fitlab_run(const struct fitlab_trace *trace, const struct fitlab_plan *plan,
               void *work, const char *prefix)
{
    struct fitlab_result results[HEAP_NPOLICIES];

    for (int p = 0; p < HEAP_NPOLICIES; p++)
        if (fitlab_replay(trace, plan, (enum heap_policy)p, work, &results[p]))
            return -EINVAL;
    fitlab_print_table(trace, plan, results, prefix);
    return 0;
}

/* --- the traces embedded in the kernel ----------------------------------------- */

#ifndef HOST_TEST
/* The table build/gen/traces.S makes from tests/traces/NAME.trace (mk/heap.mk,
 * tools/mkembed.sh).  Weak: a kernel linked without it has no traces
 * rather than no link. */
struct fitlab_embedded {
    const char *name;
    const char *start, *end;
};
extern const struct fitlab_embedded fitlab_embedded[] __attribute__((weak));
extern const uint32_t fitlab_embedded_count __attribute__((weak));

unsigned fitlab_embedded_traces(void)
{
    return &fitlab_embedded_count ? fitlab_embedded_count : 0;
}

bool fitlab_embedded_trace(unsigned i, struct fitlab_trace *out)
{
    if (i >= fitlab_embedded_traces())
        return false;
    out->name = fitlab_embedded[i].name;
    out->text = fitlab_embedded[i].start;
    out->len = (size_t)(fitlab_embedded[i].end - fitlab_embedded[i].start);
    return true;
}
#else
unsigned fitlab_embedded_traces(void)
{
    return 0;               /* the host tests read tests/traces/ instead */
}

bool fitlab_embedded_trace(unsigned i UNUSED, struct fitlab_trace *out UNUSED)
{
    return false;
}
#endif

bool fitlab_find_embedded(const char *name, struct fitlab_trace *out)
{
    for (unsigned i = 0; fitlab_embedded_trace(i, out); i++)
        if (strcmp(out->name, name) == 0)
            return true;
    return false;
}

/* --- the monitor command (kernel only: borrows frames) -------------------------- */
#ifndef HOST_TEST
#include "mm/buddy.h"
#include "kernel/layout.h"
#include "kernel/monitor.h"

/* Plan T, borrow frames for its work memory, run it, give them back. */
static int fitlab_run_frames(const struct fitlab_trace *t)
{
    struct fitlab_plan plan;
    struct page *page = NULL;
    unsigned order = 0;
    int rc;

    if (fitlab_plan(t, &plan))
        return 1;
    while (((size_t)PAGE_SIZE << order) < plan.work_bytes)
        order++;
    if (order <= MAX_ORDER)
        page = alloc_pages(order);
    if (!page) {
        cprintf("fitlab: %s needs %zu bytes of work memory (order %u): none free\n",
                t->name, plan.work_bytes, order);
        return 1;
    }
    rc = fitlab_run(t, &plan, page_address(page), "");
    free_pages(page, order);
    return rc ? 1 : 0;
}

static int cmd_fitlab(int argc, char **argv)
{
    struct fitlab_trace t;
    int status = 0, found = 0;

    if (fitlab_embedded_traces() == 0) {
        cprintf("fitlab: no traces embedded (build/gen/traces.o not linked)\n");
        return 1;
    }
    for (unsigned i = 0; fitlab_embedded_trace(i, &t); i++) {
        if (argc > 1 && strcmp(argv[1], t.name) != 0)
            continue;
        found++;
        status |= fitlab_run_frames(&t);
    }
    if (!found) {
        cprintf("fitlab: no trace \"%s\"; there are:", argv[1]);
        for (unsigned i = 0; fitlab_embedded_trace(i, &t); i++)
            cprintf(" %s", t.name);
        cprintf("\n");
        return 1;
    }
    return status;
}
MONITOR_CMD(fitlab, "fitlab [TRACE]",
            "replay allocation traces under first, next, best and worst fit",
            cmd_fitlab);
#endif /* !HOST_TEST */
