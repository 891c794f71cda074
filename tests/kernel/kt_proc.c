/*
 * tests/kernel/kt_proc.c - processes from the kernel's side: loading
 * refuses bad images, and a thousand programs that start and exit leave
 * exactly the memory they found.
 *
 * The tests that run programs need them as boot modules (make test boots
 * with build/user/progs.tar); without them they report SKIP.
 */
#include "tests/ktest.h"
#include "kernel/exec.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "mm/heap.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "lib/string.h"

#define CYCLES 1000

/* Run PROG once; returns its wait status, or -1 if it could not start. */
static int run_once(struct program *prog, const char *why_out[1])
{
    char *argv[] = { prog->name, NULL };
    struct proc *p = exec_spawn(prog, 1, argv, current, why_out);
    int status = -1;

    if (!p)
        return -1;
    int pid = p->pid;
    if (proc_wait(pid, &status, false) != pid)
        return -1;
    return status;
}

static size_t heap_live_bytes(void)
{
    struct heap_report r;

    heap_get_report(kmalloc_heap(), &r);
    return r.s.live_given;
}

static void test_thousand_programs_leak_nothing(struct ktest *t)
{
    struct program *prog = program_find("true");
    const char *why = NULL;

    if (!prog) {
        ktest_skip(t, "no 'true' program among the boot modules");
        return;
    }
    /* The first run fills the page cache and grows the kernel heap; after
     * it, every cycle must give back exactly what it took. */
    ASSERT_EQ(t, run_once(prog, &why), 0);
    unsigned long frames = nr_free_pages();
    size_t heap = heap_live_bytes();
    int failures = 0;
    for (int i = 0; i < CYCLES; i++)
        failures += run_once(prog, &why) != 0;
    EXPECT_EQ(t, failures, 0);
    EXPECT_EQ(t, nr_free_pages(), frames);
    EXPECT_EQ(t, heap_live_bytes(), heap);
    EXPECT_EQ(t, heap_check(kmalloc_heap()), 0);
}

static void test_bad_images_refused(struct ktest *t)
{
    static const uint8_t not_elf[64] = "#!/bin/sh\necho this is a script\n";
    static uint8_t elf64[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
    struct program fake = { .name = "fake" };
    const char *why = NULL;
    char *argv[] = { "fake", NULL };

    fake.data = not_elf;
    fake.size = sizeof(not_elf);
    exec_spawn(&fake, 1, argv, current, &why);  /* let the kernel heap grow first */
    unsigned long frames = nr_free_pages();
    why = NULL;
    EXPECT_NULL(t, exec_spawn(&fake, 1, argv, current, &why));
    ASSERT_NOT_NULL(t, why);
    EXPECT_EQ(t, strncmp(why, "not an ELF file", 15), 0);
    fake.data = elf64;
    fake.size = sizeof(elf64);
    why = NULL;
    EXPECT_NULL(t, exec_spawn(&fake, 1, argv, current, &why));
    ASSERT_NOT_NULL(t, why);
    EXPECT_EQ(t, strncmp(why, "ELF class 64", 12), 0);
    EXPECT_EQ(t, nr_free_pages(), frames);      /* nothing kept from the attempt */
}

static void test_segfault_kills_only_the_program(struct ktest *t)
{
    struct program *prog = program_find("crash");
    const char *why = NULL;

    if (!prog) {
        ktest_skip(t, "no 'crash' program among the boot modules");
        return;
    }
    int status = run_once(prog, &why);
    EXPECT_EQ(t, status & 0x7f, SIGSEGV);       /* killed by SIGSEGV ... */
    EXPECT_EQ(t, status >> 8, 0);               /* ... not an exit */
}

static const struct ktest_case proc_cases[] = {
    KTEST_CASE(test_bad_images_refused),
    KTEST_CASE(test_segfault_kills_only_the_program),
    KTEST_CASE(test_thousand_programs_leak_nothing),
    { 0 }
};
KTEST_SUITE(proc, proc_cases);
