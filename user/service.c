/*
 * service NAME KIB SECONDS - a long-running server that keeps data in memory.
 *
 * The seed's story has a web server, a database and a log collector on a
 * small machine.  This stands in for any of them: it allocates KIB
 * kibibytes, fills every page with a pattern derived from the page's index
 * (so any corruption, or a page swapped out and brought back wrong, shows),
 * then for SECONDS seconds wakes every 100 ms, re-reads all of it and checks
 * it (SECONDS 0: checks it once, right away).  At the end it prints whether its data is intact and exits 0 if so.
 *
 * A bystander of an out-of-memory situation should survive and print
 * "intact": the OOM killer is meant to pick the process whose death frees
 * the most (the leaking one), not whoever happens to fault last.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PAGE 4096

static uint32_t pattern(size_t page, size_t word)
{
    return (uint32_t)(page * 2654435761u) ^ (uint32_t)(word * 40503u) ^ 0x5eedf00du;
}

static void fill(uint32_t *mem, size_t pages)
{
    for (size_t p = 0; p < pages; p++)
        for (size_t w = 0; w < PAGE / 4; w++)
            mem[p * (PAGE / 4) + w] = pattern(p, w);
}

/* Number of pages whose contents are not the pattern. */
static size_t verify(const uint32_t *mem, size_t pages)
{
    size_t bad = 0;

    for (size_t p = 0; p < pages; p++)
        for (size_t w = 0; w < PAGE / 4; w++)
            if (mem[p * (PAGE / 4) + w] != pattern(p, w)) {
                bad++;
                break;
            }
    return bad;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: service NAME KIB SECONDS\n");
        return 2;
    }
    const char *name = argv[1];
    size_t pages = ((size_t)atoi(argv[2]) + 3) / 4;
    int rounds = atoi(argv[3]) * 10;    /* SECONDS 0: check once, at once */
    uint32_t *mem = malloc(pages * PAGE);

    if (!mem) {
        printf("%s: malloc of %s KiB failed\n", name, argv[2]);
        return 1;
    }
    fill(mem, pages);
    printf("%s: %s KiB filled, checking it for %s s\n", name, argv[2], argv[3]);
    fflush(stdout);
    size_t bad = 0;
    for (int r = 0; r < rounds && !bad; r++) {
        struct timespec tick = { 0, 100 * 1000 * 1000 };
        nanosleep(&tick, NULL);
        bad = verify(mem, pages);
    }
    if (rounds == 0)
        bad = verify(mem, pages);
    if (bad) {
        printf("%s: %zu pages CORRUPTED\n", name, bad);
        return 1;
    }
    printf("%s: %s KiB intact\n", name, argv[2]);
    return 0;
}
