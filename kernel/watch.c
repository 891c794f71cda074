/*
 * kernel/watch.c - `watch [SECONDS]`: a live map of physical memory on the
 * VGA text screen while programs run.
 *
 * `memmap` prints one still picture; `watch` redraws one every 250 ms, so
 * you can see a program's heap grow, a fork share its parent's frames, the
 * swap cache appear under pressure and the OOM killer give a victim's
 * memory back.  The screen (80x25 cells) is laid out as:
 *
 *   row  0       title: the range shown and the size of one cell
 *   rows 1..22   the map: cell N covers frames [N*F, (N+1)*F) of lowmem,
 *                left to right, top to bottom, F chosen so lowmem fits
 *   row 23       legend: each colour, then one colour per live process
 *   row 24       status: free KiB, swap used KiB, faults/s, last OOM kill
 *
 * Each cell shows the kind most of its frames have, taken from struct page
 * (mm/page.h): free frames are a dim dot, so free memory looks empty;
 * every other kind is a full block (code page 437 characters 0xFA and
 * 0xDB) in its colour: kernel, page tables, kernel heap, page cache
 * (program images), swap cache (a user page that also has a copy in swap),
 * and user memory coloured by the process that maps it, found through the
 * reverse map (page->rmap->as, the address space of the first mapping).
 * Frames that are not RAM we manage (holes, firmware) stay blank.  Cells
 * are drawn in the foreground colour on black so that all 16 colours are
 * available: a bright *background* would blink (attribute bit 7).
 *
 * The status line uses the same counters as `free` (lowmem_zone.free_pages
 * and the swap counters), and is also printed on the serial console when
 * watch starts and when it ends, so a test can compare it with `free` run
 * right after.  While watch runs the screen is frozen (drivers/vga.h):
 * console text, e.g. the programs' output, still reaches the serial port.
 *
 * Kernel code is never preempted (kernel/sched.c), so a walk of the frame
 * array and the rmap lists sees a consistent picture without locks; the
 * background programs run only while watch sleeps between refreshes.
 */
#include "kernel/console.h"
#include "kernel/monitor.h"
#include "kernel/proc.h"
#include "kernel/x86.h"
#include "drivers/pit.h"
#include "drivers/vga.h"
#include "mm/page.h"
#include "mm/rmap.h"
#include "mm/oom.h"
#include "mm/overcommit.h"
#include "mm/vmstat.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define WATCH_TITLE_ROW   0
#define WATCH_MAP_ROW     1
#define WATCH_MAP_ROWS    (VGA_ROWS - 3)
#define WATCH_LEGEND_ROW  (VGA_ROWS - 2)
#define WATCH_STATUS_ROW  (VGA_ROWS - 1)
#define WATCH_CELLS       (WATCH_MAP_ROWS * VGA_COLS)
#define WATCH_REFRESH_MS  250
#define WATCH_BLOCK       ((char)0xDB)  /* CP437 full block */
#define WATCH_DOT         ((char)0xFA)  /* CP437 middle dot: free */
#define KB_PER_PAGE       (PAGE_SIZE / 1024)

/* The colour of each kind of frame (enum vga_color). */
#define COLOR_RESERVED    VGA_BLACK         /* holes, firmware: not RAM we manage */
#define COLOR_FREE        VGA_DARK_GREY
#define COLOR_KERNEL      VGA_BLUE
#define COLOR_PGTABLE     VGA_CYAN
#define COLOR_HEAP        VGA_MAGENTA
#define COLOR_CACHE       VGA_BROWN
#define COLOR_SWAPCACHE   VGA_LIGHT_GREY
#define COLOR_OTHER       VGA_WHITE         /* tests, no owner, unmapped user */

/* User memory: process PID is drawn in pid_colors[PID % 6], the bright
 * colours no other kind uses (pids 6 apart share a colour). */
static const uint8_t pid_colors[] = {
    VGA_LIGHT_GREEN, VGA_LIGHT_RED, VGA_YELLOW, VGA_LIGHT_CYAN,
    VGA_PINK, VGA_LIGHT_BLUE,
};

static uint8_t watch_pid_color(int pid)
{
    return pid_colors[(unsigned)pid % ARRAY_SIZE(pid_colors)];
}

/* One refresh's view of the processes with memory: address space ->
 * process and colour, in proc_table order. */
struct watch_procs {
    unsigned n;
    const struct proc *proc[NPROC];
    const struct addr_space *as[NPROC];
    uint8_t color[NPROC];
};

static void watch_collect_procs(struct watch_procs *wp)
{
    wp->n = 0;
    for (unsigned i = 0; i < NPROC; i++) {
        const struct proc *p = &proc_table[i];
        if (p->state == PROC_UNUSED || p->state == PROC_EMBRYO || !p->as)
            continue;
        wp->proc[wp->n] = p;
        wp->as[wp->n] = p->as;
        wp->color[wp->n++] = watch_pid_color(p->pid);
    }
}

/* The colour of a user page: its first mapper's, or COLOR_OTHER. */
static uint8_t watch_user_color(const struct page *head, const struct watch_procs *wp)
{
    if (head->index)
        return COLOR_SWAPCACHE;
    if (head->rmap)
        for (unsigned i = 0; i < wp->n; i++)
            if (wp->as[i] == head->rmap->as)
                return wp->color[i];
    return COLOR_OTHER;
}

/* The colour of the block headed by HEAD (a head or a reserved frame). */
static uint8_t watch_block_color(const struct page *head, const struct watch_procs *wp)
{
    if (head->state == PAGE_FREE)
        return COLOR_FREE;
    switch (head->owner) {
    case OWNER_NONE:
        return head->state == PAGE_RESERVED ? COLOR_RESERVED : COLOR_OTHER;
    case OWNER_KERNEL:
        return COLOR_KERNEL;
    case OWNER_PGTABLE:
        return COLOR_PGTABLE;
    case OWNER_HEAP:
        return COLOR_HEAP;
    case OWNER_PAGECACHE:
        return COLOR_CACHE;
    case OWNER_USER:
        return head->state == PAGE_ALLOCATED ? watch_user_color(head, wp) : COLOR_OTHER;
    default:
        return COLOR_OTHER;
    }
}

/*
 * The colour of frame I of the zone (pfn base_pfn + I).  A tail frame
 * takes its block head's colour; *CACHE remembers the last head's range
 * [first, end) and colour, so a block is classified once, not per frame.
 */
struct watch_block_cache {
    unsigned long first, end;
    uint8_t color;
};

static uint8_t watch_frame_color(unsigned long i, const struct watch_procs *wp,
                                 struct watch_block_cache *cache)
{
    struct zone *z = &lowmem_zone;
    const struct page *p = &z->frames[i];

    if (p->state == PAGE_TAIL) {
        if (i >= cache->first && i < cache->end)
            return cache->color;
        p = zone_block_head(z, z->base_pfn + (pfn_t)i);
        if (!p)
            return COLOR_OTHER;     /* a tail without a head: buddycheck */
    }
    if (p->state == PAGE_RESERVED)
        return watch_block_color(p, wp);
    cache->first = (unsigned long)(p - z->frames);
    cache->end = cache->first + (1ul << p->order);
    cache->color = watch_block_color(p, wp);
    return cache->color;
}

/* The character a cell of COLOR shows. */
static char watch_glyph(uint8_t color)
{
    return color == COLOR_FREE ? WATCH_DOT : color == COLOR_RESERVED ? ' ' : WATCH_BLOCK;
}

/* Frames per cell: the smallest F with ceil(frames / F) <= WATCH_CELLS. */
static unsigned long watch_frames_per_cell(void)
{
    return MAX(1ul, (lowmem_zone.nr_frames + WATCH_CELLS - 1) / WATCH_CELLS);
}

/* Draw the map: each cell in the colour most of its frames have. */
static void watch_draw_map(const struct watch_procs *wp)
{
    unsigned long frames = lowmem_zone.nr_frames, per_cell = watch_frames_per_cell();
    struct watch_block_cache cache = { 0, 0, 0 };

    for (unsigned cell = 0; cell < WATCH_CELLS; cell++) {
        unsigned long first = cell * per_cell;
        unsigned count[16] = { 0 };
        unsigned best = COLOR_RESERVED;

        for (unsigned long i = first; i < first + per_cell && i < frames; i++)
            count[watch_frame_color(i, wp, &cache)]++;
        for (unsigned c = 0; c < 16; c++)
            if (count[c] > count[best])
                best = c;
        vga_put_at(WATCH_MAP_ROW + cell / VGA_COLS, cell % VGA_COLS,
                   watch_glyph((uint8_t)best), (uint8_t)best, VGA_BLACK);
    }
}

/* Write TEXT at ROW from column COL in FG; returns the column after it. */
static unsigned watch_text(unsigned row, unsigned col, const char *text, uint8_t fg)
{
    for (; *text && col < VGA_COLS; text++, col++)
        vga_put_at(row, col, *text, fg, VGA_BLACK);
    return col;
}

static void watch_clear_row(unsigned row)
{
    for (unsigned col = 0; col < VGA_COLS; col++)
        vga_put_at(row, col, ' ', VGA_LIGHT_GREY, VGA_BLACK);
}

/* A legend entry: a block in COLOR, then LABEL and a space. */
static unsigned watch_legend_item(unsigned col, uint8_t color, const char *label)
{
    if (col + 1 + strlen(label) > VGA_COLS)
        return col;
    vga_put_at(WATCH_LEGEND_ROW, col, watch_glyph(color), color, VGA_BLACK);
    return watch_text(WATCH_LEGEND_ROW, col + 1, label, VGA_LIGHT_GREY) + 1;
}

/* The kinds, then each process as "PID NAME" (NAME cut to 7), or just
 * "PID" when that many do not fit on the row. */
static void watch_draw_legend(const struct watch_procs *wp)
{
    char label[16];
    unsigned col = 0;

    watch_clear_row(WATCH_LEGEND_ROW);
    col = watch_legend_item(col, COLOR_FREE, "free");
    col = watch_legend_item(col, COLOR_KERNEL, "kernel");
    col = watch_legend_item(col, COLOR_PGTABLE, "ptables");
    col = watch_legend_item(col, COLOR_HEAP, "heap");
    col = watch_legend_item(col, COLOR_CACHE, "cache");
    col = watch_legend_item(col, COLOR_SWAPCACHE, "swapcache");
    unsigned need = col;
    for (unsigned i = 0; i < wp->n; i++)    /* block, label, space */
        need += 1 + (unsigned)ksnprintf(label, sizeof(label), "%d %.7s",
                                        wp->proc[i]->pid, wp->proc[i]->name) + 1;
    for (unsigned i = 0; i < wp->n; i++) {
        if (need <= VGA_COLS)
            ksnprintf(label, sizeof(label), "%d %.7s", wp->proc[i]->pid, wp->proc[i]->name);
        else
            ksnprintf(label, sizeof(label), "%d", wp->proc[i]->pid);
        col = watch_legend_item(col, wp->color[i], label);
    }
}

/* The counters of the status line, sampled once per refresh. */
struct watch_status {
    unsigned long free_kb, swap_used_kb;
    unsigned long faults, faults_per_sec;
    uint64_t tick;
    bool have_rate;     /* false on the first sample: no interval yet */
};

static void watch_sample(struct watch_status *s)
{
    unsigned long faults = vm_events[PGFAULT];
    uint64_t now = pit_ticks();

    s->have_rate = s->tick != 0 && now > s->tick;
    if (s->have_rate)
        s->faults_per_sec = (unsigned long)((faults - s->faults) * (uint64_t)PIT_HZ /
                                            (now - s->tick));
    s->faults = faults;
    s->tick = now;
    s->free_kb = lowmem_zone.free_pages * KB_PER_PAGE;
    s->swap_used_kb = (swap_total_pages() - swap_free_pages()) * KB_PER_PAGE;
}

/* The status line, the same text on the screen and on the serial port. */
static void watch_format_status(const struct watch_status *s, char *buf, size_t size)
{
    char rate[16], victim[32];

    if (s->have_rate)
        ksnprintf(rate, sizeof(rate), "%lu", s->faults_per_sec);
    else
        strlcpy(rate, "-", sizeof(rate));
    if (oom_last_victim_pid)
        ksnprintf(victim, sizeof(victim), "%s (pid %d)", oom_last_victim, oom_last_victim_pid);
    else
        strlcpy(victim, "none", sizeof(victim));
    ksnprintf(buf, size, "free %lu KiB  swap used %lu KiB  faults/s %s  last OOM kill: %s",
              s->free_kb, s->swap_used_kb, rate, victim);
}

/* The processes of the latest refresh (static: NPROC entries are too big
 * for the kernel stack). */
static struct watch_procs watch_procs;

/* One refresh: sample, draw everything, return the status text in BUF. */
static void watch_refresh(struct watch_status *s, char *buf, size_t size)
{
    watch_sample(s);
    watch_collect_procs(&watch_procs);
    watch_draw_map(&watch_procs);
    watch_draw_legend(&watch_procs);
    watch_format_status(s, buf, size);
    watch_clear_row(WATCH_STATUS_ROW);
    watch_text(WATCH_STATUS_ROW, 0, buf, VGA_WHITE);
}

static void watch_draw_title(unsigned long secs)
{
    unsigned long per_cell = watch_frames_per_cell();
    char title[VGA_COLS + 1], stop[24];

    if (secs)
        ksnprintf(stop, sizeof(stop), "for %lu s", secs);
    else
        strlcpy(stop, "until a key", sizeof(stop));
    ksnprintf(title, sizeof(title), "watch: lowmem %lu MiB, a cell = %lu frames (%lu KiB), "
              "a row = %lu KiB; %s", lowmem_zone.nr_frames * KB_PER_PAGE / 1024, per_cell,
              per_cell * KB_PER_PAGE, per_cell * KB_PER_PAGE * VGA_COLS, stop);
    watch_clear_row(WATCH_TITLE_ROW);
    watch_text(WATCH_TITLE_ROW, 0, title, VGA_WHITE);
}

/* The colours of the latest refresh as VGA numbers on the serial port,
 * for tools/check_screendump.py. */
static void watch_print_colors(const struct watch_procs *wp)
{
    cprintf("watch: colours free=%d kernel=%d pgtables=%d heap=%d cache=%d swapcache=%d "
            "other=%d reserved=%d", COLOR_FREE, COLOR_KERNEL, COLOR_PGTABLE, COLOR_HEAP,
            COLOR_CACHE, COLOR_SWAPCACHE, COLOR_OTHER, COLOR_RESERVED);
    for (unsigned i = 0; i < wp->n; i++)
        cprintf(" pid%d=%d", wp->proc[i]->pid, wp->color[i]);
    cprintf("\n");
}

/* Sleep until tick UNTIL (background programs run meanwhile); false if
 * a key was pressed.  sleep_until_tick wants interrupts off, as top's. */
static bool watch_sleep(uint64_t until)
{
    bool was = irq_save();
    sleep_until_tick(until);
    irq_restore(was);
    return console_trygetc() < 0;
}

/*
 * watch [SECONDS]: freeze the screen, redraw every WATCH_REFRESH_MS until
 * SECONDS pass (0 or none: until a key), then give the screen back to the
 * console (cleared).  The status line goes to the serial port at the start
 * and the end.  Returns 1 on a bad argument.
 */
static int cmd_watch(int argc, char **argv)
{
    unsigned long long secs = 0;
    struct watch_status status = { 0 };
    char line[128];

    if (argc > 2 || (argc == 2 && (!parse_uint(argv[1], &secs, false) || secs > 86400))) {
        cprintf("usage: watch [SECONDS]\n");
        return 1;
    }
    uint64_t deadline = pit_ticks() + secs * PIT_HZ;
    vga_set_frozen(true);
    watch_draw_title((unsigned long)secs);
    watch_refresh(&status, line, sizeof(line));
    watch_print_colors(&watch_procs);
    cprintf("watch: %s\n", line);
    for (;;) {
        uint64_t next = pit_ticks() + WATCH_REFRESH_MS * PIT_HZ / 1000;
        if (secs && next > deadline)
            next = deadline;
        if (!watch_sleep(next) || (secs && pit_ticks() >= deadline))
            break;
        watch_refresh(&status, line, sizeof(line));
    }
    /* The last picture's numbers, with nothing run in between: a `free`
     * right after watch prints the same. */
    watch_refresh(&status, line, sizeof(line));
    cprintf("watch: %s\n", line);
    vga_set_frozen(false);
    return 0;
}
MONITOR_CMD(watch, "watch [SECONDS]",
            "live colour map of physical memory on the VGA screen (until a key)", cmd_watch);
