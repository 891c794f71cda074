/*
 * mm/vmsim.c - the page-replacement simulator (mm/vmsim.h says what it
 * measures).
 *
 * One run, step by step:
 *   1. vmsim_run renames the pages 0..D-1 in order of first appearance (an
 *      open-addressing hash table, linear probing, at most half full), so
 *      any 32-bit page numbers work and the per-page state is an array;
 *   2. a backward pass finds, for every reference, where the same page is
 *      used next (OPT's crystal ball);
 *   3. each policy replays the string on FRAMES empty frames through the
 *      real mm/replace.c code, with the simulator's per-page bit standing
 *      in for the accessed bit of a PTE;
 *   4. OPT replays it evicting the resident page used farthest ahead.
 *
 * Textbook check (1 2 3 4 1 2 5 1 2 3 4 5, tests/host/test_replace.c):
 * FIFO 9 faults with 3 frames and 10 with 4 (Belady's anomaly), LRU 10 and
 * 8, OPT 7 and 6.  OPT with 3 frames: 1 2 3 fault; 4 faults and evicts 3
 * (next used at position 10, farther than 1 at 5 and 2 at 6); 1 2 hit; 5
 * faults and evicts 4 (used at 11; 1 and 2 come sooner); 1 2 hit; 3
 * faults, evicts 1 (never used again); 4 faults, evicts 2 or 3 (neither
 * is used again); 5 hits: 7 faults.
 */
#include "mm/vmsim.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define NEVER UINT32_MAX        /* "not used again" */

/* One distinct page of the string during a replay. */
struct vmsim_page {
    struct rp_node node;        /* node.id: the page's dense number */
    uint32_t next;              /* OPT: where it is used next (NEVER) */
    bool resident;
    bool bit;                   /* the simulated accessed bit */
};

/* The work memory, carved by vmsim_layout.  HASH is only needed while the
 * pages are renamed; LAST reuses it afterwards. */
struct vmsim_work {
    uint32_t *dense;            /* nrefs: the string, renamed */
    uint32_t *next_use;         /* nrefs */
    struct vmsim_page *pages;   /* nrefs (at most that many distinct) */
    uint32_t *resident;         /* frames: OPT's frames */
    uint32_t *hash;             /* 2 * hash_slots: key, dense number + 1 */
    uint32_t hash_slots;        /* a power of two >= 2 * nrefs */
    void *replace_work;         /* replace_work_bytes(frames) */
};

/* --- parsing ----------------------------------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

uint32_t vmsim_count_words(const char *text, size_t len)
{
    uint32_t words = 0;

    for (size_t i = 0; i < len; i++)
        words += !is_blank(text[i]) && (i == 0 || is_blank(text[i - 1]));
    return words;
}

/* The decimal number WORD (LEN characters) into *OUT, if it is one that
 * fits 32 bits. */
static bool parse_page(const char *word, size_t len, uint32_t *out)
{
    uint64_t v = 0;

    if (len == 0 || len > 10)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (word[i] < '0' || word[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(word[i] - '0');
    }
    *out = (uint32_t)v;
    return v <= UINT32_MAX;
}

int vmsim_parse(const char *text, size_t len, uint32_t *pages, uint32_t max,
                uint32_t *n, char *why, size_t why_bytes)
{
    unsigned line = 1;
    size_t i = 0;

    while (i < len) {
        size_t start = i;
        if (text[i] == '#') {                   /* a comment: skip the line */
            while (i < len && text[i] != '\n')
                i++;
            continue;
        }
        if (is_blank(text[i])) {
            line += text[i++] == '\n';
            continue;
        }
        while (i < len && !is_blank(text[i]) && text[i] != '#')
            i++;
        if (*n == max) {
            ksnprintf(why, why_bytes, "more than %u references", max);
            return -E2BIG;
        }
        if (!parse_page(text + start, i - start, &pages[*n])) {
            char word[24];
            size_t wlen = MIN(i - start, sizeof(word) - 1);
            memcpy(word, text + start, wlen);
            word[wlen] = '\0';
            ksnprintf(why, why_bytes, "line %u: \"%s\" is not a page number", line, word);
            return -EINVAL;
        }
        ++*n;
    }
    return 0;
}

/* --- setting a run up ---------------------------------------------------------------- */

static uint32_t hash_slots_for(uint32_t nrefs)
{
    uint32_t slots = 2;

    while (slots < 2 * nrefs)
        slots *= 2;
    return slots;
}

size_t vmsim_work_bytes(uint32_t nrefs, uint32_t frames)
{
    return 2 * sizeof(uint32_t) * nrefs +
           ALIGN_UP(sizeof(struct vmsim_page) * nrefs, 8) +
           ALIGN_UP(sizeof(uint32_t) * frames, 8) +
           2 * sizeof(uint32_t) * hash_slots_for(nrefs) +
           replace_work_bytes(frames);
}

static void vmsim_layout(struct vmsim_work *w, void *work, uint32_t nrefs, uint32_t frames)
{
    char *p = work;

    w->pages = (struct vmsim_page *)p;
    p += ALIGN_UP(sizeof(struct vmsim_page) * nrefs, 8);
    w->resident = (uint32_t *)p;
    p += ALIGN_UP(sizeof(uint32_t) * frames, 8);
    w->dense = (uint32_t *)p;
    w->next_use = w->dense + nrefs;
    w->hash = w->next_use + nrefs;
    w->hash_slots = hash_slots_for(nrefs);
    w->replace_work = w->hash + 2 * w->hash_slots;
}

/* Step 1: rename the pages 0..D-1; returns D. */
static uint32_t vmsim_rename(struct vmsim_work *w, const uint32_t *pages, uint32_t nrefs)
{
    uint32_t mask = w->hash_slots - 1, distinct = 0;

    memset(w->hash, 0, 2 * sizeof(uint32_t) * w->hash_slots);
    for (uint32_t i = 0; i < nrefs; i++) {
        uint32_t h = (pages[i] * 2654435761u) & mask;
        while (w->hash[2 * h + 1] && w->hash[2 * h] != pages[i])
            h = (h + 1) & mask;
        if (!w->hash[2 * h + 1]) {              /* first appearance */
            w->hash[2 * h] = pages[i];
            w->hash[2 * h + 1] = ++distinct;
        }
        w->dense[i] = w->hash[2 * h + 1] - 1;
    }
    return distinct;
}

/* Step 2: next_use[i] = the next position of the page at i, or NEVER. */
static void vmsim_next_uses(struct vmsim_work *w, uint32_t nrefs, uint32_t distinct)
{
    uint32_t *last = w->hash;                   /* the hash is done with */

    for (uint32_t p = 0; p < distinct; p++)
        last[p] = NEVER;
    for (uint32_t i = nrefs; i-- > 0; ) {
        w->next_use[i] = last[w->dense[i]];
        last[w->dense[i]] = i;
    }
}

static void vmsim_reset_pages(struct vmsim_work *w, uint32_t distinct)
{
    for (uint32_t p = 0; p < distinct; p++) {
        struct vmsim_page *pg = &w->pages[p];
        list_init(&pg->node.link);
        pg->node.id = p;
        pg->node.state = RP_OUT;
        pg->next = NEVER;
        pg->resident = pg->bit = false;
    }
}

/* --- replaying ------------------------------------------------------------------------ */

/* The simulated accessed bit: test and clear, as the kernel's PTE walk does. */
static bool vmsim_referenced(struct rp_node *n, void *ctx UNUSED)
{
    struct vmsim_page *pg = container_of(n, struct vmsim_page, node);
    bool bit = pg->bit;

    pg->bit = false;
    return bit;
}

/* Step 3: the faults of POLICY; *CHECK_ERRORS gets replace_check's count. */
static uint32_t vmsim_policy(struct vmsim_work *w, enum rp_policy policy, uint32_t nrefs,
                             uint32_t distinct, uint32_t frames, int *check_errors)
{
    struct replacer r;
    uint32_t faults = 0;

    vmsim_reset_pages(w, distinct);
    replace_init(&r, policy, frames, w->replace_work, vmsim_referenced, NULL);
    for (uint32_t i = 0; i < nrefs; i++) {
        struct vmsim_page *pg = &w->pages[w->dense[i]];
        pg->bit = true;                         /* the hardware's part */
        if (pg->resident) {
            replace_touch(&r, &pg->node);
            continue;
        }
        faults++;
        if (r.nr_resident == frames) {
            struct rp_node *victim = replace_select_victim(&r);
            container_of(victim, struct vmsim_page, node)->resident = false;
        }
        replace_insert(&r, &pg->node);
        pg->resident = true;
    }
    *check_errors += replace_check(&r);
    return faults;
}

/* Step 4: OPT's faults.  The victim is found by looking at every frame:
 * O(frames) per fault, plenty for strings of thousands of references. */
static uint32_t vmsim_opt(struct vmsim_work *w, uint32_t nrefs, uint32_t distinct,
                          uint32_t frames)
{
    uint32_t faults = 0, used = 0;

    vmsim_reset_pages(w, distinct);
    for (uint32_t i = 0; i < nrefs; i++) {
        struct vmsim_page *pg = &w->pages[w->dense[i]];
        uint32_t slot = used;
        pg->next = w->next_use[i];
        if (pg->resident)
            continue;
        faults++;
        if (used == frames) {
            slot = 0;
            for (uint32_t f = 1; f < frames; f++)
                if (w->pages[w->resident[f]].next > w->pages[w->resident[slot]].next)
                    slot = f;
            w->pages[w->resident[slot]].resident = false;
        } else {
            used++;
        }
        w->resident[slot] = w->dense[i];
        pg->resident = true;
    }
    return faults;
}

int vmsim_run(const uint32_t *pages, uint32_t nrefs, uint32_t frames,
              void *work, struct vmsim_result *out)
{
    struct vmsim_work w;

    memset(out, 0, sizeof(*out));
    if (frames == 0 || frames > VMSIM_MAX_FRAMES || nrefs > VMSIM_MAX_REFS)
        return -EINVAL;
    vmsim_layout(&w, work, nrefs, frames);
    out->nrefs = nrefs;
    out->frames = frames;
    out->npages = vmsim_rename(&w, pages, nrefs);
    vmsim_next_uses(&w, nrefs, out->npages);
    for (int p = 0; p < RP_NPOLICIES; p++)
        out->faults[p] = vmsim_policy(&w, (enum rp_policy)p, nrefs, out->npages,
                                      frames, &out->check_errors);
    out->faults[VMSIM_OPT] = vmsim_opt(&w, nrefs, out->npages, frames);
    return 0;
}

/* --- the table ------------------------------------------------------------------------- */

const char *vmsim_column_name(unsigned column)
{
    return column == VMSIM_OPT ? "opt" : replace_policy_name((enum rp_policy)column);
}

void vmsim_print_table(const char *name, const struct vmsim_result *res,
                       const char *prefix)
{
    uint32_t opt = res->faults[VMSIM_OPT];

    cprintf("%srefs %s: %u references to %u pages, %u frames\n", prefix, name,
            res->nrefs, res->npages, res->frames);
    cprintf("%s%-8s %7s %7s\n", prefix, "policy", "faults", "vs opt");
    for (unsigned c = 0; c < VMSIM_NCOLUMNS; c++) {
        /* faults / opt to two decimals, rounded, in integers */
        uint32_t x100 = opt ? (uint32_t)(((uint64_t)res->faults[c] * 100 + opt / 2) / opt) : 0;
        cprintf("%s%-8s %7u %4u.%02ux%s\n", prefix, vmsim_column_name(c), res->faults[c],
                x100 / 100, x100 % 100,
                res->check_errors && c < VMSIM_OPT ? "  REPLACE_CHECK FAILED" : "");
    }
}

/* --- the strings embedded in the kernel ----------------------------------------------- */

#ifndef HOST_TEST
/* The table build/gen/refs.S makes from tests/traces/refs/NAME.refs
 * (mk/swap.mk, tools/mkembed.sh).  Weak: a kernel linked without it has no
 * strings rather than no link. */
struct vmsim_embedded_ref {
    const char *name;
    const char *start, *end;
};
extern const struct vmsim_embedded_ref vmsim_refs_table[] __attribute__((weak));
extern const uint32_t vmsim_refs_table_count __attribute__((weak));

unsigned vmsim_embedded_count(void)
{
    return &vmsim_refs_table_count ? vmsim_refs_table_count : 0;
}

bool vmsim_embedded(unsigned i, struct vmsim_text *out)
{
    if (i >= vmsim_embedded_count())
        return false;
    out->name = vmsim_refs_table[i].name;
    out->text = vmsim_refs_table[i].start;
    out->len = (size_t)(vmsim_refs_table[i].end - vmsim_refs_table[i].start);
    return true;
}
#else
unsigned vmsim_embedded_count(void)
{
    return 0;               /* the host tests read tests/traces/refs/ instead */
}

bool vmsim_embedded(unsigned i UNUSED, struct vmsim_text *out UNUSED)
{
    return false;
}
#endif

bool vmsim_find_embedded(const char *name, struct vmsim_text *out)
{
    for (unsigned i = 0; vmsim_embedded(i, out); i++)
        if (strcmp(out->name, name) == 0)
            return true;
    return false;
}

/* --- the monitor command (kernel only: borrows frames) ------------------------------- */
#ifndef HOST_TEST
#include "mm/buddy.h"
#include "kernel/layout.h"
#include "kernel/monitor.h"

static int vmsim_usage(void)
{
    struct vmsim_text t;

    cprintf("usage: vmsim FRAMES PAGE...   e.g. vmsim 3 1 2 3 4 1 2 5 1 2 3 4 5\n"
            "       vmsim FRAMES @NAME     a shipped string:");
    for (unsigned i = 0; vmsim_embedded(i, &t); i++)
        cprintf(" @%s", t.name);
    cprintf("%s\n", vmsim_embedded_count() ? "" : " (none linked in)");
    return 1;
}

/* Parse the words ARGV[2..ARGC) or the shipped string TEXT into PAGES
 * (room for MAX).  Returns 0 or 1 after printing why. */
static int vmsim_gather(int argc, char **argv, const struct vmsim_text *text,
                        uint32_t *pages, uint32_t max, uint32_t *n)
{
    char why[64];
    int rc = 0;

    *n = 0;
    if (text)
        rc = vmsim_parse(text->text, text->len, pages, max, n, why, sizeof(why));
    for (int i = 2; !text && i < argc && rc == 0; i++)
        rc = vmsim_parse(argv[i], strlen(argv[i]), pages, max, n, why, sizeof(why));
    if (rc)
        cprintf("vmsim: %s\n", why);
    return rc ? 1 : 0;
}

/* Borrow frames for the pages and the work memory, run, print, give back. */
static int vmsim_run_frames(int argc, char **argv, const struct vmsim_text *text,
                            uint32_t frames, uint32_t max)
{
    size_t pages_bytes = ALIGN_UP(sizeof(uint32_t) * max, 8);
    size_t bytes = pages_bytes + vmsim_work_bytes(max, frames);
    struct vmsim_result res;
    struct page *page = NULL;
    unsigned order = 0;
    uint32_t n, *pages;
    int rc;

    while (((size_t)PAGE_SIZE << order) < bytes)
        order++;
    if (order <= MAX_ORDER)
        page = alloc_pages(order);
    if (!page) {
        cprintf("vmsim: needs %zu bytes of work memory (order %u): none free\n", bytes, order);
        return 1;
    }
    pages = page_address(page);
    rc = vmsim_gather(argc, argv, text, pages, max, &n);
    if (rc == 0 && vmsim_run(pages, n, frames, (char *)pages + pages_bytes, &res) == 0)
        vmsim_print_table(text ? text->name : "typed", &res, "");
    free_pages(page, order);
    return rc;
}

static int cmd_vmsim(int argc, char **argv)
{
    struct vmsim_text text;
    unsigned long long frames;
    uint32_t max = 0;

    if (argc < 3 || !parse_uint(argv[1], &frames, false) || frames == 0 ||
        frames > VMSIM_MAX_FRAMES)
        return vmsim_usage();
    if (argv[2][0] == '@') {
        if (!vmsim_find_embedded(argv[2] + 1, &text)) {
            cprintf("vmsim: no reference string \"%s\"\n", argv[2] + 1);
            return vmsim_usage();
        }
        max = vmsim_count_words(text.text, text.len);
        return vmsim_run_frames(argc, argv, &text, (uint32_t)frames, max);
    }
    for (int i = 2; i < argc; i++)
        max += vmsim_count_words(argv[i], strlen(argv[i]));
    return vmsim_run_frames(argc, argv, NULL, (uint32_t)frames, max);
}
MONITOR_CMD(vmsim, "vmsim FRAMES PAGE...|@NAME",
            "count page faults of fifo, clock, lru, default and opt on a reference string",
            cmd_vmsim);
#endif /* !HOST_TEST */
