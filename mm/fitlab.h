/*
 * mm/fitlab.h - the fit-policy lab: replay an allocation trace under each
 * placement policy and compare the heaps they leave.
 *
 * A trace is text (format in tests/traces/README.md):
 *
 *   # comment
 *   limit 37888     the heap may hold at most this many block bytes
 *   a h1 10216      allocate 10216 bytes and call the result h1
 *   f h1            free what h1 names
 *
 * Each replay runs on a private heap that starts empty and grows, as a
 * program's heap grows with sbrk, only when no free block fits: so "the
 * heap at peak" is the memory the policy needed, and a policy that
 * fragments more needs more.  The heap never grows past the limit; a
 * request that would need more fails and is counted.  By default the
 * limit is the sum of every block in the trace, which no policy can reach
 * (each growth adds at most the block that needed it), capped at
 * FITLAB_DEFAULT_LIMIT.
 *
 * Fragmentation is Johnstone and Wilson's ("The Memory Fragmentation
 * Problem: Solved?", ISMM 1998, measure #4):
 *
 *   fragmentation = heap at peak / live bytes at peak - 1
 *
 * where "heap at peak" is the most block bytes the heap ever held (tags,
 * rounding and holes included) and "live bytes at peak" the most bytes the
 * trace ever had allocated at once.  The two peaks need not coincide.
 *
 * The kernel embeds every tests/traces/NAME.trace (mk/heap.mk) and the monitor
 * command `fitlab [TRACE]` prints the table; the host tests read the same
 * files and check the same numbers.
 */
#ifndef MM_FITLAB_H
#define MM_FITLAB_H

#include "lib/types.h"
#include "mm/heap.h"

/* The limit of a trace without a limit line is the sum of its blocks, but
 * at most this: the memory a replay borrows stays reasonable, and a trace
 * that needs more says so with a limit line. */
#define FITLAB_DEFAULT_LIMIT (2048u * 1024u)

struct fitlab_trace {
    const char *name;
    const char *text;           /* not NUL-terminated */
    size_t len;
};

/* What one pass over the text finds, before anything is replayed. */
struct fitlab_plan {
    unsigned long events;       /* a and f lines */
    unsigned long allocs;       /* a lines */
    size_t limit;               /* block bytes the heap may grow to */
    size_t slots;               /* entries of the ID table: a power of two */
    size_t work_bytes;          /* memory fitlab_replay needs */
};

struct fitlab_result {
    enum heap_policy policy;
    size_t peak_heap;           /* most block bytes ever held */
    size_t peak_live;           /* most requested bytes ever live */
    unsigned frag_permille;     /* peak_heap / peak_live - 1, per mille */
    unsigned long free_blocks;  /* at the end of the trace */
    size_t largest_free;        /* at the end of the trace */
    unsigned long failed;       /* requests refused: the limit was reached */
    unsigned searched_x100;     /* free blocks looked at per request, x100 */
    int check_errors;           /* heap_check after the replay: should be 0 */
};

/* Parse all of TRACE into PLAN.  Returns 0, or -EINVAL after printing the
 * line that is not in the trace format. */
int fitlab_plan(const struct fitlab_trace *trace, struct fitlab_plan *plan);

/* Replay TRACE under POLICY in WORK (plan->work_bytes bytes, 8-aligned).
 * Returns 0 with OUT filled, or -EINVAL after printing why the trace is
 * inconsistent (an ID allocated twice, a free of an ID that is not live). */
int fitlab_replay(const struct fitlab_trace *trace, const struct fitlab_plan *plan,
                  enum heap_policy policy, void *work, struct fitlab_result *out);

/* Print the comparison table, each line starting with PREFIX. */
void fitlab_print_table(const struct fitlab_trace *trace,
                        const struct fitlab_plan *plan,
                        const struct fitlab_result results[HEAP_NPOLICIES],
                        const char *prefix);

/* Replay TRACE under all four policies in WORK (plan->work_bytes bytes,
 * 8-aligned) and print the table, lines starting with PREFIX.  Returns 0
 * or -EINVAL. */
int fitlab_run(const struct fitlab_trace *trace, const struct fitlab_plan *plan,
               void *work, const char *prefix);

/* The traces built into the kernel (none on the host): how many, the
 * I-th as a fitlab_trace (false past the end), the one called NAME. */
unsigned fitlab_embedded_traces(void);
bool fitlab_embedded_trace(unsigned i, struct fitlab_trace *out);
bool fitlab_find_embedded(const char *name, struct fitlab_trace *out);

#endif
