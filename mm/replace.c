/*
 * mm/replace.c - the replacement interface (mm/replace.h) and the three
 * classic policies; the default policy is in mm/replace_clockpro.c.
 *
 * FIFO, CLOCK and LRU keep one list, R->ring, whose head is the next
 * candidate for eviction:
 *
 *   FIFO   insert at the tail; evict the head.
 *   LRU    insert at the tail, and move a page to the tail on every touch;
 *          evict the head, the page unused for longest.
 *   CLOCK  insert at the tail; to evict, look at the head: referenced?
 *          clear the bit, move it to the tail, look again; not referenced?
 *          evict it.  The list is the clock face and its head the hand;
 *          moving a page to the tail is the hand passing it.
 *
 * CLOCK by hand on 1 2 3 4 1 2 5 1 2 3 4 5 with 3 frames (the fault sets
 * the page's bit, a * marks a set bit, the list is written head first):
 *
 *   ref 1 2 3: faults, list 1* 2* 3*
 *   ref 4:  fault; 1* 2* 3* all spared (bits cleared, each moved back),
 *           then 1 evicted: 2 3 4*
 *   ref 1:  fault; 2 evicted: 3 4* 1*         ref 2: fault; 3 out: 4* 1* 2*
 *   ref 5:  fault; all spared, 4 evicted: 1 2 5*
 *   ref 1:  hit: 1* 2 5*     ref 2: hit: 1* 2* 5*
 *   ref 3:  fault; all spared, 1 evicted: 2 5 3*
 *   ref 4:  fault; 2 evicted: 5 3* 4*         ref 5: hit
 *
 * 9 faults, FIFO's count: with every page referenced between two visits of
 * the hand, a second chance changes nothing.  With 4 frames CLOCK also
 * makes FIFO's 10 (tests/host/test_replace.c checks both).
 */
#include "mm/replace.h"
#include "kernel/assert.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

static const char *const policy_names[RP_NPOLICIES] = {
    [RP_FIFO] = "fifo", [RP_CLOCK] = "clock", [RP_LRU] = "lru", [RP_DEFAULT] = "default",
};

int replace_policy_parse(const char *name)
{
    for (int p = 0; p < RP_NPOLICIES; p++)
        if (strcmp(name, policy_names[p]) == 0)
            return p;
    return -EINVAL;
}

const char *replace_policy_name(enum rp_policy policy)
{
    return (unsigned)policy < RP_NPOLICIES ? policy_names[policy] : "?";
}

bool rp_test(struct replacer *r, struct rp_node *n)
{
    bool used;

    if (r->budget == 0 || !r->referenced)
        return false;
    r->budget--;
    used = r->referenced(n, r->ctx);
    r->stats.scanned++;
    r->stats.spared += used;
    return used;
}

/* A fresh budget for one call: two full turns of the clock, plus slack.
 * Honest bits never need it (each test clears one); it only ends a scan
 * whose referenced() keeps saying yes. */
static void rp_new_budget(struct replacer *r)
{
    r->budget = 4 * (r->nr_resident + r->nr_ghost) + 8;
}

/* --- FIFO, CLOCK, LRU: one list, head first ---------------------------------- */

static struct rp_node *list_take_head(struct replacer *r)
{
    struct rp_node *n = list_entry(r->ring.next, struct rp_node, link);

    list_del(&n->link);
    n->state = RP_OUT;
    r->nr_resident--;
    return n;
}

static struct rp_node *clock_select_victim(struct replacer *r)
{
    struct rp_node *n;

    for (;;) {
        n = list_entry(r->ring.next, struct rp_node, link);
        if (!rp_test(r, n))
            return list_take_head(r);
        list_del(&n->link);                     /* second chance */
        list_add_tail(&n->link, &r->ring);
    }
}

/* --- the interface -------------------------------------------------------------- */

size_t replace_work_bytes(uint32_t capacity)
{
    uint32_t buckets = 1;

    while (buckets < capacity + 1)
        buckets *= 2;
    return (size_t)(capacity + 1) * sizeof(struct rp_ghost) + buckets * sizeof(uint32_t);
}

int replace_init(struct replacer *r, enum rp_policy policy, uint32_t capacity,
                 void *work, rp_referenced_fn referenced, void *ctx)
{
    memset(r, 0, sizeof(*r));
    if ((unsigned)policy >= RP_NPOLICIES || capacity == 0 || !work)
        return -EINVAL;
    r->policy = policy;
    r->capacity = capacity;
    r->referenced = referenced;
    r->ctx = ctx;
    list_init(&r->ring);
    rp_clockpro_init(r, work);
    return 0;
}

void replace_insert(struct replacer *r, struct rp_node *n)
{
    ASSERTF(n->state == RP_OUT, "page %u inserted while in a replacer (state %u)",
            n->id, n->state);
    r->stats.inserted++;
    r->nr_resident++;
    n->flags = 0;
    if (r->policy == RP_DEFAULT) {
        rp_new_budget(r);
        rp_clockpro_insert(r, n);
        return;
    }
    n->state = RP_QUEUED;
    list_add_tail(&n->link, &r->ring);
}

void replace_touch(struct replacer *r, struct rp_node *n)
{
    if (r->policy != RP_LRU || n->state != RP_QUEUED)
        return;
    list_del(&n->link);
    list_add_tail(&n->link, &r->ring);
}

void replace_remove(struct replacer *r, struct rp_node *n)
{
    if (n->state != RP_QUEUED && n->state != RP_HOT && n->state != RP_COLD)
        return;
    if (r->policy == RP_DEFAULT) {
        rp_clockpro_remove(r, n);
    } else {
        list_del(&n->link);
        n->state = RP_OUT;
    }
    r->nr_resident--;
}

struct rp_node *replace_select_victim(struct replacer *r)
{
    struct rp_node *n = NULL;

    if (r->nr_resident == 0)
        return NULL;
    rp_new_budget(r);
    if (r->policy == RP_DEFAULT)
        n = rp_clockpro_select_victim(r);
    else if (r->policy == RP_CLOCK)
        n = clock_select_victim(r);
    else
        n = list_take_head(r);                  /* FIFO and LRU */
    if (n)
        r->stats.evicted++;
    return n;
}

void replace_forget(struct replacer *r, uint32_t id)
{
    if (r->policy == RP_DEFAULT)
        rp_clockpro_forget(r, id);
}

/* Take every resident node out of R onto OUT, in the order of R's list
 * (fifo and clock: oldest first; lru: least recent first; default: clock
 * order), forgetting the default policy's ghosts. */
static void replace_drain(struct replacer *r, struct list_head *out)
{
    struct rp_node *n;

    if (r->policy == RP_DEFAULT)
        rp_clockpro_clear(r);                   /* leaves resident nodes on ring */
    while (!list_empty(&r->ring)) {
        n = list_entry(r->ring.next, struct rp_node, link);
        list_del(&n->link);
        n->state = RP_OUT;
        list_add_tail(&n->link, out);
    }
    r->nr_resident = 0;
}

int replace_set_policy(struct replacer *r, enum rp_policy policy)
{
    struct list_head keep;
    struct rp_node *n;

    if ((unsigned)policy >= RP_NPOLICIES)
        return -EINVAL;
    list_init(&keep);
    replace_drain(r, &keep);
    r->policy = policy;
    while (!list_empty(&keep)) {
        n = list_entry(keep.next, struct rp_node, link);
        list_del(&n->link);
        replace_insert(r, n);
        r->stats.inserted--;                    /* not a new arrival */
    }
    return 0;
}

int replace_check(const struct replacer *r)
{
    const struct list_head *pos;
    uint32_t count = 0;
    int errors = 0;

    if (r->policy == RP_DEFAULT)
        return rp_clockpro_check(r);
    list_for_each(pos, &r->ring) {
        const struct rp_node *n = list_entry(pos, struct rp_node, link);
        if (n->state != RP_QUEUED) {
            kprintf(KERN_ERR "replace_check: %s: page %u on the list has state %u\n",
                    replace_policy_name(r->policy), n->id, n->state);
            errors++;
        }
        if (++count > r->nr_resident)
            break;                              /* a cycle: stop counting */
    }
    if (count != r->nr_resident) {
        kprintf(KERN_ERR "replace_check: %s: %u pages on the list, %u resident\n",
                replace_policy_name(r->policy), count, r->nr_resident);
        errors++;
    }
    return errors;
}
