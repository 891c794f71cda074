/*
 * mm/replace_clockpro.c - the default replacement policy: CLOCK-Pro with a
 * fixed cold share (Jiang, Chen and Zhang, "CLOCK-Pro: An Effective
 * Improvement of the CLOCK Replacement", USENIX 2005).
 *
 * The idea.  LRU judges a page by its recency: how long since its last
 * use.  That fails in two common cases: a scan (pages used once, e.g. a
 * file read from end to end) pushes out pages in real use, and a loop a
 * little larger than memory makes LRU evict each page just before it is
 * needed again, so every reference faults.  CLOCK-Pro judges a page by its
 * REUSE DISTANCE instead, the time between its last two uses (this is
 * LIRS, Jiang and Zhang 2002, done with a clock and referenced bits):
 *
 *   hot pages   have shown a short reuse distance: they stay;
 *   cold pages  are new or have not (yet); they are the ones evicted.
 *
 * A cold page is "on test".  If it is used again while resident, it
 * becomes hot.  If it is evicted first, the policy keeps a GHOST of it (its
 * id, no data) on the clock; if the page faults back while its ghost is
 * still there, its reuse distance was short after all: it comes back hot.
 * Hot pages that stop being used turn cold again.  Only a few frames hold
 * cold pages (COLD_PERCENT of memory, at least one), so the hot pages keep
 * almost all of memory and the cold frames act as a probation area.
 *
 * One clock (r->ring) holds hot, cold and ghost entries in order of
 * arrival; three hands go round it, each with one job:
 *
 *   hand_cold  finds the victim: at a cold page, referenced -> make it hot;
 *              not referenced -> evict it, leaving its ghost in its place;
 *   hand_hot   keeps hot pages within capacity - cold_target: at a hot
 *              page, referenced -> clear and pass; not -> make it cold;
 *              at a ghost -> drop it (its test has lasted long enough);
 *   hand_test  drops a ghost, the first it meets (so about the oldest),
 *              when there are more than capacity of them.
 *
 * New and promoted pages go to the "head", just behind hand_hot, the last
 * place any hand reaches.
 *
 * Worked example: a loop over pages 0..49 with 40 frames (tests/traces/
 * refs/loop.refs, 20 rounds).  LRU faults on all 1000 references: the
 * page it evicts is always the one the loop needs next.  Here, round 1
 * faults 50 times (every page arrives cold and 10 are evicted, leaving
 * ghosts); round 2 faults 50 times too, but now the pages come back hot,
 * because their ghosts are still on the clock.  From round 3 on, 39 hot pages
 * hold still, and the other 11 pass through the one cold frame: 11 faults
 * a round, where OPT needs 10.  The whole string: 298 faults, OPT 240.
 *
 * Two choices differ from the paper; both were measured on the shipped
 * strings (loop 40 frames, zipf 20, scanmix 30; faults, OPT in brackets):
 *
 *                                    loop (240)  zipf (1672)  scanmix (425)
 *   this file                           298        2116          505
 *   cold share adapting, as the paper   387        2135          505
 *   first referenced bit believed      1000        2443          649
 *
 *   1. The cold share is fixed at 1% of memory (at least one frame), as
 *      LIRS recommends, instead of adapting.  The paper grows it on every
 *      ghost hit and shrinks it when a ghost expires; on a loop every
 *      evicted page comes back while its ghost lives, so the share grows
 *      and more of the loop runs through cold frames.
 *   2. A page's first referenced bit is not believed.  The fault that
 *      brings a page in sets its accessed bit (the faulting instruction is
 *      restarted), so a new page always looks "used again".  Believing it
 *      makes every page hot at hand_cold's first visit, and a scan then
 *      flushes memory just as under LRU.  So a new page is marked FRESH:
 *      the first visit clears the bit and the flag and moves the page back
 *      to the head; only a use after that counts.
 *
 * (The second and third rows come from a prototype of the variants, not
 * from this file; test_replace prints the first row's table.)
 *
 * Cost: a ghost is 20 bytes on i386 and there are at most capacity + 1 of
 * them, found by id through a hash table; the caller gives that memory to
 * replace_init (replace_work_bytes).
 */
#include "mm/replace.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define COLD_PERCENT 1

/* --- the clock ------------------------------------------------------------------ */

/* The entry after N going round, skipping the list head (not an entry). */
static struct rp_node *ring_next(struct replacer *r, struct rp_node *n)
{
    struct list_head *next = n->link.next;

    if (next == &r->ring)
        next = next->next;
    return list_entry(next, struct rp_node, link);
}

/* Take N off the clock; a hand on N moves on to the next entry (or to
 * nothing if N was the last). */
static void ring_unlink(struct replacer *r, struct rp_node *n)
{
    struct rp_node *next = ring_next(r, n);

    if (next == n)
        next = NULL;
    if (r->hand_hot == n)
        r->hand_hot = next;
    if (r->hand_cold == n)
        r->hand_cold = next;
    if (r->hand_test == n)
        r->hand_test = next;
    list_del(&n->link);
}

/* Put N at the head: just behind hand_hot, reached last by every hand. */
static void ring_link_head(struct replacer *r, struct rp_node *n)
{
    if (!r->hand_hot) {
        list_add_tail(&n->link, &r->ring);
        r->hand_hot = r->hand_cold = r->hand_test = n;
        return;
    }
    list_add_tail(&n->link, &r->hand_hot->link);
}

static void ring_move_head(struct replacer *r, struct rp_node *n)
{
    ring_unlink(r, n);
    ring_link_head(r, n);
}

/* --- ghosts: evicted pages remembered by id ----------------------------------------- */

static uint32_t *ghost_chain(const struct replacer *r, uint32_t id)
{
    return &r->buckets[(id * 2654435761u) & (r->nr_buckets - 1)];   /* Knuth's */
}

/* The link (a bucket head or a hash_next) that leads to ID's ghost, or
 * NULL if ID has none. */
static uint32_t *ghost_link(const struct replacer *r, uint32_t id)
{
    uint32_t *link = ghost_chain(r, id);

    while (*link != RP_NIL && r->ghosts[*link].node.id != id)
        link = &r->ghosts[*link].hash_next;
    return *link == RP_NIL ? NULL : link;
}

/* Forget the ghost at LINK: off the clock, out of its chain, unused. */
static void ghost_drop(struct replacer *r, uint32_t *link)
{
    uint32_t i = *link;
    struct rp_ghost *g = &r->ghosts[i];

    ring_unlink(r, &g->node);
    g->node.state = RP_OUT;
    *link = g->hash_next;
    g->hash_next = r->free_ghost;
    r->free_ghost = i;
    r->nr_ghost--;
}

static void ghost_drop_node(struct replacer *r, struct rp_node *n)
{
    uint32_t *link = ghost_chain(r, n->id);

    while (&r->ghosts[*link].node != n)
        link = &r->ghosts[*link].hash_next;
    ghost_drop(r, link);
}

/* Make every ghost entry unused and every chain empty. */
static void ghost_pool_reset(struct replacer *r)
{
    for (uint32_t i = 0; i <= r->capacity; i++) {
        list_init(&r->ghosts[i].node.link);
        r->ghosts[i].node.state = RP_OUT;
        r->ghosts[i].hash_next = i < r->capacity ? i + 1 : RP_NIL;
    }
    for (uint32_t b = 0; b < r->nr_buckets; b++)
        r->buckets[b] = RP_NIL;
    r->free_ghost = 0;
    r->nr_ghost = 0;
}

void rp_clockpro_init(struct replacer *r, void *work)
{
    r->ghosts = work;
    r->buckets = (uint32_t *)(r->ghosts + r->capacity + 1);
    r->nr_buckets = 1;
    while (r->nr_buckets < r->capacity + 1)
        r->nr_buckets *= 2;
    r->cold_target = MAX(1u, r->capacity * COLD_PERCENT / 100);
    ghost_pool_reset(r);
}

/* --- the hands ---------------------------------------------------------------------- */

/* hand_test: drop the first ghost at or after the hand. */
static void run_hand_test(struct replacer *r)
{
    struct rp_node *n = r->hand_test;

    while (n->state != RP_GHOST)
        n = ring_next(r, n);
    r->hand_test = ring_next(r, n);
    ghost_drop_node(r, n);
}

/* hand_hot: one step. */
static void run_hand_hot(struct replacer *r)
{
    struct rp_node *n = r->hand_hot;

    if (n->state == RP_GHOST) {
        ghost_drop_node(r, n);                  /* the hand moves on by itself */
        return;
    }
    if (n->state == RP_HOT && !rp_test(r, n)) {
        n->state = RP_COLD;
        r->nr_hot--;
        r->nr_cold++;
        r->stats.demoted++;
    }
    r->hand_hot = ring_next(r, n);
}

static void balance_hot(struct replacer *r)
{
    while (r->nr_hot > r->capacity - r->cold_target)
        run_hand_hot(r);
}

/* Evict cold page N: its ghost takes its place on the clock. */
static struct rp_node *evict_cold(struct replacer *r, struct rp_node *n)
{
    struct rp_ghost *g = &r->ghosts[r->free_ghost];
    uint32_t *chain = ghost_chain(r, n->id);

    r->free_ghost = g->hash_next;
    r->hand_cold = ring_next(r, n);             /* past N: the ghost stays behind */
    g->node.id = n->id;
    g->node.state = RP_GHOST;
    g->node.flags = 0;
    list_add(&g->node.link, &n->link);
    ring_unlink(r, n);                          /* a hand on N moves to the ghost */
    g->hash_next = *chain;
    *chain = (uint32_t)(g - r->ghosts);
    n->state = RP_OUT;
    r->nr_cold--;
    r->nr_resident--;
    r->nr_ghost++;
    while (r->nr_ghost > r->capacity)
        run_hand_test(r);
    return n;
}

/* hand_cold: one step.  Returns the victim, or NULL to go on. */
static struct rp_node *run_hand_cold(struct replacer *r)
{
    struct rp_node *n = r->hand_cold;
    bool used;

    if (n->state != RP_COLD) {
        r->hand_cold = ring_next(r, n);
        return NULL;
    }
    used = rp_test(r, n);                       /* clears the bit either way */
    if (n->flags & RP_F_FRESH) {                /* that bit was the fault's */
        n->flags &= (uint8_t)~RP_F_FRESH;
        ring_move_head(r, n);
        return NULL;
    }
    if (!used)
        return evict_cold(r, n);
    n->state = RP_HOT;                          /* reused during its test */
    r->nr_cold--;
    r->nr_hot++;
    r->stats.promoted++;
    ring_move_head(r, n);
    balance_hot(r);
    return NULL;
}

/* --- the interface (called through mm/replace.c) ------------------------------------------ */

void rp_clockpro_insert(struct replacer *r, struct rp_node *n)
{
    uint32_t *link = ghost_link(r, n->id);

    if (!link) {                                /* never seen, or long ago */
        n->state = RP_COLD;
        n->flags = RP_F_FRESH;
        ring_link_head(r, n);
        r->nr_cold++;
        return;
    }
    ghost_drop(r, link);                        /* back while on test: hot */
    r->stats.ghost_hits++;
    n->state = RP_HOT;
    ring_link_head(r, n);
    r->nr_hot++;
    balance_hot(r);
}

void rp_clockpro_remove(struct replacer *r, struct rp_node *n)
{
    if (n->state == RP_HOT)
        r->nr_hot--;
    else
        r->nr_cold--;
    ring_unlink(r, n);
    n->state = RP_OUT;
}

struct rp_node *rp_clockpro_select_victim(struct replacer *r)
{
    struct rp_node *victim = NULL;

    while (!victim) {
        if (r->nr_cold == 0)
            run_hand_hot(r);                    /* all hot: make one cold */
        else
            victim = run_hand_cold(r);
    }
    return victim;
}

void rp_clockpro_forget(struct replacer *r, uint32_t id)
{
    uint32_t *link = ghost_link(r, id);

    if (link)
        ghost_drop(r, link);
}

void rp_clockpro_clear(struct replacer *r)
{
    struct list_head *pos, *tmp;

    list_for_each_safe(pos, tmp, &r->ring) {
        struct rp_node *n = list_entry(pos, struct rp_node, link);
        if (n->state == RP_GHOST)
            list_del(pos);
    }
    ghost_pool_reset(r);
    r->hand_hot = r->hand_cold = r->hand_test = NULL;
    r->nr_hot = r->nr_cold = 0;
}

/* --- the checker -------------------------------------------------------------------- */

struct ring_census {
    uint32_t hot, cold, ghost, other, unhashed;
    bool hand_seen[3];
};

static void census_one(const struct replacer *r, const struct rp_node *n,
                       struct ring_census *c)
{
    c->hand_seen[0] |= n == r->hand_hot;
    c->hand_seen[1] |= n == r->hand_cold;
    c->hand_seen[2] |= n == r->hand_test;
    if (n->state == RP_HOT)
        c->hot++;
    else if (n->state == RP_COLD)
        c->cold++;
    else if (n->state == RP_GHOST)
        c->ghost++;
    else
        c->other++;
    if (n->state == RP_GHOST && !ghost_link(r, n->id))
        c->unhashed++;
}

int rp_clockpro_check(const struct replacer *r)
{
    struct ring_census c = { 0 };
    const struct list_head *pos;
    uint32_t seen = 0, limit = r->nr_resident + r->nr_ghost;
    int errors = 0;

    list_for_each(pos, &r->ring) {
        if (++seen > limit)
            break;                                  /* a cycle or a lost count */
        census_one(r, list_entry(pos, struct rp_node, link), &c);
    }
    if (seen != limit || c.hot != r->nr_hot || c.cold != r->nr_cold ||
        c.ghost != r->nr_ghost || c.other || c.unhashed ||
        r->nr_hot + r->nr_cold != r->nr_resident) {
        kprintf(KERN_ERR "replace_check: default: ring has %u hot, %u cold, %u ghosts "
                "(%u unhashed), %u others; counts say %u, %u, %u, resident %u\n",
                c.hot, c.cold, c.ghost, c.unhashed, c.other,
                r->nr_hot, r->nr_cold, r->nr_ghost, r->nr_resident);
        errors++;
    }
    if (limit ? !(c.hand_seen[0] && c.hand_seen[1] && c.hand_seen[2])
              : (r->hand_hot || r->hand_cold || r->hand_test)) {
        kprintf(KERN_ERR "replace_check: default: a hand is not on the clock\n");
        errors++;
    }
    return errors;
}
