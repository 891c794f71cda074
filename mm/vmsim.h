/*
 * mm/vmsim.h - the page-replacement simulator: run a reference string
 * through every policy of mm/replace.h, and through OPT, and count faults.
 *
 * A reference string is the sequence of page numbers a program touches.
 * With FRAMES frames, each reference either hits (the page is resident) or
 * faults (it is brought in, evicting the policy's victim if memory is
 * full).  The simulator plays the hardware's part: every reference sets
 * the page's referenced bit (the fault's too), which the policies read and
 * clear through the same callback the kernel implements with PTE accessed
 * bits; LRU is told of every reference (replace_touch).
 *
 * OPT (Belady's MIN, 1966) evicts the resident page whose next use is
 * farthest in the future, or never comes.  It needs the future, so it
 * exists only here, as the yardstick: no policy can fault less.
 *
 * Text format (tests/traces/refs/README.md): page numbers in decimal,
 * separated by blanks or newlines; '#' starts a comment to the end of the
 * line.  The monitor command:
 *
 *   vmsim 3 1 2 3 4 1 2 5 1 2 3 4 5     a string typed in
 *   vmsim 40 @loop                      a shipped string (tests/traces/refs/)
 *   vmsim                               list the shipped strings
 */
#ifndef MM_VMSIM_H
#define MM_VMSIM_H

#include "lib/types.h"
#include "mm/replace.h"

/* The columns of the table: the policies, then OPT. */
#define VMSIM_OPT       RP_NPOLICIES
#define VMSIM_NCOLUMNS  (RP_NPOLICIES + 1)

#define VMSIM_MAX_REFS   (1u << 20)
#define VMSIM_MAX_FRAMES (1u << 16)

struct vmsim_result {
    uint32_t nrefs;             /* references */
    uint32_t npages;            /* distinct pages among them */
    uint32_t frames;
    uint32_t faults[VMSIM_NCOLUMNS];
    int check_errors;           /* replace_check failures: should be 0 */
};

/* A reference string, as text (not NUL-terminated). */
struct vmsim_text {
    const char *name;
    const char *text;
    size_t len;
};

/* An upper bound on the references in TEXT (its words), to size buffers. */
uint32_t vmsim_count_words(const char *text, size_t len);

/* Append the page numbers of TEXT (LEN bytes) to PAGES, which has room for
 * MAX and holds *N already.  Returns 0, or -EINVAL with a reason in WHY
 * (WHY_BYTES) such as "line 3: \"x1\" is not a page number", or -E2BIG. */
int vmsim_parse(const char *text, size_t len, uint32_t *pages, uint32_t max,
                uint32_t *n, char *why, size_t why_bytes);

/* Work memory vmsim_run needs for NREFS references and FRAMES frames. */
size_t vmsim_work_bytes(uint32_t nrefs, uint32_t frames);

/* Run PAGES (NREFS page numbers, any 32-bit values) with FRAMES frames
 * through every policy and OPT, in WORK (vmsim_work_bytes bytes, aligned
 * to 8).  Returns 0 with OUT filled, or -EINVAL (FRAMES or NREFS out of
 * range). */
int vmsim_run(const uint32_t *pages, uint32_t nrefs, uint32_t frames,
              void *work, struct vmsim_result *out);

/* The column's name: "fifo" ... "default", then "opt". */
const char *vmsim_column_name(unsigned column);

/* Print RES as a table headed by NAME, each line starting with PREFIX:
 *   policy   faults  vs opt
 *   fifo          9   1.29x       */
void vmsim_print_table(const char *name, const struct vmsim_result *res,
                       const char *prefix);

/* The strings built into the kernel (none on the host): how many, the I-th
 * (false past the end), the one called NAME. */
unsigned vmsim_embedded_count(void);
bool vmsim_embedded(unsigned i, struct vmsim_text *out);
bool vmsim_find_embedded(const char *name, struct vmsim_text *out);

#endif
